/**
 * Repository folder browser and the config.pbtxt editor: which root is open, its listing, the file
 * being edited (disk text + hash for safe saving), the buffer, and the server's loaded config for diffs.
 */
import type { Slice } from './store';
import { getApi } from '../../api';
import type { ApiResponse, RepositoryListing, RepositoryRoot } from '../../../shared/contract';

type ConfigDiff = ApiResponse<'configDiff'>;
import { errorText } from '../lib/errors';
import { saveFailureOutcome, type SaveOutcome } from '../lib/saveBanner';
import type { ServedByMap } from '../lib/repoStatus';

const SERVED_BY_KEY = 'tritonscope.servedBy';

function loadServedBy(): ServedByMap {
  try {
    const v = JSON.parse(localStorage.getItem(SERVED_BY_KEY) ?? '{}') as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v))
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
  } catch {
    /* storage unavailable or damaged: start empty */
  }
  return {};
}

export interface OpenFile {
  rootId: string;
  path: string;
  /** Model folder name (first path segment), used for server diffs and load. */
  model: string;
  diskText: string;
  diskHash: string;
  mtimeMs: number;
}

export type { SaveOutcome } from '../lib/saveBanner';

export interface EditorSlice {
  roots: RepositoryRoot[];
  rootId: string | null;
  listing: RepositoryListing | null;
  listingError: string | null;
  listingLoading: boolean;
  file: OpenFile | null;
  fileError: string | null;
  buffer: string;
  saving: boolean;
  lastSave: SaveOutcome | null;
  serverConfig: ConfigDiff['server'];
  /** The file as it is on disk now (for the diff); the save still checks against file.diskHash. */
  diskNow: { text: string; hash: string } | null;
  serverConfigLoading: boolean;
  /** The repository tree's filter (model names containing it). */
  repoTreeQuery: string;
  setRepoTreeQuery(q: string): void;

  /** Folder path -> the connection that serves it (lib/repoStatus), persisted in localStorage. */
  servedBy: ServedByMap;
  setServedBy(path: string, connectionId: string | null): void;

  loadRoots(): Promise<void>;
  setRepositoryRoot(rootId: string): void;
  openRepositoryPath(path: string): Promise<void>;
  refreshListing(): Promise<void>;
  openFile(path: string, force?: boolean): Promise<void>;
  setBuffer(text: string): void;
  save(force?: boolean): Promise<SaveOutcome | null>;
  revert(): void;
  fetchServerConfig(): Promise<void>;
}

/** Bumped by every openFile that reads: the read that finishes last is not always the newest. */
let openTicket = 0;

/** The same file of the same opened folder (an answer for `b` still belongs to what `a` shows). */
function sameFile(
  a: { rootId: string; path: string } | null | undefined,
  b: { rootId: string; path: string },
): boolean {
  return !!a && a.rootId === b.rootId && a.path === b.path;
}

