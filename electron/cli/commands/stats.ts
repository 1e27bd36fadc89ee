/** `tritonscope stats [MODEL]`: inference statistics per model version, averages in ms. */
import { CONNECTION_USAGE, parseCommandArgs, printJson, withTritonClient } from '../connectionFlags';
import { formatTable } from '../table';
import type { CliCommand } from '../types';
import type { StatisticDuration } from '../../triton/types';

const USAGE = `usage: tritonscope stats [MODEL] [--model-version V] ${CONNECTION_USAGE}`;

/** Average duration in ms; BigInt keeps cumulative ns exact before the division. */
function avgMs(d: StatisticDuration): string {
  const count = BigInt(d.count);
  if (count === 0n) return '-';
  const avgNs = BigInt(d.ns) / count;
  return (Number(avgNs) / 1e6).toFixed(3);
}

export const command: CliCommand = async (argv) => {
  const { values, positionals } = parseCommandArgs(
    argv,
    { 'model-version': { type: 'string' } },
    { usage: USAGE, positionals: [0, 1] },
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  return withTritonClient(values, async (client) => {
    const stats = await client.modelStatistics(
      positionals[0] ?? '',
      (values['model-version'] as string | undefined) ?? '',
    );
    if (values.json) {
      printJson(stats);
      return 0;
    }
    if (stats.length === 0) {
      process.stdout.write('no READY models\n');
      return 0;
    }
    const rows = stats.map((s) => {
      const i = s.inference_stats;
      const last = s.last_inference === '0' ? 'never' : new Date(Number(s.last_inference)).toISOString();
      return [
        s.name,
        s.version,
        s.inference_count,
        s.execution_count,
        i.success.count,
        i.fail.count,
        avgMs(i.success),
        avgMs(i.queue),
        avgMs(i.compute_input),
        avgMs(i.compute_infer),
        avgMs(i.compute_output),
        last,
      ];
    });
    process.stdout.write(
      `${formatTable(['MODEL', 'VERSION', 'INFERENCES', 'EXECUTIONS', 'OK', 'FAILED', 'AVG_MS', 'QUEUE_MS', 'INPUT_MS', 'INFER_MS', 'OUTPUT_MS', 'LAST_INFERENCE'], rows)}\n`,
    );
    return 0;
  });
};
