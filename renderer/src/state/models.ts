/**
 * The active server's model repository: index with states and reasons, per-model metadata and
 * loaded config, load/unload, and a statistics history sampled over time (for per-request rates).
 */
import type { AppState, Slice } from './store';
import { getApi } from '../../api';
import type { ApiResponse, ModelIndexEntry, ModelMetadata, ModelStatisticsEntry } from '../../../shared/contract';

type ConfigResponse = ApiResponse<'modelConfig'>;
import { errorText } from '../lib/errors';

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

  resetModels(): void;
  refreshIndex(): Promise<void>;
  selectModel(name: string | null): void;
  fetchMetadata(name: string, force?: boolean): Promise<ModelMetadata | null>;
  fetchConfig(name: string, force?: boolean): Promise<ConfigResponse | null>;
  sampleStatistics(): Promise<void>;
  loadModel(name: string, override?: { pbtxt: string }): Promise<boolean>;
  unloadModel(name: string): Promise<boolean>;
}

const HISTORY_MS = 10 * 60_000;

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
  put({ status: 'loading' });
  try {
    const value = await fetch(conn);
    put({ status: 'ok', value });
    return value;
  } catch (e) {
    put({ status: 'error', error: errorText(e) });
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
      index.sort((a, b) => a.name.localeCompare(b.name) || Number(a.version || 0) - Number(b.version || 0));
      set({ index, indexStatus: 'ok', indexError: null });
      if (!get().selectedModel && index.length) set({ selectedModel: index[0].name });
    } catch (e) {
      set({ indexStatus: 'error', indexError: errorText(e) });
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
    if (!conn) return;
    try {
      const { takenAt, models } = await getApi().modelStatistics({ connectionId: conn });
      const history = { ...get().statsHistory };
      for (const entry of models) {
        const key = entry.name;
        const prev = history[key] ?? [];
        history[key] = [...prev.filter((s) => takenAt - s.t < HISTORY_MS), { t: takenAt, entry }];
      }
      set({ statsHistory: history, statsError: null });
    } catch (e) {
      set({ statsError: errorText(e) });
    }
  },

  async loadModel(name, override) {
    const conn = get().activeConnection();
    if (!conn) return false;
    set({
      modelBusy: { ...get().modelBusy, [name]: 'loading' },
      modelErrors: { ...get().modelErrors, [name]: undefined },
    });
    try {
      await getApi().loadModel({ connectionId: conn, model: name, ...(override ? { configOverride: override } : {}) });
      get().toast(
        'ok',
        override ? `Loaded ${name} with the editor's config (override)` : `Loaded ${name} from its repository config`,
      );
      return true;
    } catch (e) {
      set({ modelErrors: { ...get().modelErrors, [name]: errorText(e) } });
      get().toast('err', `Load ${name} failed: ${errorText(e)}`);
      return false;
    } finally {
      set({ modelBusy: { ...get().modelBusy, [name]: undefined } });
      const metadata = { ...get().metadata };
      const configs = { ...get().configs };
      delete metadata[name];
      delete configs[name];
      set({ metadata, configs });
      await get().refreshIndex();
    }
  },

  async unloadModel(name) {
    const conn = get().activeConnection();
    if (!conn) return false;
    set({
      modelBusy: { ...get().modelBusy, [name]: 'unloading' },
      modelErrors: { ...get().modelErrors, [name]: undefined },
    });
    try {
      await getApi().unloadModel({ connectionId: conn, model: name });
      get().toast('ok', `Unloaded ${name}`);
      return true;
    } catch (e) {
      set({ modelErrors: { ...get().modelErrors, [name]: errorText(e) } });
      return false;
    } finally {
      set({ modelBusy: { ...get().modelBusy, [name]: undefined } });
      await get().refreshIndex();
    }
  },
});
