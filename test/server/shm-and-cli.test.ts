/**
 * System shared memory when enabled (POSIX shm = /dev/shm files on Linux), version string parsing
 * quirks, and the `tritonscope serve` command as a real process (URL, model states, SIGINT).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createConnection } from 'node:net';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { parseVersionString } from '../../electron/server/versionString';
import { TritonClient, TritonError } from '../../electron/triton';
import { f32, makeRepository, readF32, type Repo } from './fixtures';

const SHM_KEY = `tritonscope-test-${process.pid}`;
const SHM_FILE = `/dev/shm/${SHM_KEY}`;
const HAS_DEV_SHM = existsSync('/dev/shm');

let repo: Repo;
let server: EmbeddedServer;
let client: TritonClient;

before(async () => {
  repo = makeRepository();
  server = await startEmbeddedServer({ modelRepository: repo.dir, loadModels: ['scaled'], allowClientShm: true });
  client = new TritonClient({ url: server.url });
});

after(async () => {
  client?.close();
  await server?.close();
  repo?.cleanup();
  rmSync(SHM_FILE, { force: true });
});

test(
  'system shared memory: register, infer from and into a region, status, unregister',
  { skip: !HAS_DEV_SHM && 'no /dev/shm' },
  async () => {
    const region = Buffer.alloc(64);
    Buffer.from(f32([1, 2, 3]).buffer).copy(region, 8);
    writeFileSync(SHM_FILE, region);
    assert.ok((await client.serverMetadata()).extensions.includes('system_shared_memory'));
    await client.systemSharedMemoryRegister({ name: 'io', key: `/${SHM_KEY}`, offset: 0, byteSize: 64 });
    await assert.rejects(
      client.systemSharedMemoryRegister({ name: 'io', key: `/${SHM_KEY}`, byteSize: 8 }),
      (e: unknown) =>
        e instanceof TritonError &&
        e.code === 'ALREADY_EXISTS' &&
        e.details === "shared memory region 'io' already in manager",
    );
    await assert.rejects(
      client.systemSharedMemoryRegister({ name: 'big', key: `/${SHM_KEY}`, byteSize: 65 }),
      (e: unknown) =>
        e instanceof TritonError &&
        e.code === 'INVALID_ARGUMENT' &&
        e.details === "failed to register shared memory region 'big': invalid args",
    );
    // What mmap() refuses in Triton: an offset off the page size, an empty region.
    for (const [offset, byteSize] of [
      [8, 16],
      [0, 0],
    ])
      await assert.rejects(
        client.systemSharedMemoryRegister({ name: 'odd', key: `/${SHM_KEY}`, offset, byteSize }),
        (e: unknown) =>
          e instanceof TritonError &&
          e.code === 'INVALID_ARGUMENT' &&
          e.details ===
            "failed to register shared memory region 'odd': unable to process address spaceInvalid argument",
      );
    // Keys: Triton's ValidateSharedMemoryKey texts.
    await assert.rejects(
      client.systemSharedMemoryRegister({ name: 'k', key: '///', byteSize: 8 }),
      (e: unknown) =>
        e instanceof TritonError && e.details === "cannot register shared memory region 'k' - invalid shm key '///'",
    );
    await assert.rejects(
      client.systemSharedMemoryRegister({ name: 'k', key: '/triton_python_backend_shm_region_1', byteSize: 8 }),
      (e: unknown) =>
        e instanceof TritonError &&
        e.details ===
          "cannot register shared memory region 'k' with key '/triton_python_backend_shm_region_1' as the key contains the reserved prefix 'triton_python_backend_shm_region_'",
    );
    await assert.rejects(
      client.systemSharedMemoryRegister({ name: 'x', key: '/no-such-region-here', byteSize: 8 }),
      (e: unknown) =>
        e instanceof TritonError &&
        e.code === 'INTERNAL' &&
        e.details === "Unable to open shared memory region: '/no-such-region-here'",
    );
    // Listed by name (Triton's std::map), not in the order registered.
    await client.systemSharedMemoryRegister({ name: 'aa', key: `/${SHM_KEY}`, offset: 0, byteSize: 8 });
    assert.deepEqual(
      (await client.systemSharedMemoryStatus()).map((r) => r.name),
      ['aa', 'io'],
    );
    await client.systemSharedMemoryUnregister('aa');
    assert.deepEqual(await client.systemSharedMemoryStatus(), [
      { name: 'io', key: `/${SHM_KEY}`, offset: 0, byteSize: 64 },
    ]);

    const r = await client.infer({
      model: 'scaled',
      version: '1',
      inputs: [
        {
          name: 'INPUT',
          datatype: 'FP32',
          shape: [1, 3],
          data: new Uint8Array(0),
          parameters: { shared_memory_region: 'io', shared_memory_byte_size: 12, shared_memory_offset: 8 },
        },
      ],
      outputs: [
        {
          name: 'OUTPUT',
          parameters: { shared_memory_region: 'io', shared_memory_byte_size: 12, shared_memory_offset: 32 },
        },
      ],
    });
    assert.equal(r.outputs[0].data.byteLength, 0, 'outputs written to shared memory have an empty raw entry');
    assert.deepEqual(r.outputs[0].shape, [1, 3]);
    assert.deepEqual(readF32(new Uint8Array(readFileSync(SHM_FILE).subarray(32, 44))), [2, 4, 6]);

    await assert.rejects(
      client.infer({
        model: 'scaled',
        version: '1',
        inputs: [
          {
            name: 'INPUT',
            datatype: 'FP32',
            shape: [1, 3],
            data: new Uint8Array(0),
            parameters: { shared_memory_region: 'io', shared_memory_byte_size: 12, shared_memory_offset: 60 },
          },
        ],
      }),
      (e: unknown) =>
        e instanceof TritonError &&
        e.code === 'INVALID_ARGUMENT' &&
        e.details === "Invalid offset + byte size for shared memory region: 'io'",
    );
    await assert.rejects(
      client.infer({
        model: 'scaled',
        version: '1',
        inputs: [{ name: 'INPUT', datatype: 'FP32', shape: [1, 3], data: f32([1, 2, 3]) }],
        outputs: [{ name: 'OUTPUT', parameters: { shared_memory_region: 'io', shared_memory_byte_size: 4 } }],
      }),
      (e: unknown) =>
        e instanceof TritonError &&
        e.code === 'INTERNAL' &&
        e.details ===
          "shared memory size specified with the request for output 'OUTPUT' (4 bytes) should be at least 12 bytes to hold the results",
    );

    await client.systemSharedMemoryUnregister('unknown-name');
    await client.systemSharedMemoryUnregister();
    assert.deepEqual(await client.systemSharedMemoryStatus(), []);
    await assert.rejects(
      client.cudaSharedMemoryRegister({ name: 'c', rawHandle: new Uint8Array(64), deviceId: 0, byteSize: 8 }),
      (e: unknown) =>
        e instanceof TritonError &&
        e.code === 'INVALID_ARGUMENT' &&
        e.details === "failed to register CUDA shared memory region: 'c', GPUs not supported",
    );
  },
);

test('version strings follow std::stol', () => {
  assert.equal(parseVersionString(''), -1);
  assert.equal(parseVersionString('3'), 3);
  assert.equal(parseVersionString('  +7xyz'), 7);
  assert.equal(parseVersionString('0'), 0);
  assert.throws(() => parseVersionString('abc'), /details: stol/);
  assert.throws(() => parseVersionString('99999999999999999999'), /details: stol/, 'out of range is also a stol error');
  assert.throws(
    () => parseVersionString('-2'),
    /invalid model version specified '-2' , version should be an integral value > 0/,
  );
});

test('tritonscope serve: prints URL and model states, stops on SIGINT', async () => {
  const bin = resolve(import.meta.dirname, '../../bin/tritonscope.mjs');
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--model-repository', repo.dir, '--port', '0', '--load-model', 'scaled', '--load-model', 'trt'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  try {
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`serve did not start: ${out} ${err}`)), 30_000);
      child.stdout.on('data', () => {
        if (out.includes('Press Ctrl+C')) {
          clearTimeout(timer);
          done();
        }
      });
      child.on('exit', (code) => fail(new Error(`serve exited early (${code}): ${err}`)));
    });
    const url = /listening on (127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert.ok(url, out);
    assert.match(out, /scaled: v1 READY/);
    assert.match(out, /trt: v1 UNAVAILABLE — Unavailable: the embedded server cannot run 'tensorrt' models/);
    assert.match(out, /add_sub: not loaded/);
    const c = new TritonClient({ url });
    try {
      assert.equal(await c.modelReady('scaled'), true);
    } finally {
      c.close();
    }
    // A peer that holds an idle connection open (it never speaks HTTP/2) must not keep the stopped
    // server alive: it took 14-45 s, until the peer closed.
    const [host, port] = url.split(':');
    const idle = createConnection({ host, port: Number(port) });
    await new Promise<void>((done) => idle.once('connect', done));
    try {
      const exit = new Promise<number | null | 'still running'>((done) => {
        child.on('exit', (code) => done(code));
        setTimeout(() => done('still running'), 10_000);
      });
      const stopped = Date.now();
      child.kill('SIGINT');
      assert.equal(await exit, 0);
      assert.ok(Date.now() - stopped < 8_000, `exited ${Date.now() - stopped} ms after SIGINT`);
      assert.match(out, /SIGINT: stopping/);
    } finally {
      idle.destroy();
    }
  } finally {
    child.kill('SIGKILL');
  }
});

test('tritonscope serve: loads every model by default, nothing with --load-none', async () => {
  const bin = resolve(import.meta.dirname, '../../bin/tritonscope.mjs');
  for (const [extra, expectScaled] of [
    [[], /scaled: v1 READY/],
    [['--load-none'], /scaled: not loaded/],
  ] as const) {
    const child = spawn(process.execPath, [bin, 'serve', '--model-repository', repo.dir, '--port', '0', ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      await new Promise<void>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`serve did not start: ${out}`)), 30_000);
        child.stdout.on('data', () => out.includes('Press Ctrl+C') && (clearTimeout(timer), done()));
        child.on('exit', (code) => fail(new Error(`serve exited early (${code})`)));
      });
      assert.match(out, expectScaled);
      if (extra.length === 0) assert.match(out, /add_sub: v1 READY/);
    } finally {
      child.kill('SIGKILL');
    }
  }
});

test('tritonscope serve: refuses non-loopback hosts without --allow-remote', async () => {
  const bin = resolve(import.meta.dirname, '../../bin/tritonscope.mjs');
  const child = spawn(process.execPath, [bin, 'serve', '--model-repository', repo.dir, '--host', '0.0.0.0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
  assert.equal(code, 2);
  assert.match(err, /refusing to listen on non-loopback host '0\.0\.0\.0' without --allow-remote/);
});
