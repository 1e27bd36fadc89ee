/**
 * The A/B differences, when A and B ran the same frame: per output max/mean |Δ|, anchors crossing
 * the threshold in one model only, lanes matched one to one with mean/max |Δx|, lanes only A or
 * only B found; and over the whole sequence (every frame both ran), the frames where the lanes
 * disagree, worst first — a click jumps to the frame. CSV and JSON export.
 */
import { useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { laneColor } from '../../components/FrameStage';
import {
  comparisonJson,
  compareFrame,
  disagrees,
  DEFAULT_DX_TOLERANCE,
  sequenceCsvRows,
  summarizeSequence,
  worstMeanDx,
  type FrameComparison,
  type SequenceFrame,
} from '../../../../shared/inference';
import { errorText } from '../../lib/errors';
import { decodeResult, resultKey, type Decoded } from './model';
import { toCsv } from '../../../../shared/csv';
import { inferFrameAndWait } from './controller';
import { imageFrameKey } from './model';
import { usePlayback } from './playback';
import { downloadText } from './exporters';
import { useAppSampledWhilePlaying } from './sampled';
import { exportJson } from '../../../../shared/exportJson';
import { runAllImages, undecodableMessage } from './runAll';

/** The comparison of what A and B show now (null unless both decoded the same frame). */
export function comparisonOf(a: Decoded, b: Decoded): FrameComparison | null {
  if (!a.decoded || !b.decoded || !a.result || !b.result) return null;
  if (a.result.frameKey !== b.result.frameKey || a.decoded.decoder !== b.decoded.decoder) return null;
  const conf = a.decoded.options.conf;
  return compareFrame({
    output: { name: a.result.output.name, a: a.result.output.values, b: b.result.output.values },
    decoder: a.decoded.decoder,
    conf: typeof conf === 'number' ? conf : undefined,
    scoresAreProbs: a.decoded.options.scoresAreProbs === true,
    lanesA: a.decoded.lanes,
    lanesB: b.decoded.lanes,
  });
}

export function useAbComparison(a: Decoded, b: Decoded): FrameComparison | null {
  const abMode = useApp((s) => s.abMode);
  return useMemo(() => (abMode === 'off' ? null : comparisonOf(a, b)), [a, b, abMode]);
}

const fmt = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '–');

export function AbSection({ comparison }: { comparison: FrameComparison | null }) {
  const abMode = useApp((s) => s.abMode);
  const delta = useApp((s) => s.layers.delta);
  const setLayers = useApp((s) => s.setLayers);
  if (abMode === 'off') return null;
  return (
    <div className="section" data-testid="ab-diff" data-ready={comparison ? 'yes' : 'no'}>
      <div className="section-title">A/B differences</div>
      <label className="check" style={{ marginBottom: 6 }} title="Colour the rows of matched lanes by |Δx|">
        <input
          type="checkbox"
          checked={delta}
          onChange={(e) => setLayers({ delta: e.target.checked })}
          data-testid="layer-delta"
        />{' '}
        Δ layer (rows by |Δx|)
      </label>
      {!comparison && <div className="small muted">Waiting for A and B on the same frame…</div>}
      {comparison && <FrameDiff c={comparison} />}
      <SequenceDiff />
    </div>
  );
}

