/**
 * Exports of the frame on the stage (annotated PNG, its lanes as JSON) and of the whole source:
 * metrics CSV, the sequence JSON (both A/B slots), TuSimple predictions per slot.
 */
import { useState } from 'react';
import { useApp } from '../../state/store';
import { Progress } from '../../components/ui';
import { errorText } from '../../lib/errors';
import type { TusimpleFrame } from '../../../../shared/lanes';
import { exportAnnotatedPng, exportLanesJson, exportMetricsCsv, exportSequenceJson, exportTusimple } from './exporters';
import { currentFrame } from './controller';
import { gtLanePoints, slotOfResultKey, type Decoded } from './model';
import { useAppSampledWhilePlaying } from './sampled';

export function ExportSection({
  hasFrame,
  a,
  gtFrame,
}: {
  hasFrame: boolean;
  a: Decoded;
  gtFrame: TusimpleFrame | null;
}) {
  const results = useAppSampledWhilePlaying((s) => s.results);
  const ab = useApp((s) => s.abMode !== 'off');
  const [busy, setBusy] = useState(false);
  const keys = Object.keys(results);
  const count = keys.length;
  const countA = keys.filter((k) => slotOfResultKey(k) === 'a').length;
  const countB = count - countA;
  return (
    <div className="section">
      <div className="section-title">Export</div>
      {busy && <Progress />}
      <div className="row" style={{ flexWrap: 'wrap', gap: 6 }}>
        <span className="small muted">This frame</span>
        <button
          className="btn small"
          disabled={!hasFrame || !a.decoded}
          onClick={async () => {
            const frame = currentFrame();
            if (!frame || !a.decoded) return;
            setBusy(true);
            try {
              await exportAnnotatedPng(
                frame.source,
                frame.w,
                frame.h,
                a.decoded.lanes,
                gtFrame ? gtLanePoints(gtFrame) : undefined,
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
          disabled={!a.decoded || !hasFrame}
          onClick={() => {
            const frame = currentFrame();
            if (frame) exportLanesJson(frame);
          }}
          title="The lanes of this frame (A and, with A/B on, B) as JSON"
          data-testid="export-json"
        >
          Lanes JSON
        </button>
      </div>
      <div className="row" style={{ flexWrap: 'wrap', gap: 6, marginTop: 6 }}>
        <span className="small muted">All inferred frames</span>
        <button
          className="btn small"
          disabled={!count}
          onClick={() => exportMetricsCsv()}
          title="One row per frame and slot (file, frame, time, model, lanes, timings, TuSimple scores), this source only"
          data-testid="export-csv"
        >
          Metrics CSV ({count})
        </button>
        <button
          className="btn small"
          disabled={!count}
          onClick={() => exportSequenceJson()}
          title="Every inferred frame of this source with both slots' lanes, scores and timings"
          data-testid="export-sequence-json"
        >
          Sequence JSON
        </button>
        <button
          className="btn small"
          disabled={!countA}
          onClick={() => exportTusimple('a')}
          title="Model A's predictions as TuSimple JSON lines (raw_file, lanes, h_samples, run_time)"
          data-testid="export-tusimple-a"
        >
          TuSimple A ({countA})
        </button>
        {ab && (
          <button
            className="btn small"
            disabled={!countB}
            onClick={() => exportTusimple('b')}
            title="Model B's predictions as TuSimple JSON lines"
            data-testid="export-tusimple-b"
          >
            TuSimple B ({countB})
          </button>
        )}
      </div>
    </div>
  );
}
