/**
 * The inspector: frames (images, folders, videos; drag and drop) through a lane model, decoded
 * lanes over the frame with live decoder settings, ground truth + TuSimple accuracy, A/B compare,
 * latency breakdown, exports.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApp } from '../state/store';
import { Alert, Kbd, Panel, Progress, fmtMs, fmtShape } from '../components/ui';
import { FrameStage, GT_COLOR, laneColor, type OverlaySet } from '../components/FrameStage';
import { useFrameMedia } from './useFrameMedia';
import { inferCurrent, forgetMetadata, metadataFor, slotTarget } from '../lib/runner';
import { decoderById, suggestDecoder, suggestionReason, UI_DECODERS, type UiDecodeResult } from '../lib/decoders';
import { imageInputOf } from '../lib/pipeline';
import {
  parseTusimpleJson,
  lanesToTusimpleFrame,
  tusimpleFrameScore,
  tusimpleLanePoints,
  type TusimpleFrame,
  type TusimpleFrameScore,
  type Lane,
  type Point,
} from '../../../shared/lanes';
import type { RawResult } from '../state/inference';
import { IMAGENET } from '../state/inspector';
import { backend, type ModelMetadata } from '../lib/backend';
import { errorText } from '../lib/errors';
import { exportAnnotatedPng, exportLanesJson, exportMetricsCsv } from '../lib/exporters';

const IMAGE_RE = /\.(png|jpe?g|webp|bmp|gif|avif)$/i;
const VIDEO_RE = /\.(webm|mp4|m4v|mov|mkv|ogv)$/i;

export function InspectorView() {
  const [videoEl, setVideoEl] = useState<HTMLVideoElement | null>(null);
  const { frame, redraw } = useFrameMedia(videoEl);
  const sourceKind = useApp((s) => s.source?.kind ?? 'none');
  const [fit, setFit] = useState(0);
  const [hover, setHover] = useState<{ set: number; index: number; lane: Lane } | null>(null);

  useInspectorKeys(frame, () => setFit((f) => f + 1));
  useDefaultModel();

  // New model/preprocessing: infer the current frame again (results were cleared).
  const slots = useApp((s) => s.slots);
  const abMode = useApp((s) => s.abMode);
  const preprocess = useApp((s) => s.preprocess);
  useEffect(() => {
    const st = useApp.getState();
    if (frame && st.autoInfer && !st.playing) inferCurrent(frame, 'missing');
  }, [slots, abMode, preprocess]); // eslint-disable-line react-hooks/exhaustive-deps

  const a = useDecoded('a', frame);
  const b = useDecoded('b', frame);
  const gtFrame = useGtFrame(frame);
  const gtLanes = useMemo(
    () =>
      gtFrame
        ? gtFrame.lanes.map((xs) => tusimpleLanePoints(xs, gtFrame.h_samples)).filter((p) => p.length > 1)
        : undefined,
    [gtFrame],
  );
  const layers = useApp((s) => s.layers);

  const overlaysA: OverlaySet[] = [];
  if (layers.lanes && a.decoded)
    overlaysA.push({ lanes: a.decoded.lanes, tag: abMode === 'overlay' ? 'A' : undefined, stale: a.stale });
  if (layers.lanes && abMode === 'overlay' && b.decoded)
    overlaysA.push({ lanes: b.decoded.lanes, dashed: true, colorOffset: 4, tag: 'B', stale: b.stale });

  return (
    <div className="view grid-inspector">
      <SourcesPanel />
      <section className="panel" data-testid="inspector-stage" data-source-kind={sourceKind}>
        <DropZone>
          {!frame && <EmptyStage />}
          {frame && abMode !== 'side' && (
            <FrameStage
              testId="stage-a"
              image={frame.source}
              frameW={frame.w}
              frameH={frame.h}
              overlays={overlaysA}
              proposals={layers.proposals ? a.decoded?.proposals : undefined}
              gt={layers.gt ? gtLanes : undefined}
              showLabels={layers.labels}
              fitSignal={fit}
              redrawSignal={redraw}
              onHover={setHover}
            />
          )}
          {frame && abMode === 'side' && (
            <div style={{ position: 'absolute', inset: 0, display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 2 }}>
              {(['a', 'b'] as const).map((slot) => {
                const d = slot === 'a' ? a : b;
                return (
                  <div key={slot} style={{ position: 'relative' }}>
                    <FrameStage
                      testId={`stage-${slot}`}
                      image={frame.source}
                      frameW={frame.w}
                      frameH={frame.h}
                      overlays={layers.lanes && d.decoded ? [{ lanes: d.decoded.lanes, stale: d.stale }] : []}
                      proposals={layers.proposals ? d.decoded?.proposals : undefined}
                      gt={layers.gt ? gtLanes : undefined}
                      showLabels={layers.labels}
                      fitSignal={fit}
                      redrawSignal={redraw}
                      onHover={setHover}
                      caption={`${slot.toUpperCase()}: ${d.result?.model ?? slotLabel(slot)}`}
                    />
                  </div>
                );
              })}
            </div>
          )}
          <StageChips frame={frame} a={a} />
          {hover && <HoverInfo lane={hover.lane} index={hover.index} set={hover.set} />}
        </DropZone>
        <Transport frame={frame} onFit={() => setFit((f) => f + 1)} />
        {/* Offscreen (not display:none) so the browser keeps decoding frames for the canvas. */}
        <video
          ref={setVideoEl}
          muted
          playsInline
          preload="auto"
          style={{ position: 'fixed', left: -10000, top: 0, width: 16, height: 9, opacity: 0, pointerEvents: 'none' }}
          data-testid="video-element"
        />
      </section>
      <ControlsPanel frame={frame} a={a} b={b} gtFrame={gtFrame} />
    </div>
  );
}

function slotLabel(slot: 'a' | 'b'): string {
  return useApp.getState().slots[slot].model ?? 'no model';
}

// ---------------------------------------------------------------------------------------------
// decoding (from the cached raw output; never re-infers)

interface Decoded {
  result: RawResult | null;
  stale: boolean;
  decoded: UiDecodeResult | null;
  decoderId: string | null;
  decodeMs: number | null;
  error: string | null;
}

