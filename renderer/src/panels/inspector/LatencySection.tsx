/**
 * Where a request's time goes: the client's stages (preprocess, the round trip, of it the gRPC
 * call, decode) beside the server's (queue, compute input / infer / output, from Triton's
 * statistics deltas; see serverTimes.ts), and what is left of the round trip outside the server
 * (network, bridge, (de)serialisation).
 */
import { fmtMs } from '../../components/ui';
import type { Decoded, Slot } from './model';
import { slotTarget } from './controller';
import { serverTimesKey, useServerTimes, type ServerTimes } from './serverTimes';

export function LatencySection({ a, b }: { a: Decoded; b: Decoded | null }) {
  const rows = (
    [
      ['a', a],
      ['b', b],
    ] as [Slot, Decoded | null][]
  ).filter((r): r is [Slot, Decoded] => !!r[1]?.result);
  const times = useServerTimes();
  const serverOf = (slot: Slot) => {
    const t = slotTarget(slot);
    return t ? times[serverTimesKey(t)] : undefined;
  };
  if (!rows.length) return null;
  const max = Math.max(
    ...rows.map(([, d]) => d.result!.timing.preprocessMs + d.result!.timing.requestMs + (d.decodeMs ?? 0)),
  );
  const bar = (v: number, cls: string) => (
    <div className={`bar ${cls}`} style={{ width: `${Math.max(0, Math.min(1, v / max)) * 100}%` }} />
  );
  const line = (label: string, v: number | undefined | null, cls: string, testId?: string, indent = false) => (
    <>
      <span className={indent ? 'muted indent' : 'muted'}>{label}</span>
      {bar(v ?? 0, cls)}
      <span className="val" data-testid={testId}>
        {fmtMs(v)}
      </span>
    </>
  );
  return (
    <div className="section" data-testid="latency">
      <div className="section-title">Latency</div>
      {rows.map(([slot, d]) => {
        const t = d.result!.timing;
        const total = t.preprocessMs + t.requestMs + (d.decodeMs ?? 0);
        const server = serverOf(slot);
        return (
          <div key={slot} className="timing" style={{ marginBottom: 6 }}>
            {rows.length > 1 && (
              <span style={{ gridColumn: '1 / 4' }} className="small muted">
                {slot.toUpperCase()} · {d.result!.model}
              </span>
            )}
            {line('preprocess', t.preprocessMs, 'pre')}
            {line('request', t.requestMs, 'req', 'latency-request')}
            {t.rpcMs !== undefined && line('of it gRPC', t.rpcMs, 'req', undefined, true)}
            {server && (
              <ServerLines
                server={server}
                requestMs={t.requestMs}
                line={line}
                testId={slot === 'a' ? 'latency-server' : 'latency-server-b'}
              />
            )}
            {line('decode', d.decodeMs, 'dec')}
            <span style={{ fontWeight: 600 }}>total</span>
            <span />
            <span className="val" style={{ fontWeight: 600 }}>
              {fmtMs(total)}
            </span>
          </div>
        );
      })}
    </div>
  );
}

function ServerLines({
  server,
  requestMs,
  line,
  testId,
}: {
  server: ServerTimes;
  requestMs: number;
  line: (
    label: string,
    v: number | undefined | null,
    cls: string,
    testId?: string,
    indent?: boolean,
  ) => React.ReactNode;
  testId: string;
}) {
  const outside = Math.max(0, requestMs - server.serverMs);
  return (
    <>
      <span
        className="small muted"
        style={{ gridColumn: '1 / 4' }}
        data-testid={testId}
        data-requests={server.requests}
        data-reading={server.reading}
        data-queue-ms={server.queueMs}
        data-input-ms={server.inputMs}
        data-infer-ms={server.inferMs}
        data-output-ms={server.outputMs}
        data-server-ms={server.serverMs}
        title="From the model's statistics read before and after: Triton reports no per-request times with a result. Other clients' requests to this model count too."
      >
        of it in the server {fmtMs(server.serverMs)}
        {server.requests > 1 ? ` (mean of ${server.requests} requests)` : ' (this request)'}:
      </span>
      {line('queue', server.queueMs, 'srv', undefined, true)}
      {line('compute input', server.inputMs, 'srv', undefined, true)}
      {line('compute infer', server.inferMs, 'srv', undefined, true)}
      {line('compute output', server.outputMs, 'srv', undefined, true)}
      {line('outside server', outside, 'req', undefined, true)}
    </>
  );
}
