/**
 * Turns the inspector's frame source into a drawable current frame, and drives playback:
 * image sequences advance on a timer; videos play natively and a rAF loop picks up each new frame
 * (redraw + inference with frame dropping). Paused videos seek frame-exactly to the middle of frame i.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useApp } from '../state/store';
import { inferCurrent, type FrameRef } from '../lib/runner';
import { errorText } from '../lib/errors';

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

export function useFrameMedia(videoEl: HTMLVideoElement | null) {
  const source = useApp((s) => s.source);
  const frameIndex = useApp((s) => s.frameIndex);
  const playing = useApp((s) => s.playing);
  const videoFps = useApp((s) => s.videoFps);
  const imageFps = useApp((s) => s.imageFps);
  const autoInfer = useApp((s) => s.autoInfer);
  const [frame, setFrame] = useState<FrameRef | null>(null);
  const redraw = useMemo(makeSignal, []);
  const bitmaps = useRef(new Map<number, ImageBitmap>());

  // ----- images -----
  useEffect(() => {
    bitmaps.current.forEach((b) => b.close());
    bitmaps.current.clear();
    setFrame(null);
  }, [source]);

  useEffect(() => {
    if (source?.kind !== 'images') return;
    const item = source.items[frameIndex];
    if (!item) return;
    let cancelled = false;
    const cached = bitmaps.current.get(frameIndex);
    const ready = (bmp: ImageBitmap) => {
      if (cancelled) return;
      useApp.getState().setFrameSize({ w: bmp.width, h: bmp.height });
      setFrame({ source: bmp, w: bmp.width, h: bmp.height, key: `img:${frameIndex}:${item.name}`, index: frameIndex });
    };
    if (cached) ready(cached);
    else
      createImageBitmap(item.blob)
        .then((bmp) => {
          bitmaps.current.set(frameIndex, bmp);
          // Keep a small window of decoded frames around the playhead.
          for (const k of [...bitmaps.current.keys()]) {
            if (Math.abs(k - frameIndex) > 4) {
              bitmaps.current.get(k)!.close();
              bitmaps.current.delete(k);
            }
          }
          ready(bmp);
        })
        .catch((e) => useApp.getState().setSourceError(`${item.name}: cannot decode image (${errorText(e)})`));
    return () => {
      cancelled = true;
    };
  }, [source, frameIndex]);

  // Image-sequence playback: advance on a timer; the frame effect above infers each frame.
  useEffect(() => {
    if (source?.kind !== 'images' || !playing) return;
    let shown = 0;
    const t0 = performance.now();
    const timer = setInterval(() => {
      const st = useApp.getState();
      if (st.frameIndex >= st.frameCount - 1) {
        st.setPlaying(false);
        return;
      }
      st.setFrame(st.frameIndex + 1);
      shown++;
      st.setDisplayFps(shown / ((performance.now() - t0) / 1000));
    }, 1000 / imageFps);
    return () => clearInterval(timer);
  }, [source, playing, imageFps]);

  // ----- video -----
  useEffect(() => {
    if (source?.kind !== 'video' || !videoEl) return;
    const v = videoEl;
    const onMeta = () => {
      const st = useApp.getState();
      st.setFrameSize({ w: v.videoWidth, h: v.videoHeight });
      st.setFrameCount(Math.max(1, Math.round(v.duration * st.videoFps)));
    };
    const onFrameReady = () => {
      const st = useApp.getState();
      const idx = Math.min(st.frameCount - 1, Math.floor(v.currentTime * st.videoFps + 1e-3));
      setFrame({ source: v, w: v.videoWidth, h: v.videoHeight, key: `vid:${idx}`, index: idx });
      redraw.emit();
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

  // Frame count follows the fps setting.
  useEffect(() => {
    if (source?.kind === 'video' && videoEl && Number.isFinite(videoEl.duration)) {
      useApp.getState().setFrameCount(Math.max(1, Math.round(videoEl.duration * videoFps)));
    }
  }, [videoFps, source, videoEl]);

  // Playing: native playback, a rAF loop notices new frames.
  useEffect(() => {
    if (source?.kind !== 'video' || !videoEl || !playing) return;
    const v = videoEl;
    let raf = 0;
    let lastIdx = -1;
    const shownAt: number[] = [];
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
      // currentTime advances continuously; a new frame is a new frame index.
      const idx = Math.min(st.frameCount - 1, Math.floor(v.currentTime * st.videoFps + 1e-3));
      if (idx === lastIdx) return;
      lastIdx = idx;
      const now = performance.now();
      shownAt.push(now);
      while (shownAt.length && now - shownAt[0] > 1000) shownAt.shift();
      if (idx !== st.frameIndex) useApp.setState({ frameIndex: idx });
      st.setDisplayFps(shownAt.length);
      const ref: FrameRef = { source: v, w: v.videoWidth, h: v.videoHeight, key: `vid:${idx}`, index: idx };
      setFrame(ref);
      redraw.emit();
      if (st.autoInfer) inferCurrent(ref, 'drop');
    };
    raf = requestAnimationFrame(loop);

    // The element does not expose the frame rate: estimate it from the media times of presented
    // frames (the smallest step between consecutive frames), for stepping and frame numbers.
    let vfc = 0;
    let lastMedia = -1;
    let minStep = Infinity;
    let seen = 0;
    const withVfc = v as HTMLVideoElement & {
      requestVideoFrameCallback?: (cb: (now: number, meta: { mediaTime: number }) => void) => number;
      cancelVideoFrameCallback?: (h: number) => void;
    };
    const onVideoFrame = (_now: number, meta: { mediaTime: number }) => {
      if (lastMedia >= 0 && meta.mediaTime > lastMedia) minStep = Math.min(minStep, meta.mediaTime - lastMedia);
      lastMedia = meta.mediaTime;
      if (++seen === 8 && Number.isFinite(minStep)) {
        const fps = Math.round(1 / minStep);
        const st = useApp.getState();
        if (fps >= 1 && fps <= 240 && fps !== st.videoFps) st.setVideoFps(fps);
      }
      if (seen < 8) vfc = withVfc.requestVideoFrameCallback!(onVideoFrame);
    };
    if (withVfc.requestVideoFrameCallback) vfc = withVfc.requestVideoFrameCallback(onVideoFrame);

    return () => {
      superseded = true;
      cancelAnimationFrame(raf);
      if (vfc && withVfc.cancelVideoFrameCallback) withVfc.cancelVideoFrameCallback(vfc);
      v.pause();
      // Snap the paused position to the frame grid so step/seek stay consistent.
      const st = useApp.getState();
      const idx = Math.min(st.frameCount - 1, Math.floor(v.currentTime * st.videoFps + 1e-3));
      useApp.setState({ frameIndex: idx });
    };
  }, [source, videoEl, playing, redraw]);

  // Paused video: seek to the selected frame.
  useEffect(() => {
    if (source?.kind !== 'video' || !videoEl || playing) return;
    if (!Number.isFinite(videoEl.duration)) return;
    const target = (frameIndex + 0.5) / videoFps;
    if (Math.abs(videoEl.currentTime - target) > 0.5 / videoFps)
      videoEl.currentTime = Math.min(target, videoEl.duration);
  }, [source, videoEl, playing, frameIndex, videoFps]);

  // Stills and paused video: infer a frame once when it is shown (cached afterwards).
  useEffect(() => {
    if (!frame || !autoInfer) return;
    if (source?.kind === 'video' && playing) return; // the rAF loop handles playing video
    inferCurrent(frame, playing ? 'drop' : 'missing');
  }, [frame, autoInfer, playing, source]);

  return { frame, redraw };
}
