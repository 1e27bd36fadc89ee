/**
 * Zoom (wheel, buttons) and pan (drag) of an SVG layer. The transform lives in a ref and is written
 * straight to the layer's `transform` attribute: dragging does not re-render React. It fits the
 * content to the viewport at first and on resize, until the user zooms or pans. A drag shorter than
 * a few pixels is a click, so clicks on nodes still work.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { Box } from './layout';

export interface ZoomPan {
  scale: number;
  x: number;
  y: number;
}

const MIN_SCALE = 0.2;
const MAX_SCALE = 4;
const CLICK_SLOP_PX = 4;

/** The transform showing `content` whole and centred in a `width` x `height` viewport (never enlarged past 1.25x). */
export function fitTransform(content: Box, width: number, height: number): ZoomPan {
  const scale = Math.max(MIN_SCALE, Math.min(width / content.w, height / content.h, 1.25));
  return {
    scale,
    x: (width - content.w * scale) / 2 - content.x * scale,
    y: (height - content.h * scale) / 2 - content.y * scale,
  };
}

/** Zoom by `factor` keeping the point (px, py) of the viewport where it is. */
export function zoomAbout(t: ZoomPan, factor: number, px: number, py: number): ZoomPan {
  const scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, t.scale * factor));
  const k = scale / t.scale;
  return { scale, x: px - (px - t.x) * k, y: py - (py - t.y) * k };
}

export function useZoomPan(content: Box) {
  const viewport = useRef<HTMLDivElement>(null);
  const layer = useRef<SVGGElement>(null);
  const t = useRef<ZoomPan>({ scale: 1, x: 0, y: 0 });
  const userMoved = useRef(false);
  const drag = useRef<{ x: number; y: number; t: ZoomPan; moved: boolean } | null>(null);

  const apply = useCallback((next: ZoomPan) => {
    t.current = next;
    layer.current?.setAttribute('transform', `translate(${next.x} ${next.y}) scale(${next.scale})`);
    viewport.current?.setAttribute('data-transform', JSON.stringify(next));
  }, []);

  const fit = useCallback(() => {
    const el = viewport.current;
    if (!el) return;
    userMoved.current = false;
    apply(fitTransform(content, el.clientWidth, el.clientHeight));
  }, [apply, content]);

  const zoomBy = useCallback(
    (factor: number) => {
      const el = viewport.current;
      if (!el) return;
      userMoved.current = true;
      apply(zoomAbout(t.current, factor, el.clientWidth / 2, el.clientHeight / 2));
    },
    [apply],
  );

  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    fit();
    const ro = new ResizeObserver(() => !userMoved.current && fit());
    ro.observe(el);
    // Non-passive, so the page does not scroll while the graph zooms.
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      userMoved.current = true;
      apply(zoomAbout(t.current, Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      ro.disconnect();
      el.removeEventListener('wheel', onWheel);
    };
  }, [fit, apply]);

  const pointerHandlers = {
    onPointerDown: (e: React.PointerEvent) => {
      if (e.button !== 0) return;
      drag.current = { x: e.clientX, y: e.clientY, t: t.current, moved: false };
    },
    onPointerMove: (e: React.PointerEvent) => {
      const d = drag.current;
      if (!d) return;
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (!d.moved && Math.hypot(dx, dy) < CLICK_SLOP_PX) return;
      if (!d.moved) viewport.current?.setPointerCapture(e.pointerId);
      d.moved = true;
      userMoved.current = true;
      apply({ ...d.t, x: d.t.x + dx, y: d.t.y + dy });
    },
    onPointerUp: (e: React.PointerEvent) => {
      if (drag.current?.moved) viewport.current?.releasePointerCapture(e.pointerId);
      drag.current = null;
    },
  };
  /** True right after a drag: the click that ends it must not open a step. */
  const wasDrag = () => drag.current?.moved ?? false;

  return { viewport, layer, fit, zoomBy, pointerHandlers, wasDrag };
}
