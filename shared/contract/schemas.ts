/**
 * The zod schemas of every request, response and event exchanged between the renderer and the
 * services. Requests are strict objects (unknown keys are refused: a typo must not be silently
 * ignored, and a compromised page must not smuggle options in); responses are plain objects.
 * All values are JSON-safe except tensor/file bytes, which are Uint8Array (structured clone over
 * Electron IPC, binary frames over the WebSocket bridge; see ./framing).
 */
import { z } from 'zod';
import { FAILURE_KINDS, normalizeEndpoint } from '../connection';

// ---------------------------------------------------------------------------------------------
// primitives

/**
 * Uint8Array, checked by tag rather than `instanceof` so that arrays created in another realm
 * (contextBridge world, a worker) and Node Buffers are accepted too.
 */
export const BytesSchema = z.custom<Uint8Array>(
  (v) => v instanceof Uint8Array || Object.prototype.toString.call(v) === '[object Uint8Array]',
  { message: 'Expected a Uint8Array' },
);

const Id = z.string().min(1).max(200);
const ModelName = z.string().min(1).max(1024);
/** Triton model versions travel as decimal strings ('' or absent = server's choice). */
const Version = z.string().regex(/^\d*$/, 'version must be a decimal number').max(20);
const Empty = z.strictObject({}).optional();

export const DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'BF16',
  'FP32',
  'FP64',
  'BYTES',
] as const;
export const DatatypeSchema = z.enum(DATATYPES);
export type Datatype = z.infer<typeof DatatypeSchema>;

/** Element size in bytes; BYTES is variable (each element is a 4-byte length + payload). */
export const DATATYPE_BYTES: Record<Datatype, number> = {
  BOOL: 1,
  UINT8: 1,
  INT8: 1,
  UINT16: 2,
  INT16: 2,
  FP16: 2,
  BF16: 2,
  UINT32: 4,
  INT32: 4,
  FP32: 4,
  UINT64: 8,
  INT64: 8,
  FP64: 8,
  BYTES: 0,
};

/** One tensor with its raw little-endian bytes, exactly as Triton's raw_input_contents carry it. */
export const TensorSchema = z
  .strictObject({
    name: z.string().min(1).max(1024),
    datatype: DatatypeSchema,
    shape: z.array(z.number().int().min(0)).max(16),
    data: BytesSchema,
  })
  .superRefine((t, ctx) => {
    const size = DATATYPE_BYTES[t.datatype];
    if (!size) return;
    const elements = t.shape.reduce((a, b) => a * b, 1);
    if (elements * size !== t.data.byteLength) {
      ctx.addIssue({
        code: 'custom',
        path: ['data'],
        message: `tensor '${t.name}': shape [${t.shape.join(',')}] of ${t.datatype} needs ${elements * size} bytes, got ${t.data.byteLength}`,
      });
    }
  });
export type Tensor = z.infer<typeof TensorSchema>;

// ---------------------------------------------------------------------------------------------
// app

export const AppInfoSchema = z.object({
  mode: z.enum(['electron', 'browser']),
  appVersion: z.string(),
  versions: z.object({
    node: z.string(),
    electron: z.string().optional(),
    chrome: z.string().optional(),
  }),
  platform: z.string(),
  /** Whether the app can open arbitrary folders by typed path (browser mode) or only via a dialog. */
  canOpenByPath: z.boolean(),
  /** Whether `openRepository({})` without a path shows a native folder picker. */
  hasNativeDialogs: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

// ---------------------------------------------------------------------------------------------
// connections

export const TlsSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  /** Paths on the machine running the services; read at connect time, never stored as contents. */
  caPath: z.string().max(4096).optional(),
  certPath: z.string().max(4096).optional(),
  keyPath: z.string().max(4096).optional(),
  /** Skip server certificate verification (self-signed test servers only). */
  insecure: z.boolean().optional(),
  /**
   * Host name to expect in the server's certificate and to send as SNI, when it differs from the
   * endpoint's host (e.g. connecting by IP); grpc's ssl_target_name_override, the CLI's --server-name.
   */
  serverName: z.string().max(253).optional(),
});
export type TlsSettings = z.infer<typeof TlsSettingsSchema>;

