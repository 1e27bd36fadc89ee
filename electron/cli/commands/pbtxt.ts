/**
 * `tritonscope pbtxt check|json|fmt FILE`: offline config.pbtxt tools.
 *
 *   check FILE [--json]   diagnostics as `file:line:col: severity: message` (or a JSON array);
 *                         exit 1 when there is any error, 0 otherwise (warnings do not fail)
 *   json FILE             the ModelConfig in canonical proto3 JSON
 *   fmt FILE [--write]    canonical layout to stdout, or rewrite the file in place (safely)
 */
import { readFile } from 'node:fs/promises';
import { formatDiagnostic } from '../../../shared/diagnostic';
import {
  PbtxtSyntaxError,
  formatModelConfig,
  parseModelConfig,
  stringifyProtoJson,
  toProtoJson,
} from '../../../shared/pbtxt';
import { NotUtf8Error, decodeUtf8Strict, readForEdit, saveSafely } from '../../files/safeSave';
import { parseFlags } from '../flags';
import { CliError, type CliCommand } from '../types';

const USAGE = 'usage: tritonscope pbtxt check FILE [--json] | json FILE | fmt FILE [--write]';

/** A failed read of `file` as the command reports it. */
function readFailure(file: string, err: unknown): CliError {
  if (err instanceof NotUtf8Error) return new CliError(err.message);
  return new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
}

/** The file's text; bytes that are not UTF-8 are an error (a lossy read would hide them in U+FFFD). */
async function readText(file: string): Promise<string> {
  try {
    return decodeUtf8Strict(await readFile(file), file);
  } catch (err) {
    throw readFailure(file, err);
  }
}

function printErrors(diagnostics: PbtxtSyntaxError['diagnostics']): void {
  for (const d of diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
}

export const command: CliCommand = async (argv) => {
  // Through parseFlags: an unknown flag is a usage error (exit 2), not "the config has errors" (1).
  const { values, positionals } = parseFlags(
    argv,
    { json: { type: 'boolean' }, write: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
  );
  const [sub, file, ...extra] = positionals;
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (!sub || !file || extra.length) throw new CliError(USAGE, 2);

  switch (sub) {
    case 'check': {
      const text = await readText(file);
      const { diagnostics } = parseModelConfig(text, { file });
      if (values.json) process.stdout.write(JSON.stringify(diagnostics, null, 2) + '\n');
      else for (const d of diagnostics) process.stdout.write(formatDiagnostic(d) + '\n');
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      if (!values.json) {
        const warnings = diagnostics.length - errors;
        process.stderr.write(
          `${file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`,
        );
      }
      return errors ? 1 : 0;
    }
    case 'json': {
      const text = await readText(file);
      const { config, diagnostics } = parseModelConfig(text, { file, semantic: false });
      if (!config) {
        printErrors(diagnostics.filter((d) => d.severity === 'error'));
        return 1;
      }
      process.stdout.write(stringifyProtoJson(toProtoJson(config)) + '\n');
      return 0;
    }
    case 'fmt': {
      const snapshot = values.write
        ? await readForEdit(file).catch((err: unknown) => {
            throw readFailure(file, err);
          })
        : undefined;
      const text = snapshot?.text ?? (await readText(file));
      let formatted: string;
      try {
        formatted = formatModelConfig(text, { file });
      } catch (err) {
        if (!(err instanceof PbtxtSyntaxError)) throw err;
        printErrors(err.diagnostics);
        return 1;
      }
      if (!values.write) {
        process.stdout.write(formatted);
        return 0;
      }
      if (formatted === text) return 0;
      const r = await saveSafely(file, formatted, { expectedHash: snapshot?.hash });
      process.stderr.write(`formatted ${file}${r.backupPath ? ` (previous version: ${r.backupPath})` : ''}\n`);
      return 0;
    }
    default:
      throw new CliError(`unknown pbtxt sub-command '${sub}'\n${USAGE}`, 2);
  }
};
