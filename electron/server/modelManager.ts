/**
 * Model lifecycle: which models have a lifecycle record, the state and reason of each version,
 * explicit/implicit loading, ensembles and their composing models, unload (with dependents), and
 * Triton's model lookup errors (PROTOCOL.md §1, §3, §6). Repository operations are serialized,
 * like Triton's; inference runs concurrently with them and an unloaded version is closed only
 * after its in-flight requests finish.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  listModelDirs,
  listVersionDirs,
  modelDirTimestamp,
  pollModel,
  safeIsDir,
  selectVersions,
  PollError,
  type LoadOverrides,
  type PolledModel,
} from './repository';
import { isEnsemble, type ServerModelConfig } from './modelConfig';
import { loadVersionRunner } from './backends';
import { composingModels, EnsembleError, EnsembleRunner, ensembleSteps, validateEnsemble } from './ensemble';
import type { ExecutionResult, VersionRunner, WireTensor } from './backends/types';
import { InstanceSlots, VersionStatistics } from './statistics';
import { internal, invalidArg, notFound, reasonText, unavailable, TritonServerError } from './tritonError';
import { parseVersionString } from './versionString';
import { checkModelName } from './modelPaths';
import type { SequenceTracker } from './sequences';

export type VersionState = 'READY' | 'UNAVAILABLE' | 'LOADING' | 'UNLOADING';
export type ControlMode = 'none' | 'explicit';

export interface VersionRecord {
  version: number;
  state: VersionState;
  reason: string;
  runner?: VersionRunner;
  slots: InstanceSlots;
  stats: VersionStatistics;
  inflight: number;
  onDrained?: () => void;
  /** The sequences in progress, for a model with sequence_batching (created on its first request). */
  sequences?: SequenceTracker;
}

export interface ModelRecord {
  name: string;
  config?: ServerModelConfig;
  polled?: PolledModel;
  versions: Map<number, VersionRecord>;
  /**
   * A failure that concerns the whole model rather than a version (an ensemble whose composing
   * models are missing or inconsistent). Triton's dependency graph keeps such a model out of the
   * model lifecycle, so it is not in the index's states and does not make the server un-ready; the
   * reason reaches the client only in the load's answer (and the log).
   */
  modelReason?: string;
  /**
   * Why the last load of this model failed (Triton's load status, e.g. "version 1 is at
   * UNAVAILABLE state: ...;"); undefined after a successful one. An ensemble that depends on it
   * quotes it (CheckNode).
   */
  loadError?: string;
  /** Loaded by name (load RPC or start-up), as opposed to implicitly as an ensemble's step. */
  explicit: boolean;
  /** Ensembles whose load implicitly loaded this model. */
  implicitBy: Set<string>;
  /** The overrides of the last successful load, to load an ensemble again the same way. */
  overrides?: LoadOverrides;
  /**
   * An ensemble taken down because a composing model went away or stopped fitting. It stays in
   * the dependency graph, as in Triton: when its composing models are READY again, it is loaded again.
   */
  downForComposing?: boolean;
  /**
   * Triton's ModelInfo::mtime_nsec_: the repository timestamp of the model's last poll
   * (modelDirTimestamp), "now" after a config override, 0 after a file override; undefined when
   * Triton keeps no info for it (never polled, or unloaded). A load request finds the model
   * unmodified when its directory is no newer than this, and then loads nothing.
   */
  timestamp?: bigint;
}

export interface IndexEntry {
  name: string;
  version?: string;
  state?: string;
  reason?: string;
}

export interface ManagerOptions {
  repository: string;
  controlMode: ControlMode;
  log?: (line: string) => void;
}

export class ModelManager {
  private readonly records = new Map<string, ModelRecord>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly log: (line: string) => void;

  constructor(private readonly options: ManagerOptions) {
    this.log = options.log ?? (() => {});
  }

  get controlMode(): ControlMode {
    return this.options.controlMode;
  }

