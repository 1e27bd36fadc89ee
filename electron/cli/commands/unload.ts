/** `tritonscope unload MODEL [--unload-dependents]`: unloads a model (explicit model control). */
import { CONNECTION_USAGE, parseCommandArgs, printJson, withTritonClient } from '../connectionFlags';
import type { CliCommand } from '../types';

const USAGE = `usage: tritonscope unload MODEL [--unload-dependents] ${CONNECTION_USAGE}`;

export const command: CliCommand = async (argv) => {
  const { values, positionals } = parseCommandArgs(
    argv,
    { 'unload-dependents': { type: 'boolean' } },
    { usage: USAGE, positionals: [1, 1] },
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const model = positionals[0];
  return withTritonClient(values, async (client) => {
    await client.unloadModel(model, values['unload-dependents'] ? { unloadDependents: true } : {});
    if (values.json) printJson({ model, unloaded: true });
    else process.stdout.write(`unloaded '${model}'\n`);
    return 0;
  });
};
