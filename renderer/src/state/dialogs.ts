/**
 * The one confirmation dialog: an action that changes a server (unload) or deletes something
 * asks first, naming what it acts on. Held here rather than in the component that asked, so a
 * table row scrolled out of view (and unmounted) does not take its open question with it.
 */
import type { Slice } from './store';

export interface ConfirmRequest {
  title: string;
  /** Sentences under the title; the first usually names the server and the model. */
  lines: string[];
  confirmLabel: string;
  /** Destructive: the confirm button is red and Cancel has the focus. */
  danger?: boolean;
  onConfirm(): void;
}

export interface DialogsSlice {
  confirmRequest: ConfirmRequest | null;
  askConfirm(req: ConfirmRequest): void;
  closeConfirm(): void;
}

export const createDialogsSlice: Slice<DialogsSlice> = (set) => ({
  confirmRequest: null,
  askConfirm: (confirmRequest) => set({ confirmRequest }),
  closeConfirm: () => set({ confirmRequest: null }),
});