  /** Start-up loading: every model in 'none' mode, the listed ones (or '*') in explicit mode. Never throws. */
  async startup(loadModels: string[] | '*' | undefined): Promise<void> {
    const all = this.options.controlMode === 'none' || loadModels === '*';
    const names = all ? safeListModels(this.options.repository) : [...new Set(loadModels ?? [])];
    // During start-up each model is attempted once, even when several ensembles use it.
    this.startupAttempted = new Set();
    try {
      for (const name of names) {
        if (this.startupAttempted.has(name) && this.records.has(name)) {
          this.records.get(name)!.explicit = true;
          continue;
        }
        try {
          await this.serialized(() => this.doLoad(name, {}, true, []));
        } catch (err) {
          this.log(`failed to load '${name}': ${(err as Error).message.trimEnd()}`);
        }
      }
    } finally {
      this.startupAttempted = undefined;
    }
  }

  private startupAttempted: Set<string> | undefined;

  /** RepositoryModelLoad after parameter parsing (mode check, name checks, load). */
  async loadModel(name: string, overrides: LoadOverrides): Promise<void> {
    if (this.options.controlMode !== 'explicit') {
      throw unavailable('explicit model load / unload is not allowed if polling is enabled');
    }
    checkModelName(name);
    await this.serialized(async () => {
      const rec = this.records.get(name);
      if (rec && this.isUnmodified(rec, overrides)) {
        rec.explicit = true; // what an implicit load brought up is now loaded by name
        return;
      }
      await this.doLoad(name, overrides, true, []);
    });
  }

  /**
   * A load request for a serving model whose directory has not changed since it was polled, with
   * no override, loads nothing (Triton's InitializeModelInfo: "unmodified"): its statistics stay,
   * and a config override stays in place until the files change or the model is unloaded (as
   * Triton's L0_lifecycle test_config_override expects). A model that is not serving is always
   * loaded again: Triton reverts the timestamp of a failed load so the next request retries, and a
   * version whose worker died (no Triton counterpart) should come back on request too.
   */
  private isUnmodified(rec: ModelRecord, overrides: LoadOverrides): boolean {
    if (overrides.config !== undefined || (overrides.files?.size ?? 0) > 0) return false;
    if (rec.timestamp === undefined || rec.modelReason || rec.downForComposing) return false;
    const versions = [...rec.versions.values()];
    const serving = versions.some((v) => v.state === 'READY');
    const crashed = versions.some((v) => v.state === 'UNAVAILABLE' && v.reason !== 'unloaded');
    if (!serving || crashed) return false;
    // A directory that is gone (or a model that came from a file override and has none) is polled,
    // and the poll fails as in Triton; 0 stands for "unreadable" only for a directory that exists.
    const dir = join(this.options.repository, rec.name);
    if (!safeIsDir(dir)) return false;
    return modelDirTimestamp(dir) <= rec.timestamp;
  }

  async unloadModel(name: string, unloadDependents: boolean): Promise<void> {
    if (this.options.controlMode !== 'explicit') {
      throw unavailable('explicit model load / unload is not allowed if polling is enabled');
    }
    await this.serialized(async () => {
      await this.doUnload(name, unloadDependents);
      const rec = this.records.get(name);
      const still = rec ? [...rec.versions.values()].filter((v) => v.state === 'READY').map((v) => v.version) : [];
      if (still.length > 0)
        throw internal(`failed to unload '${name}', versions that are still available: ${still.join(',')}`);
    });
  }

  /**
   * Set by close(). A request already past the front ends when the server closes (gRPC lets
   * in-flight calls finish; an HTTP request may still be reading its body) must not load a model
   * into a manager that has released its versions: that model's worker thread would stay
   * referenced and keep the process alive. Refused instead, as Triton refuses model control once
   * it is stopping.
   */
  private closed = false;

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(unavailable('the server is shutting down'));
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  private record(name: string): ModelRecord {
    let rec = this.records.get(name);
    if (!rec) {
      rec = { name, versions: new Map(), explicit: false, implicitBy: new Set() };
      this.records.set(name, rec);
    }
    return rec;
  }

