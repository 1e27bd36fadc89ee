/**
 * The only web pages the desktop app opens in the user's browser (shell.openExternal): the
 * documentation the app links to. Anything else a page asks to open is refused, so a link planted
 * in a config comment, a model's metadata or an error text cannot launch arbitrary URLs or
 * protocol handlers. The renderer links to these; main checks every request against them
 * (electron/externalLinks.ts: shared/ has no URL parser).
 */

/** https origins and path prefixes of the documentation the app shows. */
export const DOCUMENTATION_LINKS: ReadonlyArray<{ origin: string; pathPrefix: string }> = [
  // Triton's user guide (model configuration, repository, protocol extensions)
  { origin: 'https://docs.nvidia.com', pathPrefix: '/deeplearning/triton-inference-server/' },
  // Triton's sources and docs on GitHub (server, core, common, client)
  { origin: 'https://github.com', pathPrefix: '/triton-inference-server/' },
  // ONNX operator reference and ONNX Runtime docs (the embedded server runs ONNX models)
  { origin: 'https://onnx.ai', pathPrefix: '/onnx/' },
  { origin: 'https://onnxruntime.ai', pathPrefix: '/docs/' },
  // The lane models the app decodes
  { origin: 'https://github.com', pathPrefix: '/lucastabelini/LaneATT/' },
];
