// The esbuild options our Node bundles share (the Electron main side, scripts/build-electron.mjs; the
// CLI, scripts/build-cli.mjs): CommonJS for Node 20, with source maps, from the repository root.

/**
 * @param {string} root the repository
 * @returns {import('esbuild').BuildOptions}
 */
export function nodeBundleOptions(root) {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    absWorkingDir: root,
    // import.meta.dirname is our ESM spelling; in the CJS bundle __dirname is the equivalent.
    define: { 'import.meta.dirname': '__dirname' },
  };
}
