/**
 * The inference panel on the right: model, errors, decoder, lanes with TuSimple accuracy, latency,
 * layers, preprocessing, A/B differences and exports.
 */
import { memo, useMemo } from 'react';
import { useApp } from '../../state/store';
import { Alert, Panel } from '../../components/ui';
import { laneColor, type Family, type Match } from '../../components/overlayStyle';
import type { TusimpleFrame, TusimpleFrameScore } from '../../../../shared/lanes';
import { frameScore, judgeLanes, sequenceScore, type Decoded } from './model';
import type { Media } from './useFrameMedia';
import { ModelSection } from './ModelSection';
import { DecoderSection, PreprocessSection } from './SettingsSections';
import { ExportSection } from './ExportSection';
import { NonFiniteAlert } from './NonFiniteAlert';
import { LatencySection } from './LatencySection';
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
  const showGt = useApp((s) => s.layers.gt);
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
  // The stage's TP / FP colours (judged against the GT shown; not in the A/B overlay).
  const judging = showGt && abMode !== 'overlay' && frame;
  const matchA = useMemo(
    () => (judging ? judgeLanes(a.decoded, gtFrame, frame.w, frame.h)?.match : undefined),
    [judging, a, gtFrame, frame],
  );
  const matchB = useMemo(
    () => (judging && abMode === 'side' ? judgeLanes(b.decoded, gtFrame, frame.w, frame.h)?.match : undefined),
    [judging, abMode, b, gtFrame, frame],
  );
  return (
    <Panel title="Inference" testId="inspector-controls" className="stable-scroll">
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
      <NonFiniteAlert slot="A" decoded={a} />
      {abMode !== 'off' && <NonFiniteAlert slot="B" decoded={b} />}
      <DecoderSection a={a} />
      <LanesSection
        a={a}
        b={abMode !== 'off' ? b : null}
        scoreA={scoreA}
        scoreB={scoreB}
        gt={!!gtFrame}
        match={[matchA, matchB]}
      />
      <LatencySection a={a} b={abMode !== 'off' ? b : null} />
      <LayersSection />
      <PreprocessSection />
      {children}
      <ExportSection hasFrame={!!media} a={a} gtFrame={gtFrame} />
    </Panel>
  );
});

/** Memoised like ModelSection. */
const LayersSection = memo(function LayersSection() {
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
});

function LanesSection({
  a,
  b,
  scoreA,
  scoreB,
  gt,
  match,
}: {
  a: Decoded;
  b: Decoded | null;
  scoreA: TusimpleFrameScore | null;
  scoreB: TusimpleFrameScore | null;
  gt: boolean;
  match: [Match[] | undefined, Match[] | undefined];
}) {
  const overlay = useApp((s) => s.abMode === 'overlay');
  // A frame stepped to has no lanes until its answer comes. Once the model has answered for some frame,
  // the section stays (with the sequence's score, which does not depend on this frame) rather than
  // vanishing and coming back on every step.
  const answeredBefore = useApp((s) => s.latest.a !== null || s.latest.b !== null);
  const pending = !a.decoded && !b?.decoded;
  if (pending && !answeredBefore) return null;
  const block = (d: Decoded, s: TusimpleFrameScore | null, tag: Family, m: Match[] | undefined) =>
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
              <span className="sw" style={{ background: laneColor(i, overlay ? tag : undefined, m?.[i]) }} />
              lane {i + 1} · {l.score.toFixed(3)} · {l.points.length} pts{m ? ` · ${m[i].toUpperCase()}` : ''}
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
            data-gt-found={s.matched}
            data-gt-lanes={s.lineAccuracies.length}
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
      {pending && (
        <div className="small muted" data-testid="lanes-pending">
          no answer for this frame yet
        </div>
      )}
      {block(a, scoreA, 'A', match[0])}
      {b && block(b, scoreB, 'B', match[1])}
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
