/**
 * The editor's save banner: what the last save said, shown only while it is still true. A
 * "Saved" is stale once the buffer changes again; "Not saved: the config has errors" goes away when
 * the errors are fixed (or the edit is reverted); a conflict stays until it is resolved (reload or
 * overwrite); another failure stays until there is nothing left to save or the next save.
 */
import { DiagnosticSchema } from '../../../shared/contract';
import { z } from 'zod';

export interface SaveOutcome {
  kind: 'saved' | 'conflict' | 'invalid' | 'error';
  message: string;
  backupPath?: string | null;
}

export function visibleSaveOutcome(
  outcome: SaveOutcome | null,
  now: { dirty: boolean; errorCount: number },
): SaveOutcome | null {
  if (!outcome) return null;
  switch (outcome.kind) {
    case 'saved':
      return now.dirty ? null : outcome;
    case 'invalid':
      return now.dirty && now.errorCount > 0 ? outcome : null;
    case 'error':
      return now.dirty ? outcome : null;
    case 'conflict':
      return outcome;
  }
}

const SaveRefusalDetails = z.array(DiagnosticSchema).min(1);

/**
 * A refused save as a banner: a conflict, a config with errors (the services send its diagnostics
 * as `details`; saving anyway is offered), or any other failure.
 */
export function saveFailureOutcome(e: unknown, path: string, errorText: string): SaveOutcome {
  const code = (e as { code?: string } | null)?.code;
  if (code === 'CONFLICT') {
    return {
      kind: 'conflict',
      message: `${path} changed on disk since you opened it. Reload to see the new version, or overwrite it (a backup is kept).`,
    };
  }
  const diags = SaveRefusalDetails.safeParse((e as { details?: unknown } | null)?.details);
  if (code === 'INVALID_ARGUMENT' && diags.success) {
    const errors = diags.data.filter((d) => d.severity === 'error');
    const first = errors[0] ?? diags.data[0];
    return {
      kind: 'invalid',
      message: `Not saved: ${path} has ${errors.length} error${errors.length === 1 ? '' : 's'} (first at ${first.line}:${first.column}: ${first.message}). Fix ${errors.length === 1 ? 'it' : 'them'}, or save anyway; the previous version is backed up either way.`,
    };
  }
  return { kind: 'error', message: `Save failed: ${errorText}` };
}