/** host:port, as Triton's gRPC endpoint is addressed (e.g. 'orin.local:8001', '[::1]:8001'). */
export const GrpcUrlSchema = z
  .string()
  .max(512)
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, "expected 'host:port', e.g. 'localhost:8001'");

/** Triton's two protocols: gRPC (port 8001) and HTTP/REST (KServe v2 + extensions, port 8000). */
export const ProtocolSchema = z.enum(['grpc', 'http']);
export type Protocol = z.infer<typeof ProtocolSchema>;

/**
 * A server's Prometheus metrics endpoint (Triton: http://HOST:8002/metrics). http or https, no
 * credentials in the URL (they would end up in connections.json and in logs).
 */
export const MetricsUrlSchema = z
  .string()
  .max(2048)
  .regex(
    /^https?:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?(\/[^\s?#@]*)?(\?[^\s#]*)?$/,
    "expected an http:// or https:// URL without credentials, e.g. 'http://orin.local:8002/metrics'",
  );

/**
 * An endpoint as a user may type it: `host:port`, or with a scheme (`grpc://`, `grpcs://`,
 * `http://`, `https://`), surrounding whitespace allowed. The services store the normalised
 * `host:port` and take protocol and TLS from the scheme (shared/connection normalizeProfile).
 */
export const EndpointInputSchema = z
  .string()
  .max(512)
  .superRefine((text, ctx) => {
    const r = normalizeEndpoint(text);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
  });

export const ConnectionProfileInputSchema = z.strictObject({
  /** Absent when creating; present when updating an existing profile. */
  id: Id.optional(),
  name: z.string().min(1).max(200),
  url: EndpointInputSchema,
  /** Absent means gRPC (profiles saved before HTTP support have none). */
  protocol: ProtocolSchema.optional(),
  tls: TlsSettingsSchema.optional(),
  /** Per-call deadline. */
  timeoutMs: z.number().int().min(100).max(600_000).optional(),
  /** Status poll interval while healthy; failures back off from here up to 10 s. */
  pollIntervalMs: z.number().int().min(500).max(600_000).optional(),
  /** Prometheus metrics endpoint; absent = the server's host on port 8002 (shared/metrics defaultMetricsUrl). */
  metricsUrl: MetricsUrlSchema.optional(),
  /**
   * A production server: actions that change it (load, unload, apply a config) are refused by the
   * services and disabled in the app. Reading (index, metadata, statistics, inference) still works.
   */
  readOnly: z.boolean().optional(),
});
export type ConnectionProfileInput = z.infer<typeof ConnectionProfileInputSchema>;

export const ConnectionProfileSchema = z.object({
  id: Id,
  name: z.string(),
  url: z.string(),
  protocol: ProtocolSchema.optional(),
  tls: TlsSettingsSchema.optional(),
  timeoutMs: z.number().int().optional(),
  pollIntervalMs: z.number().int().optional(),
  metricsUrl: z.string().optional(),
  /** Server-changing actions refused (see ConnectionProfileInputSchema.readOnly). */
  readOnly: z.boolean().optional(),
  /** True for the profile pointing at the embedded demo server (not persisted). */
  builtin: z.boolean().optional(),
});
export type ConnectionProfile = z.infer<typeof ConnectionProfileSchema>;

export const ServerMetadataSchema = z.object({
  name: z.string(),
  version: z.string(),
  extensions: z.array(z.string()),
});
export type ServerMetadata = z.infer<typeof ServerMetadataSchema>;

/** A connection failure explained (shared/connection explainConnectionFailure). */
export const FailureExplanationSchema = z.object({
  kind: z.enum(FAILURE_KINDS),
  summary: z.string(),
  advice: z.string(),
});

export const ErrorInfoSchema = z.object({
  code: z.string(),
  message: z.string(),
  /** The transport's own text (gRPC/OpenSSL), kept for "show details" when `message` is reworded. */
  detail: z.string().optional(),
  /** What is probably wrong and what to change, when the failure is recognised. */
  explanation: FailureExplanationSchema.optional(),
});

export const ConnectionStatusSchema = z.object({
  id: Id,
  /** 'disconnected' before connect()/after disconnect(); 'error' when the last poll failed. */
  state: z.enum(['disconnected', 'connecting', 'connected', 'error']),
  live: z.boolean().nullable(),
  ready: z.boolean().nullable(),
  metadata: ServerMetadataSchema.nullable(),
  error: ErrorInfoSchema.nullable(),
  /** Epoch ms of the last completed check, null if none yet. */
  lastCheckedAt: z.number().nullable(),
  /** Round trip of the last live check. */
  latencyMs: z.number().nullable(),
  /** Current poll delay (grows with consecutive failures: backoff). null when not polling. */
  nextCheckInMs: z.number().nullable(),
  consecutiveFailures: z.number().int(),
});
export type ConnectionStatus = z.infer<typeof ConnectionStatusSchema>;

export const ConnectionIdRequestSchema = z.strictObject({ id: Id });

/**
 * `details` of a saveConnection refused for bad fields: one entry per problem, `field` a dotted
 * path into the profile ('url', 'tls.caPath', …) so the form can mark that input.
 */
export const FieldErrorsDetailsSchema = z.object({
  fields: z.array(z.object({ field: z.string(), message: z.string() })).min(1),
});
export type FieldErrorsDetails = z.infer<typeof FieldErrorsDetailsSchema>;

// ---------------------------------------------------------------------------------------------
// choosing files on the machine running the services (TLS certificates and keys)

export const FILE_PURPOSES = ['tls-ca', 'tls-cert', 'tls-key'] as const;
/** Electron: a native open-file dialog. Resolves to null when cancelled. */
export const PickFileRequestSchema = z.strictObject({ purpose: z.enum(FILE_PURPOSES) });
export const PickFileResponseSchema = z.object({ path: z.string() }).nullable();

/**
 * Browser mode has no native dialog: the page lists folders through the services instead, confined
 * to the folders the services allow (by default the user's home folder), without dot-files.
 */
export const BrowseFilesRequestSchema = z.strictObject({
  /** Absolute folder path; absent = the first allowed folder. */
  dir: z.string().min(1).max(4096).optional(),
});
export const BrowseFilesResponseSchema = z.object({
  /** The folder listed (its real path). */
  dir: z.string(),
  /** Its parent when that is still inside an allowed folder, else null. */
  parent: z.string().nullable(),
  /** The allowed folders (starting points). */
  roots: z.array(z.string()),
  entries: z.array(z.object({ name: z.string(), kind: z.enum(['dir', 'file']), size: z.number() })),
  /** The listing was cut at its entry limit. */
  truncated: z.boolean(),
});
export type BrowseFilesResponse = z.infer<typeof BrowseFilesResponseSchema>;

// ---------------------------------------------------------------------------------------------
// server operations (all addressed to a connected profile)

const OnConnection = { connectionId: Id };

export const RepositoryIndexRequestSchema = z.strictObject({ ...OnConnection, ready: z.boolean().optional() });
export const ModelIndexEntrySchema = z.object({
  name: z.string(),
  version: z.string(),
  /** Triton's state string: 'READY', 'UNAVAILABLE', 'LOADING', 'UNLOADING', or '' (never loaded). */
  state: z.string(),
  /** Failure reason for UNAVAILABLE models; '' otherwise. */
  reason: z.string(),
});
export const RepositoryIndexResponseSchema = z.object({ models: z.array(ModelIndexEntrySchema) });
export type ModelIndexEntry = z.infer<typeof ModelIndexEntrySchema>;

export const ModelRequestSchema = z.strictObject({ ...OnConnection, model: ModelName, version: Version.optional() });

export const TensorMetadataSchema = z.object({
  name: z.string(),
  datatype: z.string(),
  /** Effective shape as the server reports it, batch dim included (-1 = variable). */
  shape: z.array(z.number().int()),
});
export const ModelMetadataSchema = z.object({
  name: z.string(),
  versions: z.array(z.string()),
  platform: z.string(),
  inputs: z.array(TensorMetadataSchema),
  outputs: z.array(TensorMetadataSchema),
});
export type ModelMetadata = z.infer<typeof ModelMetadataSchema>;

export const ModelConfigResponseSchema = z.object({
  /**
   * The config the server runs (after its auto-completion) as a ModelConfig object: proto field
   * names (snake_case), enum names ('TYPE_FP32'), int64 as numbers, defaults omitted — the same
   * shape as shared/pbtxt's ModelConfig.
   */
  config: z.record(z.string(), z.unknown()),
  /** The same config printed as pbtxt (canonical formatting), for diffing against files. */
  pbtxt: z.string().optional(),
});

export const ModelStatisticsRequestSchema = z.strictObject({
  ...OnConnection,
  /** Absent = all models. */
  model: ModelName.optional(),
  version: Version.optional(),
});
/** A uint64 counter as a decimal string: exact (cumulative ns pass 2^53 after ~104 days of compute). */
export const Uint64String = z.string().regex(/^\d+$/, 'a uint64 as a decimal string');
export const StatDurationSchema = z.object({ count: Uint64String, ns: Uint64String });
export const ModelStatisticsEntrySchema = z.object({
  name: z.string(),
  version: z.string(),
  /** ms since the Unix epoch ('0' = never). */
  lastInference: Uint64String,
  inferenceCount: Uint64String,
  executionCount: Uint64String,
  inferenceStats: z.object({
    success: StatDurationSchema,
    fail: StatDurationSchema,
    queue: StatDurationSchema,
    computeInput: StatDurationSchema,
    computeInfer: StatDurationSchema,
    computeOutput: StatDurationSchema,
    cacheHit: StatDurationSchema,
    cacheMiss: StatDurationSchema,
  }),
  batchStats: z.array(
    z.object({
      batchSize: Uint64String,
      computeInput: StatDurationSchema,
      computeInfer: StatDurationSchema,
      computeOutput: StatDurationSchema,
    }),
  ),
});
export type ModelStatisticsEntry = z.infer<typeof ModelStatisticsEntrySchema>;
export const ModelStatisticsResponseSchema = z.object({
  /** Epoch ms when the services received the answer (for rates over time). */
  takenAt: z.number(),
  models: z.array(ModelStatisticsEntrySchema),
});

/**
 * Load, optionally with a config override. The override is what Triton's `config` load parameter
 * carries (JSON); it can be given as pbtxt text (converted and validated by the services, so the
 * user edits one format) or as proto3 JSON. Without an override, the server reads config.pbtxt from
 * its own repository.
 */
export const LoadModelRequestSchema = z.strictObject({
  ...OnConnection,
  model: ModelName,
  configOverride: z
    .union([
      z.strictObject({ pbtxt: z.string().max(4_000_000) }),
      /** A ModelConfig object (proto field names) or proto3 JSON (lowerCamelCase); Triton accepts both. */
      z.strictObject({ json: z.record(z.string(), z.unknown()) }),
    ])
    .optional(),
});
export const UnloadModelRequestSchema = z.strictObject({
  ...OnConnection,
  model: ModelName,
  unloadDependents: z.boolean().optional(),
});
export const OkSchema = z.object({ ok: z.literal(true) });

// ---------------------------------------------------------------------------------------------
// repository folder browser (files on the machine running the services)

export const RepositoryRootSchema = z.object({
  /** Opaque handle; all file requests name a root and a path relative to it. */
  rootId: Id,
  /** Absolute real path of the folder (display only). */
  path: z.string(),
  name: z.string(),
  /** True for the bundled demo repository. */
  builtin: z.boolean().optional(),
});
export type RepositoryRoot = z.infer<typeof RepositoryRootSchema>;

export const OpenRepositoryRequestSchema = z
  .strictObject({
    /** Absolute folder path. Omit to show a native folder picker (Electron only). */
    path: z.string().min(1).max(4096).optional(),
  })
  .optional();
/** null when the user cancelled the native picker. */
export const OpenRepositoryResponseSchema = RepositoryRootSchema.nullable();

export const RootRequestSchema = z.strictObject({ rootId: Id });

export const RepoFileSchema = z.object({
  /** Relative to the root, '/'-separated, e.g. 'lanes/1/model.onnx'. */
  path: z.string(),
  size: z.number(),
});
export const RepoModelSchema = z.object({
  name: z.string(),
  /** 'lanes/config.pbtxt' or null when the model folder has none. */
  configPath: z.string().nullable(),
  /** Numeric version folders, ascending. */
  versions: z.array(z.object({ version: z.string(), files: z.array(RepoFileSchema) })),
  /** Files directly in the model folder (config.pbtxt, labels...). */
  files: z.array(RepoFileSchema),
});
export type RepoModel = z.infer<typeof RepoModelSchema>;
export const RepositoryListingSchema = z.object({
  root: RepositoryRootSchema,
  models: z.array(RepoModelSchema),
  /** Listing was cut at the entry limit. */
  truncated: z.boolean(),
});
export type RepositoryListing = z.infer<typeof RepositoryListingSchema>;

const RelPath = z.string().min(1).max(4096);
export const FileRequestSchema = z.strictObject({ rootId: Id, path: RelPath });
export const FileForEditSchema = z.object({
  path: z.string(),
  text: z.string(),
  /** Content hash to send back with saveFile (optimistic concurrency). */
  hash: z.string(),
  mtimeMs: z.number(),
  size: z.number(),
});
export type FileForEdit = z.infer<typeof FileForEditSchema>;

export const DiagnosticSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int(),
  column: z.number().int(),
  endLine: z.number().int().optional(),
  endColumn: z.number().int().optional(),
  path: z.string().optional(),
});

