/**
 * Entry point of the `tritonscope` command line. Each sub-command lives in its own module under
 * ./commands and is imported lazily, so `tritonscope decode` does not pay for loading gRPC or
 * onnxruntime.
 */
import { CliError, type CliCommand } from './types';

const COMMANDS: Record<string, () => Promise<{ command: CliCommand }>> = {
  status: () => import('./commands/status'),
  models: () => import('./commands/models'),
  config: () => import('./commands/config'),
  stats: () => import('./commands/stats'),
  metrics: () => import('./commands/metrics'),
  load: () => import('./commands/load'),
  unload: () => import('./commands/unload'),
  infer: () => import('./commands/infer'),
  compare: () => import('./commands/compare'),
  serve: () => import('./commands/serve'),
  pbtxt: () => import('./commands/pbtxt'),
  decode: () => import('./commands/decode'),
  ui: () => import('./commands/ui'),
};

export function usage(): string {
  return [
    'usage: tritonscope <command> [options]',
    '',
    'Server commands (global: --url HOST:PORT|http(s)://HOST:PORT --protocol grpc|http --tls --ca F --cert F',
    '                 --key F --timeout-ms N --json):',
    '  status                       server live/ready/metadata',
    '  models                       repository index with states and reasons',
    '  config MODEL [--pbtxt|--json]',
    '  stats [MODEL]',
    '  metrics [--metrics-url URL] [--interval-ms N] [--raw]   Prometheus metrics: rates, latencies, CPU/GPU',
    '  load MODEL [--config-file F]',
    '  unload MODEL',
    '  infer --model M --image FILE [--dtype FP32|FP16] [--out F.json]',
    '  compare --model-a A --model-b B [--url-b URL] (--images DIR | --video FILE) [--json]',
    '  serve --model-repository DIR [--port N] [--http-port N] [--host H]',
    'Offline commands:',
    '  pbtxt check|json|fmt FILE',
    '  decode laneatt|ufld RAW.f32 [options] --json',
    '  ui [--port N]                browser mode on 127.0.0.1',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`tritonscope: unknown command '${name}'\n${usage()}\n`);
    return 2;
  }
  try {
    const { command } = await load();
    return await command(rest);
  } catch (err) {
    const message = err instanceof CliError || err instanceof Error ? err.message : String(err);
    // A failure is one line; a usage error (exit 2) is that line and then the command's usage.
    const usageError = err instanceof CliError && err.exitCode === 2;
    process.stderr.write(`tritonscope ${name}: ${usageError ? message.trimEnd() : message.split('\n')[0]}\n`);
    return err instanceof CliError ? err.exitCode : 1;
  }
}