  private async doLoad(name: string, overrides: LoadOverrides, explicit: boolean, chain: string[]): Promise<void> {
    this.startupAttempted?.add(name);
    // Taken before the files are read, so that a change made while they are read is a change.
    const timestamp = pollTimestamp(join(this.options.repository, name), overrides);
    let polled: PolledModel;
    try {
      polled = pollModel(this.options.repository, name, overrides);
    } catch (err) {
      this.log(`failed to poll model '${name}': ${(err as Error).message}`);
      if (err instanceof PollError) throw internal(`failed to load '${name}', failed to poll from model repository`);
      throw err;
    }
    const rec = this.record(name);
    if (explicit) rec.explicit = true;
    rec.downForComposing = false;
    // A failed load reverts to the previous timestamp (Triton's LoadModelByDependency), so that the
    // next request for the same files tries again.
    const previousTimestamp = rec.timestamp;
    rec.timestamp = timestamp;
    try {
      await this.loadPolled(rec, polled, overrides, chain);
    } catch (err) {
      rec.timestamp = previousTimestamp;
      throw err;
    }
  }

  private async loadPolled(
    rec: ModelRecord,
    polled: PolledModel,
    overrides: LoadOverrides,
    chain: string[],
  ): Promise<void> {
    const name = rec.name;
    const config = polled.config;

    if (isEnsemble(config)) {
      const problem = await this.prepareEnsemble(name, config, [...chain, name]);
      if (problem) {
        await this.unloadVersions(rec);
        rec.modelReason = problem;
        rec.loadError = problem;
        rec.config = config;
        dropTemp(polled);
        throw invalidArg(`load failed for model '${name}': ${problem}\n`);
      }
    }

    const wanted = selectVersions(config, listVersionDirs(polled.modelDir), this.log);
    if (wanted.length === 0) {
      dropTemp(polled);
      rec.loadError = `at least one version must be available under the version policy of model '${name}'`;
      throw invalidArg(`load failed for model '${name}': ${rec.loadError}\n`);
    }

    const instances = isEnsemble(config)
      ? Number.MAX_SAFE_INTEGER
      : Math.max(
          1,
          (config.instance_group ?? []).reduce((n, g) => n + (g.count ?? 1), 0),
        );
    const loaded = await Promise.all(
      wanted.map(async (version): Promise<VersionRecord> => {
        const vrec: VersionRecord = {
          version,
          state: 'LOADING',
          reason: '',
          slots: new InstanceSlots(instances),
          stats: new VersionStatistics(),
          inflight: 0,
        };
        try {
          vrec.runner = isEnsemble(config)
            ? new EnsembleRunner(config, (m, v, i, o) => this.executeComposing(m, v, i, o))
            : await loadVersionRunner(config, polled.modelDir, version);
          vrec.state = 'READY';
          // A worker that crashes later takes the version down with a reason, as a failed load
          // does, instead of leaving it READY and failing every request.
          vrec.runner.onDead = (reason) => {
            if (vrec.state !== 'READY') return;
            vrec.state = 'UNAVAILABLE';
            vrec.reason = reason;
            this.log(`'${name}' version ${version} is UNAVAILABLE: ${reason}`);
          };
        } catch (err) {
          vrec.state = 'UNAVAILABLE';
          vrec.reason = reasonText(err);
          this.log(`failed to load '${name}' version ${version}: ${vrec.reason}`);
        }
        return vrec;
      }),
    );

    const failed = loaded.filter((v) => v.state !== 'READY');
    if (failed.length > 0) {
      await this.abortLoad(rec, loaded, polled);
      await this.afterComposingChange(name, config);
      const text = failed.map((v) => `version ${v.version} is at UNAVAILABLE state: ${v.reason};`).join('');
      rec.loadError = text;
      throw invalidArg(`load failed for model '${name}': ${text}\n`);
    }

    // Swap in the new versions; versions no longer wanted stay listed, unloaded.
    const previous = rec.versions;
    const next = new Map<number, VersionRecord>(previous);
    const retire: VersionRecord[] = [];
    for (const vrec of loaded) {
      const old = previous.get(vrec.version);
      if (old) retire.push(old);
      next.set(vrec.version, vrec);
    }
    for (const [version, old] of previous) if (!loaded.some((v) => v.version === version)) retire.push(old);
    rec.versions = sortedVersions(next);
    const oldPolled = rec.polled;
    rec.config = config;
    rec.polled = polled;
    rec.overrides = overrides;
    rec.modelReason = undefined;
    rec.loadError = undefined;
    if (oldPolled && oldPolled.tempDir !== polled.tempDir) dropTemp(oldPolled);
    await Promise.all(retire.map((v) => this.retireVersion(v)));
    await this.afterComposingChange(name, config);
  }

