/** `tritonscope models`: the repository index with states and reasons. */
import { CONNECTION_USAGE, parseCommandArgs, printJson, withTritonClient } from '../connectionFlags';
import { formatTable } from '../table';
import type { CliCommand } from '../types';

const USAGE = `usage: tritonscope models [--ready] ${CONNECTION_USAGE}`;

export const command: CliCommand = async (argv) => {
  const { values } = parseCommandArgs(argv, { ready: { type: 'boolean' } }, { usage: USAGE });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  return withTritonClient(values, async (client) => {
    const models = await client.repositoryIndex({ ready: Boolean(values.ready) });
    if (values.json) {
      printJson(models);
      return 0;
    }
    if (models.length === 0) {
      process.stdout.write('no models in the repository\n');
      return 0;
    }
    const rows = models.map((m) => [
      m.name,
      m.version || '-',
      m.state || '(not loaded)',
      m.reason.trim().split('\n')[0] ?? '',
    ]);
    process.stdout.write(`${formatTable(['MODEL', 'VERSION', 'STATE', 'REASON'], rows)}\n`);
    return 0;
  });
};