function useDecoded(slot: 'a' | 'b', frame: { key: string } | null): Decoded {
  const exact = useApp((s) => (frame ? s.results[`${slot}|${frame.key}`] : undefined));
  const latest = useApp((s) => s.latest[slot]);
  const playing = useApp((s) => s.playing);
  const decoder = useApp((s) => s.decoder);
  const abMode = useApp((s) => s.abMode);
  const showProposals = useApp((s) => s.layers.proposals);
  const active = slot === 'a' || abMode !== 'off';
  const result = active ? (exact ?? (playing ? latest : null)) : null;
  return useMemo(() => {
    if (!result) return { result: null, stale: false, decoded: null, decoderId: null, decodeMs: null, error: null };
    const dec = decoder.id === 'auto' ? suggestDecoder(result.output.shape) : decoderById(decoder.id);
    if (!dec) {
      return {
        result,
        stale: !exact,
        decoded: null,
        decoderId: null,
        decodeMs: null,
        error: `No decoder matches output '${result.output.name}' ${fmtShape(result.output.shape)}; pick one explicitly.`,
      };
    }
    const opts = { ...dec.defaults, ...(decoder.options[dec.id] ?? {}) };
    try {
      const t0 = performance.now();
      const decoded = dec.decode(
        result.output.values,
        result.output.shape,
        { w: result.frameW, h: result.frameH },
        opts,
        showProposals,
      );
      return { result, stale: !exact, decoded, decoderId: dec.id, decodeMs: performance.now() - t0, error: null };
    } catch (e) {
      return {
        result,
        stale: !exact,
        decoded: null,
        decoderId: dec.id,
        decodeMs: null,
        error: `${dec.label}: ${errorText(e)}`,
      };
    }
  }, [result, exact, decoder, showProposals]);
}

// ---------------------------------------------------------------------------------------------
// ground truth

type GtSet = { name: string; frames: TusimpleFrame[] };
type Source = ReturnType<typeof useApp.getState>['source'];

/** The GT frame for frame `index` of the source: images by file name, video frames by number. */
function gtFor(gt: GtSet | null, source: Source, index: number): TusimpleFrame | null {
  if (!gt || !source) return null;
  if (source.kind === 'images') {
    const name = source.items[index]?.name;
    if (!name) return null;
    const base = (p: string) => p.split(/[\\/]/).pop()!.toLowerCase();
    return (
      gt.frames.find((f) => base(f.raw_file) === base(name)) ??
      gt.frames.find((f) => f.raw_file.toLowerCase().endsWith(name.toLowerCase())) ??
      null
    );
  }
  // Video: labels are per frame, in order (raw_file names carry the frame number when present).
  const byNumber = gt.frames.find((f) => {
    const m = /(\d+)\.[a-z]+$/i.exec(f.raw_file);
    return m && Number(m[1]) === index;
  });
  return byNumber ?? gt.frames[index] ?? null;
}

function useGtFrame(frame: { key: string; index: number } | null): TusimpleFrame | null {
  const gt = useApp((s) => s.gt);
  const source = useApp((s) => s.source);
  return useMemo(() => (frame ? gtFor(gt, source, frame.index) : null), [gt, frame, source]);
}

export interface SequenceScore {
  /** Labelled frames that have a result of slot A. */
  frames: number;
  labelled: number;
  accuracy: number;
  fp: number;
  fn: number;
}

/** Per result, its frame score under one decoder setting and one GT set (a slider move re-decodes
 * each cached result once, a new result costs one decode). */
const scoreCache = new WeakMap<RawResult, { decoder: unknown; gt: unknown; score: TusimpleFrameScore | null }>();

/**
 * TuSimple accuracy over every labelled frame inferred so far with slot A (the official metric
 * averages per-frame scores, so frames not yet inferred are simply not counted: the count says so).
 */
function useSequenceScore(): SequenceScore | null {
  const results = useApp((s) => s.results);
  const gt = useApp((s) => s.gt);
  const source = useApp((s) => s.source);
  const decoder = useApp((s) => s.decoder);
  return useMemo(() => {
    if (!gt || !source) return null;
    let n = 0;
    let acc = 0;
    let fp = 0;
    let fn = 0;
    for (const [key, r] of Object.entries(results)) {
      if (!key.startsWith('a|')) continue;
      const g = gtFor(gt, source, r.frameIndex);
      if (!g) continue;
      let hit = scoreCache.get(r);
      if (!hit || hit.decoder !== decoder || hit.gt !== gt) {
        const dec = decoder.id === 'auto' ? suggestDecoder(r.output.shape) : decoderById(decoder.id);
        let decoded: UiDecodeResult | null = null;
        if (dec) {
          try {
            decoded = dec.decode(
              r.output.values,
              r.output.shape,
              { w: r.frameW, h: r.frameH },
              { ...dec.defaults, ...(decoder.options[dec.id] ?? {}) },
              false,
            );
          } catch {
            decoded = null;
          }
        }
        hit = { decoder, gt, score: frameScore(decoded, g, r.frameW, r.frameH) };
        scoreCache.set(r, hit);
      }
      if (!hit.score) continue;
      n++;
      acc += hit.score.accuracy;
      fp += hit.score.fp;
      fn += hit.score.fn;
    }
    const labelled =
      source.kind === 'images' ? source.items.filter((_, i) => gtFor(gt, source, i)).length : gt.frames.length;
    return n
      ? { frames: n, labelled, accuracy: acc / n, fp: fp / n, fn: fn / n }
      : { frames: 0, labelled, accuracy: 0, fp: 0, fn: 0 };
  }, [results, gt, source, decoder]);
}