function FrameDiff({ c }: { c: FrameComparison }) {
  return (
    <div className="small" style={{ marginBottom: 8 }}>
      {c.outputs.map((o) => (
        <div key={o.name} className="mono" data-testid="ab-diff-output" data-max={o.maxAbs} data-mean={o.meanAbs}>
          {o.name}: max |Δ| {o.maxAbs.toPrecision(3)} · mean |Δ| {o.meanAbs.toPrecision(3)}
          {o.sizeMismatch ? ' (sizes differ)' : ''}
        </div>
      ))}
      {c.flips && (
        <div data-testid="ab-flips" data-only-a={c.flips.onlyA} data-only-b={c.flips.onlyB}>
          anchors over the threshold only in A: {c.flips.onlyA} · only in B: {c.flips.onlyB}
        </div>
      )}
      <table className="grid" data-testid="ab-matched" data-count={c.lanes.matches.length}>
        <thead>
          <tr>
            <th>A</th>
            <th>B</th>
            <th className="num">mean |Δx|</th>
            <th className="num">max |Δx|</th>
          </tr>
        </thead>
        <tbody>
          {c.lanes.matches.map((m) => (
            <tr key={`${m.a}-${m.b}`}>
              <td style={{ color: laneColor(m.a) }}>{m.a + 1}</td>
              <td>{m.b + 1}</td>
              <td className="num">{fmt(m.meanDx)} px</td>
              <td className="num">{fmt(m.maxDx)} px</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div data-testid="ab-only" data-only-a={c.lanes.onlyA.length} data-only-b={c.lanes.onlyB.length}>
        only A: {c.lanes.onlyA.length ? c.lanes.onlyA.map((i) => i + 1).join(', ') : 'none'} · only B:{' '}
        {c.lanes.onlyB.length ? c.lanes.onlyB.map((i) => i + 1).join(', ') : 'none'}
      </div>
    </div>
  );
}

/** Every frame both A and B ran (cached results), compared with the current decoder settings. */
function useSequenceFrames(): SequenceFrame[] {
  const results = useAppSampledWhilePlaying((s) => s.results);
  const decoder = useApp((s) => s.decoder);
  const source = useApp((s) => s.source);
  return useMemo(() => {
    const frames: SequenceFrame[] = [];
    for (const [key, ra] of Object.entries(results)) {
      if (!key.startsWith('a|')) continue;
      const rb = results[resultKey('b', ra.frameKey)];
      if (!rb) continue;
      const c = comparisonOf(decodeResult(ra, decoder, false), decodeResult(rb, decoder, false));
      if (!c) continue;
      const label =
        source?.kind === 'images' ? (source.items[ra.frameIndex]?.name ?? '') : `frame ${ra.frameIndex + 1}`;
      frames.push({ index: ra.frameIndex, label, comparison: c });
    }
    return frames;
  }, [results, decoder, source]);
}

function SequenceDiff() {
  const frames = useSequenceFrames();
  const summary = useMemo(() => summarizeSequence(frames), [frames]);
  const source = useApp((s) => s.source);
  const [running, setRunning] = useState<string | null>(null);
  const runAll = async () => {
    if (source?.kind !== 'images') return;
    try {
      const { undecodable } = await runAllImages(source.items, {
        decode: (blob) => createImageBitmap(blob),
        infer: (bmp, index, name) =>
          inferFrameAndWait({ source: bmp, w: bmp.width, h: bmp.height, key: imageFrameKey(index, name), index }),
        progress: (done, total) => setRunning(`${done}/${total}`),
      });
      const skipped = undecodableMessage(undecodable);
      if (skipped) useApp.getState().toast('err', skipped);
    } catch (e) {
      useApp.getState().toast('err', `Run all frames: ${errorText(e)}`);
    } finally {
      setRunning(null);
    }
  };
  const downloadJson = () =>
    downloadText(
      exportJson({
        summary: { ...summary, worst: undefined },
        frames: summary.worst.map((f) => ({ index: f.index, label: f.label, ...comparisonJson(f.comparison) })),
      }),
      'ab-comparison.json',
      'application/json',
    );
  return (
    <div data-testid="ab-sequence" data-frames={summary.frames} data-disagreeing={summary.disagreeing}>
      <div className="row small" style={{ justifyContent: 'space-between', margin: '4px 0' }}>
        <span className="muted">
          sequence · {summary.frames} frame{summary.frames === 1 ? '' : 's'} · {summary.disagreeing} disagree · mean
          |Δx| {fmt(summary.meanDx)} px
        </span>
        {source?.kind === 'images' && (
          <button className="btn small" onClick={() => void runAll()} disabled={!!running} data-testid="ab-run-all">
            {running ? `Running ${running}` : 'Run all frames'}
          </button>
        )}
      </div>
      {summary.frames > 0 && (
        <>
          <ul className="list" style={{ maxHeight: 180, overflow: 'auto' }}>
            {summary.worst.slice(0, 50).map((f) => (
              <li
                key={f.index}
                onClick={() => {
                  useApp.getState().setPlaying(false);
                  usePlayback.getState().seek(f.index);
                }}
                data-testid="ab-seq-row"
                data-index={f.index}
                data-disagrees={disagrees(f.comparison, DEFAULT_DX_TOLERANCE) ? 'yes' : 'no'}
                data-unmatched={f.comparison.lanes.onlyA.length + f.comparison.lanes.onlyB.length}
                data-dx={worstMeanDx(f.comparison)}
                title="Show this frame"
              >
                <span className="mono grow" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
                  {f.label}
                </span>
                <span className="small muted">
                  {f.comparison.lanes.onlyA.length + f.comparison.lanes.onlyB.length} unmatched ·{' '}
                  {fmt(worstMeanDx(f.comparison))} px
                </span>
              </li>
            ))}
          </ul>
          <div className="row" style={{ marginTop: 4 }}>
            <button
              className="btn small"
              onClick={() => downloadText(toCsv(sequenceCsvRows(summary)), 'ab-comparison.csv', 'text/csv')}
              data-testid="ab-export-csv"
            >
              A/B CSV
            </button>
            <button className="btn small" onClick={downloadJson} data-testid="ab-export-json">
              A/B JSON
            </button>
          </div>
        </>
      )}
    </div>
  );
}