export const ValidateConfigRequestSchema = z.strictObject({
  text: z.string().max(4_000_000),
  /** File name used in diagnostics, e.g. 'lanes/config.pbtxt'. */
  file: z.string().max(4096).optional(),
});
export const ValidateConfigResponseSchema = z.object({
  diagnostics: z.array(DiagnosticSchema),
  /** Canonical proto3 JSON (shared/pbtxt toProtoJson) of the parsed config, null if it did not parse. */
  json: z.record(z.string(), z.unknown()).nullable(),
});

export const SaveFileRequestSchema = z.strictObject({
  rootId: Id,
  path: RelPath,
  text: z.string().max(4_000_000),
  /** Hash from readFile; the save fails with CONFLICT if the file changed since. */
  expectedHash: z.string().max(256),
  /** Overwrite even if the file changed on disk. */
  force: z.boolean().optional(),
});
export const SaveFileResponseSchema = z.object({
  path: z.string(),
  hash: z.string(),
  mtimeMs: z.number(),
  /** Path (relative to the root) of the backup of the previous content, if one was written. */
  backupPath: z.string().nullable(),
});

/**
 * Everything the editor needs for its two diffs: what is on disk now, and what the server has
 * loaded (when a connection and model are given).
 */
export const ConfigDiffRequestSchema = z.strictObject({
  rootId: Id,
  path: RelPath,
  connectionId: Id.optional(),
  model: ModelName.optional(),
});
export const ConfigDiffResponseSchema = z.object({
  disk: z.object({ text: z.string(), hash: z.string() }),
  /** null when no connection/model was given; `error` set when the server could not be asked. */
  server: z
    .object({
      json: z.record(z.string(), z.unknown()).nullable(),
      pbtxt: z.string().nullable(),
      error: ErrorInfoSchema.nullable(),
    })
    .nullable(),
});

