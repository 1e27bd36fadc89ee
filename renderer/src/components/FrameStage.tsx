/**
 * The frame with its overlays, drawn with react-konva in separate layers (image, ground truth,
 * pre-NMS proposals, lanes + labels). Wheel zooms about the pointer, drag pans, `fitSignal`
 * re-fits. Hovering a lane reports it (points listed by the inspector).
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Stage, Layer, Image as KImage, Line, Text, Label, Tag, Group } from 'react-konva';
import type Konva from 'konva';
import type { Lane, Proposal, Point } from '../../../shared/lanes';
import { presentVideo } from './videoPresenter';
import {
  B_DASH,
  GT_COLOR,
  GT_DASH,
  GT_MISSED_COLOR,
  GT_OUTLINE,
  laneColor,
  placeLabels,
  type Family,
  type Match,
} from './overlayStyle';

export { LANE_COLORS, GT_COLOR, laneColor } from './overlayStyle';

export interface OverlaySet {
  lanes: Lane[];
  /** A/B overlay: the set's colour family (B is also drawn dashed finely, its labels below the lanes). */
  family?: Family;
  /** Judged against ground truth: each lane's TP / FP (drawn in those colours). */
  match?: readonly Match[];
  tag?: string;
  /** The result belongs to an earlier frame (video running ahead of inference): drawn faded. */
  stale?: boolean;
}

export interface StageProps {
  testId: string;
  image: CanvasImageSource | null;
  frameW: number;
  frameH: number;
  overlays: OverlaySet[];
  proposals?: Proposal[];
  gt?: Point[][];
  /** Per GT lane: found by a prediction (false: drawn as missed, FN). */
  gtFound?: readonly boolean[];
  showLabels: boolean;
  fitSignal: number;
  redrawSignal?: { subscribe(fn: () => void): () => void };
  onHover?(lane: { set: number; index: number; lane: Lane } | null): void;
  caption?: string;
  /**
   * When `image` is a video element: show it through the compositor (the element is moved under
   * the stage and transformed with the view) instead of drawing each frame into the image layer
   * on the main thread. Only one stage can present the element; others draw it.
   */
  presentVideo?: boolean;
  /** A/B Δ layer: rows both lanes of a matched pair cover, from A's x to B's x, coloured by |Δx|. */
  deltaRows?: readonly { y: number; xA: number; xB: number; dx: number }[];
}

/** |Δx| -> colour: green at 0, yellow at 2 px, red from 6 px. */
export function deltaColor(dx: number): string {
  const t = Math.max(0, Math.min(1, dx / 6));
  const hue = 120 * (1 - t);
  return `hsl(${hue.toFixed(0)}, 95%, 55%)`;
}

function labelText(set: OverlaySet, i: number): string {
  return `${set.tag ? `${set.tag} ` : ''}${i + 1} · ${set.lanes[i].score.toFixed(2)}`;
}

function flat(points: readonly Point[]): number[] {
  const out: number[] = [];
  for (const [x, y] of points) out.push(x, y);
  return out;
}

