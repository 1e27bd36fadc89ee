/**
 * Fan-out of service events to the transports (Electron IPC sends them to the window, the bridge
 * to every authenticated WebSocket). Services only know `emit`; listeners that throw are isolated.
 */
import type { ApiEmit, ApiEventName, ApiEventPayload } from '../../shared/contract';

export type AnyEventListener = <E extends ApiEventName>(event: E, payload: ApiEventPayload<E>) => void;

export class ServiceEvents {
  private readonly listeners = new Set<AnyEventListener>();

  readonly emit: ApiEmit = (event, payload) => {
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch (err) {
        process.emitWarning(`event listener for '${event}' threw: ${(err as Error).message}`);
      }
    }
  };

  subscribe(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
