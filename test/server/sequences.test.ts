/**
 * A model with sequence_batching: the embedded server checks each request as Triton's sequence
 * batcher does (SequenceBatchScheduler::Enqueue, Sequencer::SetupSequenceRequest), so a client that
 * forgets the correlation ID or the START flag fails here as it would on Triton.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../electron/server';
import { TritonClient, TritonError } from '../../electron/triton';
import { i32, identityModel } from './fixtures';
import { makeTempDir, type TempDir } from '../helpers/tempDir';

let repo: TempDir;
let server: EmbeddedServer;
let client: TritonClient;

before(async () => {
  repo = makeTempDir('tritonscope-sequences-');
  mkdirSync(join(repo.dir, 'seq', '1'), { recursive: true });
  writeFileSync(join(repo.dir, 'seq', '1', 'model.onnx'), identityModel('int32', ['n']));
  writeFileSync(
    join(repo.dir, 'seq', 'config.pbtxt'),
    `name: "seq"
backend: "onnxruntime"
input [ { name: "X" data_type: TYPE_INT32 dims: [ -1 ] } ]
output [ { name: "Y" data_type: TYPE_INT32 dims: [ -1 ] } ]
sequence_batching { max_sequence_idle_microseconds: 300000 }
`,
  );
  server = await startEmbeddedServer({ modelRepository: repo.dir, controlMode: 'explicit', loadModels: ['seq'] });
  client = new TritonClient({ url: server.url, timeoutMs: 20_000 });
});

after(async () => {
  client?.close();
  await server?.close();
  repo?.cleanup();
});

const infer = (parameters: Record<string, boolean | number | string>) =>
  client.infer({ model: 'seq', inputs: [{ name: 'X', datatype: 'INT32', shape: [2], data: i32([1, 2]) }], parameters });

async function refused(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(
    p,
    (e: unknown) => e instanceof TritonError && e.code === 'INVALID_ARGUMENT' && e.details === message,
  );
}

test('a correlation ID is required; a sequence starts with START, runs until END, then needs START again', async () => {
  await refused(infer({}), "inference request to model 'seq' must specify a non-zero or non-empty correlation ID");
  await refused(
    infer({ sequence_id: '' }),
    "inference request to model 'seq' must specify a non-zero or non-empty correlation ID",
  );
  const noStart =
    "inference request for sequence 5 to model 'seq' must specify the START flag on the first request of the sequence";
  await refused(infer({ sequence_id: 5 }), noStart);
  await infer({ sequence_id: 5, sequence_start: true });
  await infer({ sequence_id: 5 });
  await infer({ sequence_id: 5, sequence_end: true });
  await refused(infer({ sequence_id: 5 }), noStart);
  // String IDs are their own namespace.
  await infer({ sequence_id: 'cam-1', sequence_start: true });
  await infer({ sequence_id: 'cam-1', sequence_end: true });
});

test('a sequence idle longer than max_sequence_idle_microseconds is released', async () => {
  await infer({ sequence_id: 7, sequence_start: true });
  await new Promise((r) => setTimeout(r, 450));
  await refused(
    infer({ sequence_id: 7 }),
    "inference request for sequence 7 to model 'seq' must specify the START flag on the first request of the sequence",
  );
});