// ---------------------------------------------------------------------------------------------
// inference

const PlaneValues = z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]);

/**
 * An FP32/FP16 image input sent as its 8-bit planes (3 x H x W, planes in the model's channel
 * order) with the per-plane scale, mean and std that turn them into the tensor: the services widen
 * them (shared/preprocess widenPlanes: the very tables the renderer would use) into the request.
 * A video frame then crosses to the services at 1 byte a sample instead of 2 (FP16) or 4 (FP32).
 */
export const ImageInputSchema = z
  .strictObject({
    name: z.string().min(1).max(1024),
    datatype: z.enum(['FP32', 'FP16']),
    shape: z.array(z.number().int().min(0)).max(16),
    planes: BytesSchema,
    scale: z.number().finite(),
    mean: PlaneValues,
    std: PlaneValues.refine((std) => std.every((v) => v !== 0), { message: 'std must be non-zero' }),
  })
  .superRefine((t, ctx) => {
    const elements = t.shape.reduce((a, b) => a * b, 1);
    if (elements !== t.planes.byteLength || elements % 3 !== 0 || elements === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['planes'],
        message: `image '${t.name}': shape [${t.shape.join(',')}] needs ${elements} 8-bit samples in 3 planes, got ${t.planes.byteLength} bytes`,
      });
    }
  });
