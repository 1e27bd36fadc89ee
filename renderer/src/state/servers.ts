/**
 * Connection profiles and the live status of each connected server. The services poll (with
 * backoff); the UI refreshes its view of that status on a timer with its own backoff when the
 * services themselves cannot be reached.
 */
import type { Slice } from './store';
import { getApi } from '../../api';
import type { ConnectionProfile, ConnectionProfileInput, ConnectionStatus, DemoStatus } from '../../../shared/contract';
import { errorText } from '../lib/errors';
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
  setActive(id: string): void;
  startDemo(): Promise<void>;
  /** The active, connected connection id, or null. */
  activeConnection(): string | null;
}

export const createServersSlice: Slice<ServersSlice> = (set, get) => ({
  profiles: [],
  profilesError: null,
  statuses: {},
  activeId: null,
  demo: null,
  demoStarting: false,
  busy: {},
  connectErrors: {},

  async loadProfiles() {
    try {
      const profiles = await getApi().listConnections();
      // The demo server is the default profile: shown (as a placeholder) until it is started.
      if (!profiles.some((p) => p.id === DEMO_ID)) profiles.unshift(DEMO_PLACEHOLDER);
      const activeId = get().activeId ?? profiles.find((p) => p.builtin)?.id ?? profiles[0]?.id ?? null;
      set({ profiles, profilesError: null, activeId });
    } catch (e) {
      set({ profilesError: errorText(e) });
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
      set({ statuses: { ...get().statuses, [id]: status }, activeId: id });
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
      const status = await getApi().connectionStatus({ id });
      set({ statuses: { ...get().statuses, [id]: status } });
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

  activeConnection() {
    const id = get().activeId;
    if (!id) return null;
    const s = get().statuses[id];
    return s && s.state !== 'disconnected' ? id : null;
  },
});
