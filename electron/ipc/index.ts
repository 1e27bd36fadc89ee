export { registerIpcHandlers, forwardEvents, createSenderCheck } from './register';
export type { IpcMainLike, IpcInvokeEventLike, IpcOptions, IpcRegistration, WebContentsLike } from './register';
export { methodChannel, eventChannel, METHOD_CHANNELS, EVENT_CHANNELS, CHANNEL_PREFIX, EVENT_PREFIX } from './channels';
export { buildExposedApi, type IpcRendererLike } from './exposed';
