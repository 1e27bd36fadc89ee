/**
 * Triton statistics are cumulative uint64 counters (decimal strings in the contract, exact); the UI
 * shows them per sampling interval. Differences are taken exactly (BigInt) before becoming numbers.
 */
import type { StatSample } from '../state/models';

export interface Rates {
  t: number[];
  rps: (number | null)[];
  latency: (number | null)[];
  queue: (number | null)[];
  compute: (number | null)[];
}

/** b - a of two uint64 decimal strings, as a number (the difference is small even when the totals are not). */
export function u64Delta(a: string, b: string): number {
  return Number(BigInt(b) - BigInt(a));
}

/** Mean ms per request of a cumulative duration: ns / count. */
export function meanMs(d: { count: string; ns: string }): number | null {
  const n = BigInt(d.count);
  return n > 0n ? Number(BigInt(d.ns) / n) / 1e6 : null;
}

/** Per-interval rates from cumulative counters: requests/s and mean ms per request. */
export function ratesFrom(samples: StatSample[]): Rates {
  const r: Rates = { t: [], rps: [], latency: [], queue: [], compute: [] };
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1].entry.inferenceStats;
    const b = samples[i].entry.inferenceStats;
    const dt = (samples[i].t - samples[i - 1].t) / 1000;
    const dn = u64Delta(a.success.count, b.success.count);
    if (dt <= 0) continue;
    r.t.push(samples[i].t / 1000);
    r.rps.push(dn / dt);
    const per = (x: { ns: string }, y: { ns: string }) => (dn > 0 ? u64Delta(x.ns, y.ns) / dn / 1e6 : null);
    r.latency.push(per(a.success, b.success));
    r.queue.push(per(a.queue, b.queue));
    r.compute.push(per(a.computeInfer, b.computeInfer));
  }
  return r;
}
