/**
 * Reading a Triton model repository from disk: which models exist (sub-directories), a model's
 * configuration (config.pbtxt or a load-time override), and which version directories a version
 * policy selects. Failures here are "poll" failures in Triton's terms (PROTOCOL.md §6.2).
 */
import { mkdtempSync, readdirSync, readFileSync, mkdirSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { configFromJson, parseConfigText } from './configText';
import { completeModelConfig, ConfigError, type ServerModelConfig } from './modelConfig';
import { checkModelName, overrideFilePath } from './modelPaths';

/** Directory names Triton skips when it looks for versions. */
const NON_VERSION_DIRS = new Set(['warmup', 'initial_state', 'configs']);

export class PollError extends Error {}

/** Sub-directory names of the repository, sorted (Triton does not check they are valid models). */
export function listModelDirs(repository: string): string[] {
  return readdirSync(repository, { withFileTypes: true })
    .filter((e) => e.isDirectory() || (e.isSymbolicLink() && safeIsDir(join(repository, e.name))))
    .map((e) => e.name)
    .sort();
}

/** Whether `path` is a directory (following links); false where it cannot be read. */
export function safeIsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The newest modification time (ns) of a model directory and everything under it: Triton's
 * ModelTimestamp, by which a load request for a model whose files did not change since it was last
 * polled loads nothing. 0 where the directory cannot be read (Triton's fall-back: "not modified").
 */
export function modelDirTimestamp(path: string): bigint {
  let newest: bigint;
  try {
    const st = statSync(path, { bigint: true });
    newest = st.mtimeNs;
    if (!st.isDirectory()) return newest;
    for (const entry of readdirSync(path)) {
      const t = modelDirTimestamp(join(path, entry));
      if (t > newest) newest = t;
    }
  } catch {
    return 0n;
  }
  return newest;
}

/** Numeric version directories (no leading zeros), ascending. */
export function listVersionDirs(modelDir: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync(modelDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() || (e.isSymbolicLink() && safeIsDir(join(modelDir, e.name))))
      .map((e) => e.name);
  } catch {
    return [];
  }
  return entries
    .filter((name) => !NON_VERSION_DIRS.has(name) && /^(0|[1-9]\d*)$/.test(name))
    .map(Number)
    .filter((v) => Number.isSafeInteger(v))
    .sort((a, b) => a - b);
}

/** Versions selected by `version_policy` among the available directories (ascending). */
export function selectVersions(config: ServerModelConfig, available: number[], log?: (line: string) => void): number[] {
  const policy = config.version_policy ?? { latest: { num_versions: 1 } };
  if (policy.all) return [...available];
  if (policy.specific) {
    const wanted = [...new Set(policy.specific.versions ?? [])].sort((a, b) => a - b);
    for (const v of wanted) {
      if (!available.includes(v))
        log?.(`version ${v} is specified for model '${config.name}', but the version directory is not present`);
    }
    return wanted.filter((v) => available.includes(v));
  }
  const n = Math.max(1, policy.latest?.num_versions ?? 1);
  return available.slice(-n);
}

export interface LoadOverrides {
  /** JSON text of an inference.ModelConfig in protobuf JSON mapping (replaces config.pbtxt). */
  config?: string;
  /** `file:<version>/<path>` contents (written into a temporary model directory). */
  files?: Map<string, Uint8Array>;
}

export interface PolledModel {
  name: string;
  /** Directory the versions are read from (the repository's, or a temporary one for file overrides). */
  modelDir: string;
  config: ServerModelConfig;
  /** Temporary directory to delete when the model is unloaded (file overrides). */
  tempDir?: string;
}

/**
 * Triton's "poll" of one model: read and auto-complete its configuration. Throws PollError with the
 * reason that Triton would only write to its log.
 */
export function pollModel(repository: string, name: string, overrides: LoadOverrides = {}): PolledModel {
  try {
    checkModelName(name); // the load RPC checked it already; start-up and ensembles come here too
  } catch (err) {
    throw new PollError((err as Error).message);
  }
  let modelDir = join(repository, name);
  let tempDir: string | undefined;
  if (overrides.files && overrides.files.size > 0) {
    if (overrides.config === undefined) {
      throw new PollError(`failed to load '${name}': file override requires a 'config' override`);
    }
    const files = [...overrides.files].map(([key, bytes]) => {
      const rel = overrideFilePath(key);
      if (rel === null)
        throw new PollError(
          `invalid file override 'file:${key}' for model '${name}': expected 'file:<version>/<path>'`,
        );
      return { rel, bytes };
    });
    tempDir = mkdtempSync(join(tmpdir(), 'tritonscope-override-'));
    modelDir = join(tempDir, name);
    try {
      for (const { rel, bytes } of files) {
        const target = join(modelDir, rel);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, bytes, { flag: 'wx' });
      }
    } catch (err) {
      // e.g. '1/a' and '1/a/b' (a file where a folder must go): no temp dir may outlive the poll.
      rmSync(tempDir, { recursive: true, force: true });
      throw new PollError(`cannot write file override for model '${name}': ${(err as Error).message}`);
    }
  } else if (!safeIsDir(modelDir)) {
    throw new PollError(`failed to poll model '${name}': model directory '${modelDir}' does not exist`);
  }

  try {
    let raw: ServerModelConfig;
    if (overrides.config !== undefined) {
      raw = parseOverride(overrides.config, name);
    } else {
      raw = readConfigFile(modelDir, name);
    }
    const versions = listVersionDirs(modelDir);
    const firstVersionFiles = versions.length > 0 ? safeList(join(modelDir, String(versions[0]))) : [];
    const config = completeModelConfig(raw, { modelName: name, firstVersionFiles });
    return { name, modelDir, config, tempDir };
  } catch (err) {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    if (err instanceof PollError) throw err;
    if (err instanceof ConfigError) throw new PollError(err.message);
    throw new PollError(err instanceof Error ? err.message : String(err));
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readConfigFile(modelDir: string, name: string): ServerModelConfig {
  const file = join(modelDir, 'config.pbtxt');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // Triton treats a missing config.pbtxt as an empty one and lets auto-completion fill it.
    return { name };
  }
  const { config, diagnostics } = parseConfigText(text, file);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!config || errors.length > 0) {
    const first = errors[0];
    const where = first ? `${file}:${first.line}:${first.column}: ${first.message}` : `${file}: unparsable`;
    throw new PollError(`failed to read model configuration for '${name}': ${where}`);
  }
  return namedAfterDirectory(config, name);
}

/**
 * Triton names a model after its directory when the configuration leaves the name out
 * (AutoCompleteBackendFields, for config.pbtxt and for a load override alike), and refuses a
 * configuration that names another model (ModelRepositoryManager::InitializeModelInfo).
 */
function namedAfterDirectory(config: ServerModelConfig, name: string): ServerModelConfig {
  if (!config.name) return { ...config, name };
  if (config.name !== name) {
    throw new PollError(
      `unexpected directory name '${name}' for model '${config.name}', directory name must equal model name`,
    );
  }
  return config;
}

function parseOverride(text: string, name: string): ServerModelConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PollError(`Invalid config override: ${err instanceof Error ? err.message : String(err)}`);
  }
  let config: ServerModelConfig;
  try {
    config = configFromJson(json);
  } catch (err) {
    throw new PollError(`Invalid config override: ${err instanceof Error ? err.message : String(err)}`);
  }
  return namedAfterDirectory(config, name);
}