export type ImageInput = z.infer<typeof ImageInputSchema>;

export const InferRequestSchema = z
  .strictObject({
    connectionId: Id,
    model: ModelName,
    version: Version.optional(),
    /** Caller's request id, echoed back (useful with several requests in flight). */
    id: z.string().max(200).optional(),
    inputs: z.array(TensorSchema).max(64),
    /** One more input, an image sent as 8-bit planes (see ImageInputSchema). */
    image: ImageInputSchema.optional(),
    /** Requested outputs; absent = all. */
    outputs: z.array(z.string().min(1).max(1024)).max(64).optional(),
  })
  .refine((r) => r.inputs.length > 0 || r.image !== undefined, {
    path: ['inputs'],
    message: 'a request needs at least one input (inputs or image)',
  });
export type InferRequest = z.infer<typeof InferRequestSchema>;

export const InferTimingSchema = z.object({
  /** In the services: validating and building the request. */
  encodeMs: z.number(),
  /** The gRPC call itself (network + server). */
  rpcMs: z.number(),
  /** Turning the response into tensors. */
  decodeMs: z.number(),
  /** encode + rpc + decode, measured in the services (excludes the renderer<->services hop). */
  totalMs: z.number(),
});
export const InferResponseSchema = z.object({
  id: z.string().optional(),
  model: z.string(),
  version: z.string(),
  outputs: z.array(
    z.object({ name: z.string(), datatype: DatatypeSchema, shape: z.array(z.number().int()), data: BytesSchema }),
  ),
  timing: InferTimingSchema,
});
export type InferResponse = z.infer<typeof InferResponseSchema>;