export const createEditorSlice: Slice<EditorSlice> = (set, get) => ({
  roots: [],
  rootId: null,
  listing: null,
  listingError: null,
  listingLoading: false,
  file: null,
  fileError: null,
  buffer: '',
  saving: false,
  lastSave: null,
  serverConfig: null,
  diskNow: null,
  serverConfigLoading: false,
  servedBy: loadServedBy(),

  setServedBy(path, connectionId) {
    const servedBy = { ...get().servedBy };
    if (connectionId) servedBy[path] = connectionId;
    else delete servedBy[path];
    set({ servedBy });
    try {
      localStorage.setItem(SERVED_BY_KEY, JSON.stringify(servedBy));
    } catch {
      /* not persisted; still applies for this session */
    }
  },
  repoTreeQuery: '',
  setRepoTreeQuery: (repoTreeQuery) => set({ repoTreeQuery }),

  async loadRoots() {
    try {
      const roots = await getApi().listRepositories();
      set({ roots });
      if (!get().rootId && roots.length) get().setRepositoryRoot((roots.find((r) => r.builtin) ?? roots[0]).rootId);
    } catch (e) {
      set({ listingError: errorText(e) });
    }
  },

  setRepositoryRoot(rootId) {
    if (get().rootId === rootId && get().listing) return;
    set({ rootId, listing: null });
    void get().refreshListing();
  },

  async openRepositoryPath(path) {
    try {
      const root = await getApi().openRepository(path ? { path } : {});
      if (!root) return;
      // Chosen before the roots are read again, so that loadRoots does not pick (and list) a folder
      // first: listing a thousand-model repository twice doubled the wait for the tree.
      set({ rootId: root.rootId, listing: null });
      await get().loadRoots();
      await get().refreshListing();
    } catch (e) {
      set({ listingError: errorText(e) });
    }
  },

  async refreshListing() {
    const rootId = get().rootId;
    if (!rootId) return;
    set({ listingLoading: true });
    try {
      const listing = await getApi().listRepositoryModels({ rootId });
      // Another folder chosen meanwhile: its own listing is the one to show.
      if (get().rootId === rootId) set({ listing, listingError: null });
    } catch (e) {
      if (get().rootId === rootId) set({ listingError: errorText(e) });
    } finally {
      set({ listingLoading: false });
    }
  },

  async openFile(path, force) {
    const rootId = get().rootId;
    if (!rootId) return;
    const cur = get().file;
    if (!force && sameFile(cur, { rootId, path })) return;
    // Another file over unsaved edits: ask first (only the window's closing was guarded before).
    if (!force && cur && get().buffer !== cur.diskText) {
      get().askConfirm({
        title: 'Discard unsaved changes?',
        lines: [
          `${cur.path} has changes that are not saved.`,
          `Opening ${path} discards them; save first to keep them.`,
        ],
        confirmLabel: 'Discard and open',
        danger: true,
        onConfirm: () => void get().openFile(path, true),
      });
      return;
    }
    // Only the newest open fills the editor (a slow read of an earlier click must not win).
    const ticket = ++openTicket;
    try {
      const f = await getApi().readFile({ rootId, path });
      if (ticket !== openTicket) return;
      set({
        file: {
          rootId,
          path: f.path,
          model: f.path.split('/')[0],
          diskText: f.text,
          diskHash: f.hash,
          mtimeMs: f.mtimeMs,
        },
        buffer: f.text,
        fileError: null,
        lastSave: null,
        serverConfig: null,
        diskNow: null,
      });
    } catch (e) {
      if (ticket === openTicket) set({ fileError: `${path}: ${errorText(e)}` });
    }
  },

  setBuffer(buffer) {
    set({ buffer });
  },

  async save(force) {
    const f = get().file;
    if (!f) return null;
    // The text sent is the text recorded as saved: keys typed while the save runs stay unsaved.
    const text = get().buffer;
    set({ saving: true });
    try {
      const r = await getApi().saveFile({
        rootId: f.rootId,
        path: f.path,
        text,
        expectedHash: f.diskHash,
        ...(force ? { force } : {}),
      });
      const outcome: SaveOutcome = {
        kind: 'saved',
        message: r.backupPath ? `Saved ${r.path}. Previous version backed up to ${r.backupPath}.` : `Saved ${r.path}.`,
        backupPath: r.backupPath,
      };
      // Another file opened while saving: its state is not this save's to change.
      const now = get().file;
      if (now && sameFile(now, f))
        set({ file: { ...now, diskText: text, diskHash: r.hash, mtimeMs: r.mtimeMs }, diskNow: null });
      set({ lastSave: outcome });
      return outcome;
    } catch (e) {
      const outcome = saveFailureOutcome(e, f.path, errorText(e));
      set({ lastSave: outcome });
      return outcome;
    } finally {
      set({ saving: false });
    }
  },

  revert() {
    const f = get().file;
    if (f) set({ buffer: f.diskText });
  },

  async fetchServerConfig() {
    const f = get().file;
    if (!f) return;
    const stillOpen = () => sameFile(get().file, f);
    set({ serverConfigLoading: true });
    try {
      const conn = get().activeConnection() ?? undefined;
      const diff = await getApi().configDiff({
        rootId: f.rootId,
        path: f.path,
        ...(conn ? { connectionId: conn } : {}),
        ...(conn && f.model ? { model: f.model } : {}),
      });
      // The diff-vs-disk view shows what is on disk now, but saving keeps checking against the
      // version the edit started from, so a change made elsewhere is never overwritten silently.
      // A reply for a file no longer open (a slow server) is not shown against the current one.
      if (stillOpen()) set({ serverConfig: diff.server, diskNow: diff.disk });
    } catch (e) {
      if (stillOpen())
        set({ serverConfig: { json: null, pbtxt: null, error: { code: 'ERROR', message: errorText(e) } } });
    } finally {
      set({ serverConfigLoading: false });
    }
  },
});
