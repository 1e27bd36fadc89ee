/**
 * The inference controller: the only code that sends inspector frames to a model. It owns
 *  - when the model metadata cache (modelMetadata.ts) is invalidated: a model loaded, unloaded or
 *    re-applied with a config override, a connection (re)connected, so a changed input shape is read again;
 *  - the in-flight limit per active slot (video frames beyond it are dropped, never queued; the frame
 *    on the stage is sent if a place frees before the next one);
 *  - the request counters and rates (in the playback store, not the app store);
 *  - the frame the Run button and Enter act on (set from an effect, never during render).
 */
import { useApp, type AppState } from '../../state/store';
import { inferFrame, StaleFrameError } from '../../lib/pipeline';
import { errorText } from '../../lib/errors';
import { resultKey, videoFrameKey, type Slot } from './model';
import { RateMeter, usePlayback } from './playback';
import { recordStage } from './pipelineStats';
import { deliver } from './delivery';
import { forgetServerTimes, readServerTimesAfter, serverTimesBaseline } from './serverTimes';
import { claim, isClaimed, release, type Claimant } from './frameClaims';
import { forgetMetadata, metadataFor } from './modelMetadata';

/** A frame captured for inference: what to draw from, its size, and its identity. */
export interface FrameRef {
  source: CanvasImageSource;
  w: number;
  h: number;
  key: string;
  index: number;
  /** A video's frame: the video's frame index at a media time (µs), -1 where unknown (see FrameArgs.frameAt). */
  indexAt?: (timestampUs: number) => number;
}

export interface SlotTarget {
  connectionId: string;
  model: string;
}

/**
 * Forgets cached metadata (all, one connection's, or one model's) and the results computed with
 * it, then re-infers the frame on the stage when inference follows the frame.
 */
export function invalidateMetadata(connectionId?: string, model?: string): void {
  forgetMetadata(connectionId, model);
  forgetServerTimes(connectionId, model);
  const st = useApp.getState();
  for (const slot of ['a', 'b'] as const) {
    const t = slotTarget(slot);
    if (
      t &&
      (connectionId === undefined || t.connectionId === connectionId) &&
      (model === undefined || t.model === model)
    )
      st.clearResults(slot);
  }
  if (current && st.autoInfer && !st.playing) inferFrameNow(current, 'missing');
}

export function slotTarget(slot: Slot, st: AppState = useApp.getState()): SlotTarget | null {
  const s = st.slots[slot];
  const connectionId = s.connectionId ?? st.activeConnection();
  if (!connectionId || !s.model) return null;
  return { connectionId, model: s.model };
}

export function activeSlots(st: AppState = useApp.getState()): Slot[] {
  return st.abMode === 'off' ? ['a'] : ['a', 'b'];
}

let current: FrameRef | null = null;

/** The frame on the stage (called from an effect when it changes). */
export function setCurrentFrame(f: FrameRef | null): void {
  current = f;
}
export function currentFrame(): FrameRef | null {
  return current;
}

const completions = new RateMeter();

/** Frame sources that a request has yet to capture from, counted (two slots can share a frame). */
const capturing = new Map<CanvasImageSource, number>();

function holdSource(source: CanvasImageSource, delta: 1 | -1): void {
  const n = (capturing.get(source) ?? 0) + delta;
  if (n > 0) capturing.set(source, n);
  else capturing.delete(source);
}

/**
 * True while the controller may still draw from `source`: it is the frame on the stage, a slot's
 * waiting frame, or a request has not finished with it. A frame cache must not close such a bitmap
 * (a closed ImageBitmap is detached: drawing it throws). Sequence runs waiting for a place
 * (placeWaiters) are not counted: they infer bitmaps of their own, never the cache's.
 */
export function frameSourceInUse(source: CanvasImageSource): boolean {
  return (
    current?.source === source ||
    capturing.has(source) ||
    waiting.a?.frame.source === source ||
    waiting.b?.frame.source === source
  );
}

/**
 * Sends the frame to every active slot, never beyond the slot's in-flight limit. At the limit,
 * 'drop' skips the frame (video playing); 'force' (Run, Enter) and 'missing' (a step, a new still)
 * keep it as the slot's one waiting frame, sent when a request finishes: a newer frame replaces
 * it, so fast steps end with the frame stepped to, not with a queue of the frames passed.
 * 'missing' sends only where no result is cached. Returns true when a request went out or waits.
 */
export function inferFrameNow(frame: FrameRef, mode: 'drop' | 'force' | 'missing'): boolean {
  const st = useApp.getState();
  const slots = activeSlots(st);
  let sent = false;
  for (const slot of slots) {
    const target = slotTarget(slot, st);
    if (!target) continue;
    if (mode === 'missing' && st.results[resultKey(slot, frame.key)]) continue;
    // A playing video's frame that was already captured for another request (see runOne) or has its
    // result: nothing to send, nothing dropped.
    if (mode === 'drop' && wanted(slot, frame.key, st)) continue;
    if (mode !== 'drop') {
      inferSlot(slot, frame, mode);
      sent = true;
    } else if (inFlight[slot] < st.maxInFlight) {
      droppedNow[slot] = null;
      void runOne(slot, target, frame);
      sent = true;
    } else {
      droppedNow[slot] = frame;
      usePlayback.setState((p) => ({ framesDropped: p.framesDropped + 1 }));
    }
  }
  return sent;
}

