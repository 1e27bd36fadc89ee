/**
 * The stage: the frame with lanes, proposals and ground truth (one stage, or A and B side by side),
 * the chips over it, the hovered lane's points, and the drop zone. It re-renders when a result or a
 * setting changes, not per video frame: the frame image is redrawn through the redraw signal.
 */
import { useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { FrameStage, type OverlaySet } from '../../components/FrameStage';
import { laneColor } from '../../components/overlayStyle';
import { tusimpleLanePoints, type Lane, type Point, type TusimpleFrame } from '../../../../shared/lanes';
import { OverlayLegend } from './OverlayLegend';
import type { RowDelta } from '../../../../shared/inference';
import { judgeLanes, type Decoded, type Slot } from './model';
import { usePlaybackSampled } from './playback';
import { openMixed } from './sources';
import type { Media, Signal } from './useFrameMedia';

export interface StageAreaProps {
  media: Media | null;
  redraw: Signal;
  a: Decoded;
  b: Decoded;
  /** The GT of the frame shown (lanes are judged TP / FP against it, GT lanes found / missed). */
  gtFrame: TusimpleFrame | null;
  fit: number;
  /** A/B Δ layer: rows of matched lanes, from A's x to B's x, coloured by |Δx| (drawn on stage A). */
  deltaRows?: readonly RowDelta[];
}

export function StageArea({ media, redraw, a, b, gtFrame, fit, deltaRows }: StageAreaProps) {
  const abMode = useApp((s) => s.abMode);
  const layers = useApp((s) => s.layers);
  const [hover, setHover] = useState<{ set: number; index: number; lane: Lane } | null>(null);
  const shownGt = layers.gt ? gtFrame : null;
  const frameW = media?.w ?? 0;
  const frameH = media?.h ?? 0;
  // Judged against the GT shown (not in the A/B overlay, where colour tells A from B).
  const judged = useMemo(
    () =>
      (['a', 'b'] as const).map((slot) =>
        abMode === 'overlay' ? null : judgeLanes((slot === 'a' ? a : b).decoded, shownGt, frameW, frameH),
      ),
    [a, b, shownGt, abMode, frameW, frameH],
  );
  // A frame stepped to is judged once its answer comes; until then the legend keeps its TP / FP rows
  // (the model already answered for other frames) instead of dropping and re-adding them every step.
  const answeredBefore = useApp((s) => s.latest.a !== null);
  const judgingPending = abMode !== 'overlay' && !!shownGt?.lanes.length && answeredBefore;
  const gt = useMemo(() => gtDrawing(shownGt, judged[0]?.gtFound), [shownGt, judged]);
  const gtB = useMemo(() => gtDrawing(shownGt, judged[1]?.gtFound), [shownGt, judged]);

  // Stable overlay arrays: FrameStage's memo (and its data-lanes JSON) only recompute on change.
  const overlays = useMemo(() => {
    const out: OverlaySet[] = [];
    const overlay = abMode === 'overlay';
    if (layers.lanes && a.decoded)
      out.push({
        lanes: a.decoded.lanes,
        tag: overlay ? 'A' : undefined,
        family: overlay ? 'A' : undefined,
        match: judged[0]?.match,
        stale: a.stale,
      });
    if (layers.lanes && overlay && b.decoded)
      out.push({ lanes: b.decoded.lanes, family: 'B', tag: 'B', stale: b.stale });
    return out;
  }, [layers.lanes, a, b, abMode, judged]);
  const sideOverlays = useMemo(
    (): OverlaySet[][] =>
      (['a', 'b'] as const).map((slot, i) => {
        const d = slot === 'a' ? a : b;
        return layers.lanes && d.decoded ? [{ lanes: d.decoded.lanes, match: judged[i]?.match, stale: d.stale }] : [];
      }),
    [layers.lanes, a, b, judged],
  );
  const hoverColor = (set: number, index: number) => {
    const o = abMode === 'side' ? sideOverlays[set]?.[0] : overlays[set];
    return laneColor(index, o?.family, o?.match?.[index]);
  };

  return (
    <DropZone>
      {!media && <EmptyStage />}
      {media && abMode !== 'side' && (
        <FrameStage
          testId="stage-a"
          image={media.source}
          frameW={media.w}
          frameH={media.h}
          overlays={overlays}
          proposals={layers.proposals ? a.decoded?.proposals : undefined}
          gt={gt.lanes}
          gtFound={gt.found}
          showLabels={layers.labels}
          fitSignal={fit}
          redrawSignal={redraw}
          presentVideo
          onHover={setHover}
          deltaRows={deltaRows}
        />
      )}
      {media && abMode === 'side' && (
        <div style={{ position: 'absolute', inset: 0, display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 2 }}>
          {(['a', 'b'] as const).map((slot, i) => {
            const d = slot === 'a' ? a : b;
            return (
              <div key={slot} style={{ position: 'relative' }}>
                <FrameStage
                  testId={`stage-${slot}`}
                  image={media.source}
                  frameW={media.w}
                  frameH={media.h}
                  overlays={sideOverlays[i]}
                  proposals={layers.proposals ? d.decoded?.proposals : undefined}
                  gt={(slot === 'a' ? gt : gtB).lanes}
                  gtFound={(slot === 'a' ? gt : gtB).found}
                  showLabels={layers.labels}
                  fitSignal={fit}
                  redrawSignal={redraw}
                  presentVideo={slot === 'a'}
                  onHover={setHover}
                  caption={`${slot.toUpperCase()}: ${d.result?.model ?? slotLabel(slot)}`}
                  deltaRows={slot === 'a' ? deltaRows : undefined}
                />
              </div>
            );
          })}
        </div>
      )}
      {media && <StageChips media={media} a={a} />}
      {media && (
        <OverlayLegend
          judged={!!judged[0] || !!judged[1] || judgingPending}
          gt={!!gt.lanes?.length}
          ab={abMode === 'overlay' && !!b.decoded}
          models={[a.result?.model, b.result?.model]}
        />
      )}
      {hover && (
        <HoverInfo lane={hover.lane} index={hover.index} set={hover.set} color={hoverColor(hover.set, hover.index)} />
      )}
    </DropZone>
  );
}

/** The GT lanes to draw (rows with a label, 2+ of them) and, where judged, which were found. */
function gtDrawing(
  frame: TusimpleFrame | null,
  found: readonly boolean[] | undefined,
): { lanes?: Point[][]; found?: boolean[] } {
  if (!frame) return {};
  const lanes: Point[][] = [];
  const kept: boolean[] = [];
  frame.lanes.forEach((xs, i) => {
    const pts = tusimpleLanePoints(xs, frame.h_samples);
    if (pts.length < 2) return;
    lanes.push(pts);
    kept.push(found?.[i] ?? true);
  });
  return { lanes, found: found ? kept : undefined };
}

function slotLabel(slot: Slot): string {
  return useApp.getState().slots[slot].model ?? 'no model';
}

function DropZone({ children }: { children: React.ReactNode }) {
  const [over, setOver] = useState(false);
  return (
    <div
      className={`stage-wrap ${over ? 'drop' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        openMixed([...e.dataTransfer.files]);
      }}
      data-testid="drop-zone"
    >
      {children}
    </div>
  );
}

function EmptyStage() {
  return (
    <div className="drop-hint">
      <div className="big">Drop images, an image folder or a video here</div>
      <div>or use “Open images / video”, or pick demo media on the left.</div>
      <div className="small">TuSimple label files (.json) can be dropped too.</div>
    </div>
  );
}

function StageChips({ media, a }: { media: Media; a: Decoded }) {
  const playing = useApp((s) => s.playing);
  const n = a.decoded?.lanes.length ?? 0;
  return (
    <div className="stage-overlay">
      <span className="chip" data-testid="frame-size">
        {media.w}×{media.h}
      </span>
      {a.decoded && (
        <span className="chip" data-testid="lane-count" data-count={n}>
          {n} lane{n === 1 ? '' : 's'}
          {a.stale && a.result ? ` (frame ${a.result.frameIndex + 1})` : ''}
        </span>
      )}
      {playing && <RatesChip />}
    </div>
  );
}

/** Display and inference rates: sampled a few times a second, not rendered per frame. */
function RatesChip() {
  const displayFps = usePlaybackSampled((s) => s.displayFps);
  const inferFps = usePlaybackSampled((s) => s.inferFps);
  const inFlight = usePlaybackSampled((s) => s.inFlight);
  const dropped = usePlaybackSampled((s) => s.framesDropped);
  return (
    <span className="chip" data-testid="fps" data-fps={displayFps.toFixed(1)}>
      {displayFps.toFixed(1)} fps · infer {inferFps.toFixed(0)}/s · {inFlight} in flight · {dropped} skipped
    </span>
  );
}

function HoverInfo({ lane, index, set, color }: { lane: Lane; index: number; set: number; color: string }) {
  return (
    <div className="stage-hover" data-testid="lane-hover">
      <div style={{ color, marginBottom: 4 }}>
        {set ? 'B ' : ''}lane {index + 1} · score {lane.score.toFixed(3)} · {lane.points.length} pts
      </div>
      {lane.points.slice(0, 80).map(([x, y], i) => (
        <div key={i}>
          {x.toFixed(1).padStart(7)} {y.toFixed(1).padStart(7)}
        </div>
      ))}
      {lane.points.length > 80 && <div className="muted">…</div>}
    </div>
  );
}
