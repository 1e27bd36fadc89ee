/**
 * Entry of the Electron utility process that runs the embedded Triton-protocol server (forked by
 * main.ts with `utilityProcess.fork`): model loads and inference never share a process with the UI.
 * All logic is in server/processHost; this only adapts Electron's parentPort to it.
 */
import { serveInChild } from './server/processHost';

const parentPort = (process as NodeJS.Process & { parentPort?: Electron.ParentPort }).parentPort;
if (!parentPort) throw new Error('serverProcess must run in an Electron utility process');
serveInChild({
  onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
  post: (msg) => parentPort.postMessage(msg),
});
