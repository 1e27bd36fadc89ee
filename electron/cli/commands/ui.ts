/**
 * `tritonscope ui [--port N] [--host 127.0.0.1] [--no-demo] [--repo DIR] [--open]`: browser mode.
 * Starts the embedded demo server and the loopback bridge, prints the URL (with its per-run token)
 * and serves until interrupted. `--open` opens the browser through a one-time login file
 * (bridge/launch), so the token is never on a command line.
 */
import { parseArgs } from 'node:util';
import { parsePortFlag } from '../flags';
import { CliError, type CliCommand } from '../types';
import { nonLoopbackRefusal } from '../../bridge/security';
import type { WebSocketLike } from '../../../shared/contract';

// The services, gRPC and the bridge are loaded only once the flags are known to be good: a mistyped
// flag is answered at once (it took 1.2-1.8 s of CPU when they were loaded first).

const USAGE = [
  'usage: tritonscope ui [--port N] [--host 127.0.0.1] [--no-demo] [--repo DIR] [--open] [--allow-non-loopback]',
  '  browser mode: the embedded demo server and the app on a loopback port, until Ctrl-C',
].join('\n');

export const command: CliCommand = async (argv) => {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        'no-demo': { type: 'boolean', default: false },
        repo: { type: 'string' },
        open: { type: 'boolean', default: false },
        'allow-non-loopback': { type: 'boolean', default: false },
        /** Start, print the URL, verify the page answers, and exit (used by tests/CI). */
        smoke: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port = parsePortFlag(values.port, 0);
  const refusal = nonLoopbackRefusal(values.host, values['allow-non-loopback']);
  if (refusal) throw new CliError(refusal);

  const { startBrowserMode } = await import('../../bridge/browserMode');
  let mode;
  try {
    mode = await startBrowserMode({
      port,
      host: values.host,
      allowNonLoopback: values['allow-non-loopback'],
      demo: !values['no-demo'],
      repo: values.repo,
      log: (line) => process.stderr.write(`tritonscope ui: ${line}\n`),
    });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  process.stdout.write(
    `Tritonscope (browser mode) is running at:\n\n  ${mode.bridge.url}\n\nThe token in the URL is required and changes every run. Press Ctrl+C to stop.\n`,
  );

  if (values.smoke) {
    const ok = await smokeCheck(mode.bridge.url);
    await mode.close();
    process.stdout.write(`smoke: ${ok}\n`);
    return ok.startsWith('ok') ? 0 : 1;
  }
  const launch = values.open ? (await import('../../bridge/launch')).openInBrowser(mode.bridge) : null;

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stderr.write('tritonscope ui: stopping\n');
  launch?.cleanup();
  await mode.close();
  return 0;
};

/** Fetches the page with the token (following the cookie redirect) and reports what came back. */
export async function smokeCheck(url: string): Promise<string> {
  const first = await fetch(url, { redirect: 'manual' });
  const cookie = first.headers.get('set-cookie')?.split(';')[0];
  if (first.status !== 302 || !cookie) return `failed: expected a 302 with a cookie, got ${first.status}`;
  // As the browser's own navigation would (a cookie alone is refused).
  const page = await fetch(new URL(first.headers.get('location') ?? '/', url), {
    headers: { cookie, 'sec-fetch-site': 'same-origin' },
  });
  if (page.status !== 200 && page.status !== 503) return `failed: page answered ${page.status}`;
  // and one API call over the WebSocket, as the page would make it
  const [{ default: WebSocket }, { createApiClient, createWebSocketTransport }] = await Promise.all([
    import('ws'),
    import('../../../shared/contract'),
  ]);
  const origin = new URL(url).origin;
  const transport = createWebSocketTransport({
    url: `${origin.replace(/^http/, 'ws')}/api/ws`,
    reconnect: false,
    createSocket: (u) => new WebSocket(u, { headers: { cookie, origin } }) as unknown as WebSocketLike,
  });
  try {
    const info = await createApiClient(transport).appInfo();
    if (info.mode !== 'browser') return `failed: appInfo said mode '${info.mode}'`;
  } catch (err) {
    return `failed: API call over the WebSocket: ${(err as Error).message}`;
  } finally {
    transport.close();
  }
  return page.status === 503 ? 'ok (API answers; renderer not built)' : 'ok (page served, API answers)';
}