// ---------------------------------------------------------------------------------------------
// metrics: a server's Prometheus endpoint, fetched and parsed by the services (never the renderer)

/** A counter or gauge value; null when the server does not export it (or exports NaN/Inf). */
const MetricValue = z.number().nullable();

/** One model version's series (labels model, version), values as the server reported them. */
export const ModelMetricsSchema = z.object({
  model: z.string(),
  version: z.string(),
  requestSuccess: MetricValue,
  /** nv_inference_request_failure summed over its `reason` label. */
  requestFailure: MetricValue,
  /** Per reason (REJECTED, CANCELED, BACKEND, OTHER) where the server labels failures with one. */
  failureReasons: z.record(z.string(), z.number()),
  inferenceCount: MetricValue,
  execCount: MetricValue,
  requestDurationUs: MetricValue,
  queueDurationUs: MetricValue,
  computeInputDurationUs: MetricValue,
  computeInferDurationUs: MetricValue,
  computeOutputDurationUs: MetricValue,
  pendingRequests: MetricValue,
});
export type ModelMetrics = z.infer<typeof ModelMetricsSchema>;

export const GpuMetricsSchema = z.object({
  uuid: z.string(),
  utilization: MetricValue,
  memoryTotalBytes: MetricValue,
  memoryUsedBytes: MetricValue,
  powerUsageWatts: MetricValue,
  powerLimitWatts: MetricValue,
});
export type GpuMetrics = z.infer<typeof GpuMetricsSchema>;

