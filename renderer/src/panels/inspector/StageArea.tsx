/**
 * The stage: the frame with lanes, proposals and ground truth (one stage, or A and B side by side),
 * the chips over it, the hovered lane's points, and the drop zone. It re-renders when a result or a
 * setting changes, not per video frame: the frame image is redrawn through the redraw signal.
 */
import { useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { FrameStage, laneColor, type OverlaySet } from '../../components/FrameStage';
import type { Lane, Point } from '../../../../shared/lanes';
import type { RowDelta } from '../../../../shared/inference';
import type { Decoded, Slot } from './model';
import { usePlaybackSampled } from './playback';
import { openMixed } from './sources';
import type { Media, Signal } from './useFrameMedia';

export interface StageAreaProps {
  media: Media | null;
  redraw: Signal;
  a: Decoded;
  b: Decoded;
  gtLanes: Point[][] | undefined;
  fit: number;
  /** A/B Δ layer: rows of matched lanes, from A's x to B's x, coloured by |Δx| (drawn on stage A). */
  deltaRows?: readonly RowDelta[];
}

export function StageArea({ media, redraw, a, b, gtLanes, fit, deltaRows }: StageAreaProps) {
  const abMode = useApp((s) => s.abMode);
  const layers = useApp((s) => s.layers);
  const [hover, setHover] = useState<{ set: number; index: number; lane: Lane } | null>(null);
  const gt = layers.gt ? gtLanes : undefined;

  // Stable overlay arrays: FrameStage's memo (and its data-lanes JSON) only recompute on change.
  const overlays = useMemo(() => {
    const out: OverlaySet[] = [];
    if (layers.lanes && a.decoded)
      out.push({ lanes: a.decoded.lanes, tag: abMode === 'overlay' ? 'A' : undefined, stale: a.stale });
    if (layers.lanes && abMode === 'overlay' && b.decoded)
      out.push({ lanes: b.decoded.lanes, dashed: true, colorOffset: 4, tag: 'B', stale: b.stale });
    return out;
  }, [layers.lanes, a, b, abMode]);
  const sideOverlays = useMemo(
    () =>
      (['a', 'b'] as const).map((slot) => {
        const d = slot === 'a' ? a : b;
        return layers.lanes && d.decoded ? [{ lanes: d.decoded.lanes, stale: d.stale }] : [];
      }),
    [layers.lanes, a, b],
  );

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
          gt={gt}
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
                  gt={gt}
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
      {hover && <HoverInfo lane={hover.lane} index={hover.index} set={hover.set} />}
    </DropZone>
  );
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

function HoverInfo({ lane, index, set }: { lane: Lane; index: number; set: number }) {
  return (
    <div className="stage-hover" data-testid="lane-hover">
      <div style={{ color: laneColor(index + (set ? 4 : 0)), marginBottom: 4 }}>
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
