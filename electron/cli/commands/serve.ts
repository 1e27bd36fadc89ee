/**
 * `tritonscope serve`: runs the embedded Triton-protocol server on a model repository until
 * SIGINT/SIGTERM. Loopback only unless --host names another address AND --allow-remote is given,
 * because the server has no authentication of its own.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { parsePortFlag } from '../flags';
import { CliError, type CliCommand } from '../types';
// The bridge's definition of loopback (any 127.x.y.z, localhost, ::1), so serve and ui agree.
import { isLoopbackHost } from '../../bridge/security';

const HELP = `usage: tritonscope serve --model-repository DIR [options]
  --port N                      gRPC port (default 8001; 0 = any free port)
  --http-port N                 also serve Triton's HTTP/REST protocol on N (Triton's default is 8000;
                                0 = any free port); same host and TLS as gRPC
  --host H                      bind address (default 127.0.0.1; non-loopback needs --allow-remote)
  --allow-remote                permit a non-loopback --host
  --model-control-mode M        explicit (default) | none
  --load-model M                load only M at start-up in explicit mode (repeatable; '*' = all, the default)
  --load-none                   explicit mode: load nothing at start-up (tritonserver's behaviour
                                without --load-model); models are loaded on request
  --tls-cert F --tls-key F      serve TLS (gRPC and HTTPS) with this PEM certificate and key
  --tls-ca F                    CA for client certificates
  --require-client-cert         mutual TLS: reject clients without a certificate from --tls-ca
  --allow-client-shm            enable system shared memory registration
  --metrics-port N              serve Prometheus metrics at http://HOST:N/metrics (Triton's default
                                is 8002; 0 = any free port); same host as gRPC, plain HTTP
  --verbose                     print the server log (load failures with their full reasons)`;

export const command: CliCommand = async (argv) => {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'model-repository': { type: 'string' },
        port: { type: 'string', default: '8001' },
        'http-port': { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        'allow-remote': { type: 'boolean', default: false },
        'model-control-mode': { type: 'string', default: 'explicit' },
        'load-model': { type: 'string', multiple: true },
        'load-none': { type: 'boolean', default: false },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'tls-ca': { type: 'string' },
        'require-client-cert': { type: 'boolean', default: false },
        'allow-client-shm': { type: 'boolean', default: false },
        'metrics-port': { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message} (see --help)`, 2);
  }
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const repository = values['model-repository'];
  if (!repository) throw new CliError('--model-repository DIR is required', 2);
  const port = parsePortFlag(values.port, 8001);
  const httpPort =
    values['http-port'] === undefined ? undefined : parsePortFlag(values['http-port'], 8000, '--http-port');
  const metricsPort =
    values['metrics-port'] === undefined ? undefined : parsePortFlag(values['metrics-port'], 8002, '--metrics-port');
  const host = values.host;
  if (!isLoopbackHost(host) && !values['allow-remote']) {
    throw new CliError(
      `refusing to listen on non-loopback host '${host}' without --allow-remote (the server has no authentication)`,
      2,
    );
  }
  const mode = values['model-control-mode'];
  if (mode !== 'explicit' && mode !== 'none')
    throw new CliError(`--model-control-mode must be explicit or none, got '${mode}'`, 2);
  const loadList = values['load-model'] ?? [];
  if (mode === 'none' && (loadList.length > 0 || values['load-none']))
    throw new CliError('--load-model/--load-none only apply with --model-control-mode explicit', 2);
  if (loadList.length > 0 && values['load-none'])
    throw new CliError('--load-model and --load-none exclude each other', 2);
  // Unlike tritonserver in explicit mode, serve everything by default: a debugging server that
  // starts with nothing loaded surprises more than it helps; --load-none keeps Triton's behaviour.
  const loadModels = values['load-none'] ? [] : loadList.length === 0 || loadList.includes('*') ? '*' : loadList;

  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if (Boolean(certFile) !== Boolean(keyFile)) throw new CliError('--tls-cert and --tls-key go together', 2);
  if ((values['tls-ca'] || values['require-client-cert']) && !certFile)
    throw new CliError('--tls-ca/--require-client-cert need --tls-cert and --tls-key', 2);
  if (values['require-client-cert'] && !values['tls-ca'])
    throw new CliError('--require-client-cert needs --tls-ca to verify client certificates', 2);
  const readPem = (file: string, flag: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new CliError(`${flag} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const tls =
    certFile && keyFile
      ? {
          cert: readPem(certFile, '--tls-cert'),
          key: readPem(keyFile, '--tls-key'),
          ca: values['tls-ca'] ? readPem(values['tls-ca'], '--tls-ca') : undefined,
          requireClientCert: values['require-client-cert'],
        }
      : undefined;

  const { startEmbeddedServer } = await import('../../server');
  const verbose = values.verbose;
  let server;
  try {
    server = await startEmbeddedServer({
      modelRepository: repository,
      host,
      port,
      httpPort,
      tls,
      controlMode: mode,
      loadModels,
      allowClientShm: values['allow-client-shm'],
      metricsPort,
      log: verbose ? (line) => process.stderr.write(`[server] ${line}\n`) : undefined,
    });
  } catch (err) {
    throw new CliError((err as Error).message);
  }

  process.stdout.write(
    `tritonscope embedded server listening on ${tls ? 'grpcs://' : ''}${server.url} (model control mode: ${mode})\n`,
  );
  if (server.httpUrl) process.stdout.write(`HTTP/REST on ${tls ? 'https' : 'http'}://${server.httpUrl}\n`);
  if (server.metricsUrl) process.stdout.write(`Prometheus metrics on ${server.metricsUrl}\n`);
  const entries = server.repositoryIndex();
  if (entries.length === 0) process.stdout.write('  (no models in the repository)\n');
  for (const e of entries) {
    const what = e.state
      ? `${e.version ? `v${e.version} ` : ''}${e.state}${e.reason ? ` — ${e.reason}` : ''}`
      : 'not loaded';
    process.stdout.write(`  ${e.name}: ${what}\n`);
  }
  process.stdout.write('Press Ctrl+C to stop.\n');

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(`\n${signal}: stopping\n`);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve();
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  await server.close();
  return 0;
};
