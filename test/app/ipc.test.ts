/**
 * Electron IPC wiring without Electron: a minimal ipcMain-like registry, the real services (real
 * embedded server), and the real preload object builder connected to it through a loopback
 * ipcRenderer-like object, so a call goes page -> exposed API -> channel -> validation -> service.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  registerIpcHandlers,
  createSenderCheck,
  forwardEvents,
  type IpcInvokeEventLike,
  type IpcMainLike,
} from '../../electron/ipc/register';
import { buildExposedApi, type IpcRendererLike } from '../../electron/ipc/exposed';
import { METHOD_CHANNELS } from '../../electron/ipc/channels';
import {
  API_METHOD_NAMES,
  API_EVENT_NAMES,
  createApiClient,
  transportFromExposed,
  ApiError,
  type Envelope,
} from '../../shared/contract';
import type { Services } from '../../electron/services';
import { makeFixture, makeServices, f32, readF32, type Fixture } from './fixtures';

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
}

const OUR_WINDOW = 7;
const OWN_URL = 'app://tritonscope/index.html';
const trusted: IpcInvokeEventLike = { sender: { id: OUR_WINDOW }, senderFrame: { url: OWN_URL } };

let fx: Fixture;
let s: Services;
let ipcMain: FakeIpcMain;
let registration: ReturnType<typeof registerIpcHandlers>;

before(async () => {
  fx = makeFixture();
  s = await makeServices(fx, 'electron');
  ipcMain = new FakeIpcMain();
  registration = registerIpcHandlers(ipcMain, s.handlers, {
    isTrustedSender: createSenderCheck({
      webContentsIds: () => [OUR_WINDOW],
      isOwnUrl: (u) => u.startsWith('app://tritonscope/'),
    }),
    validateResponses: true,
  });
});
after(async () => {
  await s?.close();
  fx?.cleanup();
});

/** ipcRenderer stand-in that delivers invoke() to the registered main-side handler. */
function loopbackRenderer(
  event: IpcInvokeEventLike,
): IpcRendererLike & { emit(channel: string, payload: unknown): void } {
  const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
  return {
    invoke: async (channel, ...args) => {
      const h = ipcMain.handlers.get(channel);
      if (!h) throw new Error(`No handler registered for '${channel}'`);
      // structured clone, as Electron does between processes
      return structuredClone(await h(event, ...structuredClone(args)));
    },
    on: (channel, l) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
    removeListener: (channel, l) => listeners.get(channel)?.delete(l),
    emit: (channel, payload) => {
      for (const l of listeners.get(channel) ?? []) l({ sender: 'must not leak' }, payload);
    },
  };
}

test('handlers are registered for exactly the contract allowlist', () => {
  const expected = API_METHOD_NAMES.map((m) => `tritonscope:${m}`).sort();
  assert.deepEqual([...ipcMain.handlers.keys()].sort(), expected);
  assert.deepEqual(registration.channels.sort(), expected);
  assert.equal(METHOD_CHANNELS.size, API_METHOD_NAMES.length);
});

test('a call from another webContents or another page is refused', async () => {
  const h = ipcMain.handlers.get('tritonscope:appInfo')!;
  for (const event of [
    { sender: { id: 99 }, senderFrame: { url: OWN_URL } },
    { sender: { id: OUR_WINDOW }, senderFrame: { url: 'https://evil.example/' } },
    { sender: { id: OUR_WINDOW }, senderFrame: { url: 'file:///tmp/x.html' } },
    { sender: { id: OUR_WINDOW }, senderFrame: null },
  ]) {
    const r = (await h(event, undefined)) as Envelope<unknown>;
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.code, 'FORBIDDEN');
      assert.match(r.error.message, /sender is not the Tritonscope window/);
    }
  }
  const ok = (await h(trusted, undefined)) as Envelope<{ mode: string }>;
  assert.ok(ok.ok && ok.payload.mode === 'electron');
});

