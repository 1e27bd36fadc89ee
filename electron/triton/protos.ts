/**
 * Loads our Triton .proto files (shared/proto) for gRPC.
 *
 * Loader options, chosen on purpose (see PROTOCOL.md §10.12):
 * - keepCase: field names exactly as in the proto (`raw_input_contents`, `max_batch_size`), the same
 *   names Triton's docs, config.pbtxt and its HTTP JSON use.
 * - longs: String: int64/uint64 arrive as decimal strings, never lossy Numbers or Long objects.
 *   Counters (statistics, nanoseconds) stay exact strings in our API; shapes/dims are converted to
 *   numbers by the client where they are always small.
 * - enums: String: `TYPE_FP32`, `KIND_GPU` instead of numbers.
 * - defaults: false + arrays/objects: true: absent scalars stay absent (the client fills what it
 *   needs), but repeated fields and maps are always [] / {} so callers need no undefined checks.
 * - oneofs: true: InferParameter & co. get a virtual `parameter_choice` naming the set member.
 * ModelConfig responses are converted separately (see modelConfigFromMessage) to the canonical
 * shape shared/pbtxt uses: int64 as numbers and no empty repeated fields.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';

export const PROTO_FILES = ['grpc_service.proto', 'health.proto'] as const;

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: false,
  arrays: true,
  objects: true,
  oneofs: true,
};

let protoDirCache: string | undefined;

/**
 * Where shared/proto lives. Searched upward from this module (source checkout, or a bundle in
 * dist/electron) and the working directory; TRITONSCOPE_PROTO_DIR overrides (packaged app).
 */
export function protoDir(): string {
  if (protoDirCache) return protoDirCache;
  const fromEnv = process.env['TRITONSCOPE_PROTO_DIR'];
  const here = typeof __dirname !== 'undefined' ? __dirname : import.meta.dirname;
  const starts = [fromEnv, here, process.cwd()].filter((s): s is string => Boolean(s));
  for (const start of starts) {
    let dir = path.resolve(start);
    for (;;) {
      for (const candidate of [dir, path.join(dir, 'shared/proto')]) {
        if (
          fs.existsSync(path.join(candidate, 'grpc_service.proto')) &&
          fs.existsSync(path.join(candidate, 'model_config.proto'))
        ) {
          protoDirCache = candidate;
          return candidate;
        }
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(
    `cannot find shared/proto/grpc_service.proto (searched upward from ${starts.join(', ')}; set TRITONSCOPE_PROTO_DIR)`,
  );
}

let packageCache: protoLoader.PackageDefinition | undefined;

/** grpc-js package definition of inference.GRPCInferenceService and grpc.health.v1.Health. */
export function loadTritonPackageDefinition(): protoLoader.PackageDefinition {
  packageCache ??= protoLoader.loadSync([...PROTO_FILES], { ...LOADER_OPTIONS, includeDirs: [protoDir()] });
  return packageCache;
}

let rootCache: protobuf.Root | undefined;

/** The same protos as a protobufjs Root (reflection, custom conversions), field names kept. */
export function loadTritonRoot(): protobuf.Root {
  if (!rootCache) {
    const dir = protoDir();
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => path.join(dir, path.basename(target));
    root.loadSync(['grpc_service.proto', 'model_config.proto', 'health.proto'], { keepCase: true });
    root.resolveAll();
    rootCache = root;
  }
  return rootCache;
}

/** Conversion for ModelConfig: canonical (no defaults, no empty lists), int64 as numbers, enum names. */
export const MODEL_CONFIG_CONVERSION: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  defaults: false,
  arrays: false,
  objects: false,
  oneofs: false,
};
