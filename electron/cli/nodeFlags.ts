/**
 * V8 flags for Tritonscope's long-running Node processes: `npm start` (browser mode: bridge, client
 * and embedded server in one process), `tritonscope serve` and `tritonscope ui`. Node accepts them
 * only on its command line (not in NODE_OPTIONS, and not at run time through v8.setFlagsFromString),
 * so they are written out where those processes start: package.json's `start`, `ui` and
 * `tritonscope` scripts and the bin/ shebangs (test/app/node-flags.test.ts keeps them all equal to
 * this list), and the benches start their processes with them, as `npm test` starts its test processes
 * (scripts/run-tests.mjs; that test checks they arrive).
 *
 * Why: every inference moves megabytes through ArrayBuffers (a 2.7 MB FP32 frame, its gRPC framing
 * copy and the received chunks and their concatenation, ~4.3 MB per call on the client side alone).
 * V8 counts those bytes against the old generation's allocation limit, which on a ~10 MB heap starts
 * tiny and is sized from the live heap, so a full mark-compact ran every ~7 calls in the client and
 * every ~20 in the server, and the call it landed on took 2-4x as long. Measured on this 2-core machine
 * (TritonClient against `tritonscope serve`, FP32 1x3x360x640, 600 calls): median 14-23 ms and p75
 * 33-36 ms with V8's default, 9.1 ms and 11.2 ms with an initial old space of 128 MB on both sides
 * (64 MB: 9.7 / 13.4; 256 MB: 9.4 / 12.4). The cost is memory: up to that much garbage may wait
 * for a collection, which is why it is not larger.
 */
export const SERVING_NODE_FLAGS: readonly string[] = ['--initial-old-space-size=128'];
