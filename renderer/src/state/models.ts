/**
 * The active server's model repository: index with states and reasons, per-model metadata and
 * loaded config, load/unload, and a statistics history sampled over time (for per-request rates).
 */
import type { AppState, Slice } from './store';
import { getApi } from '../../api';
import type { ApiResponse, ModelIndexEntry, ModelMetadata, ModelStatisticsEntry } from '../../../shared/contract';
import { errorDetail, errorText } from '../lib/errors';
import type { SortKey, StateFilter } from '../lib/modelRows';

type ConfigResponse = ApiResponse<'modelConfig'>;

export interface StatSample {
  t: number;
  entry: ModelStatisticsEntry;
}

export type Loadable<T> =
  { status: 'idle' } | { status: 'loading' } | { status: 'ok'; value: T } | { status: 'error'; error: string };

export interface ModelsSlice {
  index: ModelIndexEntry[];
  indexStatus: 'idle' | 'loading' | 'ok' | 'error';
  indexError: string | null;
  selectedModel: string | null;
  metadata: Record<string, Loadable<ModelMetadata>>;
  configs: Record<string, Loadable<ConfigResponse>>;
  /** Per model name, the last ~10 minutes of statistics samples. */
  statsHistory: Record<string, StatSample[]>;
  statsError: string | null;
  modelBusy: Record<string, 'loading' | 'unloading' | undefined>;
  modelErrors: Record<string, string | undefined>;
  /**
   * Models this user unloaded, per connection (`connectionId|model`). Triton reports them as
   * UNAVAILABLE with reason "unloaded", like a failed load; these are not failures.
   */
  unloadedByUser: Record<string, true>;
  /**
   * Models this user loaded with a config override, per connection (`connectionId|model`), until
   * they are unloaded or loaded from the repository. Triton keeps an override while the model's
   * files are unchanged (a load without one loads nothing), so loading the repository config over
   * it means an unload first.
   */
  overriddenByUser: Record<string, true>;
  /** The models table's search, state filter and sort (kept while other views are open). */
  modelQuery: string;
  modelFilter: StateFilter;
  modelSort: SortKey;
  setModelQuery(q: string): void;
  setModelFilter(f: StateFilter): void;
  setModelSort(k: SortKey): void;

  resetModels(): void;
  refreshIndex(): Promise<void>;
  selectModel(name: string | null): void;
  fetchMetadata(name: string, force?: boolean): Promise<ModelMetadata | null>;
  fetchConfig(name: string, force?: boolean): Promise<ConfigResponse | null>;
  sampleStatistics(): Promise<void>;
  /** Loads on the server named by `connectionId` (default: the active one), never another. */
  loadModel(name: string, opts?: ServerActionOptions & { override?: { pbtxt: string } }): Promise<boolean>;
  unloadModel(name: string, opts?: ServerActionOptions): Promise<boolean>;
}

export interface ServerActionOptions {
  /** The server the user confirmed; the action goes there even if the active server changed since. */
  connectionId?: string;
}

const HISTORY_MS = 10 * 60_000;

export const unloadKey = (connectionId: string, model: string) => `${connectionId}|${model}`;

type CacheKey = 'metadata' | 'configs';
type Cached<K extends CacheKey> = ModelsSlice[K][string] extends Loadable<infer T> ? T : never;

/** Per-model cached fetch from the active server: 'loading' while in flight, the error kept in place. */
async function fetchCached<K extends CacheKey>(
  get: () => AppState,
  set: (patch: Partial<AppState>) => void,
  key: K,
  name: string,
  force: boolean | undefined,
  fetch: (conn: string) => Promise<Cached<K>>,
): Promise<Cached<K> | null> {
  const conn = get().activeConnection();
  if (!conn) return null;
  const cur = get()[key][name] as Loadable<Cached<K>> | undefined;
  if (!force && cur?.status === 'ok') return cur.value;
  const put = (v: Loadable<Cached<K>>) => set({ [key]: { ...get()[key], [name]: v } });
  // An answer that comes back after the user switched server belongs to the previous one.
  const stillActive = () => get().activeConnection() === conn;
  put({ status: 'loading' });
  try {
    const value = await fetch(conn);
    if (stillActive()) put({ status: 'ok', value });
    return value;
  } catch (e) {
    if (stillActive()) put({ status: 'error', error: errorText(e) });
    return null;
  }
}

