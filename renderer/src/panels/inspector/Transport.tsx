/**
 * Transport: first/previous/play/next/last, the seek slider and frame counter, fps, fit and Run.
 * Only the position (slider + counter) follows the frame; the buttons read the playback store
 * when clicked, so playback does not re-render them.
 */
import { memo } from 'react';
import { useApp } from '../../state/store';
import { usePlayback, usePlaybackPaced, type PlaybackState } from './playback';
import { inferCurrentFrame } from './controller';

/** Memoised: a new result re-renders the inspector, not the transport (its props are stable). */
export const Transport = memo(function Transport({ hasFrame, onFit }: { hasFrame: boolean; onFit(): void }) {
  const source = useApp((s) => s.source);
  const playing = useApp((s) => s.playing);
  const setPlaying = useApp((s) => s.setPlaying);
  const imageFps = useApp((s) => s.imageFps);
  const empty = usePlayback((s) => s.count === 0);
  const busy = usePlayback((s) => s.inFlight > 0);
  const disabled = !source || empty;
  const seekBy = (d: number) => {
    const p = usePlayback.getState();
    p.seek(p.index + d);
  };
  return (
    <div className="transport" data-testid="transport">
      <button
        className="btn icon"
        disabled={disabled}
        onClick={() => usePlayback.getState().seek(0)}
        title="First frame (Home)"
      >
        <TIcon d="M4 3v10M13 3L6 8l7 5z" />
      </button>
      <button
        className="btn icon"
        disabled={disabled}
        onClick={() => seekBy(-1)}
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
        data-playing={playing ? 'yes' : 'no'}
      >
        {playing ? <TIcon d="M4 3h3v10H4zM9 3h3v10H9z" /> : <TIcon d="M4 2.5l9 5.5-9 5.5z" />}
      </button>
      <button
        className="btn icon"
        disabled={disabled}
        onClick={() => seekBy(1)}
        title="Next frame (→)"
        data-testid="step-forward"
      >
        <TIcon d="M5 3l6 5-6 5z" />
      </button>
      <button
        className="btn icon"
        disabled={disabled}
        onClick={() => usePlayback.getState().seek(usePlayback.getState().count - 1)}
        title="Last frame (End)"
      >
        <TIcon d="M12 3v10M3 3l7 5-7 5z" />
      </button>
      <Position disabled={disabled} />
      {source?.kind === 'video' && <VideoRate />}
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
        disabled={!hasFrame}
        onClick={() => inferCurrentFrame('force')}
        title="Run inference on this frame (Enter)"
        data-testid="run-infer"
      >
        {/* Not while playing: requests are always in flight then, and an endless spinner animation
            restyles the page on every frame. */}
        {busy && !playing ? <span className="spinner" /> : null} Run
      </button>
    </div>
  );
});

/**
 * A video's frame rate: read from the file (shown, not editable: frame numbers come from the
 * file's frame times), or, where the container cannot be read, the measured rate, which can be set.
 */
function VideoRate() {
  const timing = usePlayback((s) => s.timing);
  const videoFps = useApp((s) => s.videoFps);
  if (timing.kind === 'file') {
    const { times, fps, container } = timing.timeline;
    const last = times[times.length - 1];
    return (
      <span
        className="small muted mono"
        data-testid="video-rate"
        data-source="file"
        title={`From the ${container} file: ${times.length} frames, ${times[0].toFixed(3)}–${last.toFixed(3)} s`}
      >
        {fps} fps
      </span>
    );
  }
  if (timing.kind === 'reading')
    return (
      <span className="small muted" data-testid="video-rate">
        reading frame times…
      </span>
    );
  return (
    <label
      className="small muted row"
      data-testid="video-rate"
      data-source="estimated"
      title={`Frame times could not be read from the file (${timing.kind === 'estimated' ? timing.reason : ''}): frame rate measured while playing, used for stepping and frame numbers`}
    >
      fps (est.)
      <input
        type="number"
        min={1}
        max={240}
        value={videoFps}
        onChange={(e) => Number(e.target.value) > 0 && useApp.getState().setVideoFps(Number(e.target.value))}
        style={{ width: 52 }}
      />
    </label>
  );
}

/** A video frame's media time (from the file, or index / measured fps). */
function frameTime(s: PlaybackState, fps: number): number | null {
  if (s.timing.kind === 'file') return s.timing.timeline.times[s.index] ?? null;
  if (s.timing.kind === 'estimated' && fps > 0) return s.index / fps;
  return null;
}

/** The seek slider, the frame counter and a video frame's time: what follows playback (10 times a second while playing). */
function Position({ disabled }: { disabled: boolean }) {
  const playing = useApp((s) => s.playing);
  const index = usePlaybackPaced((s) => s.index, playing);
  const count = usePlayback((s) => s.count);
  const fps = useApp((s) => s.videoFps);
  const time = usePlaybackPaced((s) => frameTime(s, fps), playing);
  return (
    <>
      <input
        type="range"
        min={0}
        max={Math.max(0, count - 1)}
        value={index}
        disabled={disabled}
        onChange={(e) => usePlayback.getState().seek(Number(e.target.value))}
        aria-label="Seek"
        data-testid="seek"
      />
      <span
        className="mono small"
        data-testid="frame-index"
        data-index={index}
        style={{ minWidth: 90, textAlign: 'right' }}
      >
        {count ? `${index + 1} / ${count}` : '– / –'}
      </span>
      {time !== null && (
        <span className="mono small muted" data-testid="frame-time" data-time={time.toFixed(6)}>
          {time.toFixed(3)} s
        </span>
      )}
    </>
  );
}

function TIcon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 16 16" fill="currentColor" stroke="currentColor" strokeWidth="1.2" strokeLinejoin="round">
      <path d={d} />
    </svg>
  );
}
