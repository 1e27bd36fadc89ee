/**
 * Connection profiles and the live status of each connected server. The services poll (with
 * backoff); the UI refreshes its view of that status on a timer with its own backoff when the
 * services themselves cannot be reached.
 */
import type { Slice } from './store';
import { getApi } from '../../api';
import type { ConnectionProfile, ConnectionProfileInput, ConnectionStatus, DemoStatus } from '../../../shared/contract';
import { errorDetail, errorText } from '../lib/errors';
import { fieldErrorsOf, type FieldErrors } from '../lib/profileForm';

/** A save either gives the stored profile or says why not, per field where it can. */
export type SaveProfileResult =
  { ok: true; profile: ConnectionProfile } | { ok: false; message: string; fields: FieldErrors };

/** Id of the embedded demo server's built-in profile (it exists once the demo server runs). */
export const DEMO_ID = 'demo';

export const DEMO_PLACEHOLDER: ConnectionProfile = {
  id: DEMO_ID,
  name: 'Demo (embedded server)',
  url: 'started on demand',
  builtin: true,
};

export interface ServersSlice {
  profiles: ConnectionProfile[];
  profilesError: string | null;
  statuses: Record<string, ConnectionStatus>;
  /**
   * False until the first status of every profile has been read from the services: until then the
   * UI shows "checking", not "disconnected" (the demo is already connected when the page opens).
   */
  statusesKnown: boolean;
  /** Profile whose server the Models/Repository/Inspector views talk to. */
  activeId: string | null;
  demo: DemoStatus | null;
  demoStarting: boolean;
  busy: Record<string, 'connecting' | 'disconnecting' | undefined>;
  connectErrors: Record<string, string | undefined>;

  loadProfiles(): Promise<void>;
  saveProfile(p: ConnectionProfileInput): Promise<SaveProfileResult>;
  deleteProfile(id: string): Promise<void>;
  connect(id: string): Promise<void>;
  disconnect(id: string): Promise<void>;
  refreshStatus(id: string): Promise<void>;
  /** A status from the services (event or reply): stored, and a change to or from unreachable logged. */
  applyStatus(status: ConnectionStatus): void;
  /** "Retry now": the services check the server at once (the backoff timer restarts from there). */
  retryNow(id: string): Promise<void>;
  /** Marks a saved profile read-only (production) or writable again. */
  setReadOnly(id: string, readOnly: boolean): Promise<void>;
  /** `“Name” at host:port` of a profile, for confirmations that must say which server they act on. */
  serverLabel(id: string): string;
  /**
   * Why load / unload / apply cannot go to this server now (read-only profile, unreachable, not
   * connected), or null when they can. Shown as the disabled buttons' tooltip.
   */
  writeBlock(id: string | null): string | null;
  setActive(id: string): void;
  startDemo(): Promise<void>;
  /** The active, connected connection id, or null. */
  activeConnection(): string | null;
  /** The demo server is being started (by this page or by the app at launch). */
  demoPending(): boolean;
}