/**
 * Infers the frame for every active slot that has no result for it, and waits for the answers
 * (sequence runs): each request waits for a free place under the slot's in-flight limit.
 */
export async function inferFrameAndWait(frame: FrameRef): Promise<void> {
  const st = useApp.getState();
  const runs: Promise<void>[] = [];
  for (const slot of activeSlots(st)) {
    const target = slotTarget(slot, st);
    if (target && !st.results[resultKey(slot, frame.key)])
      runs.push(whenPlace(slot, () => runOne(slot, target, frame)));
  }
  await Promise.all(runs);
}

export function inferCurrentFrame(mode: 'force' | 'missing'): boolean {
  return current ? inferFrameNow(current, mode) : false;
}

const inFlight: Record<Slot, number> = { a: 0, b: 0 };
/** Per slot, the playing video's frame on the stage that met the limit (sent if a place frees before the next). */
const droppedNow: Record<Slot, FrameRef | null> = { a: null, b: null };
/** Per slot, the latest frame that met the limit while paused (sent when a place frees up). */
const waiting: Record<Slot, { frame: FrameRef; mode: 'force' | 'missing' } | null> = { a: null, b: null };
/** Sequence runs waiting for a place under the limit, first come first served (each counts itself in at once). */
const placeWaiters: Record<Slot, (() => void)[]> = { a: [], b: [] };

/** Starts the request now if the slot is under its limit, else when a place comes free. */
function whenPlace(slot: Slot, start: () => Promise<void>): Promise<void> {
  if (inFlight[slot] < useApp.getState().maxInFlight) return start();
  return new Promise((resolve) => placeWaiters[slot].push(() => void start().then(resolve)));
}

function countRequest(slot: Slot, delta: 1 | -1): void {
  inFlight[slot] = Math.max(0, inFlight[slot] + delta);
  usePlayback.setState((p) =>
    delta > 0
      ? { requestsSent: p.requestsSent + 1, inFlight: inFlight.a + inFlight.b }
      : { requestsDone: p.requestsDone + 1, inFlight: inFlight.a + inFlight.b },
  );
  if (delta < 0) startWaiting(slot);
}

/** A place under the limit came free: the frame the user waits for first, then sequence runs. */
function startWaiting(slot: Slot): void {
  const w = waiting[slot];
  if (w) {
    waiting[slot] = null;
    // Only if it is still the frame on the stage (a new source clears it) and still needed.
    if (w.frame === current || w.mode === 'force') inferSlot(slot, w.frame, w.mode);
  }
  while (inFlight[slot] < useApp.getState().maxInFlight && placeWaiters[slot].length) placeWaiters[slot].shift()!();
  sendDroppedFrame(slot);
}

/**
 * A place came free while a video plays and the frame on the stage was dropped for this slot: send it
 * now rather than wait up to a frame's time for the next one. It is captured later than the task
 * that saw it, so the captured frame's timestamp is checked (the video may have moved on).
 */
function sendDroppedFrame(slot: Slot): void {
  const frame = droppedNow[slot];
  droppedNow[slot] = null;
  const st = useApp.getState();
  const target = slotTarget(slot, st);
  if (!frame?.indexAt || frame !== current || !st.playing || !st.autoInfer || !target) return;
  // Captured meanwhile by a request made for an earlier frame (captureAs), or answered: nothing to send.
  if (inFlight[slot] >= st.maxInFlight || wanted(slot, frame.key, st)) return;
  usePlayback.setState((p) => ({ framesDropped: p.framesDropped - 1 }));
  void runOne(slot, target, frame, true);
}

function inferSlot(slot: Slot, frame: FrameRef, mode: 'force' | 'missing'): void {
  const st = useApp.getState();
  const target = slotTarget(slot, st);
  if (!target || (mode === 'missing' && st.results[resultKey(slot, frame.key)])) return;
  if (inFlight[slot] < st.maxInFlight) void runOne(slot, target, frame);
  else waiting[slot] = { frame, mode };
}