export function FrameStage(props: StageProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const imageLayer = useRef<Konva.Layer>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const [view, setView] = useState({ scale: 1, x: 0, y: 0 });
  const [hover, setHover] = useState<string | null>(null);

  useLayoutEffect(() => {
    const el = wrap.current!;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    setSize({ w: el.clientWidth, h: el.clientHeight });
    return () => ro.disconnect();
  }, []);

  // Fit the frame into the view when the frame size, the container or the fit signal changes.
  useEffect(() => {
    if (!size.w || !size.h || !props.frameW || !props.frameH) return;
    const scale = Math.min(size.w / props.frameW, size.h / props.frameH) * 0.98;
    setView({ scale, x: (size.w - props.frameW * scale) / 2, y: (size.h - props.frameH * scale) / 2 });
  }, [size.w, size.h, props.frameW, props.frameH, props.fitSignal]);

  const video = props.presentVideo && props.image instanceof HTMLVideoElement ? props.image : null;
  const videoHost = useRef<HTMLDivElement>(null);
  useEffect(() => (video && videoHost.current ? presentVideo(video, videoHost.current) : undefined), [video]);
  const videoTransform = (x: number, y: number, scale: number) => `translate(${x}px, ${y}px) scale(${scale})`;

  // Video drawn into the image layer: redraw it on every presented frame without re-rendering React.
  useEffect(() => {
    if (!props.redrawSignal || video) return;
    return props.redrawSignal.subscribe(() => imageLayer.current?.batchDraw());
  }, [props.redrawSignal, video]);

  const onWheel = (e: Konva.KonvaEventObject<WheelEvent>) => {
    e.evt.preventDefault();
    const stage = stageRef.current;
    const p = stage?.getPointerPosition();
    if (!p) return;
    const factor = Math.exp(-e.evt.deltaY * 0.0015);
    const scale = Math.max(0.05, Math.min(40, view.scale * factor));
    const fx = (p.x - view.x) / view.scale;
    const fy = (p.y - view.y) / view.scale;
    setView({ scale, x: p.x - fx * scale, y: p.y - fy * scale });
  };

  const inv = 1 / view.scale; // keep strokes/labels a constant on-screen size
  const labels = useMemo(
    () =>
      placeLabels(
        props.overlays.map((set) => ({
          family: set.family,
          lanes: set.lanes.map((l, i) => ({ points: l.points, text: labelText(set, i) })),
        })),
        props.frameW,
        props.frameH,
        inv,
      ),
    [props.overlays, props.frameW, props.frameH, inv],
  );
  const lanesJson = useMemo(
    () => JSON.stringify(props.overlays.map((o) => o.lanes.map((l) => ({ score: l.score, points: l.points })))),
    [props.overlays],
  );

  return (
    <div
      ref={wrap}
      className="stage-host"
      style={{ position: 'absolute', inset: 0 }}
      data-testid={props.testId}
      data-transform={JSON.stringify(view)}
      data-lanes={lanesJson}
      data-lane-count={props.overlays[0]?.lanes.length ?? 0}
      data-delta-rows={props.deltaRows?.length ?? 0}
    >
      {video && (
        <div
          ref={videoHost}
          className="stage-video"
          style={{
            position: 'absolute',
            left: 0,
            top: 0,
            width: props.frameW,
            height: props.frameH,
            transformOrigin: '0 0',
            transform: videoTransform(view.x, view.y, view.scale),
            pointerEvents: 'none',
          }}
        />
      )}
      {size.w > 0 && (
        <Stage
          ref={stageRef}
          width={size.w}
          height={size.h}
          x={view.x}
          y={view.y}
          scaleX={view.scale}
          scaleY={view.scale}
          draggable
          onWheel={onWheel}
          onDragMove={(e) => {
            // Panning moves the stage without a React render: the presented video follows directly.
            if (video && videoHost.current && e.target === stageRef.current)
              videoHost.current.style.transform = videoTransform(e.target.x(), e.target.y(), view.scale);
          }}
          onDragEnd={(e) => {
            if (e.target === stageRef.current) setView({ ...view, x: e.target.x(), y: e.target.y() });
          }}
        >
          {/* Each Konva layer is a stage-sized canvas the browser composites on every frame: only
              layers with something to draw exist. */}
          {props.image && !video && (
            <Layer ref={imageLayer} listening={false} imageSmoothingEnabled>
              <KImage image={props.image} width={props.frameW} height={props.frameH} />
            </Layer>
          )}
          {!!props.gt?.length && (
            <Layer listening={false} name="gt-layer">
              {props.gt.map((pts, i) => {
                const missed = props.gtFound ? !props.gtFound[i] : false;
                const found = props.gtFound ? 'found' : undefined;
                return (
                  // Dashed over a dark outline: reads on bright road paint and on dark asphalt, and
                  // cannot be mistaken for a prediction (solid) or a painted marking.
                  <Group key={i}>
                    <Line
                      name="gt-outline"
                      points={flat(pts)}
                      stroke={GT_OUTLINE}
                      strokeWidth={6 * inv}
                      opacity={0.75}
                      lineCap="round"
                      lineJoin="round"
                    />
                    <Line
                      name="gt"
                      match={missed ? 'fn' : found}
                      points={flat(pts)}
                      stroke={missed ? GT_MISSED_COLOR : GT_COLOR}
                      strokeWidth={2.5 * inv}
                      dash={GT_DASH.map((d) => d * inv)}
                      lineJoin="round"
                    />
                  </Group>
                );
              })}
            </Layer>
          )}
          {!!props.proposals?.length && (
            <Layer listening={false}>
              {props.proposals.map((p, i) => (
                <Line
                  key={i}
                  points={flat(p.points)}
                  stroke={p.kept ? '#ffffff' : '#8aa0b8'}
                  strokeWidth={1 * inv}
                  opacity={Math.max(0.12, Math.min(0.6, p.score))}
                />
              ))}
            </Layer>
          )}
          {props.deltaRows && (
            <Layer listening={false} name="delta">
              {props.deltaRows.map((r, i) => (
                <Line
                  key={i}
                  points={[r.xA, r.y, r.xB === r.xA ? r.xA + 0.01 : r.xB, r.y]}
                  stroke={deltaColor(r.dx)}
                  strokeWidth={6 * inv}
                  lineCap="round"
                />
              ))}
            </Layer>
          )}
          <Layer>
            {/* Predictions stop at the frame's edge (a lane extrapolated past it is not in the image). */}
            <Group name="lanes-clip" clipX={0} clipY={0} clipWidth={props.frameW} clipHeight={props.frameH}>
              {props.overlays.map((set, si) =>
                set.lanes.map((lane, i) => {
                  const id = `${si}:${i}`;
                  return (
                    <Line
                      key={id}
                      name="lane"
                      family={set.family}
                      match={set.match?.[i]}
                      opacity={set.stale ? 0.45 : 1}
                      points={flat(lane.points)}
                      stroke={laneColor(i, set.family, set.match?.[i])}
                      strokeWidth={(hover === id ? 5 : 3.5) * inv}
                      hitStrokeWidth={14 * inv}
                      dash={set.family === 'B' ? B_DASH.map((d) => d * inv) : undefined}
                      lineCap="round"
                      lineJoin="round"
                      shadowColor="#000"
                      shadowBlur={hover === id ? 6 : 0}
                      onMouseEnter={() => {
                        setHover(id);
                        props.onHover?.({ set: si, index: i, lane });
                        stageRef.current!.container().style.cursor = 'crosshair';
                      }}
                      onMouseLeave={() => {
                        setHover(null);
                        props.onHover?.(null);
                        stageRef.current!.container().style.cursor = '';
                      }}
                    />
                  );
                }),
              )}
            </Group>
            {props.showLabels &&
              labels.map((boxes, si) =>
                boxes.map((box, i) => {
                  const set = props.overlays[si];
                  const color = laneColor(i, set.family, set.match?.[i]);
                  return (
                    <Label
                      key={`${si}:${i}`}
                      x={box.x}
                      y={box.y}
                      scaleX={inv}
                      scaleY={inv}
                      listening={false}
                      opacity={set.stale ? 0.45 : 1}
                    >
                      <Tag
                        fill="rgba(8,10,14,0.82)"
                        stroke={color}
                        strokeWidth={1}
                        cornerRadius={3}
                        pointerDirection={box.pointer}
                        pointerWidth={8}
                        pointerHeight={5}
                      />
                      <Text text={labelText(set, i)} fontFamily="monospace" fontSize={11} padding={3} fill={color} />
                    </Label>
                  );
                }),
              )}
          </Layer>
        </Stage>
      )}
      {props.caption && (
        <div className="stage-overlay" style={{ left: 'auto', right: 8, top: 'auto', bottom: 8 }}>
          <span className="chip">{props.caption}</span>
        </div>
      )}
    </div>
  );
}
