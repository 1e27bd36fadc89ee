/**
 * `tritonscope config MODEL [--pbtxt|--json]`: the configuration as the server runs it (after
 * Triton's auto-completion). Default and --pbtxt print config.pbtxt text (canonical field order, via
 * shared/pbtxt's printer); --json prints the ModelConfig with proto field names, the same JSON
 * `tritonscope load --config-file` accepts.
 */
import { printModelConfig, type ModelConfig } from '../../../shared/pbtxt';
import { CONNECTION_USAGE, parseCommandArgs, printJson, withTritonClient } from '../connectionFlags';
import { CliError, type CliCommand } from '../types';

const USAGE = `usage: tritonscope config MODEL [--pbtxt|--json] [--model-version V] ${CONNECTION_USAGE}`;

export const command: CliCommand = async (argv) => {
  const { values, positionals } = parseCommandArgs(
    argv,
    { pbtxt: { type: 'boolean' }, 'model-version': { type: 'string' } },
    { usage: USAGE, positionals: [1, 1] },
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.pbtxt && values.json) throw new CliError(`--pbtxt and --json are exclusive\n${USAGE}`, 2);
  const model = positionals[0];
  return withTritonClient(values, async (client) => {
    const config = await client.modelConfig(model, (values['model-version'] as string | undefined) ?? '');
    if (values.json) printJson(config);
    else process.stdout.write(printModelConfig(config as ModelConfig));
    return 0;
  });
};
