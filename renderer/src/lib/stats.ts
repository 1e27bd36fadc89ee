/** Triton statistics are cumulative counters; the UI shows them per sampling interval. */
import type { StatSample } from '../state/models';

export interface Rates {
  t: number[];
  rps: (number | null)[];
  latency: (number | null)[];
  queue: (number | null)[];
  compute: (number | null)[];
}

/** Per-interval rates from cumulative counters: requests/s and mean ms per request. */
export function ratesFrom(samples: StatSample[]): Rates {
  const r: Rates = { t: [], rps: [], latency: [], queue: [], compute: [] };
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1].entry.inferenceStats;
    const b = samples[i].entry.inferenceStats;
    const dt = (samples[i].t - samples[i - 1].t) / 1000;
    const dn = b.success.count - a.success.count;
    if (dt <= 0) continue;
    r.t.push(samples[i].t / 1000);
    r.rps.push(dn / dt);
    const per = (x: { ns: number }, y: { ns: number }) => (dn > 0 ? (y.ns - x.ns) / dn / 1e6 : null);
    r.latency.push(per(a.success, b.success));
    r.queue.push(per(a.queue, b.queue));
    r.compute.push(per(a.computeInfer, b.computeInfer));
  }
  return r;
}
