export { startBridge, type Bridge, type BridgeOptions } from './server';
export { contentSecurityPolicy, securityHeaders, resolveStaticFile, mimeType } from './security';