  /**
   * A load with any failed version is aborted as a whole, as Triton's ModelLifeCycle::OnLoadFinal
   * does: the versions it brought up are released, and what was serving keeps serving with the
   * config it was loaded with (so its metadata and the ensembles validated against it hold).
   */
  private async abortLoad(rec: ModelRecord, loaded: VersionRecord[], polled: PolledModel): Promise<void> {
    await Promise.all(loaded.filter((v) => v.state === 'READY').map((v) => this.retireVersion(v)));
    const serving = this.readyVersions(rec).length > 0;
    const next = new Map(rec.versions);
    for (const vrec of loaded) if (next.get(vrec.version)?.state !== 'READY') next.set(vrec.version, vrec);
    rec.versions = sortedVersions(next);
    if (serving) {
      dropTemp(polled);
      return;
    }
    // Nothing serves: the index shows this load's failure, with the config it was tried with.
    const oldPolled = rec.polled;
    rec.config = polled.config;
    rec.polled = polled;
    if (oldPolled && oldPolled.tempDir !== polled.tempDir) dropTemp(oldPolled);
  }

  /** A composing model's state or config changed: revalidate the ensembles on it, bring back those waiting for it. */
  private async afterComposingChange(name: string, config: ServerModelConfig): Promise<void> {
    if (isEnsemble(config)) return;
    await this.revalidateEnsemblesUsing(name);
    if (!this.records.get(name) || this.readyVersions(this.records.get(name)!).length === 0) return;
    for (const rec of [...this.records.values()]) {
      if (!rec.downForComposing || !rec.config || !composingModels(rec.config).includes(name)) continue;
      const allReady = composingModels(rec.config).every((d) => {
        const dep = this.records.get(d);
        return dep !== undefined && this.readyVersions(dep).length > 0;
      });
      if (!allReady) continue;
      try {
        await this.doLoad(rec.name, rec.overrides ?? {}, rec.explicit, []);
      } catch (err) {
        rec.downForComposing = true; // still in the graph: the next change of a composing model tries again
        this.log(`ensemble '${rec.name}' did not come back: ${(err as Error).message.trimEnd()}`);
      }
    }
  }

  /**
   * Loads the composing models an ensemble needs (implicitly, unless already READY) and validates
   * the ensemble against them. Returns the failure text, or undefined when the ensemble is valid.
   */
  private async prepareEnsemble(name: string, config: ServerModelConfig, chain: string[]): Promise<string | undefined> {
    const deps = composingModels(config);
    for (const dep of deps) {
      if (chain.includes(dep)) return `circular dependency between ensembles: ${dep} -> ... -> ${name} -> ${dep}`;
    }
    const unavailableDeps: string[] = [];
    for (const dep of deps) {
      const depRec = this.records.get(dep);
      if (depRec && (this.readyVersions(depRec).length > 0 || this.startupAttempted?.has(dep))) {
        if (!depRec.explicit) depRec.implicitBy.add(name);
        continue;
      }
      try {
        await this.doLoad(dep, {}, false, chain);
      } catch (err) {
        if (err instanceof TritonServerError && err.code === 'INTERNAL' && !this.records.has(dep))
          unavailableDeps.push(dep);
      }
      const after = this.records.get(dep);
      if (after && !after.explicit) after.implicitBy.add(name);
    }
    if (unavailableDeps.length > 0) {
      return `ensemble ${name} contains models that are not available or ambiguous: ${unavailableDeps.join(', ')}`;
    }
    for (const step of ensembleSteps(config)) {
      const dep = step.model_name!;
      const depRec = this.records.get(dep)!;
      const wantedVersion = step.model_version ?? -1;
      if (wantedVersion >= 0) {
        if (depRec.versions.get(wantedVersion)?.state !== 'READY') {
          return `ensemble '${name}' depends on '${dep}' whose required version ${wantedVersion} is not loaded`;
        }
      } else if (this.readyVersions(depRec).length === 0) {
        // CheckNode quotes the composing model's own load failure.
        const why = depRec.loadError ? ` Model '${dep}' loading failed with error: ${depRec.loadError}` : '';
        return `ensemble '${name}' depends on '${dep}' which has no loaded version.${why}`;
      }
    }
    try {
      validateEnsemble(config, (dep) => this.records.get(dep)!.config!);
    } catch (err) {
      if (err instanceof EnsembleError) return err.message;
      throw err;
    }
    config.model_transaction_policy = {
      decoupled: deps.some((dep) => this.records.get(dep)?.config?.model_transaction_policy?.decoupled === true),
    };
    return undefined;
  }

