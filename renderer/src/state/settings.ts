/** UI-level settings (persisted to localStorage where it makes sense). Notifications: ./notifications. */
import type { Slice } from './store';

export type ViewId = 'servers' | 'models' | 'repository' | 'inspector' | 'metrics';

export interface SettingsSlice {
  view: ViewId;
  setView(view: ViewId): void;
  showHelp: boolean;
  setShowHelp(v: boolean): void;
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

export const createSettingsSlice: Slice<SettingsSlice> = (set) => ({
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
});