/** `late`: a dropped frame sent after the task that saw it (sendDroppedFrame). */
async function runOne(slot: Slot, target: SlotTarget, frame: FrameRef, late = false): Promise<void> {
  // The source the frame belongs to: a result that comes back after another source opened is not
  // shown or exported (frame keys of two sources may coincide: vid:0, img:0:scene.jpg).
  const source = useApp.getState().source;
  countRequest(slot, 1);
  holdSource(frame.source, 1);
  // The frame keys this request holds (frameClaims): the frame it was made for, and the frame
  // captured instead (captureAs).
  const request: Claimant = { generation: useApp.getState().resultsGeneration[slot] };
  const claimed = new Set<string>();
  if (claim(slot, frame.key, request)) claimed.add(frame.key);
  let placeHeld = true;
  // The request's place under the in-flight limit is freed as soon as its answer is back, not when the
  // answer reaches the store: while a video plays that waits for the next animation frame (~20 ms
  // here), and holding the place through it kept the next frame from being sent (2 in flight delivered
  // ~26 inferences/s with a ~45 ms round trip).
  const releasePlace = () => {
    if (!placeHeld) return;
    placeHeld = false;
    holdSource(frame.source, -1);
    countRequest(slot, -1);
  };
  try {
    const [meta] = await Promise.all([metadataFor(target.connectionId, target.model), serverTimesBaseline(target)]);
    const frameAt = frame.indexAt && ((us: number) => captureAs(slot, frame, frame.indexAt!(us), request, claimed));
    const r = await inferFrame({
      connectionId: target.connectionId,
      meta,
      source: frame.source,
      frameW: frame.w,
      frameH: frame.h,
      frameKey: frame.key,
      frameIndex: frame.index,
      pre: useApp.getState().preprocess,
      ...(frameAt ? { frameAt } : {}),
      late,
    });
    releasePlace();
    usePlayback.setState((p) => ({ answers: p.answers + 1 }));
    if (!stillWanted(slot, target, source, request.generation)) return;
    recordStage('capture', r.timing.captureMs ?? NaN);
    recordStage('tensor', r.timing.tensorMs ?? NaN);
    recordStage('handoff', r.timing.handoffMs ?? NaN);
    recordStage('bridge', r.timing.requestMs - (r.timing.servicesMs ?? r.timing.requestMs));
    recordStage('grpc', r.timing.rpcMs ?? NaN);
    recordStage('unpack', r.timing.unpackMs ?? NaN);
    recordStage('total', r.timing.totalMs ?? NaN);
    usePlayback.setState({ inferFps: completions.tick() });
    readServerTimesAfter(target);
    await deliver(slot, r, (st) => stillWanted(slot, target, source, request.generation, st));
  } catch (e) {
    if (e instanceof StaleFrameError) usePlayback.setState((p) => ({ framesDropped: p.framesDropped + 1 }));
    // The failure of a request nobody waits for any more (e.g. the model it asked was switched) is not shown.
    else if (stillWanted(slot, target, source, request.generation))
      useApp.getState().setInferError(slot, `${target.model}: ${errorText(e)}`);
  } finally {
    releasePlace();
    release(slot, request, claimed);
  }
}

/** A request of this generation holds the frame, or it has a result: a playing video skips it. */
function wanted(slot: Slot, key: string, st: AppState): boolean {
  return isClaimed(slot, key, st.resultsGeneration[slot]) || !!st.results[resultKey(slot, key)];
}

/**
 * A request's answer is still wanted: the slot runs the same model, the same source is open, and the
 * slot's results were not cleared since it started (another preprocessing, a reloaded model).
 */
function stillWanted(
  slot: Slot,
  target: SlotTarget,
  source: unknown,
  generation: number,
  st: AppState = useApp.getState(),
): boolean {
  const now = slotTarget(slot, st);
  return (
    !!now &&
    now.model === target.model &&
    now.connectionId === target.connectionId &&
    st.source === source &&
    st.resultsGeneration[slot] === generation
  );
}

/**
 * Which frame a video capture goes out as (FrameArgs.frameAt). The request was made for `frame`, but
 * the capture happens when it starts, and the video may have moved on by then (the model's metadata
 * was read first; a place under the in-flight limit freed later; Play was pressed): the captured
 * pixels then go out as the frame they are, under its key, unless that frame has a result or a
 * request of its own (null: not sent). Before this check, Play pressed right after a video opened
 * sent frame 1's pixels under frame 0's key (the frame-identity E2E test).
 */
function captureAs(
  slot: Slot,
  frame: FrameRef,
  index: number,
  request: Claimant,
  claimed: Set<string>,
): { key: string; index: number } | null {
  if (index === frame.index) return { key: frame.key, index };
  if (index < 0) return null;
  const key = videoFrameKey(index);
  if (claimed.has(key)) return { key, index }; // asked again (the worker path fell back to the main thread)
  if (useApp.getState().results[resultKey(slot, key)] || !claim(slot, key, request)) return null;
  claimed.add(key);
  return { key, index };
}

/**
 * Watches the app store for what makes cached metadata wrong: a load/unload (including "Apply to
 * server", which is a load with a config override) finishing, and a connection becoming connected
 * (again). Returns the unsubscribe function; installed once by the inspector view.
 */
export function watchModelLifecycle(): () => void {
  return useApp.subscribe((s, prev) => {
    if (s.modelBusy !== prev.modelBusy) {
      for (const [name, was] of Object.entries(prev.modelBusy)) {
        if (was && !s.modelBusy[name]) {
          const conn = s.activeConnection();
          if (conn) invalidateMetadata(conn, name);
        }
      }
    }
    if (s.statuses !== prev.statuses) {
      for (const [id, status] of Object.entries(s.statuses)) {
        if (status.state === 'connected' && prev.statuses[id]?.state !== 'connected') invalidateMetadata(id);
      }
    }
  });
}
