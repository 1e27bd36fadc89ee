/**
 * The server's side of the inspector's requests. Triton reports no per-request timing in an infer
 * response; its ModelStatistics keep cumulative (count, ns) per stage: queue, compute input,
 * compute infer, compute output, and success (the whole request inside the server). After each
 * result the slot's model's statistics are read again, and the difference to the previous reading
 * divided by the requests between them is the time per request of each stage: exact for a single
 * request (paused), the mean over the interval while a video plays (other clients' requests to
 * the same model count too, as in Triton's own numbers). One read at a time per model: a result
 * that lands during a read asks for one more read after it, at most four a second.
 */
import { create } from 'zustand';
import { getApi } from '../../../api';
import type { ModelStatisticsEntry } from '../../../../shared/contract';
import type { SlotTarget } from './controller';

export interface ServerTimes {
  /** Successful requests between the two readings. */
  requests: number;
  queueMs: number;
  inputMs: number;
  inferMs: number;
  outputMs: number;
  /** The whole request inside the server (Triton's success duration). */
  serverMs: number;
  /** Increases with every reading shown (tests and views tell a new reading from the last). */
  reading: number;
}

/** Per `connectionId|model`: the latest per-request times. */
export const useServerTimes = create<Record<string, ServerTimes>>()(() => ({}));

export const serverTimesKey = (t: SlotTarget) => `${t.connectionId}|${t.model}`;

type Stage = 'queue' | 'computeInput' | 'computeInfer' | 'computeOutput' | 'success';
const STAGES: Stage[] = ['queue', 'computeInput', 'computeInfer', 'computeOutput', 'success'];
type Totals = Record<Stage, { count: bigint; ns: bigint }>;

interface Reader {
  last: Totals | null;
  reading: Promise<void> | null;
  again: boolean;
  /** A read has finished, successfully or not (a server without statistics never gives a baseline). */
  tried: boolean;
}
const readers = new Map<string, Reader>();
let readings = 0;
const MIN_READ_INTERVAL_MS = 250;

/** The model's counters summed over its versions (statistics list each loaded version). */
function totals(entries: readonly ModelStatisticsEntry[]): Totals {
  const t = Object.fromEntries(STAGES.map((s) => [s, { count: 0n, ns: 0n }])) as Totals;
  for (const e of entries)
    for (const s of STAGES) {
      t[s].count += BigInt(e.inferenceStats[s].count);
      t[s].ns += BigInt(e.inferenceStats[s].ns);
    }
  return t;
}

/** ns per request of one stage between two readings, in ms; null when no request passed it. */
function perRequestMs(a: Totals, b: Totals, s: Stage): number | null {
  const n = b[s].count - a[s].count;
  return n > 0n ? Number(b[s].ns - a[s].ns) / Number(n) / 1e6 : null;
}

async function read(key: string, target: SlotTarget, r: Reader): Promise<void> {
  const stats = await getApi().modelStatistics({ connectionId: target.connectionId, model: target.model });
  const now = totals(stats.models.filter((m) => m.name === target.model));
  const prev = r.last;
  r.last = now;
  if (!prev) return;
  const requests = Number(now.success.count - prev.success.count);
  // No request in between, or counters that went back (the model was reloaded): a new baseline.
  if (requests <= 0) return;
  const ms = (s: Stage) => perRequestMs(prev, now, s) ?? 0;
  useServerTimes.setState({
    [key]: {
      requests,
      queueMs: ms('queue'),
      inputMs: ms('computeInput'),
      inferMs: ms('computeInfer'),
      outputMs: ms('computeOutput'),
      serverMs: ms('success'),
      reading: ++readings,
    },
  });
}

function schedule(target: SlotTarget): Promise<void> {
  const key = serverTimesKey(target);
  let r = readers.get(key);
  if (!r) readers.set(key, (r = { last: null, reading: null, again: false, tried: false }));
  const reader = r;
  if (reader.reading) {
    reader.again = true;
    return reader.reading;
  }
  const run = async (): Promise<void> => {
    const started = performance.now();
    try {
      await read(key, target, reader);
    } catch {
      // A server without the statistics extension (or a failed read): no server times, no error.
    }
    reader.tried = true;
    if (reader.again) {
      reader.again = false;
      // While a video plays results keep coming: read at most a few times a second (the panel
      // follows playback 4 times a second anyway), a mean over the requests in between.
      const wait = MIN_READ_INTERVAL_MS - (performance.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      return run();
    }
  };
  reader.reading = run().finally(() => (reader.reading = null));
  return reader.reading;
}

/** Before a model's first request: the reading the first result is compared with. */
export function serverTimesBaseline(target: SlotTarget): Promise<void> {
  const r = readers.get(serverTimesKey(target));
  // Waited for once: a server whose statistics fail must not hold every request (and so every capture)
  // behind a read repeated 4 times a second.
  if (r?.last || r?.tried) return Promise.resolve();
  return r?.reading ?? schedule(target);
}

/** After a result: read the statistics again (the difference is this request's, or these requests'). */
export function readServerTimesAfter(target: SlotTarget): void {
  void schedule(target);
}

/** The model was reloaded or the connection changed: its counters start again. */
export function forgetServerTimes(connectionId?: string, model?: string): void {
  for (const key of [...readers.keys()]) {
    const [c, m] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
    if ((connectionId === undefined || c === connectionId) && (model === undefined || m === model)) readers.delete(key);
  }
}
