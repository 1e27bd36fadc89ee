/**
 * Answers both front ends (gRPC and HTTP) build from the model manager the same way, so the two
 * protocols cannot drift: model metadata (TRITONSERVER_ServerModelMetadata).
 */
import { configToWire } from './dtypes';
import { metadataPlatform } from './modelConfig';
import type { ModelManager } from './modelManager';
import { parseVersionString } from './versionString';

export interface ModelMetadataMessage {
  name: string;
  versions: string[];
  platform: string;
  inputs: Array<{ name: string; datatype: string; shape: number[] }>;
  outputs: Array<{ name: string; datatype: string; shape: number[] }>;
}

/** Shapes carry -1 for the batch dimension of batching models; versions are the READY ones when none is asked for. */
export function modelMetadata(manager: ModelManager, name: string, versionText: string): ModelMetadataMessage {
  const version = parseVersionString(versionText);
  const { config } = manager.getReady(name, version);
  const mbs = config.max_batch_size ?? 0;
  const tensor = (t: { name: string; data_type?: string; dims?: number[] }) => ({
    name: t.name,
    datatype: configToWire(t.data_type),
    shape: mbs > 0 ? [-1, ...(t.dims ?? [])] : [...(t.dims ?? [])],
  });
  return {
    name,
    versions: version === -1 ? manager.readyVersionNumbers(name).map(String) : [String(version)],
    platform: metadataPlatform(config),
    inputs: (config.input ?? []).map(tensor),
    outputs: (config.output ?? []).map(tensor),
  };
}