export const createModelsSlice: Slice<ModelsSlice> = (set, get) => ({
  index: [],
  indexStatus: 'idle',
  indexError: null,
  selectedModel: null,
  metadata: {},
  configs: {},
  statsHistory: {},
  statsError: null,
  modelBusy: {},
  modelErrors: {},
  unloadedByUser: {},
  overriddenByUser: {},
  modelQuery: '',
  modelFilter: 'all',
  modelSort: 'failures',
  setModelQuery: (modelQuery) => set({ modelQuery }),
  setModelFilter: (modelFilter) => set({ modelFilter }),
  setModelSort: (modelSort) => set({ modelSort }),

  resetModels() {
    set({
      index: [],
      indexStatus: 'idle',
      indexError: null,
      metadata: {},
      configs: {},
      statsHistory: {},
      modelErrors: {},
    });
  },

  async refreshIndex() {
    const conn = get().activeConnection();
    if (!conn) return;
    set({ indexStatus: 'loading' });
    try {
      const index = (await getApi().repositoryIndex({ connectionId: conn })).models;
      if (get().activeConnection() !== conn) return; // switched meanwhile: that server's own read shows
      index.sort((a, b) => a.name.localeCompare(b.name) || Number(a.version || 0) - Number(b.version || 0));
      set({ index, indexStatus: 'ok', indexError: null });
      if (!get().selectedModel && index.length) set({ selectedModel: index[0].name });
    } catch (e) {
      if (get().activeConnection() !== conn) return;
      const text = errorText(e);
      if (text !== get().indexError) {
        get().toast('err', `Repository index of ${get().serverLabel(conn)} failed: ${text}`, {
          toast: false, // shown in place, in the Models view
          detail: errorDetail(e),
        });
      }
      set({ indexStatus: 'error', indexError: text });
    }
  },

  selectModel(name) {
    set({ selectedModel: name });
  },

  fetchMetadata(name, force) {
    return fetchCached(get, set, 'metadata', name, force, (conn) =>
      getApi().modelMetadata({ connectionId: conn, model: name }),
    );
  },

  fetchConfig(name, force) {
    return fetchCached(get, set, 'configs', name, force, (conn) =>
      getApi().modelConfig({ connectionId: conn, model: name }),
    );
  },

  async sampleStatistics() {
    const conn = get().activeConnection();
    // An unreachable server: the status poll checks it; a failing statistics call adds nothing.
    if (!conn || get().statuses[conn]?.state === 'error') return;
    try {
      const { takenAt, models } = await getApi().modelStatistics({ connectionId: conn });
      if (get().activeConnection() !== conn) return; // another server's counters: rates would mix them
      const history = { ...get().statsHistory };
      for (const entry of models) {
        const key = entry.name;
        const prev = history[key] ?? [];
        history[key] = [...prev.filter((s) => takenAt - s.t < HISTORY_MS), { t: takenAt, entry }];
      }
      set({ statsHistory: history, statsError: null });
    } catch (e) {
      if (get().activeConnection() === conn) set({ statsError: errorText(e) });
    }
  },

  async loadModel(name, opts = {}) {
    const conn = opts.connectionId ?? get().activeConnection();
    if (!conn) return false;
    const { override } = opts;
    const server = get().serverLabel(conn);
    set({
      modelBusy: { ...get().modelBusy, [name]: 'loading' },
      modelErrors: { ...get().modelErrors, [name]: undefined },
    });
    const key = unloadKey(conn, name);
    const overUnload = !override && !!get().overriddenByUser[key];
    try {
      if (overUnload) await getApi().unloadModel({ connectionId: conn, model: name });
      await getApi().loadModel({ connectionId: conn, model: name, ...(override ? { configOverride: override } : {}) });
      const unloaded = { ...get().unloadedByUser };
      delete unloaded[key];
      const overridden = { ...get().overriddenByUser };
      if (override) overridden[key] = true;
      else delete overridden[key];
      set({ unloadedByUser: unloaded, overriddenByUser: overridden });
      get().toast(
        'ok',
        override
          ? `Loaded ${name} on ${server} with the editor's config (override)`
          : overUnload
            ? `Loaded ${name} on ${server} from its repository config (unloaded first: the server keeps an override while the files are unchanged)`
            : `Loaded ${name} on ${server} from its repository config`,
      );
      return true;
    } catch (e) {
      set({ modelErrors: { ...get().modelErrors, [name]: errorText(e) } });
      get().toast('err', `Load ${name} on ${server} failed: ${errorText(e)}`, { detail: errorDetail(e) });
      return false;
    } finally {
      set({ modelBusy: { ...get().modelBusy, [name]: undefined } });
      const metadata = { ...get().metadata };
      const configs = { ...get().configs };
      delete metadata[name];
      delete configs[name];
      set({ metadata, configs });
      if (conn === get().activeConnection()) await get().refreshIndex();
    }
  },

  async unloadModel(name, opts = {}) {
    const conn = opts.connectionId ?? get().activeConnection();
    if (!conn) return false;
    const server = get().serverLabel(conn);
    set({
      modelBusy: { ...get().modelBusy, [name]: 'unloading' },
      modelErrors: { ...get().modelErrors, [name]: undefined },
    });
    try {
      await getApi().unloadModel({ connectionId: conn, model: name });
      const overridden = { ...get().overriddenByUser };
      delete overridden[unloadKey(conn, name)];
      set({ unloadedByUser: { ...get().unloadedByUser, [unloadKey(conn, name)]: true }, overriddenByUser: overridden });
      get().toast('ok', `Unloaded ${name} from ${server}`, {
        // Undo: load it again, on the same server, from its repository config.
        action: { label: 'Re-load', run: () => void get().loadModel(name, { connectionId: conn }) },
      });
      return true;
    } catch (e) {
      set({ modelErrors: { ...get().modelErrors, [name]: errorText(e) } });
      get().toast('err', `Unload ${name} from ${server} failed: ${errorText(e)}`, { detail: errorDetail(e) });
      return false;
    } finally {
      set({ modelBusy: { ...get().modelBusy, [name]: undefined } });
      if (conn === get().activeConnection()) await get().refreshIndex();
    }
  },
});
