/**
 * The services over either protocol: the embedded demo server is reached through two built-in
 * profiles (gRPC and HTTP/REST), and every server operation the views use (status, repository
 * index, metadata, config, statistics, load with an override, unload, inference) gives the same
 * answers through both. A saved profile carries its protocol, and changing it reconnects.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_CONNECTION_ID, DEMO_HTTP_CONNECTION_ID, type Services } from '../../electron/services';
import { endpointUrl, httpEndpoint, protocolLabel } from '../../shared/contract/endpoint';
import { ConnectionProfileInputSchema } from '../../shared/contract';
import { makeFixture, makeServices, f32, readF32, SCALE_CONFIG, type Fixture } from './fixtures';

let fx: Fixture;
let s: Services;

before(async () => {
  fx = makeFixture();
  s = await makeServices(fx);
  await s.handlers.startDemo(undefined);
});
after(async () => {
  await s?.close();
  fx?.cleanup();
});

test('the demo server is listed twice: over gRPC and over HTTP/REST, both connect', async () => {
  const list = await s.handlers.listConnections(undefined);
  const grpc = list.find((p) => p.id === DEMO_CONNECTION_ID)!;
  const http = list.find((p) => p.id === DEMO_HTTP_CONNECTION_ID)!;
  assert.equal(grpc.protocol, 'grpc');
  assert.equal(http.protocol, 'http');
  assert.notEqual(http.url, grpc.url, 'two ports of one server');
  const status = await s.handlers.connect({ id: DEMO_HTTP_CONNECTION_ID });
  assert.equal(status.state, 'connected');
  assert.equal(status.live, true);
  assert.deepEqual(status.metadata, (await s.handlers.connectionStatus({ id: DEMO_CONNECTION_ID })).metadata);
});

test('every server operation answers the same over both protocols', async () => {
  const both = async <T>(fn: (connectionId: string) => Promise<T>): Promise<[T, T]> => [
    await fn(DEMO_CONNECTION_ID),
    await fn(DEMO_HTTP_CONNECTION_ID),
  ];
  const [indexG, indexH] = await both((id) => s.handlers.repositoryIndex({ connectionId: id }));
  assert.deepEqual(indexH, indexG);
  assert.equal(indexH.models.find((m) => m.name === 'trt_only')?.state, 'UNAVAILABLE');
  const [metaG, metaH] = await both((id) => s.handlers.modelMetadata({ connectionId: id, model: 'scale2' }));
  assert.deepEqual(metaH, metaG);
  const [cfgG, cfgH] = await both((id) => s.handlers.modelConfig({ connectionId: id, model: 'scale2' }));
  assert.equal(cfgH.config.name, 'scale2');
  assert.deepEqual(cfgH.config.input, cfgG.config.input);

  const input = { name: 'INPUT', datatype: 'FP32' as const, shape: [2, 3], data: f32([1, 2, 3, 4, 5, 6.5]) };
  const [rG, rH] = await both((id) =>
    s.handlers.infer({ connectionId: id, model: 'scale2', id: 'x', inputs: [input] }),
  );
  assert.deepEqual(readF32(rH.outputs[0].data), [2, 4, 6, 8, 10, 13]);
  assert.deepEqual(readF32(rH.outputs[0].data), readF32(rG.outputs[0].data));
  assert.equal(rH.id, 'x');
  // Browser-mode services pass the client's bytes as they are (own buffers are for Electron IPC,
  // made by the same protocol-independent mapper: services.test.ts).
  assert.equal(rH.outputs[0].data.byteLength, 24);

  const [statsG, statsH] = await both((id) => s.handlers.modelStatistics({ connectionId: id, model: 'scale2' }));
  assert.match(statsH.models[0].inferenceCount, /^\d+$/);
  assert.equal(statsH.models[0].inferenceCount, statsG.models[0].inferenceCount, 'one server behind both ports');

  // Load with a pbtxt override over HTTP, seen through gRPC; unload over HTTP.
  await s.handlers.loadModel({
    connectionId: DEMO_HTTP_CONNECTION_ID,
    model: 'scale2',
    configOverride: {
      pbtxt: SCALE_CONFIG.replace(
        'name: "scale2"',
        'name: "scale2"\nparameters { key: "via" value { string_value: "http" } }',
      ),
    },
  });
  const cfg = await s.handlers.modelConfig({ connectionId: DEMO_CONNECTION_ID, model: 'scale2' });
  assert.deepEqual((cfg.config.parameters as Record<string, unknown>).via, { string_value: 'http' });
  await s.handlers.unloadModel({ connectionId: DEMO_HTTP_CONNECTION_ID, model: 'scale2' });
  const after = await s.handlers.repositoryIndex({ connectionId: DEMO_CONNECTION_ID });
  assert.equal(after.models.find((m) => m.name === 'scale2')?.state, 'UNAVAILABLE');
  await assert.rejects(
    s.handlers.infer({ connectionId: DEMO_HTTP_CONNECTION_ID, model: 'scale2', inputs: [input] }),
    /NOT_FOUND: Request for unknown model: 'scale2' has no available versions/,
  );
  await s.handlers.loadModel({ connectionId: DEMO_CONNECTION_ID, model: 'scale2' });
});

test('a saved profile keeps its protocol; switching protocol reconnects with the other client', async () => {
  const demo = (await s.handlers.listConnections(undefined)).find((p) => p.id === DEMO_HTTP_CONNECTION_ID)!;
  const saved = await s.handlers.saveConnection({ name: 'orin over http', url: demo.url, protocol: 'http' });
  const stored = JSON.parse(readFileSync(join(fx.configDir, 'connections.json'), 'utf8'));
  assert.equal(stored.profiles.find((p: { id: string }) => p.id === saved.id).protocol, 'http');
  assert.equal((await s.handlers.connect({ id: saved.id })).state, 'connected');
  // The same port asked for over gRPC: an HTTP/1.1 server cannot answer it, and the status says so.
  await s.handlers.saveConnection({ id: saved.id, name: saved.name, url: demo.url, protocol: 'grpc' });
  const status = await s.handlers.connectionStatus({ id: saved.id });
  assert.equal(status.state, 'error');
  assert.equal(status.error?.code, 'UNAVAILABLE');
  await s.handlers.deleteConnection({ id: saved.id });
  assert.equal(
    ConnectionProfileInputSchema.safeParse({ name: 'x', url: 'h:1', protocol: 'smtp' }).success,
    false,
    'the contract only knows grpc and http',
  );
});

test('endpoint helpers: scheme per protocol and TLS; pasted http(s):// addresses', () => {
  assert.equal(endpointUrl({ url: 'orin:8001' }), 'grpc://orin:8001');
  assert.equal(endpointUrl({ url: 'orin:8001', tls: { enabled: true } }), 'grpcs://orin:8001');
  assert.equal(endpointUrl({ url: 'orin:8000', protocol: 'http' }), 'http://orin:8000');
  assert.equal(endpointUrl({ url: 'orin:443', protocol: 'http', tls: { enabled: true } }), 'https://orin:443');
  assert.deepEqual(httpEndpoint('https://orin.local:8000/'), { url: 'orin.local:8000', protocol: 'http', tls: true });
  assert.deepEqual(httpEndpoint(' http://[::1]:8000 '), { url: '[::1]:8000', protocol: 'http', tls: false });
  assert.equal(httpEndpoint('orin:8000'), undefined);
  assert.equal(httpEndpoint('http://orin:8000/triton'), undefined, 'a base path does not fit a host:port profile');
  assert.equal(protocolLabel('http'), 'HTTP/REST');
  assert.equal(protocolLabel(undefined), 'gRPC');
});