  /** After a composing model changed: an ensemble that no longer validates is unloaded. */
  private async revalidateEnsemblesUsing(name: string): Promise<void> {
    for (const rec of this.records.values()) {
      if (!rec.config || !isEnsemble(rec.config) || this.readyVersions(rec).length === 0) continue;
      if (!composingModels(rec.config).includes(name)) continue;
      const dep = this.records.get(name);
      let problem: string | undefined;
      if (!dep || this.readyVersions(dep).length === 0)
        problem = `ensemble '${rec.name}' depends on '${name}' which has no loaded version.`;
      else {
        try {
          validateEnsemble(rec.config, (d) => this.records.get(d)!.config!);
        } catch (err) {
          problem = (err as Error).message;
        }
      }
      if (problem) {
        this.log(`unloading ensemble '${rec.name}': ${problem}`);
        await this.unloadForComposing(rec);
      }
    }
  }

  private async doUnload(name: string, unloadDependents: boolean): Promise<void> {
    const rec = this.records.get(name);
    if (!rec) return;
    await this.unloadVersions(rec);
    if (rec.polled?.tempDir) {
      dropTemp(rec.polled); // the file override's temp dir goes with the unload
      rec.polled = undefined;
    }
    rec.modelReason = undefined;
    rec.explicit = false;
    rec.downForComposing = false;
    rec.timestamp = undefined; // Triton erases an unloaded model's info: the next load polls afresh
    // Ensembles that use this model cannot run any more (until it is back).
    for (const other of this.records.values()) {
      if (other === rec || !other.config || !isEnsemble(other.config)) continue;
      if (this.readyVersions(other).length > 0 && composingModels(other.config).includes(name)) {
        await this.unloadForComposing(other);
      }
    }
    if (unloadDependents && rec.config && isEnsemble(rec.config)) {
      for (const dep of composingModels(rec.config)) {
        const depRec = this.records.get(dep);
        if (!depRec || depRec.explicit || !depRec.implicitBy.has(name)) continue;
        depRec.implicitBy.delete(name);
        const usedElsewhere = [...this.records.values()].some(
          (o) =>
            o !== rec &&
            o.config &&
            isEnsemble(o.config) &&
            this.readyVersions(o).length > 0 &&
            composingModels(o.config).includes(dep),
        );
        if (!usedElsewhere) await this.doUnload(dep, true);
      }
    }
  }

  /** Takes an ensemble down because of a composing model; it keeps its place to come back later. */
  private async unloadForComposing(ensemble: ModelRecord): Promise<void> {
    const explicit = ensemble.explicit;
    await this.doUnload(ensemble.name, false);
    ensemble.explicit = explicit;
    ensemble.downForComposing = true;
  }

  /** Unload: every version (failed ones included) goes to UNAVAILABLE with reason "unloaded". */
  private async unloadVersions(rec: ModelRecord): Promise<void> {
    await Promise.all([...rec.versions.values()].map((v) => this.retireVersion(v)));
  }

