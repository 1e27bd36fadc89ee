/**
 * Toasts and the notifications log. A toast is a short-lived view of a notice; the log keeps every
 * notice (toasts and the errors shown in place, e.g. a server going unreachable) with its raw
 * detail, so a message that vanished after a few seconds can still be read and copied.
 */
import type { Slice } from './store';

export type NoticeKind = 'ok' | 'err' | 'warn' | 'info';

/** A button on a toast (e.g. "Re-load" after an unload). Not kept in the log once it has run. */
export interface NoticeAction {
  label: string;
  run(): void;
}

export interface Notice {
  id: number;
  /** Epoch ms of the first occurrence, and of the last repeat. */
  at: number;
  lastAt: number;
  kind: NoticeKind;
  text: string;
  /** The raw error (code, message, details) or other detail, shown expanded in the log. */
  detail?: string;
  /** What produced it, e.g. the server's name; shown in the log. */
  source?: string;
  /** How many times the same notice came in a row (a poll failing every few seconds is one entry). */
  count: number;
  action?: NoticeAction;
}

export interface NotifyOptions {
  detail?: string;
  source?: string;
  action?: NoticeAction;
  /** Show it as a toast too (default: yes). Errors already shown in place pass false. */
  toast?: boolean;
}

export interface NotificationsSlice {
  toasts: Notice[];
  log: Notice[];
  /** Log entries added since the log was last opened. */
  unreadLog: number;
  showLog: boolean;
  toast(kind: NoticeKind, text: string, opts?: NotifyOptions): void;
  dismissToast(id: number): void;
  setShowLog(show: boolean): void;
  clearLog(): void;
}

/** Entries kept; the oldest go first. Enough for a day of use; small enough to render at once. */
export const LOG_LIMIT = 500;
const TOAST_MS: Record<NoticeKind, number> = { err: 8000, warn: 8000, ok: 4000, info: 4000 };
/** A toast with an action (undo) stays long enough to be used. */
const ACTION_TOAST_MS = 12_000;

let seq = 0;

export const createNotificationsSlice: Slice<NotificationsSlice> = (set, get) => ({
  toasts: [],
  log: [],
  unreadLog: 0,
  showLog: false,

  toast(kind, text, opts = {}) {
    const now = Date.now();
    const log = get().log;
    const last = log[log.length - 1];
    const repeat = last && last.kind === kind && last.text === text && last.detail === opts.detail;
    const notice: Notice = repeat
      ? { ...last, lastAt: now, count: last.count + 1, action: opts.action }
      : { id: ++seq, at: now, lastAt: now, kind, text, count: 1, ...opts };
    delete (notice as { toast?: boolean }).toast;
    set({
      log: repeat ? [...log.slice(0, -1), notice] : [...log.slice(-(LOG_LIMIT - 1)), notice],
      unreadLog: get().showLog ? 0 : get().unreadLog + (repeat ? 0 : 1),
    });
    if (opts.toast === false) return;
    set({
      toasts: [
        ...get()
          .toasts.filter((t) => t.id !== notice.id)
          .slice(-4),
        notice,
      ],
    });
    const id = notice.id;
    setTimeout(() => get().dismissToast(id), opts.action ? ACTION_TOAST_MS : TOAST_MS[kind]);
  },

  dismissToast(id) {
    if (get().toasts.some((t) => t.id === id)) set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },

  setShowLog(showLog) {
    set({ showLog, ...(showLog ? { unreadLog: 0 } : {}) });
  },

  clearLog() {
    set({ log: [], unreadLog: 0 });
  },
});