function frameScore(
  decoded: UiDecodeResult | null,
  gt: TusimpleFrame | null,
  w: number,
  h: number,
): TusimpleFrameScore | null {
  if (!decoded || !gt) return null;
  const pred = lanesToTusimpleFrame(decoded.lanes, gt.raw_file, gt.h_samples, w, h);
  try {
    return tusimpleFrameScore(pred.lanes, gt.lanes, gt.h_samples, 0);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// sources

function SourcesPanel() {
  const source = useApp((s) => s.source);
  const sourceError = useApp((s) => s.sourceError);
  const frameIndex = useApp((s) => s.frameIndex);
  const setFrame = useApp((s) => s.setFrame);
  const demo = useApp((s) => s.demo);
  const gt = useApp((s) => s.gt);
  const gtError = useApp((s) => s.gtError);
  const [loadingDemo, setLoadingDemo] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const gtInput = useRef<HTMLInputElement>(null);

  const media = (demo?.media ?? []).filter((m) => m.kind !== 'other' && m.name !== 'manifest.json');
  const [showDemo, setDemoOpen] = useState(true);
  const folders = demoFolders(media);

  const readDemoFile = async (name: string, typed: boolean): Promise<File> => {
    const m = await backend().readDemoMedia(name);
    // Demo media names may be `folder/file`; a File is named by its last part, as from a picker.
    return new File([m.data as BlobPart], name.split('/').pop()!, typed ? { type: m.mime } : undefined);
  };
  /** The folder's TuSimple labels go with its frames: load them unless they are loaded already. */
  const labelsFor = async (folder: DemoFolder) => {
    if (folder.labels && useApp.getState().gt?.name !== folder.labels)
      await loadGt([await readDemoFile(folder.labels, false)], folder.labels);
  };

  const openDemo = async (name: string, kind: string) => {
    setLoadingDemo(name);
    try {
      if (kind === 'labels') {
        await loadGt([await readDemoFile(name, false)], name);
      } else {
        const file = await readDemoFile(name, true);
        const folder = folders.find((f) => f.items.some((m) => m.name === name));
        if (folder) await labelsFor(folder);
        openFiles([file]);
      }
    } catch (e) {
      useApp.getState().setSourceError(`${name}: ${errorText(e)}`);
    } finally {
      setLoadingDemo(null);
    }
  };

  const openDemoFolder = async (folder: DemoFolder) => {
    setLoadingDemo(folder.name);
    try {
      await labelsFor(folder);
      const images = folder.items.filter((m) => m.kind === 'image');
      openFiles(await Promise.all(images.map((m) => readDemoFile(m.name, true))), `${folder.name}/`);
    } catch (e) {
      useApp.getState().setSourceError(`${folder.name}/: ${errorText(e)}`);
    } finally {
      setLoadingDemo(null);
    }
  };

  return (
    <Panel title="Frames" flush testId="sources">
      <div style={{ padding: 8, display: 'grid', gap: 6 }}>
        <div className="row">
          <button className="btn small grow" onClick={() => fileInput.current?.click()} data-testid="open-files">
            Open images / video
          </button>
          <button className="btn small" onClick={() => folderInput.current?.click()} title="Open an image folder">
            Folder
          </button>
        </div>
        <button className="btn small" onClick={() => gtInput.current?.click()} data-testid="open-gt">
          Load TuSimple labels (JSON)
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          accept="image/*,video/*,.json"
          hidden
          data-testid="file-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            const json = files.filter((f) => f.name.endsWith('.json'));
            if (json.length) void loadGt(json);
            const rest = files.filter((f) => !f.name.endsWith('.json'));
            if (rest.length) openFiles(rest);
          }}
        />
        <input
          ref={folderInput}
          type="file"
          hidden
          multiple
          data-testid="folder-input"
          {...({ webkitdirectory: '' } as Record<string, string>)}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            openFiles(files);
          }}
        />
        <input
          ref={gtInput}
          type="file"
          accept=".json,application/json"
          hidden
          multiple
          data-testid="gt-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            void loadGt(files);
          }}
        />
        {sourceError && (
          <Alert kind="err" testId="source-error">
            {sourceError}
          </Alert>
        )}
        {gtError && <Alert kind="err">{gtError}</Alert>}
        {gt && (
          <div
            className="row small muted"
            data-testid="gt-loaded"
            style={{ flexWrap: 'nowrap' }}
            title={`${gt.name}: ${gt.frames.length} labelled frames`}
          >
            <span className="dot" style={{ background: GT_COLOR, flex: 'none' }} />
            <span className="grow" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
              {gt.name}: {gt.frames.length} labelled frames
            </span>
            <button className="btn small" onClick={() => useApp.getState().setGt(null)} title="Drop the ground truth">
              ✕
            </button>
          </div>
        )}
      </div>
      {source?.kind === 'images' && (
        <div style={{ borderTop: '1px solid var(--line)' }}>
          <div className="section-title" style={{ padding: '8px 10px 2px' }}>
            {source.label} · {source.items.length}
          </div>
          <ul className="list" data-testid="frame-list">
            {source.items.map((it, i) => (
              <li key={i} className={i === frameIndex ? 'selected' : ''} onClick={() => setFrame(i)}>
                <span className="muted mono" style={{ width: 28 }}>
                  {i + 1}
                </span>
                <span className="mono grow" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
                  {it.name}
                </span>
                <ResultDot frameKey={`img:${i}:${it.name}`} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {source?.kind === 'video' && (
        <div style={{ padding: 10, borderTop: '1px solid var(--line)' }} className="small">
          <div className="section-title">Video</div>
          <div className="mono">{source.name}</div>
        </div>
      )}
      {media.length > 0 && (
        <div style={{ borderTop: '1px solid var(--line)' }}>
          <div
            className="section-title"
            style={{ padding: '8px 10px 2px', cursor: 'pointer' }}
            onClick={() => setDemoOpen(!showDemo)}
            data-testid="demo-media-toggle"
          >
            {showDemo ? '▾' : '▸'} Demo media
          </div>
          {showDemo && (
            <ul className="list" data-testid="demo-media">
              {folders.map((f) => (
                <DemoFolderItems
                  key={f.name}
                  folder={f}
                  loading={loadingDemo}
                  onOpen={(m) => void openDemo(m.name, m.kind)}
                  onOpenAll={() => void openDemoFolder(f)}
                />
              ))}
            </ul>
          )}
        </div>
      )}
    </Panel>
  );
}

type DemoMedia = { name: string; kind: string };
interface DemoFolder {
  /** '' for files at the top of the demo media folder. */
  name: string;
  items: DemoMedia[];
  /** The folder's TuSimple labels file, if it has one. */
  labels?: string;
}

function demoFolders(media: DemoMedia[]): DemoFolder[] {
  const byName = new Map<string, DemoFolder>();
  for (const m of media) {
    const name = m.name.includes('/') ? m.name.slice(0, m.name.lastIndexOf('/')) : '';
    const f = byName.get(name) ?? { name, items: [] };
    f.items.push(m);
    if (m.kind === 'labels' && !f.labels) f.labels = m.name;
    byName.set(name, f);
  }
  return [...byName.values()];
}

function DemoFolderItems({
  folder,
  loading,
  onOpen,
  onOpenAll,
}: {
  folder: DemoFolder;
  loading: string | null;
  onOpen(m: DemoMedia): void;
  onOpenAll(): void;
}) {
  const images = folder.items.filter((m) => m.kind === 'image').length;
  return (
    <>
      {folder.name && (
        <li className="folder" data-testid={`demo-folder-${folder.name}`}>
          <span className="grow mono">{folder.name}/</span>
          {loading === folder.name && <span className="spinner" />}
          {images > 1 && (
            <button
              className="btn small"
              onClick={onOpenAll}
              disabled={!!loading}
              title={`Open the ${images} images as one sequence${folder.labels ? ' with their TuSimple labels' : ''}`}
              data-testid={`demo-open-all-${folder.name}`}
            >
              All {images}
              {folder.labels ? ' + GT' : ''}
            </button>
          )}
        </li>
      )}
      {folder.items.map((m) => (
        <li
          key={m.name}
          onClick={() => onOpen(m)}
          data-testid={`demo-${m.name}`}
          title={m.kind !== 'labels' && folder.labels ? `Opens with ${folder.labels}` : undefined}
          style={folder.name ? { paddingLeft: 18 } : undefined}
        >
          <span className="badge">{m.kind}</span>
          <span className="grow mono" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
            {folder.name ? m.name.slice(folder.name.length + 1) : m.name}
          </span>
          {loading === m.name && <span className="spinner" />}
        </li>
      ))}
    </>
  );
}

function ResultDot({ frameKey }: { frameKey: string }) {
  const has = useApp((s) => !!s.results[`a|${frameKey}`]);
  return has ? <span className="dot ok" title="inferred" /> : null;
}

export function openFiles(files: File[], label?: string): void {
  const st = useApp.getState();
  const video = files.find((f) => VIDEO_RE.test(f.name) || f.type.startsWith('video/'));
  if (video) {
    st.setSource({ kind: 'video', name: video.name, url: URL.createObjectURL(video), objectUrl: true });
    return;
  }
  const images = files
    .filter((f) => IMAGE_RE.test(f.name) || f.type.startsWith('image/'))
    .sort((x, y) => x.name.localeCompare(y.name, undefined, { numeric: true }));
  if (!images.length) {
    st.setSourceError(
      `None of ${files.length} file(s) is an image or a video (${files
        .slice(0, 3)
        .map((f) => f.name)
        .join(', ')}${files.length > 3 ? ', …' : ''}).`,
    );
    return;
  }
  const folder = (images[0] as File & { webkitRelativePath?: string }).webkitRelativePath?.split('/')[0];
  st.setSource({
    kind: 'images',
    items: images.map((f) => ({ name: f.name, blob: f })),
    label: label || folder || (images.length === 1 ? 'Image' : 'Images'),
  });
}

async function loadGt(files: File[], name?: string): Promise<void> {
  const st = useApp.getState();
  try {
    const frames: TusimpleFrame[] = [];
    for (const f of files) frames.push(...parseTusimpleJson(await f.text(), name ?? f.name));
    st.setGt({ name: name ?? files.map((f) => f.name).join(', '), frames });
    st.setLayers({ gt: true });
  } catch (e) {
    st.setGt(null, errorText(e));
  }
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
        const files = [...e.dataTransfer.files];
        const json = files.filter((f) => f.name.endsWith('.json'));
        if (json.length) void loadGt(json);
        const rest = files.filter((f) => !f.name.endsWith('.json'));
        if (rest.length) openFiles(rest);
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

function StageChips({ frame, a }: { frame: { w: number; h: number; index: number } | null; a: Decoded }) {
  const playing = useApp((s) => s.playing);
  const displayFps = useApp((s) => s.displayFps);
  const inferFps = useApp((s) => s.inferFps);
  const inFlight = useApp((s) => s.inFlight);
  const dropped = useApp((s) => s.framesDropped);
  if (!frame) return null;
  return (
    <div className="stage-overlay">
      <span className="chip" data-testid="frame-size">
        {frame.w}×{frame.h}
      </span>
      {a.decoded && (
        <span className="chip" data-testid="lane-count" data-count={a.decoded.lanes.length}>
          {a.decoded.lanes.length} lane{a.decoded.lanes.length === 1 ? '' : 's'}
          {a.stale && a.result ? ` (frame ${a.result.frameIndex + 1})` : ''}
        </span>
      )}
      {playing && (
        <span className="chip" data-testid="fps" data-fps={displayFps.toFixed(1)}>
          {displayFps.toFixed(1)} fps · infer {inferFps.toFixed(0)}/s · {inFlight} in flight · {dropped} skipped
        </span>
      )}
    </div>
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

// ---------------------------------------------------------------------------------------------
// transport

function Transport({ frame, onFit }: { frame: { key: string } | null; onFit(): void }) {
  const source = useApp((s) => s.source);
  const frameIndex = useApp((s) => s.frameIndex);
  const frameCount = useApp((s) => s.frameCount);
  const playing = useApp((s) => s.playing);
  const setPlaying = useApp((s) => s.setPlaying);
  const setFrame = useApp((s) => s.setFrame);
  const videoFps = useApp((s) => s.videoFps);
  const imageFps = useApp((s) => s.imageFps);
  const inFlight = useApp((s) => s.inFlight);
  const disabled = !source || frameCount === 0;
  return (
    <div className="transport" data-testid="transport">
      <button className="btn icon" disabled={disabled} onClick={() => setFrame(0)} title="First frame (Home)">
        <TIcon d="M4 3v10M13 3L6 8l7 5z" />
      </button>
      <button
        className="btn icon"
        disabled={disabled}
        onClick={() => setFrame(frameIndex - 1)}
        title="Previous frame (←)"
        data-testid="step-back"
      >
        <TIcon d="M11 3L5 8l6 5z" />
      </button>
      <button
        className="btn icon primary"
        disabled={disabled}
        onClick={() => setPlaying(!playing)}
        title="Play / pause (Space)"
        data-testid="play"
      >
        {playing ? <TIcon d="M4 3h3v10H4zM9 3h3v10H9z" /> : <TIcon d="M4 2.5l9 5.5-9 5.5z" />}
      </button>
      <button
        className="btn icon"
        disabled={disabled}
        onClick={() => setFrame(frameIndex + 1)}
        title="Next frame (→)"
        data-testid="step-forward"
      >
        <TIcon d="M5 3l6 5-6 5z" />
      </button>
      <button
        className="btn icon"
        disabled={disabled}
        onClick={() => setFrame(frameCount - 1)}
        title="Last frame (End)"
      >
        <TIcon d="M12 3v10M3 3l7 5-7 5z" />
      </button>
      <input
        type="range"
        min={0}
        max={Math.max(0, frameCount - 1)}
        value={frameIndex}
        disabled={disabled}
        onChange={(e) => setFrame(Number(e.target.value))}
        aria-label="Seek"
        data-testid="seek"
      />
      <span
        className="mono small"
        data-testid="frame-index"
        data-index={frameIndex}
        style={{ minWidth: 90, textAlign: 'right' }}
      >
        {frameCount ? `${frameIndex + 1} / ${frameCount}` : '– / –'}
      </span>
      {source?.kind === 'video' && (
        <label className="small muted row" title="Frame rate used for stepping and frame numbers">
          fps
          <input
            type="number"
            min={1}
            max={240}
            value={videoFps}
            onChange={(e) => Number(e.target.value) > 0 && useApp.getState().setVideoFps(Number(e.target.value))}
            style={{ width: 52 }}
          />
        </label>
      )}
      {source?.kind === 'images' && (
        <label className="small muted row" title="Playback rate of the image sequence">
          fps
          <input
            type="number"
            min={1}
            max={60}
            value={imageFps}
            onChange={(e) => Number(e.target.value) > 0 && useApp.setState({ imageFps: Number(e.target.value) })}
            style={{ width: 46 }}
          />
        </label>
      )}
      <button className="btn small" onClick={onFit} title="Fit (0)">
        Fit
      </button>
      <button
        className="btn small primary"
        disabled={!frame}
        onClick={() => {
          const f = currentFrame;
          if (f) inferCurrent(f, 'force');
        }}
        title="Run inference on this frame (Enter)"
        data-testid="run-infer"
      >
        {inFlight > 0 ? <span className="spinner" /> : null} Run
      </button>
    </div>
  );
}

function TIcon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 16 16" fill="currentColor" stroke="currentColor" strokeWidth="1.2" strokeLinejoin="round">
      <path d={d} />
    </svg>
  );
}

// The frame the keyboard/Run button act on (kept outside React state to avoid re-render loops).
let currentFrame: import('../lib/runner').FrameRef | null = null;

function useInspectorKeys(frame: import('../lib/runner').FrameRef | null, fit: () => void) {
  currentFrame = frame;
  const onKey = useCallback(
    (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) {
        if (!(
          t.tagName === 'INPUT' &&
          (t as HTMLInputElement).type === 'range' &&
          (e.key === ' ' || e.key === '[' || e.key === ']')
        ))
          return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const st = useApp.getState();
      const dec = st.decoder.id === 'auto' ? suggestDecoder(st.latest.a?.output.shape) : decoderById(st.decoder.id);
      switch (e.key) {
        case ' ':
          if (st.source) st.setPlaying(!st.playing);
          break;
        case 'ArrowRight':
          st.setPlaying(false);
          st.setFrame(st.frameIndex + 1);
          break;
        case 'ArrowLeft':
          st.setPlaying(false);
          st.setFrame(st.frameIndex - 1);
          break;
        case 'Home':
          st.setFrame(0);
          break;
        case 'End':
          st.setFrame(st.frameCount - 1);
          break;
        case '[':
        case ']': {
          if (!dec || !dec.options.some((o) => o.key === 'conf')) return;
          const cur = Number(st.decoder.options[dec.id]?.conf ?? dec.defaults.conf);
          const next = Math.max(0, Math.min(1, Math.round((cur + (e.key === ']' ? 0.05 : -0.05)) * 100) / 100));
          st.setDecoderOption(dec.id, 'conf', next);
          break;
        }
        case 'Enter':
          if (currentFrame) inferCurrent(currentFrame, 'force');
          break;
        case 'p':
        case 'P':
          st.setLayers({ proposals: !st.layers.proposals });
          break;
        case 'g':
        case 'G':
          st.setLayers({ gt: !st.layers.gt });
          break;
        case '0':
          fit();
          break;
        default:
          return;
      }
      e.preventDefault();
    },
    [fit],
  );
  useEffect(() => {
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onKey]);
}

/** Picks a lane model for slot A when none is chosen: the first READY model with an image input. */
function useDefaultModel() {
  const conn = useApp((s) => s.activeConnection());
  const index = useApp((s) => s.index);
  const slotA = useApp((s) => s.slots.a.model);
  const refreshIndex = useApp((s) => s.refreshIndex);
  useEffect(() => {
    if (conn && !index.length) void refreshIndex();
  }, [conn, index.length, refreshIndex]);
  useEffect(() => {
    if (!conn || slotA) return;
    let cancelled = false;
    (async () => {
      const ready = index.filter((m) => m.state === 'READY');
      // Prefer plain lane models over ensembles / preprocessors: try in a stable order.
      const ordered = [...ready].sort((x, y) => score(y.name) - score(x.name));
      for (const m of ordered) {
        try {
          const meta = await metadataFor(conn, m.name);
          imageInputOf(meta);
          if (!cancelled && !useApp.getState().slots.a.model) useApp.getState().setSlot('a', { model: m.name });
          return;
        } catch {
          /* not an image model */
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [conn, index, slotA]);
}

function score(name: string): number {
  const n = name.toLowerCase();
  return (
    (n.includes('lane') ? 2 : 0) + (n.includes('fp16') || n.includes('ensemble') || n.includes('pipeline') ? -1 : 0)
  );
}

// ---------------------------------------------------------------------------------------------
// controls

function ControlsPanel({
  frame,
  a,
  b,
  gtFrame,
}: {
  frame: { w: number; h: number; index: number; key: string } | null;
  a: Decoded;
  b: Decoded;
  gtFrame: TusimpleFrame | null;
}) {
  const abMode = useApp((s) => s.abMode);
  const errA = useApp((s) => s.inferErrors.a);
  const errB = useApp((s) => s.inferErrors.b);
  const conn = useApp((s) => s.activeConnection());
  const scoreA = useMemo(
    () => (frame ? frameScore(a.decoded, gtFrame, a.result?.frameW ?? frame.w, a.result?.frameH ?? frame.h) : null),
    [a, gtFrame, frame],
  );
  const scoreB = useMemo(
    () =>
      frame && abMode !== 'off'
        ? frameScore(b.decoded, gtFrame, b.result?.frameW ?? frame.w, b.result?.frameH ?? frame.h)
        : null,
    [b, gtFrame, frame, abMode],
  );
  return (
    <Panel title="Inference" testId="inspector-controls">
      {!conn && <Alert kind="warn">Connect to a server (Servers view) to run models.</Alert>}
      <ModelSection />
      {errA && (
        <Alert kind="err" testId="infer-error" title="Inference failed (A)">
          {errA}
        </Alert>
      )}
      {errB && abMode !== 'off' && (
        <Alert kind="err" title="Inference failed (B)">
          {errB}
        </Alert>
      )}
      {a.error && (
        <Alert kind="err" testId="decode-error">
          {a.error}
        </Alert>
      )}
      {b.error && abMode !== 'off' && <Alert kind="err">{b.error}</Alert>}
      <DecoderSection a={a} />
      <LanesSection a={a} b={abMode !== 'off' ? b : null} scoreA={scoreA} scoreB={scoreB} gt={!!gtFrame} />
      <LatencySection a={a} b={abMode !== 'off' ? b : null} />
      <LayersSection />
      <PreprocessSection />
      <ExportSection frame={frame} a={a} gtFrame={gtFrame} scoreA={scoreA} />
    </Panel>
  );
}

function ModelSection() {
  const index = useApp((s) => s.index);
  const slots = useApp((s) => s.slots);
  const setSlot = useApp((s) => s.setSlot);
  const abMode = useApp((s) => s.abMode);
  const setAbMode = useApp((s) => s.setAbMode);
  const profiles = useApp((s) => s.profiles);
  const statuses = useApp((s) => s.statuses);
  const autoInfer = useApp((s) => s.autoInfer);
  const setAutoInfer = useApp((s) => s.setAutoInfer);
  const maxInFlight = useApp((s) => s.maxInFlight);
  const setMaxInFlight = useApp((s) => s.setMaxInFlight);
  const ready = index.filter((m) => m.state === 'READY');
  const connected = profiles.filter((p) => statuses[p.id] && statuses[p.id].state !== 'disconnected');
  const [remoteModels, setRemoteModels] = useState<string[] | null>(null);
  const bConn = slots.b.connectionId;
  useEffect(() => {
    if (!bConn) {
      setRemoteModels(null);
      return;
    }
    backend()
      .repositoryIndex(bConn)
      .then((m) => setRemoteModels(m.filter((x) => x.state === 'READY').map((x) => x.name)))
      .catch(() => setRemoteModels([]));
  }, [bConn]);

  return (
    <div className="section">
      <div className="section-title">Model</div>
      <label className="field">
        {abMode === 'off' ? 'Model' : 'A'}
        <select
          value={slots.a.model ?? ''}
          onChange={(e) => setSlot('a', { model: e.target.value || null })}
          data-testid="model-select-a"
        >
          <option value="">— choose —</option>
          {ready.map((m) => (
            <option key={m.name} value={m.name}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field" title="A/B: compare two models (or servers) on the same frame">
        A/B
        <div className="btn-group fill">
          {(['off', 'side', 'overlay'] as const).map((m) => (
            <button
              key={m}
              className={`btn small ${abMode === m ? 'active' : ''}`}
              onClick={() => setAbMode(m)}
              data-testid={`ab-${m}`}
              title={m === 'off' ? 'One model' : m === 'side' ? 'A and B side by side' : 'B drawn dashed over A'}
            >
              {m === 'off' ? 'Off' : m === 'side' ? 'Side' : 'Overlay'}
            </button>
          ))}
        </div>
      </label>
      {abMode !== 'off' && (
        <>
          <label className="field">
            B server
            <select
              value={slots.b.connectionId ?? ''}
              onChange={(e) => setSlot('b', { connectionId: e.target.value || null, model: null })}
            >
              <option value="">same as A</option>
              {connected.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            B
            <select
              value={slots.b.model ?? ''}
              onChange={(e) => setSlot('b', { model: e.target.value || null })}
              data-testid="model-select-b"
            >
              <option value="">— choose —</option>
              {(remoteModels ?? ready.map((m) => m.name)).map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      <ModelInputInfo />
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <label className="check">
          <input type="checkbox" checked={autoInfer} onChange={(e) => setAutoInfer(e.target.checked)} /> Infer on frame
          change
        </label>
        <label
          className="check"
          title="Requests in flight per model while a video plays; frames are skipped beyond this"
        >
          in flight
          <input
            type="number"
            min={1}
            max={8}
            value={maxInFlight}
            onChange={(e) => setMaxInFlight(Number(e.target.value))}
            style={{ width: 44 }}
          />
        </label>
      </div>
    </div>
  );
}

function ModelInputInfo() {
  // Select a string (a fresh object per call would re-render forever).
  const key = useApp(() => {
    const t = slotTarget('a');
    return t ? `${t.connectionId}|${t.model}` : '';
  });
  const target = key ? { connectionId: key.slice(0, key.indexOf('|')), model: key.slice(key.indexOf('|') + 1) } : null;
  const [meta, setMeta] = useState<ModelMetadata | null>(null);
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    setMeta(null);
    setErr(null);
    if (!target) return;
    metadataFor(target.connectionId, target.model).then(setMeta, (e) => setErr(errorText(e)));
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps
  if (err) return <Alert kind="err">{err}</Alert>;
  if (!meta) return null;
  let spec: ReturnType<typeof imageInputOf> | null = null;
  let specErr: string | null = null;
  try {
    spec = imageInputOf(meta);
  } catch (e) {
    specErr = errorText(e);
  }
  return (
    <div className="small muted" style={{ margin: '2px 0 8px' }} data-testid="model-io">
      {spec ? (
        <>
          in <span className="mono">{spec.name}</span> {spec.datatype}{' '}
          {fmtShape(meta.inputs.find((i) => i.name === spec!.name)!.shape)} → out{' '}
          {meta.outputs.map((o) => (
            <span key={o.name} className="mono">
              {o.name} {fmtShape(o.shape)}{' '}
            </span>
          ))}
        </>
      ) : (
        <span style={{ color: 'var(--err)' }}>{specErr}</span>
      )}
    </div>
  );
}

function DecoderSection({ a }: { a: Decoded }) {
  const decoder = useApp((s) => s.decoder);
  const setDecoderId = useApp((s) => s.setDecoderId);
  const setOption = useApp((s) => s.setDecoderOption);
  const suggested = suggestDecoder(a.result?.output.shape);
  const active = decoder.id === 'auto' ? suggested : decoderById(decoder.id);
  return (
    <div className="section" data-testid="decoder-section">
      <div className="section-title">Decoder</div>
      <label className="field">
        Decoder
        <select value={decoder.id} onChange={(e) => setDecoderId(e.target.value)} data-testid="decoder-select">
          <option value="auto">Auto{suggested ? ` (${suggested.id})` : ''}</option>
          {UI_DECODERS.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      {a.result && (
        <div className="small muted" style={{ marginBottom: 6 }}>
          output <span className="mono">{a.result.output.name}</span> {fmtShape(a.result.output.shape)}
          {suggested ? ` — ${suggestionReason(a.result.output.shape)}` : ' — no decoder recognises this shape'}
        </div>
      )}
      {active && Object.keys(active.presets).length > 0 && (
        <div className="row" style={{ marginBottom: 6 }}>
          <span className="small muted">Preset</span>
          {Object.entries(active.presets).map(([name, values]) => (
            <button
              key={name}
              className="btn small"
              onClick={() => Object.entries(values).forEach(([k, v]) => setOption(active.id, k, v))}
              title={JSON.stringify(values)}
            >
              {name}
            </button>
          ))}
        </div>
      )}
      {active?.options.map((o) => {
        const cur = decoder.options[active.id]?.[o.key] ?? active.defaults[o.key];
        if (o.kind === 'boolean') {
          return (
            <label className="check" key={o.key} title={o.description} style={{ marginBottom: 4 }}>
              <input
                type="checkbox"
                checked={cur === true}
                onChange={(e) => setOption(active.id, o.key, e.target.checked)}
                data-testid={`opt-${o.key}`}
              />{' '}
              {o.label}
            </label>
          );
        }
        if (o.kind === 'choice') {
          return (
            <label className="field" key={o.key} title={o.description}>
              {o.label}
              <select
                value={cur === undefined ? '' : String(cur)}
                onChange={(e) => setOption(active.id, o.key, e.target.value)}
                data-testid={`opt-${o.key}`}
              >
                <option value="">auto</option>
                {o.choices?.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
          );
        }
        const v = Number(cur);
        return (
          <div className="slider-row" key={o.key} title={o.description}>
            <span>{o.label}</span>
            <input
              type="range"
              min={o.min}
              max={o.max}
              step={o.step ?? (o.kind === 'integer' ? 1 : 0.01)}
              value={v}
              onChange={(e) => setOption(active.id, o.key, Number(e.target.value))}
              data-testid={`opt-${o.key}`}
              aria-label={o.label}
            />
            <output data-testid={`opt-${o.key}-value`}>
              {o.kind === 'integer' || (o.step ?? 0) >= 1 ? v.toFixed(0) : v.toFixed(2)}
            </output>
          </div>
        );
      })}
      {a.decoded && (
        <div className="small muted mono">
          {Object.entries(a.decoded.info)
            .map(([k, v]) => `${k} ${v}`)
            .join(' · ')}
        </div>
      )}
      <div className="small muted" style={{ marginTop: 4 }}>
        Sliders re-decode the cached output — no new request. <Kbd>[</Kbd> <Kbd>]</Kbd> confidence.
      </div>
    </div>
  );
}

function LayersSection() {
  const layers = useApp((s) => s.layers);
  const setLayers = useApp((s) => s.setLayers);
  const gt = useApp((s) => s.gt);
  return (
    <div className="section">
      <div className="section-title">Layers</div>
      <div className="row" style={{ gap: 12 }}>
        <label className="check">
          <input type="checkbox" checked={layers.lanes} onChange={(e) => setLayers({ lanes: e.target.checked })} />{' '}
          Lanes
        </label>
        <label className="check">
          <input type="checkbox" checked={layers.labels} onChange={(e) => setLayers({ labels: e.target.checked })} />{' '}
          Scores
        </label>
        <label className="check" title="P">
          <input
            type="checkbox"
            checked={layers.proposals}
            onChange={(e) => setLayers({ proposals: e.target.checked })}
            data-testid="layer-proposals"
          />{' '}
          Proposals
        </label>
        <label className="check" title="G">
          <input
            type="checkbox"
            checked={layers.gt}
            disabled={!gt}
            onChange={(e) => setLayers({ gt: e.target.checked })}
          />{' '}
          Ground truth
        </label>
      </div>
    </div>
  );
}

function LatencySection({ a, b }: { a: Decoded; b: Decoded | null }) {
  const rows = [a, ...(b ? [b] : [])].filter((d) => d.result);
  if (!rows.length) return null;
  const max = Math.max(
    ...rows.map((d) => d.result!.timing.preprocessMs + d.result!.timing.requestMs + (d.decodeMs ?? 0)),
  );
  return (
    <div className="section" data-testid="latency">
      <div className="section-title">Latency</div>
      {rows.map((d, i) => {
        const t = d.result!.timing;
        const total = t.preprocessMs + t.requestMs + (d.decodeMs ?? 0);
        const bar = (v: number, cls: string) => (
          <div className={`bar ${cls}`} style={{ width: `${(v / max) * 100}%` }} />
        );
        return (
          <div key={i} className="timing" style={{ marginBottom: 6 }}>
            {rows.length > 1 && (
              <span style={{ gridColumn: '1 / 4' }} className="small muted">
                {i === 0 ? 'A' : 'B'} · {d.result!.model}
              </span>
            )}
            <span className="muted">preprocess</span>
            {bar(t.preprocessMs, 'pre')}
            <span className="val">{fmtMs(t.preprocessMs)}</span>
            <span className="muted">request</span>
            {bar(t.requestMs, 'req')}
            <span className="val" data-testid="latency-request">
              {fmtMs(t.requestMs)}
            </span>
            {t.rpcMs !== undefined && (
              <>
                <span className="muted"> of it gRPC</span>
                {bar(t.rpcMs, 'req')}
                <span className="val">{fmtMs(t.rpcMs)}</span>
              </>
            )}
            <span className="muted">decode</span>
            {bar(d.decodeMs ?? 0, 'dec')}
            <span className="val">{fmtMs(d.decodeMs)}</span>
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

function LanesSection({
  a,
  b,
  scoreA,
  scoreB,
  gt,
}: {
  a: Decoded;
  b: Decoded | null;
  scoreA: TusimpleFrameScore | null;
  scoreB: TusimpleFrameScore | null;
  gt: boolean;
}) {
  if (!a.decoded && !b?.decoded) return null;
  const block = (d: Decoded, s: TusimpleFrameScore | null, tag: string, offset: number) =>
    d.decoded && (
      <div style={{ marginBottom: 8 }} key={tag}>
        {b && (
          <div className="small muted">
            {tag} · {d.result?.model}
          </div>
        )}
        <div className="lane-legend" data-testid={`lanes-${tag.toLowerCase()}`}>
          {d.decoded.lanes.map((l, i) => (
            <div key={i}>
              <span className="sw" style={{ background: laneColor(i + offset) }} />
              lane {i + 1} · {l.score.toFixed(3)} · {l.points.length} pts
            </div>
          ))}
          {!d.decoded.lanes.length && <div className="muted">no lanes above the threshold</div>}
        </div>
        {s && (
          <div
            className="row small"
            style={{ marginTop: 4, gap: 10 }}
            data-testid={`accuracy-${tag.toLowerCase()}`}
            data-accuracy={s.accuracy.toFixed(4)}
          >
            <span className={`badge ${s.accuracy >= 0.9 ? 'ok' : s.accuracy >= 0.7 ? 'warn' : 'err'}`}>
              acc {(s.accuracy * 100).toFixed(1)}%
            </span>
            <span className="muted">FP {s.fp.toFixed(2)}</span>
            <span className="muted">FN {s.fn.toFixed(2)}</span>
            <span className="muted">
              {s.matched}/{s.lineAccuracies.length} GT lanes
            </span>
          </div>
        )}
      </div>
    );
  return (
    <div className="section">
      <div className="section-title">Lanes{gt ? ' · TuSimple accuracy (this frame)' : ''}</div>
      {block(a, scoreA, 'A', 0)}
      {b && block(b, scoreB, 'B', useApp.getState().abMode === 'overlay' ? 4 : 0)}
      <SequenceLine />
    </div>
  );
}

function SequenceLine() {
  const seq = useSequenceScore();
  if (!seq || seq.labelled < 2) return null;
  return (
    <div
      className="row small"
      style={{ marginTop: 2, gap: 10 }}
      data-testid="accuracy-sequence"
      data-frames={seq.frames}
      data-accuracy={seq.accuracy.toFixed(4)}
      title="TuSimple accuracy averaged over the labelled frames inferred so far with model A, decoded with the current settings"
    >
      <span className="muted">
        sequence · {seq.frames}/{seq.labelled} frames
      </span>
      {seq.frames > 0 && (
        <>
          <span className={`badge ${seq.accuracy >= 0.9 ? 'ok' : seq.accuracy >= 0.7 ? 'warn' : 'err'}`}>
            acc {(seq.accuracy * 100).toFixed(1)}%
          </span>
          <span className="muted">FP {seq.fp.toFixed(2)}</span>
          <span className="muted">FN {seq.fn.toFixed(2)}</span>
        </>
      )}
    </div>
  );
}

function PreprocessSection() {
  const pre = useApp((s) => s.preprocess);
  const setPre = useApp((s) => s.setPreprocess);
  const [open, setOpen] = useState(false);
  const num = (v: string) => (Number.isFinite(Number(v)) ? Number(v) : 0);
  const triple = (k: 'mean' | 'std') => (
    <div className="row" style={{ gap: 4 }}>
      {[0, 1, 2].map((i) => (
        <input
          key={i}
          type="number"
          step="0.001"
          value={pre[k][i]}
          style={{ width: 64 }}
          onChange={(e) => {
            const v = [...pre[k]] as [number, number, number];
            v[i] = num(e.target.value);
            if (k === 'std' && v[i] === 0) return;
            setPre({ [k]: v });
          }}
        />
      ))}
    </div>
  );
  return (
    <div className="section" data-testid="preprocess">
      <div className="section-title row" style={{ cursor: 'pointer' }} onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'} Preprocessing
        <span className="muted" style={{ textTransform: 'none', letterSpacing: 0, fontWeight: 400 }}>
          {pre.channelOrder} · ×{+pre.scale.toFixed(5)} · {pre.dtype === 'auto' ? 'dtype from model' : pre.dtype}
        </span>
      </div>
      {open && (
        <>
          <label className="field">
            Channels
            <div className="btn-group">
              {(['RGB', 'BGR'] as const).map((c) => (
                <button
                  key={c}
                  className={`btn small ${pre.channelOrder === c ? 'active' : ''}`}
                  onClick={() => setPre({ channelOrder: c })}
                >
                  {c}
                </button>
              ))}
            </div>
          </label>
          <label className="field">
            Scale
            <select value={String(pre.scale)} onChange={(e) => setPre({ scale: Number(e.target.value) })}>
              <option value={String(1 / 255)}>1/255 (0…1)</option>
              <option value="1">1 (0…255)</option>
              <option value={String(2 / 255)}>2/255</option>
            </select>
          </label>
          <label className="field">
            Mean
            {triple('mean')}
          </label>
          <label className="field">
            Std
            {triple('std')}
          </label>
          <div className="row" style={{ margin: '4px 0 8px' }}>
            <button className="btn small" onClick={() => setPre({ mean: IMAGENET.mean, std: IMAGENET.std })}>
              ImageNet
            </button>
            <button className="btn small" onClick={() => setPre({ mean: [0, 0, 0], std: [1, 1, 1] })}>
              None
            </button>
          </div>
          <label className="field">
            Tensor type
            <select value={pre.dtype} onChange={(e) => setPre({ dtype: e.target.value as 'auto' | 'FP32' | 'FP16' })}>
              <option value="auto">From model metadata</option>
              <option value="FP32">FP32</option>
              <option value="FP16">FP16</option>
            </select>
          </label>
          <button className="btn small" onClick={() => forgetMetadata()}>
            Re-read model metadata
          </button>
        </>
      )}
    </div>
  );
}

function ExportSection({
  frame,
  a,
  gtFrame,
  scoreA,
}: {
  frame: { w: number; h: number; index: number; key: string } | null;
  a: Decoded;
  gtFrame: TusimpleFrame | null;
  scoreA: TusimpleFrameScore | null;
}) {
  const results = useApp((s) => s.results);
  const [busy, setBusy] = useState(false);
  const count = Object.keys(results).length;
  return (
    <div className="section">
      <div className="section-title">Export</div>
      {busy && <Progress />}
      <div className="row">
        <button
          className="btn small"
          disabled={!frame || !a.decoded}
          onClick={async () => {
            if (!frame || !a.decoded) return;
            setBusy(true);
            try {
              const gtPts: Point[][] | undefined = gtFrame
                ? gtFrame.lanes.map((xs) => tusimpleLanePoints(xs, gtFrame.h_samples))
                : undefined;
              await exportAnnotatedPng(
                frameSourceForExport(),
                frame.w,
                frame.h,
                a.decoded.lanes,
                gtPts,
                `frame-${frame.index + 1}.png`,
              );
            } catch (e) {
              useApp.getState().toast('err', `Export failed: ${errorText(e)}`);
            } finally {
              setBusy(false);
            }
          }}
          data-testid="export-png"
        >
          PNG
        </button>
        <button
          className="btn small"
          disabled={!a.decoded || !frame}
          onClick={() => frame && a.decoded && exportLanesJson(frame, a, scoreA)}
          data-testid="export-json"
        >
          Lanes JSON
        </button>
        <button className="btn small" disabled={!count} onClick={() => exportMetricsCsv()} data-testid="export-csv">
          Metrics CSV ({count})
        </button>
      </div>
    </div>
  );
}

function frameSourceForExport(): CanvasImageSource | null {
  return currentFrame?.source ?? null;
}