export const MetricsSnapshotSchema = z.object({
  /** Epoch ms when the services received the answer. */
  takenAt: z.number(),
  /** The URL that was read. */
  url: z.string(),
  models: z.array(ModelMetricsSchema),
  /** null when the server exports no nv_cpu_* family (Triton before 23.x, or --allow-cpu-metrics=false). */
  cpu: z.object({ utilization: MetricValue, memoryTotalBytes: MetricValue, memoryUsedBytes: MetricValue }).nullable(),
  /** Empty when the server exports no nv_gpu_* family (Jetson, CPU-only builds, --allow-gpu-metrics=false). */
  gpus: z.array(GpuMetricsSchema),
  /** How many metric families the answer held (all of them, not only the ones above). */
  familyCount: z.number().int(),
});
export type MetricsSnapshot = z.infer<typeof MetricsSnapshotSchema>;

export const MetricsRequestSchema = z.strictObject({ ...OnConnection });

// ---------------------------------------------------------------------------------------------
// demo (embedded Triton-protocol server on assets/demo-repo)

export const DemoStatusSchema = z.object({
  running: z.boolean(),
  /** Being started (e.g. by the Electron main process at launch): the UI says so, not "disconnected". */
  starting: z.boolean().optional(),
  /** host:port of the embedded server while running. */
  url: z.string().nullable(),
  /** Connection profile id pointing at it (builtin profile). */
  connectionId: z.string().nullable(),
  /** Repository root opened on assets/demo-repo. */
  rootId: z.string().nullable(),
  /** Demo media (images, videos) that readDemoMedia can return. */
  media: z.array(z.object({ name: z.string(), kind: z.enum(['image', 'video', 'labels', 'other']), size: z.number() })),
  error: ErrorInfoSchema.nullable(),
});
export type DemoStatus = z.infer<typeof DemoStatusSchema>;

export const DemoMediaRequestSchema = z.strictObject({
  /** A name from DemoStatus.media: a file name, or `folder/file` one level down; never `..` or absolute. */
  name: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^/\\.][^/\\]*(\/[^/\\.][^/\\]*)?$/, 'a file name or folder/file inside the demo media folder'),
});
export const MediaFileSchema = z.object({ name: z.string(), mime: z.string(), data: BytesSchema });

// ---------------------------------------------------------------------------------------------
// events (services -> renderer)

export const MENU_COMMANDS = ['open-repository', 'open-images', 'open-image-folder', 'open-video', 'about'] as const;
export const MenuCommandEventSchema = z.object({
  command: z.enum(MENU_COMMANDS),
  /** For 'open-repository': the folder already opened by the native dialog. */
  root: RepositoryRootSchema.optional(),
});

export const ConnectionsChangedEventSchema = z.object({ profiles: z.array(ConnectionProfileSchema) });
export const RepositoriesChangedEventSchema = z.object({ roots: z.array(RepositoryRootSchema) });

export { Empty as EmptyRequestSchema };
