/**
 * Names and paths that come from clients and end up as file system paths: model names, a model's
 * default_model_filename, and `file:` override keys. Each must stay inside its directory; the
 * checks are lexical (no file system access), so the answer is the same whether an outside file
 * exists or not.
 */
import { isAbsolute, normalize, sep } from 'node:path';
import { invalidArg } from './tritonError';

/**
 * Triton refuses `..` and names with `/` (after trimming); `.` (the repository root itself) and a
 * backslash (a separator on Windows) get the same answer here. Names that merely contain dots
 * (`model..1`, `...`) are valid, as in Triton.
 */
export function checkModelName(name: string): void {
  const trimmed = name.trim();
  if (trimmed === '') throw invalidArg('Model name cannot be empty. Please enter a valid name to deploy.');
  if (trimmed === '.' || trimmed === '..' || trimmed.includes('/') || trimmed.includes('\\')) {
    throw invalidArg(`invalid model name '${name}', model name must not contain path traversal characters`);
  }
}

/** True for a relative path whose segments are plain names (no '', '.', '..', NUL, absolute). */
function isPlainRelative(path: string): boolean {
  if (path === '' || path.includes('\0') || isAbsolute(path) || /^[A-Za-z]:/.test(path)) return false;
  return path.split(/[\\/]/).every((s) => s !== '' && s !== '.' && s !== '..');
}

/**
 * default_model_filename relative to the version directory, or an INVALID_ARGUMENT error naming
 * it. Triton itself joins it unchecked; a file outside the repository is never the intent.
 */
export function checkModelFilename(model: string, filename: string): string {
  if (!isPlainRelative(filename)) {
    throw invalidArg(
      `default_model_filename '${filename}' of model '${model}' must name a file inside the version directory`,
    );
  }
  return normalize(filename);
}

/**
 * A `file:<version>/<path>` override key as a path relative to the model directory, or null when it
 * does not name a file inside a numeric version directory.
 */
export function overrideFilePath(key: string): string | null {
  if (!isPlainRelative(key)) return null;
  const segments = key.split(/[\\/]/);
  if (segments.length < 2 || !/^(0|[1-9]\d*)$/.test(segments[0])) return null;
  return segments.join(sep);
}
