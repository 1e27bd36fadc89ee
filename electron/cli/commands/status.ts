/** `tritonscope status`: server live/ready/metadata (and gRPC health) in one look. */
import { CONNECTION_USAGE, parseCommandArgs, printJson, withTritonClient } from '../connectionFlags';
import type { CliCommand } from '../types';
import { TritonClient } from '../../triton/client';
import { TritonError } from '../../triton/errors';

const USAGE = `usage: tritonscope status ${CONNECTION_USAGE}`;

export const command: CliCommand = async (argv) => {
  const { values } = parseCommandArgs(argv, {}, { usage: USAGE });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  return withTritonClient(values, async (client) => {
    const live = await client.serverLive();
    const [ready, metadata] = await Promise.all([client.serverReady(), client.serverMetadata()]);
    // Health is optional (older servers and some proxies lack it; HTTP has no grpc.health): report rather than fail.
    const health =
      client instanceof TritonClient
        ? await client.healthCheck().catch((e: unknown) => (e instanceof TritonError ? `n/a (${e.code})` : 'n/a'))
        : 'n/a (HTTP)';
    if (values.json) {
      printJson({ url: client.url, protocol: client.protocol, live, ready, health, metadata });
      return 0;
    }
    const yes = (b: boolean) => (b ? 'yes' : 'no');
    process.stdout.write(
      [
        `Triton at ${client.url} over ${client.protocol === 'http' ? 'HTTP/REST' : 'gRPC'}${client.tls ? ' (TLS)' : ''}`,
        `  live:        ${yes(live)}`,
        `  ready:       ${yes(ready)}`,
        `  health:      ${health}`,
        `  server:      ${metadata.name} ${metadata.version}`,
        `  extensions:  ${metadata.extensions.join(' ') || '-'}`,
      ].join('\n') + '\n',
    );
    return 0;
  });
};
