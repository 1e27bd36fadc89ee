/**
 * `tritonscope load MODEL [--config-file F]`: (re)loads a model (explicit model control). With
 * --config-file (config.pbtxt text or ModelConfig JSON) the file replaces config.pbtxt for this
 * load; pbtxt is checked with shared/pbtxt first (syntax, schema and semantic checks) so mistakes
 * point at file:line:column instead of Triton's opaque "failed to poll from model repository".
 */
import { readFile } from 'node:fs/promises';
import { formatDiagnostic, type Diagnostic } from '../../../shared/diagnostic';
import { fromProtoJson, parseModelConfig, PbtxtSyntaxError, toProtoJson } from '../../../shared/pbtxt';
import { CONNECTION_USAGE, parseCommandArgs, printJson, withTritonClient } from '../connectionFlags';
import { CliError, type CliCommand } from '../types';
import { decodeUtf8Strict, NotUtf8Error } from '../../files/safeSave';

const USAGE = `usage: tritonscope load MODEL [--config-file config.pbtxt|config.json [--force]] ${CONNECTION_USAGE}`;

/**
 * Triton names a config without a name after the model, and refuses one that names another
 * model ("unexpected directory name ...") behind its opaque "failed to poll from model repository".
 */
function checkName(file: string, name: string | undefined, model: string | undefined): void {
  if (model === undefined || !name || name === model) return;
  throw new CliError(`${file}: the config is for model '${name}', not '${model}' (Triton requires the same name)`);
}

/** A config's errors as one line: the first at file:line:col, and how many more (`fallback` when none is located). */
function firstError(errors: readonly Diagnostic[], file: string, fallback: string): CliError {
  const first = errors[0];
  if (!first) return new CliError(fallback);
  const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : '';
  return new CliError(`${formatDiagnostic({ ...first, file: first.file ?? file })}${more}`);
}

/** The config override as the JSON text Triton expects (checked against MODEL's name when given). */
export async function configOverrideFromFile(
  file: string,
  options: { force?: boolean; model?: string } = {},
): Promise<string> {
  let text: string;
  try {
    text = decodeUtf8Strict(await readFile(file), file);
  } catch (err) {
    if (err instanceof NotUtf8Error) throw new CliError(err.message);
    throw new CliError(`cannot read config file '${file}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (/\.json$/i.test(file) || /^\s*\{\s*"/.test(text)) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('expected a JSON object');
    } catch (err) {
      throw new CliError(`${file}: invalid JSON: ${(err as Error).message}`);
    }
    // Field names and types against the ModelConfig schema (a typo would only come back as
    // "failed to poll from model repository").
    let config;
    try {
      config = fromProtoJson(text, { file });
    } catch (err) {
      if (!(err instanceof PbtxtSyntaxError)) throw err;
      throw firstError(err.diagnostics, file, err.message);
    }
    checkName(file, config.name, options.model);
    // The text as it is: JSON.stringify(JSON.parse(...)) would round 64-bit integers past 2^53
    // (a max_sequence_idle_microseconds of 9007199254740993 would go out as ...992).
    return text.trim();
  }
  // Syntax/schema errors always stop us (there is nothing to send); semantic errors (checks that
  // Triton would fail with an opaque "failed to poll from model repository") stop us unless --force.
  const parsed = parseModelConfig(text, { file, semantic: !options.force });
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !parsed.config) throw firstError(errors, file, `${file}: not a valid ModelConfig`);
  checkName(file, parsed.config.name, options.model);
  return JSON.stringify(toProtoJson(parsed.config));
}

export const command: CliCommand = async (argv) => {
  const { values, positionals } = parseCommandArgs(
    argv,
    { 'config-file': { type: 'string' }, force: { type: 'boolean' } },
    { usage: USAGE, positionals: [1, 1] },
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const model = positionals[0];
  const configFile = values['config-file'] as string | undefined;
  const config = configFile
    ? await configOverrideFromFile(configFile, { force: Boolean(values.force), model })
    : undefined;
  return withTritonClient(values, async (client) => {
    await client.loadModel(model, { config });
    if (values.json) printJson({ model, loaded: true, configOverride: Boolean(config) });
    else process.stdout.write(`loaded '${model}'${configFile ? ` with config from ${configFile}` : ''}\n`);
    return 0;
  });
};