export const createServersSlice: Slice<ServersSlice> = (set, get) => ({
  profiles: [],
  profilesError: null,
  statuses: {},
  statusesKnown: false,
  activeId: null,
  demo: null,
  demoStarting: false,
  busy: {},
  connectErrors: {},

  async loadProfiles() {
    try {
      const profiles = await getApi().listConnections();
      // The services may have connected profiles before this page opened (the demo, or a reload):
      // read their statuses together with the list, so the first paint with profiles already shows
      // them connected instead of "disconnected" until the next poll's event.
      const unknown = profiles.filter((p) => !get().statuses[p.id]);
      const [read, demo] = await Promise.all([
        Promise.all(
          unknown.map((p) =>
            getApi()
              .connectionStatus({ id: p.id })
              .catch(() => null),
          ),
        ),
        // No demo profile yet: is the demo being started (Electron starts it at launch)?
        profiles.some((p) => p.id === DEMO_ID)
          ? null
          : getApi()
              .demoStatus()
              .catch(() => null),
      ]);
      if (demo) set({ demo });
      // The demo server is the default profile: shown (as a placeholder) until it is started.
      if (!profiles.some((p) => p.id === DEMO_ID)) profiles.unshift(DEMO_PLACEHOLDER);
      const activeId = get().activeId ?? profiles.find((p) => p.builtin)?.id ?? profiles[0]?.id ?? null;
      set({ profiles, profilesError: null, activeId });
      // An event that arrived meanwhile is newer than what was read: keep it.
      for (const st of read) if (st && !get().statuses[st.id]) get().applyStatus(st);
    } catch (e) {
      set({ profilesError: errorText(e) });
    } finally {
      set({ statusesKnown: true });
    }
  },

  async saveProfile(p) {
    try {
      const saved = await getApi().saveConnection(p);
      await get().loadProfiles();
      get().toast('ok', `Saved profile “${saved.name}”`);
      return { ok: true, profile: saved };
    } catch (e) {
      // Shown in the form, beside the fields named; not a toast that vanishes.
      const fields = fieldErrorsOf(e);
      // The form's title already says "Not saved"; a refusal by field needs no code in front.
      const message = Object.keys(fields).length ? (e as Error).message.replace(/^not saved: /, '') : errorText(e);
      return { ok: false, message, fields };
    }
  },

  async deleteProfile(id) {
    try {
      await getApi().deleteConnection({ id });
      if (get().activeId === id) set({ activeId: null });
      await get().loadProfiles();
    } catch (e) {
      get().toast('err', `Could not delete profile: ${errorText(e)}`);
    }
  },

  async connect(id) {
    set({ busy: { ...get().busy, [id]: 'connecting' }, connectErrors: { ...get().connectErrors, [id]: undefined } });
    try {
      if (id === DEMO_ID && !get().demo?.running) {
        await get().startDemo();
        if (!get().demo?.running) throw new Error(get().demo?.error?.message ?? 'the demo server did not start');
      }
      const status = await getApi().connect({ id });
      // A server that does not answer still counts as connected (the services keep polling it with
      // backoff); its error lives in the status, which the Servers view shows while it lasts.
      const switched = get().activeId !== id;
      set({ statuses: { ...get().statuses, [id]: status }, activeId: id });
      // Another server now: what was read from the previous one (metadata, configs, statistics of
      // models with the same names) must not be shown as this one's.
      if (switched) get().resetModels();
      void get().refreshIndex();
    } catch (e) {
      set({ connectErrors: { ...get().connectErrors, [id]: errorText(e) } });
    } finally {
      set({ busy: { ...get().busy, [id]: undefined } });
    }
  },

  async disconnect(id) {
    set({ busy: { ...get().busy, [id]: 'disconnecting' } });
    try {
      await getApi().disconnect({ id });
      const statuses = { ...get().statuses };
      delete statuses[id];
      set({ statuses });
    } catch (e) {
      get().toast('err', `Disconnect failed: ${errorText(e)}`);
    } finally {
      set({ busy: { ...get().busy, [id]: undefined } });
    }
  },

  async refreshStatus(id) {
    try {
      get().applyStatus(await getApi().connectionStatus({ id }));
    } catch (e) {
      const prev = get().statuses[id];
      if (prev) {
        set({
          statuses: {
            ...get().statuses,
            [id]: {
              ...prev,
              state: 'error',
              error: { code: 'UNAVAILABLE', message: errorText(e) },
              consecutiveFailures: prev.consecutiveFailures + 1,
            },
          },
        });
      }
      throw e;
    }
  },

  applyStatus(status) {
    const prev = get().statuses[status.id];
    set({ statuses: { ...get().statuses, [status.id]: status } });
    const wasDown = prev?.state === 'error';
    const isDown = status.state === 'error';
    if (isDown && !wasDown && status.error) {
      // Shown in place (Servers view, Models banner); the log keeps it after it clears.
      get().toast('err', `${get().serverLabel(status.id)} is unreachable: ${status.error.code}`, {
        toast: false,
        source: get().serverLabel(status.id),
        detail: JSON.stringify(status.error, null, 2),
      });
    } else if (wasDown && status.state === 'connected') {
      get().toast('info', `${get().serverLabel(status.id)} is reachable again`, { toast: false });
    }
  },

  async retryNow(id) {
    set({ busy: { ...get().busy, [id]: 'connecting' } });
    try {
      get().applyStatus(await getApi().refreshStatus({ id }));
      if (get().activeId === id && get().statuses[id]?.state === 'connected') void get().refreshIndex();
    } catch (e) {
      get().toast('err', `Retry failed: ${errorText(e)}`, { detail: errorDetail(e) });
    } finally {
      set({ busy: { ...get().busy, [id]: undefined } });
    }
  },

  async setReadOnly(id, readOnly) {
    const p = get().profiles.find((x) => x.id === id);
    if (!p || p.builtin) return;
    try {
      const { builtin: _builtin, ...input } = p;
      await getApi().saveConnection({ ...input, readOnly });
      await get().loadProfiles();
      get().toast('ok', readOnly ? `${p.name} is read-only (production)` : `${p.name} accepts changes again`);
    } catch (e) {
      get().toast('err', `Could not change ${p.name}: ${errorText(e)}`, { detail: errorDetail(e) });
    }
  },

  serverLabel(id) {
    const p = get().profiles.find((x) => x.id === id);
    if (!p) return id;
    const url = p.id === DEMO_ID ? (get().demo?.url ?? p.url) : p.url;
    return `“${p.name}” at ${url}`;
  },

  writeBlock(id) {
    if (!id) return 'Connect to a server first';
    const p = get().profiles.find((x) => x.id === id);
    const st = get().statuses[id];
    if (p?.readOnly) {
      return `${get().serverLabel(id)} is read-only (production): load, unload and apply are disabled. Edit the profile in Servers to allow them.`;
    }
    if (!st || st.state === 'disconnected') return `Not connected to ${get().serverLabel(id)}`;
    if (st.state === 'error')
      return `${get().serverLabel(id)} is unreachable; the states shown are the last known ones`;
    return null;
  },

  setActive(id) {
    if (get().activeId === id) return;
    set({ activeId: id });
    get().resetModels();
    if (get().statuses[id]?.state === 'connected') void get().refreshIndex();
  },

  async startDemo() {
    set({ demoStarting: true });
    try {
      const demo = await getApi().startDemo();
      set({ demo });
      if (demo.error) get().toast('err', `Demo server: ${demo.error.message}`);
      await get().loadProfiles();
      if (demo.rootId) get().setRepositoryRoot(demo.rootId);
    } catch (e) {
      const prev = get().demo ?? {
        running: false,
        url: null,
        connectionId: null,
        rootId: null,
        media: [],
        error: null,
      };
      set({
        demo: {
          ...prev,
          running: false,
          error: { code: (e as { code?: string }).code ?? 'ERROR', message: errorText(e) },
        },
      });
    } finally {
      set({ demoStarting: false });
    }
  },

  demoPending() {
    return get().demoStarting || (!!get().demo?.starting && !get().demo?.running);
  },

  activeConnection() {
    const id = get().activeId;
    if (!id) return null;
    const s = get().statuses[id];
    return s && s.state !== 'disconnected' ? id : null;
  },
});
