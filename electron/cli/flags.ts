/**
 * Flag handling more than one command shares, so every command reports bad flags the same way:
 * a one-line CliError with exit code 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './types';

export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs in strict mode with positionals allowed. A parse error becomes a CliError
 * (exit 2): parseArgs' message on one line, then the command's usage.
 */
export function parseFlags<O extends FlagOptions>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    // parseArgs' hints (e.g. "use '--topk=-XYZ'" for a negative value) are on its later lines.
    const message = (err as Error).message
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join(' ');
    throw new CliError(`${message}\n${usage}`, 2);
  }
}

/** A --port value: an integer 0..65535 (0 = any free port); `fallback` when the flag is absent. */
export function parsePortFlag(value: string | undefined, fallback: number, flag = '--port'): number {
  const port = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`${flag} must be 0..65535, got '${value}'`, 2);
  return port;
}
