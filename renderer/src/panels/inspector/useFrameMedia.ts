/**
 * Turns the inspector's frame source into drawable media and drives playback without re-rendering
 * React per frame: image sequences advance on a timer; videos play natively and a rAF loop notices
 * each new frame, moves the playback store's index, emits the redraw signal (the stage redraws its
 * image layer through a ref) and hands the frame to the inference controller (frame dropping).
 * A video's frame times are read from its container when it opens (lib/media/frameTimes): frame i
 * is the file's i-th frame, found from the presented frame's media time (requestVideoFrameCallback)
 * while playing, and paused videos seek to the middle of frame i. Only a container we cannot read
 * falls back to a frame rate measured while playing.
 */
import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { errorText } from '../../lib/errors';
import { DecodedFrames } from './decodedFrames';
import { frameSourceInUse, inferFrameNow, setCurrentFrame, type FrameRef } from './controller';
import { imageFrameKey, videoFrameKey } from './model';
import { RateMeter, usePlayback } from './playback';
import { frameAtTime, frameRateOfStep, seekTimeOfFrame } from '../../../../shared/media';
import { readVideoTimeline } from '../../lib/media/frameTimes';

export interface Signal {
  subscribe(fn: () => void): () => void;
  emit(): void;
}

function makeSignal(): Signal {
  const fns = new Set<() => void>();
  return {
    subscribe(fn) {
      fns.add(fn);
      return () => fns.delete(fn);
    },
    emit() {
      fns.forEach((f) => f());
    },
  };
}

/** What the stage draws. An image is one frame (its key is fixed); a video element shows many. */
export type Media =
  | { kind: 'image'; source: ImageBitmap; w: number; h: number; index: number; key: string }
  | { kind: 'video'; source: HTMLVideoElement; w: number; h: number };

/** The frame the media shows now, for inference and exports. */
export function frameOf(media: Media): FrameRef {
  if (media.kind === 'image')
    return { source: media.source, w: media.w, h: media.h, key: media.key, index: media.index };
  return videoFrameRef(media.source, usePlayback.getState().index);
}

/** The frame index at media time `t`: from the file's frame times, else the measured frame rate. */
function frameIndexAt(t: number): number {
  const p = usePlayback.getState();
  if (p.timing.kind === 'file') return frameAtTime(p.timing.timeline, t);
  return Math.max(0, Math.min(p.count - 1, Math.floor(t * useApp.getState().videoFps + 1e-3)));
}

/** The frame index at media time `t`, within the video's frames (-1 while the count is unknown). */
function frameAt(t: number): number {
  return Math.min(usePlayback.getState().count - 1, frameIndexAt(t));
}

/**
 * Frame `index` of the video element. The element is captured when the request starts, which can be
 * later than now (after the model's metadata is read, or when a place under the in-flight limit
 * frees), and by then the video may show another frame: the capture's media time says which
 * (`indexAt`; the controller sends it as that frame).
 */
function videoFrameRef(v: HTMLVideoElement, index: number): FrameRef {
  return {
    source: v,
    w: v.videoWidth,
    h: v.videoHeight,
    key: videoFrameKey(index),
    index,
    indexAt: (us) => frameAt(us / 1e6),
  };
}

/** The media time to seek to for frame `index` (the middle of its display interval). */
function seekTimeOf(index: number): number {
  const p = usePlayback.getState();
  if (p.timing.kind === 'file') return seekTimeOfFrame(p.timing.timeline, index);
  return (index + 0.5) / useApp.getState().videoFps;
}

/** Without readable frame times, the count follows the duration and the measured frame rate. */
function estimateCount(v: HTMLVideoElement): void {
  if (usePlayback.getState().timing.kind === 'estimated' && Number.isFinite(v.duration))
    usePlayback.getState().setCount(Math.max(1, Math.round(v.duration * useApp.getState().videoFps)));
}

