/** Types of scripts/build-electron.mjs (used by test/app/electron-build.test.ts). */
export function buildElectron(): Promise<void>;
export function electronBundlesStale(): boolean;
