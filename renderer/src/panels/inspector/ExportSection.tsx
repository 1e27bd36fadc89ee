/** Exports: the annotated frame (PNG), the decoded lanes (JSON), the metrics of every result (CSV). */
import { useState } from 'react';
import { useApp } from '../../state/store';
import { Progress } from '../../components/ui';
import { errorText } from '../../lib/errors';
import type { TusimpleFrame, TusimpleFrameScore } from '../../../../shared/lanes';
import { exportAnnotatedPng, exportLanesJson, exportMetricsCsv } from './exporters';
import { currentFrame } from './controller';
import { gtLanePoints, type Decoded } from './model';
import { useAppSampledWhilePlaying } from './sampled';

export function ExportSection({
  hasFrame,
  a,
  gtFrame,
  scoreA,
}: {
  hasFrame: boolean;
  a: Decoded;
  gtFrame: TusimpleFrame | null;
  scoreA: TusimpleFrameScore | null;
}) {
  const results = useAppSampledWhilePlaying((s) => s.results);
  const [busy, setBusy] = useState(false);
  const count = Object.keys(results).length;
  return (
    <div className="section">
      <div className="section-title">Export</div>
      {busy && <Progress />}
      <div className="row">
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
            if (frame && a.decoded) exportLanesJson(frame, a, scoreA);
          }}
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