export function useFrameMedia(videoEl: HTMLVideoElement | null): { media: Media | null; redraw: Signal } {
  const source = useApp((s) => s.source);
  const playing = useApp((s) => s.playing);
  const videoFps = useApp((s) => s.videoFps);
  const imageFps = useApp((s) => s.imageFps);
  const autoInfer = useApp((s) => s.autoInfer);
  const [media, setMedia] = useState<Media | null>(null);
  const redraw = useMemo(makeSignal, []);
  // Decoded frames: 4 on each side of the playhead; none closed while the stage or a capture may draw it.
  const [decoded] = useState(() => new DecodedFrames<ImageBitmap>(4, frameSourceInUse));
  // Unmounted: close every decoded frame that nothing draws any more.
  useEffect(
    () => () => {
      decoded.clear();
      decoded.onStage(null);
    },
    [decoded],
  );

  // A new source: forget decoded frames, reset the position.
  useEffect(() => {
    setMedia(null);
    setCurrentFrame(null);
    decoded.clear();
    usePlayback.getState().reset(source?.kind === 'images' ? source.items.length : 0);
  }, [source, decoded]);

  // ----- images: decode the frame at the playhead (subscribed outside React) -----
  useEffect(() => {
    if (source?.kind !== 'images') return;
    let cancelled = false;
    const show = (index: number) => {
      const item = source.items[index];
      if (!item) return;
      const ready = (bmp: ImageBitmap) => {
        if (cancelled || usePlayback.getState().index !== index) return;
        decoded.shown(bmp);
        setMedia({
          kind: 'image',
          source: bmp,
          w: bmp.width,
          h: bmp.height,
          index,
          key: imageFrameKey(index, item.name),
        });
      };
      const cached = decoded.get(index);
      if (cached) return ready(cached);
      createImageBitmap(item.blob)
        .then((bmp) => {
          if (cancelled) return decoded.discard(bmp);
          decoded.put(index, bmp, usePlayback.getState().index);
          ready(bmp);
        })
        .catch((e) => useApp.getState().setSourceError(`${item.name}: cannot decode image (${errorText(e)})`));
    };
    show(usePlayback.getState().index);
    const unsubscribe = usePlayback.subscribe((s, prev) => {
      if (s.index !== prev.index) show(s.index);
    });
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [source, decoded]);

  // Image-sequence playback: advance on a timer.
  useEffect(() => {
    if (source?.kind !== 'images' || !playing) return;
    const meter = new RateMeter();
    const timer = setInterval(() => {
      const p = usePlayback.getState();
      if (p.index >= p.count - 1) {
        useApp.getState().setPlaying(false);
        return;
      }
      p.seek(p.index + 1);
      usePlayback.setState({ displayFps: meter.tick() });
    }, 1000 / imageFps);
    return () => {
      clearInterval(timer);
      usePlayback.setState({ displayFps: 0 });
    };
  }, [source, playing, imageFps]);

  // ----- video -----
  // Frame times from the container, once per video (nothing is decoded; a 7 s WebM takes ~1 ms).
  useEffect(() => {
    if (source?.kind !== 'video') return;
    let cancelled = false;
    usePlayback.setState({ timing: { kind: 'reading' } });
    void (async () => {
      try {
        const blob = source.file ?? (await (await fetch(source.url)).blob());
        const timeline = await readVideoTimeline(blob, source.name);
        if (cancelled) return;
        usePlayback.setState({ timing: { kind: 'file', timeline } });
        usePlayback.getState().setCount(timeline.times.length);
        if (timeline.fps > 0) useApp.getState().setVideoFps(timeline.fps);
      } catch (e) {
        if (cancelled) return;
        usePlayback.setState({ timing: { kind: 'estimated', reason: errorText(e) } });
        if (videoEl) estimateCount(videoEl);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [source, videoEl]);

  useEffect(() => {
    if (source?.kind !== 'video' || !videoEl) return;
    const v = videoEl;
    const onMeta = () => estimateCount(v);
    const onFrameReady = () => {
      // The element is the media for the whole video: only its size can change.
      setMedia((m) =>
        m?.kind === 'video' && m.w === v.videoWidth && m.h === v.videoHeight
          ? m
          : { kind: 'video', source: v, w: v.videoWidth, h: v.videoHeight },
      );
      redraw.emit();
      const st = useApp.getState();
      if (st.playing) return; // the rAF loop below handles playing video
      const index = usePlayback.getState().index;
      const ref = videoFrameRef(v, index);
      setCurrentFrame(ref);
      if (st.autoInfer) inferFrameNow(ref, 'missing');
    };
    const onError = () =>
      useApp
        .getState()
        .setSourceError(
          `${source.name}: the video cannot be decoded (${v.error?.message || `media error ${v.error?.code}`})`,
        );
    const onEnded = () => useApp.getState().setPlaying(false);
    v.addEventListener('loadedmetadata', onMeta);
    v.addEventListener('loadeddata', onFrameReady);
    v.addEventListener('seeked', onFrameReady);
    v.addEventListener('error', onError);
    v.addEventListener('ended', onEnded);
    v.src = source.url;
    v.load();
    return () => {
      v.removeEventListener('loadedmetadata', onMeta);
      v.removeEventListener('loadeddata', onFrameReady);
      v.removeEventListener('seeked', onFrameReady);
      v.removeEventListener('error', onError);
      v.removeEventListener('ended', onEnded);
      v.pause();
      v.removeAttribute('src');
      v.load();
    };
  }, [source, videoEl, redraw]);

  // Without frame times from the file, the frame count follows the fps setting.
  useEffect(() => {
    if (source?.kind === 'video' && videoEl) estimateCount(videoEl);
  }, [videoFps, source, videoEl]);

  // Playing: native playback; a rAF loop notices new frames.
  useEffect(() => {
    if (source?.kind !== 'video' || !videoEl || !playing) return;
    const v = videoEl;
    let raf = 0;
    let lastIdx = -1;
    const meter = new RateMeter();
    let superseded = false;
    v.play().catch((e) => {
      // The cleanup below pauses the element when this effect is superseded (another source or
      // element, or pause); the pending play() then rejects with AbortError. That is not a failure
      // to report, and must not stop the playback a newer run of this effect has started.
      if (superseded || (e instanceof DOMException && e.name === 'AbortError')) return;
      useApp.getState().setSourceError(`Cannot play ${source.name}: ${errorText(e)}`);
      useApp.getState().setPlaying(false);
    });
    const loop = () => {
      raf = requestAnimationFrame(loop);
      if (v.readyState < 2) return;
      const st = useApp.getState();
      // The presented frame's media time when the browser reports it (currentTime runs ahead of
      // the picture); a new frame is a new frame index.
      const idx = frameAt(presented >= 0 ? presented : v.currentTime);
      if (idx === lastIdx || idx < 0) return;
      lastIdx = idx;
      usePlayback.setState((p) => ({ index: idx, displayFps: meter.tick(), framesShown: p.framesShown + 1 }));
      redraw.emit();
      const ref = videoFrameRef(v, idx);
      setCurrentFrame(ref);
      if (st.autoInfer) inferFrameNow(ref, 'drop');
    };
    raf = requestAnimationFrame(loop);

    // The media time of each presented frame. Without frame times from the file, the frame rate
    // is also estimated from them (the smallest step between consecutive frames).
    let vfc = 0;
    let presented = -1;
    let lastMedia = -1;
    let minStep = Infinity;
    let seen = 0;
    const withVfc = v as HTMLVideoElement & {
      requestVideoFrameCallback?: (cb: (now: number, meta: { mediaTime: number }) => void) => number;
      cancelVideoFrameCallback?: (h: number) => void;
    };
    const onVideoFrame = (_now: number, meta: { mediaTime: number }) => {
      presented = meta.mediaTime;
      if (usePlayback.getState().timing.kind === 'estimated') {
        if (lastMedia >= 0 && meta.mediaTime > lastMedia) minStep = Math.min(minStep, meta.mediaTime - lastMedia);
        lastMedia = meta.mediaTime;
        if (++seen === 8 && Number.isFinite(minStep)) {
          const fps = frameRateOfStep(minStep);
          const st = useApp.getState();
          if (fps && fps !== st.videoFps) st.setVideoFps(fps);
        }
      }
      vfc = withVfc.requestVideoFrameCallback(onVideoFrame);
    };
    if (withVfc.requestVideoFrameCallback) vfc = withVfc.requestVideoFrameCallback(onVideoFrame);

    return () => {
      superseded = true;
      cancelAnimationFrame(raf);
      if (vfc && withVfc.cancelVideoFrameCallback) withVfc.cancelVideoFrameCallback(vfc);
      v.pause();
      // Snap the paused position to the frame grid so step/seek stay consistent.
      const p = usePlayback.getState();
      const index = Math.max(0, Math.min(p.count - 1, frameIndexAt(v.currentTime)));
      usePlayback.setState({ index, displayFps: 0 });
      // Paused (the same video still open): pin the element to that frame. Its currentTime right
      // after pause() can still move back a little as the media clock stops, and the element then
      // showed the frame before the one the counter named (seen as 122 named at 2.0276 s, 60 fps).
      if (useApp.getState().source === source && !useApp.getState().playing && Number.isFinite(v.duration))
        v.currentTime = Math.min(seekTimeOf(index), v.duration);
    };
  }, [source, videoEl, playing, redraw]);

  // Paused video: seek to the selected frame (subscribed outside React).
  useEffect(() => {
    if (source?.kind !== 'video' || !videoEl || playing) return;
    const seekTo = (index: number) => {
      if (!Number.isFinite(videoEl.duration) || usePlayback.getState().count === 0) return;
      // Seek unless the element already shows frame `index` (paused where playback stopped).
      if (frameIndexAt(videoEl.currentTime) !== index)
        videoEl.currentTime = Math.min(seekTimeOf(index), videoEl.duration);
    };
    // The element shows frame `index` with no seek pending: it is the current frame (inferred if need be).
    const shown = (index: number) => {
      if (videoEl.seeking || videoEl.readyState < 2) return;
      const ref = videoFrameRef(videoEl, index);
      setCurrentFrame(ref);
      if (useApp.getState().autoInfer) inferFrameNow(ref, 'missing');
    };
    const index = usePlayback.getState().index;
    seekTo(index);
    shown(index); // paused where playback stopped (no seek needed)
    return usePlayback.subscribe((s, prev) => {
      if (s.index !== prev.index || s.timing !== prev.timing || s.count !== prev.count) seekTo(s.index);
      // The frame count just became known (the file's frame times read after its first frame showed):
      // a request made before could not tell which frame it captured and sent nothing. If no seek
      // is needed, infer the frame on the stage now (after a seek, its completion does).
      if (prev.count === 0 && s.count > 0) shown(s.index);
    });
  }, [source, videoEl, playing, videoFps]);

  // Stills: the frame on the stage is the current frame; infer it once (cached afterwards).
  useEffect(() => {
    if (media?.kind !== 'image') return;
    const ref = frameOf(media);
    setCurrentFrame(ref);
    if (autoInfer) inferFrameNow(ref, playing ? 'drop' : 'missing');
  }, [media, autoInfer, playing]);

  // The image React committed to the stage is drawn until the next commit: the cache keeps it open
  // (after the effect above, so the frame it replaces as the current frame can be closed now).
  useEffect(() => decoded.onStage(media?.kind === 'image' ? media.source : null), [media, decoded]);

  return { media, redraw };
}
