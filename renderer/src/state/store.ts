/**
 * The renderer's state: one zustand store assembled from slices, one slice per concern. Slices may
 * read each other through `get()` (e.g. the models slice needs the active connection).
 */
import { create } from 'zustand';
import { createServersSlice, type ServersSlice } from './servers';
import { createModelsSlice, type ModelsSlice } from './models';
import { createEditorSlice, type EditorSlice } from './editor';
import { createInspectorSlice, type InspectorSlice } from './inspector';
import { createInferenceSlice, type InferenceSlice } from './inference';
import { createSettingsSlice, type SettingsSlice } from './settings';
import { createNotificationsSlice, type NotificationsSlice } from './notifications';
import { createDialogsSlice, type DialogsSlice } from './dialogs';

export type AppState = ServersSlice &
  ModelsSlice &
  EditorSlice &
  InspectorSlice &
  InferenceSlice &
  SettingsSlice &
  NotificationsSlice &
  DialogsSlice;

export const useApp = create<AppState>()((...a) => ({
  ...createServersSlice(...a),
  ...createModelsSlice(...a),
  ...createEditorSlice(...a),
  ...createInspectorSlice(...a),
  ...createInferenceSlice(...a),
  ...createSettingsSlice(...a),
  ...createNotificationsSlice(...a),
  ...createDialogsSlice(...a),
}));

export type Slice<T> = import('zustand').StateCreator<AppState, [], [], T>;
