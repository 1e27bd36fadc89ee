/** UI-level settings and transient notifications (persisted to localStorage where it makes sense). */
import type { Slice } from './store';

export type ViewId = 'servers' | 'models' | 'repository' | 'inspector' | 'metrics';

export interface Toast {
  id: number;
  kind: 'ok' | 'err' | 'info';
  text: string;
}

export interface SettingsSlice {
  view: ViewId;
  setView(view: ViewId): void;
  showHelp: boolean;
  setShowHelp(v: boolean): void;
  toasts: Toast[];
  toast(kind: Toast['kind'], text: string): void;
  dismissToast(id: number): void;
}

const VIEW_KEY = 'tritonscope.view';

function initialView(): ViewId {
  try {
    const v = localStorage.getItem(VIEW_KEY);
    if (v === 'servers' || v === 'models' || v === 'repository' || v === 'inspector' || v === 'metrics') return v;
  } catch {
    /* storage unavailable (private mode): fall back */
  }
  return 'servers';
}

let toastSeq = 0;

export const createSettingsSlice: Slice<SettingsSlice> = (set, get) => ({
  view: initialView(),
  setView(view) {
    set({ view });
    try {
      localStorage.setItem(VIEW_KEY, view);
    } catch {
      /* ignore */
    }
  },
  showHelp: false,
  setShowHelp(showHelp) {
    set({ showHelp });
  },
  toasts: [],
  toast(kind, text) {
    const id = ++toastSeq;
    set({ toasts: [...get().toasts.slice(-4), { id, kind, text }] });
    setTimeout(() => get().dismissToast(id), kind === 'err' ? 8000 : 4000);
  },
  dismissToast(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
});
