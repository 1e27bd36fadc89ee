/**
 * Runs inference for the inspector: resolves each A/B slot to a connection + model metadata,
 * limits requests in flight (video drops frames instead of queueing), and stores raw results.
 */
import { useApp } from '../state/store';
import { backend, type ModelMetadata } from './backend';
import { inferFrame } from './pipeline';
import { errorText } from './errors';

export interface FrameRef {
  source: CanvasImageSource;
  w: number;
  h: number;
  key: string;
  index: number;
}

const metaCache = new Map<string, Promise<ModelMetadata>>();

export function slotTarget(slot: 'a' | 'b'): { connectionId: string; model: string } | null {
  const st = useApp.getState();
  const s = st.slots[slot];
  const connectionId = s.connectionId ?? st.activeConnection();
  if (!connectionId || !s.model) return null;
  return { connectionId, model: s.model };
}

export function metadataFor(connectionId: string, model: string): Promise<ModelMetadata> {
  const key = `${connectionId}|${model}`;
  let p = metaCache.get(key);
  if (!p) {
    p = backend().modelMetadata(connectionId, model);
    metaCache.set(key, p);
    p.catch(() => metaCache.delete(key));
  }
  return p;
}

export function forgetMetadata(): void {
  metaCache.clear();
}

export function activeSlots(): ('a' | 'b')[] {
  const st = useApp.getState();
  return st.abMode === 'off' ? ['a'] : ['a', 'b'];
}

/**
 * Sends the frame to every active slot. `mode: 'drop'` skips a slot that already has
 * maxInFlight requests outstanding (video); 'force' always sends (explicit Run, stills).
 * Returns true if at least one request was sent.
 */
export function inferCurrent(frame: FrameRef, mode: 'drop' | 'force' | 'missing'): boolean {
  const st = useApp.getState();
  let sent = false;
  for (const slot of activeSlots()) {
    const target = slotTarget(slot);
    if (!target) continue;
    if (mode === 'missing' && st.results[`${slot}|${frame.key}`]) continue;
    if (mode === 'drop' && useApp.getState().inFlight >= st.maxInFlight * activeSlots().length) {
      st.countDropped();
      continue;
    }
    sent = true;
    void runOne(slot, target, frame);
  }
  return sent;
}

const completions: number[] = [];

async function runOne(
  slot: 'a' | 'b',
  target: { connectionId: string; model: string },
  frame: FrameRef,
): Promise<void> {
  const st = useApp.getState();
  st.countRequest(1);
  try {
    const meta = await metadataFor(target.connectionId, target.model);
    const r = await inferFrame({
      connectionId: target.connectionId,
      meta,
      source: frame.source,
      frameW: frame.w,
      frameH: frame.h,
      frameKey: frame.key,
      frameIndex: frame.index,
      pre: useApp.getState().preprocess,
    });
    useApp.getState().putResult(slot, r);
    const now = performance.now();
    completions.push(now);
    while (completions.length && now - completions[0] > 1000) completions.shift();
    useApp.getState().setInferFps(completions.length);
  } catch (e) {
    useApp.getState().setInferError(slot, `${target.model}: ${errorText(e)}`);
  } finally {
    useApp.getState().countRequest(-1);
  }
}
