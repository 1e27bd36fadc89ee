/**
 * The frame worker: video frames are read, resized and turned into tensors here, off the main
 * thread, and (browser mode) sent to the services over the worker's own bridge connection, so a
 * megabyte tensor never crosses the main thread and never queues behind (or in front of) the UI's
 * small API calls. The main thread transfers the frame in and receives the lane output's values.
 */
import {
  createApiClient,
  createWebSocketTransport,
  type TritonscopeApi,
  type WebSocketLike,
} from '../../../../shared/contract';
import { FrameJobRunner } from './job';
import { readFramePixels } from './pixels';
import type { FromWorker, ToWorker } from './protocol';

/** The parts of DedicatedWorkerGlobalScope used here (the renderer is type-checked with the DOM lib). */
interface WorkerScope {
  onmessage: ((ev: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
}
const scope = globalThis as unknown as WorkerScope;

let bridgeUrl: string | null = null;
let api: TritonscopeApi | null = null;

function bridgeApi(): TritonscopeApi | null {
  if (!api && bridgeUrl) {
    const url = bridgeUrl;
    api = createApiClient(
      createWebSocketTransport({
        url,
        createSocket: (u) => new WebSocket(u) as unknown as WebSocketLike,
        // A browser WebSocket snapshots what it sends: one buffer serves every frame's request.
        sendCopiesData: true,
      }),
    );
  }
  return api;
}

const runner = new FrameJobRunner(readFramePixels, bridgeApi);

scope.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.t === 'init') {
    bridgeUrl = msg.bridgeUrl;
    return;
  }
  void runner.run(msg.job).then((result) => {
    const transfer: Transferable[] = [];
    if (result.ok && result.kind === 'output') transfer.push(result.output.values.buffer as ArrayBuffer);
    if (result.ok && result.kind === 'input') {
      const { inputs, image } = result.input;
      for (const t of inputs) transfer.push(t.data.buffer as ArrayBuffer);
      if (image) transfer.push(image.planes.buffer as ArrayBuffer);
    }
    scope.postMessage({ t: 'done', result }, transfer);
  });
};
scope.postMessage({ t: 'ready' });