test('invalid payloads are refused with a clear error before reaching a service', async () => {
  const call = (ch: string, ...args: unknown[]) =>
    ipcMain.handlers.get(`tritonscope:${ch}`)!(trusted, ...args) as Promise<Envelope<unknown>>;
  const cases: [string, unknown[], RegExp][] = [
    ['connect', [{}], /invalid request to connect: id:/],
    ['connect', [{ id: 'x', admin: true }], /admin|Unrecognized key/i],
    ['readFile', [{ rootId: 'r', path: 42 }], /path: /],
    [
      'infer',
      [
        {
          connectionId: 'c',
          model: 'm',
          inputs: [{ name: 'x', datatype: 'FP32', shape: [4], data: new Uint8Array(3) }],
        },
      ],
      /needs 16 bytes, got 3/,
    ],
    ['appInfo', [undefined, 'extra'], /expected one payload argument/],
  ];
  for (const [ch, args, re] of cases) {
    const r = await call(ch, ...args);
    assert.equal(r.ok, false, ch);
    if (!r.ok) {
      assert.equal(r.error.code, 'INVALID_ARGUMENT', ch);
      assert.match(r.error.message, re);
    }
  }
});

test('the preload object exposes only the contract methods and on(); calls reach the real services', async () => {
  const renderer = loopbackRenderer(trusted);
  const exposed = buildExposedApi(renderer);
  assert.deepEqual(Object.keys(exposed).sort(), [...API_METHOD_NAMES, 'on'].sort());
  assert.ok(Object.isFrozen(exposed));
  for (const k of ['invoke', 'send', 'ipcRenderer', 'sendSync'])
    assert.equal((exposed as unknown as Record<string, unknown>)[k], undefined);
  assert.throws(() => exposed.on('not-an-event' as never, () => {}), /unknown event/);

  const api = createApiClient(transportFromExposed(exposed));
  const demo = await api.startDemo();
  assert.equal(demo.running, true);
  const index = await api.repositoryIndex({ connectionId: 'demo' });
  assert.deepEqual(index.models.map((m) => `${m.name}:${m.state}`).sort(), ['scale2:READY', 'trt_only:UNAVAILABLE']);
  const r = await api.infer({
    connectionId: 'demo',
    model: 'scale2',
    inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [2, 3], data: f32([0.5, 1, 1.5, 2, 2.5, 3]) }],
  });
  assert.deepEqual(readF32(r.outputs[0].data), [1, 2, 3, 4, 5, 6]);
  // service errors keep their code across the envelope
  await assert.rejects(
    api.readFile({ rootId: demo.rootId!, path: '../secret.txt' }),
    (e: unknown) => e instanceof ApiError && e.code === 'FORBIDDEN',
  );
  await assert.rejects(
    api.modelMetadata({ connectionId: 'demo', model: 'nope' }),
    (e: unknown) => e instanceof ApiError && e.code === 'NOT_FOUND',
  );
});

test('events are forwarded to the window (validated) and delivered without the IPC event object', async () => {
  const renderer = loopbackRenderer(trusted);
  const exposed = buildExposedApi(renderer);
  const received: unknown[][] = [];
  const off = exposed.on('repositoriesChanged', (...args: unknown[]) => received.push(args));
  const sent: [string, unknown][] = [];
  const stop = forwardEvents(
    s.events,
    () => ({
      isDestroyed: () => false,
      send: (channel, payload) => {
        sent.push([channel, payload]);
        renderer.emit(channel, structuredClone(payload));
      },
    }),
    { validate: true },
  );
  await s.handlers.openRepository({}).catch(() => undefined); // electron mode without a picker: refused, no event
  await s.repository.openTrusted(fx.media);
  stop();
  off();
  assert.equal(sent.length, 1);
  assert.equal(sent[0][0], 'tritonscope-event:repositoriesChanged');
  assert.equal(received.length, 1);
  assert.equal(received[0].length, 1, 'listener gets only the payload');
  assert.ok((received[0][0] as { roots: { path: string }[] }).roots.some((r) => r.path === fx.media));
  assert.deepEqual(API_EVENT_NAMES.length, 5);
});

test('dispose removes every handler', () => {
  const other = new FakeIpcMain();
  const reg = registerIpcHandlers(other, s.handlers, { isTrustedSender: () => true });
  assert.equal(other.handlers.size, API_METHOD_NAMES.length);
  reg.dispose();
  assert.equal(other.handlers.size, 0);
});