  /** Marks a version unloaded, waits for its in-flight requests, then frees the runner. */
  private async retireVersion(v: VersionRecord): Promise<void> {
    v.state = 'UNAVAILABLE';
    v.reason = 'unloaded';
    if (v.inflight > 0) await new Promise<void>((resolve) => (v.onDrained = resolve));
    const runner = v.runner;
    v.runner = undefined;
    await runner?.close().catch(() => {});
  }

  private readyVersions(rec: ModelRecord): VersionRecord[] {
    return [...rec.versions.values()].filter((v) => v.state === 'READY');
  }

  // ---- queries ---------------------------------------------------------------------------------

  /** Triton's model lookup with its "Request for unknown model" errors. `version` -1 = latest READY. */
  getReady(name: string, version: number): { rec: ModelRecord; vrec: VersionRecord; config: ServerModelConfig } {
    const rec = this.records.get(name);
    if (!rec) throw notFound(`Request for unknown model: '${name}' is not found`);
    if (version === -1) {
      const ready = this.readyVersions(rec);
      if (ready.length === 0 || !rec.config)
        throw notFound(`Request for unknown model: '${name}' has no available versions`);
      const vrec = ready[ready.length - 1];
      return { rec, vrec, config: rec.config };
    }
    const vrec = rec.versions.get(version);
    if (!vrec) throw notFound(`Request for unknown model: '${name}' version ${version} is not found`);
    if (vrec.state !== 'READY' || !rec.config) {
      throw unavailable(`Request for unknown model: '${name}' version ${version} is not at ready state`);
    }
    return { rec, vrec, config: rec.config };
  }

  /** ModelReady: false (not an error) for unknown/unloaded/not-ready; bad version strings throw. */
  isModelReady(name: string, versionText: string): boolean {
    const version = parseVersionString(versionText);
    try {
      this.getReady(name, version);
      return true;
    } catch {
      return false;
    }
  }

  readyVersionNumbers(name: string): number[] {
    const rec = this.records.get(name);
    return rec ? this.readyVersions(rec).map((v) => v.version) : [];
  }

  /** Strict readiness: every model with a lifecycle record is READY, except explicitly unloaded versions. */
  serverReady(): boolean {
    for (const rec of this.records.values()) {
      if (rec.versions.size === 0) {
        // An invalid ensemble never entered the lifecycle; a record that never got a version for
        // another reason (e.g. "at least one version must be available") did.
        if (rec.modelReason) continue;
        if (rec.explicit || rec.implicitBy.size > 0) return false;
        continue;
      }
      for (const v of rec.versions.values()) {
        if (v.state !== 'READY' && v.reason !== 'unloaded') return false;
      }
    }
    return true;
  }

  repositoryIndex(readyOnly: boolean): IndexEntry[] {
    const names = new Set<string>(safeListModels(this.options.repository));
    for (const name of this.records.keys()) names.add(name);
    const out: IndexEntry[] = [];
    for (const name of [...names].sort()) {
      const rec = this.records.get(name);
      if (!rec) {
        if (!readyOnly) out.push({ name });
        continue;
      }
      // Triton's RepositoryIndex lists the lifecycle's versions (none for a model whose load found
      // no version); an invalid ensemble never entered the lifecycle and is listed by name alone,
      // as a model never loaded.
      if (rec.versions.size === 0 && rec.modelReason) {
        if (!readyOnly) out.push({ name });
        continue;
      }
      for (const v of rec.versions.values()) {
        if (readyOnly && v.state !== 'READY') continue;
        out.push({ name, version: String(v.version), state: v.state, reason: v.state === 'READY' ? '' : v.reason });
      }
    }
    return out;
  }

