/**
 * A frame's RGBA pixels at the model's input size, read through a 2D canvas. Runs on the main
 * thread (fallback path, exports) and in the frame worker (OffscreenCanvas), so it touches
 * `document` only where OffscreenCanvas is missing.
 */
import { resizeBilinear } from '../../../shared/inference';

type Context2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

/** One 2D canvas per size, reused across frames (CPU-backed: every frame is read back). */
const canvases = new Map<string, Context2D>();
function context(w: number, h: number): Context2D {
  const key = `${w}x${h}`;
  let ctx = canvases.get(key);
  if (!ctx) {
    const canvas =
      typeof OffscreenCanvas !== 'undefined'
        ? new OffscreenCanvas(w, h)
        : Object.assign(document.createElement('canvas'), { width: w, height: h });
    const c = canvas.getContext('2d', { willReadFrequently: true });
    if (!c) throw new Error('2D canvas is not available');
    canvases.set(key, (ctx = c));
  }
  return ctx;
}

/**
 * The frame's RGBA pixels at w x h. 'opencv': read at the frame's own size, then resized exactly as
 * cv2.resize INTER_LINEAR does (shared/inference resizeBilinear); 'canvas': the browser scales.
 */
export function framePixels(
  source: CanvasImageSource,
  frameW: number,
  frameH: number,
  w: number,
  h: number,
  mode: 'opencv' | 'canvas' = 'opencv',
): Uint8ClampedArray | Uint8Array {
  if (mode === 'canvas' || (frameW === w && frameH === h)) {
    const ctx = context(w, h);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(source, 0, 0, w, h);
    return ctx.getImageData(0, 0, w, h).data;
  }
  const ctx = context(frameW, frameH);
  ctx.drawImage(source, 0, 0, frameW, frameH);
  const full = ctx.getImageData(0, 0, frameW, frameH).data;
  return resizeBilinear(full, frameW, frameH, 4, w, h);
}
