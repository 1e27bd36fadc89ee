/**
 * The inspector: frames (images, folders, videos; drag and drop) through a lane model, decoded
 * lanes over the frame with live decoder settings, ground truth + TuSimple accuracy, A/B compare,
 * latency breakdown, exports. This component only wires the parts together: playback state lives in
 * the playback store, requests in the controller, and the per-frame redraw goes through a signal,
 * so a video frame does not re-render it.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { inferCurrentFrame } from './controller';
import { reportDecodeTimes } from './model';
import { recordStage } from './pipelineStats';
import { useFrameMedia } from './useFrameMedia';
import { useDecoded, useGtFrame, useStageKey } from './useDecoded';
import { useInspectorKeys } from './useInspectorKeys';
import { useDefaultModel } from './useDefaultModel';
import { SourcesPanel } from './SourcesPanel';
import { StageArea } from './StageArea';
import { Transport } from './Transport';
import { ControlsPanel } from './ControlsPanel';
import { AbSection, useAbComparison } from './AbSection';
import { createVideoElement, parkVideo } from '../../components/videoPresenter';
import { useSampledWhilePlaying } from './sampled';

export function InspectorView() {
  // Created outside React's tree: the stage presents it (see components/videoPresenter).
  const [videoEl] = useState(() => createVideoElement('video-element'));
  useEffect(() => {
    parkVideo(videoEl);
    return () => videoEl.remove();
  }, [videoEl]);
  const { media, redraw } = useFrameMedia(videoEl);
  const sourceKind = useApp((s) => s.source?.kind ?? 'none');
  const [fit, setFit] = useState(0);
  const refit = useCallback(() => setFit((f) => f + 1), []);

  useInspectorKeys(refit);
  useDefaultModel();
  useEffect(() => {
    reportDecodeTimes((ms) => recordStage('decode', ms));
    return () => reportDecodeTimes(undefined);
  }, []);

  // A new model, A/B setup or preprocessing cleared the results: infer the frame on the stage again.
  const slots = useApp((s) => s.slots);
  const abMode = useApp((s) => s.abMode);
  const preprocess = useApp((s) => s.preprocess);
  useEffect(() => {
    const st = useApp.getState();
    if (st.autoInfer && !st.playing) inferCurrentFrame('missing');
  }, [slots, abMode, preprocess]);

  const stageKey = useStageKey(media);
  const a = useDecoded('a', stageKey);
  const b = useDecoded('b', stageKey);
  const gtFrame = useGtFrame(media, stageKey, a);
  const comparison = useAbComparison(a, b);
  const showDelta = useApp((s) => s.layers.delta);
  const deltaRows = useMemo(
    () => (showDelta && comparison ? comparison.lanes.matches.flatMap((m) => m.rows) : undefined),
    [showDelta, comparison],
  );

  // The stage draws every result; the side panel follows them a few times a second while a
  // video plays (each update there is a layout and paint of the panel).
  const panelA = useSampledWhilePlaying(a);
  const panelB = useSampledWhilePlaying(b);
  const panelGt = useSampledWhilePlaying(gtFrame);
  const panelComparison = useSampledWhilePlaying(comparison);
  const abSection = useMemo(() => <AbSection comparison={panelComparison} />, [panelComparison]);

  return (
    <div className="view grid-inspector">
      <SourcesPanel />
      {/* Focusable (not in the tab order): Esc puts the focus here, so the shortcuts act again. */}
      <section
        className="panel stage-panel"
        data-testid="inspector-stage"
        data-source-kind={sourceKind}
        data-gt-file={gtFrame?.raw_file}
        tabIndex={-1}
      >
        <StageArea media={media} redraw={redraw} a={a} b={b} gtFrame={gtFrame} fit={fit} deltaRows={deltaRows} />
        <Transport hasFrame={!!media} onFit={refit} />
      </section>
      <ControlsPanel media={media} a={panelA} b={panelB} gtFrame={panelGt}>
        {abSection}
      </ControlsPanel>
    </div>
  );
}