  /** ModelStatistics entries (PROTOCOL.md §5). */
  statistics(name: string, versionText: string): object[] {
    const version = parseVersionString(versionText);
    if (name === '') {
      const out: object[] = [];
      for (const rec of [...this.records.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        for (const v of this.readyVersions(rec)) out.push(v.stats.toProto(rec.name, v.version));
      }
      return out;
    }
    const rec = this.records.get(name);
    const ready = rec ? this.readyVersions(rec) : [];
    if (ready.length === 0) throw invalidArg(`requested model '${name}' is not available`);
    if (version === -1) return ready.map((v) => v.stats.toProto(name, v.version));
    const v = ready.find((r) => r.version === version);
    if (!v) throw invalidArg(`requested model version is not available for model '${name}'`);
    return [v.stats.toProto(name, v.version)];
  }

  /** The loaded (READY) versions with their statistics, for the metrics endpoint: the same records as `statistics`. */
  loadedVersionStatistics(): { name: string; version: number; stats: VersionStatistics; pending: number }[] {
    const out = [];
    for (const rec of this.records.values()) {
      for (const v of this.readyVersions(rec))
        out.push({ name: rec.name, version: v.version, stats: v.stats, pending: v.slots.pending });
    }
    return out;
  }

  // ---- execution -------------------------------------------------------------------------------

  /**
   * Runs an already validated request on a READY version, with queueing by instance count and
   * statistics. Failures after acceptance count as `fail`.
   */
  async execute(
    vrec: VersionRecord,
    inputs: WireTensor[],
    outputNames: string[],
    batchSize: number,
  ): Promise<ExecutionResult> {
    const start = process.hrtime.bigint();
    vrec.inflight++;
    try {
      await vrec.slots.acquire();
      const queueNs = Number(process.hrtime.bigint() - start);
      let result: ExecutionResult;
      try {
        const runner = vrec.runner;
        if (!runner) throw unavailable('model version was unloaded');
        result = await runner.execute(inputs, outputNames);
      } catch (err) {
        // Triton files ensemble failures (and ours outside a backend) under OTHER, the rest under BACKEND.
        const inBackend = vrec.runner !== undefined && !(vrec.runner instanceof EnsembleRunner);
        vrec.stats.recordFailure(Number(process.hrtime.bigint() - start), inBackend ? 'BACKEND' : 'OTHER');
        throw err;
      } finally {
        vrec.slots.release();
      }
      vrec.stats.recordSuccess(batchSize, Number(process.hrtime.bigint() - start), queueNs, result.timings);
      return result;
    } finally {
      vrec.inflight--;
      if (vrec.inflight === 0 && vrec.onDrained) {
        const done = vrec.onDrained;
        vrec.onDrained = undefined;
        done();
      }
    }
  }

  private async executeComposing(
    model: string,
    version: number,
    inputs: WireTensor[],
    outputs: string[],
  ): Promise<ExecutionResult> {
    const { vrec, config } = this.getReady(model, version);
    const batch = (config.max_batch_size ?? 0) > 0 ? (inputs[0]?.shape[0] ?? 1) : 1;
    return this.execute(vrec, inputs, outputs, batch);
  }

  async close(): Promise<void> {
    this.closed = true; // before waiting: nothing joins the queue behind the operations already in it
    await this.queue.catch(() => {});
    for (const rec of this.records.values()) {
      for (const v of rec.versions.values()) {
        const runner = v.runner;
        v.runner = undefined;
        await runner?.close().catch(() => {});
      }
      if (rec.polled) dropTemp(rec.polled);
    }
  }
}

function safeListModels(repository: string): string[] {
  try {
    return listModelDirs(repository);
  } catch {
    return [];
  }
}

function sortedVersions(versions: Map<number, VersionRecord>): Map<number, VersionRecord> {
  return new Map([...versions.entries()].sort((a, b) => a[0] - b[0]));
}

function dropTemp(polled: PolledModel): void {
  if (polled.tempDir) rmSync(polled.tempDir, { recursive: true, force: true });
}

/**
 * The timestamp Triton records for a poll (InitializeModelInfo): the directory's, or "now" for a
 * config override (so a later load without it leaves the override in place until the files
 * change), or 0 for a file override (so the next load without one always reads the repository).
 */
function pollTimestamp(modelDir: string, overrides: LoadOverrides): bigint {
  if ((overrides.files?.size ?? 0) > 0) return 0n;
  const files = modelDirTimestamp(modelDir);
  if (overrides.config === undefined) return files;
  const now = BigInt(Date.now()) * 1_000_000n;
  return now > files ? now : files;
}
