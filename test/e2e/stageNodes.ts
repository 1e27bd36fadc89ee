/**
 * What a FrameStage drew, read from its Konva nodes in the page (Konva registers itself as
 * globalThis.Konva): the attributes of ground-truth lines and their outlines, lane lines, the
 * clip group, and the on-screen boxes of the score labels. Plus small colour and box helpers.
 */
import type { Page } from 'playwright-core';

export type Box = { x: number; y: number; width: number; height: number };
export interface StageNodes {
  gt: Record<string, unknown>[];
  outline: Record<string, unknown>[];
  lanes: Record<string, unknown>[];
  clip: Record<string, unknown>[];
  labels: Box[];
}

export async function readStageNodes(page: Page, testId = 'stage-a'): Promise<StageNodes> {
  await page.evaluate('globalThis.__name ??= (f) => f'); // tsx names the functions evaluated below
  return page.evaluate((testId) => {
    const K = (globalThis as unknown as { Konva: { stages: import('konva').default.Stage[] } }).Konva;
    const st = K.stages.find((s) => s.container().closest(`[data-testid=${testId}]`))!;
    const attrs = (sel: string) =>
      st.find(sel).map((n): Record<string, unknown> => ({ ...n.getAttrs(), points: undefined }));
    return {
      gt: attrs('.gt'),
      outline: attrs('.gt-outline'),
      lanes: attrs('.lane'),
      clip: attrs('.lanes-clip'),
      labels: st.find('Label').map((n) => n.getClientRect()),
    };
  }, testId);
}

/** Hue (0-360) of a #rrggbb colour. */
export function hue(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b) || 1;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
