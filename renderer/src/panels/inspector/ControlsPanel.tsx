/**
 * The inference panel on the right: model, errors, decoder, lanes with TuSimple accuracy, latency,
 * layers, preprocessing, A/B differences and exports.
 */
import { memo, useMemo } from 'react';
import { useApp } from '../../state/store';
import { Alert, Panel, fmtMs } from '../../components/ui';
import { laneColor } from '../../components/FrameStage';
import type { TusimpleFrame, TusimpleFrameScore } from '../../../../shared/lanes';
import { frameScore, sequenceScore, type Decoded } from './model';
import type { Media } from './useFrameMedia';
import { ModelSection } from './ModelSection';
import { DecoderSection, PreprocessSection } from './SettingsSections';
import { ExportSection } from './ExportSection';
import { useAppSampledWhilePlaying } from './sampled';

/** Memoised: the inspector passes it results sampled during playback, so most frames skip it. */
export const ControlsPanel = memo(function ControlsPanel({
  media,
  a,
  b,
  gtFrame,
  children,
}: {
  media: Media | null;
  a: Decoded;
  b: Decoded;
  gtFrame: TusimpleFrame | null;
  /** Extra sections (the A/B differences). */
  children?: React.ReactNode;
}) {
  const frame = media;
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
      {children}
      <ExportSection hasFrame={!!media} a={a} gtFrame={gtFrame} />
    </Panel>
  );
});

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
  const bColorOffset = useApp((s) => (s.abMode === 'overlay' ? 4 : 0));
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
      {b && block(b, scoreB, 'B', bColorOffset)}
      <SequenceLine />
    </div>
  );
}

function SequenceLine() {
  const results = useAppSampledWhilePlaying((s) => s.results);
  const gt = useApp((s) => s.gt);
  const source = useApp((s) => s.source);
  const decoder = useApp((s) => s.decoder);
  const seq = useMemo(() => sequenceScore(results, gt, source, decoder), [results, gt, source, decoder]);
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
