/**
 * The app's one focus model for keyboard shortcuts: which focused elements keep their keys (text
 * fields keep all; a slider keeps the keys that move it), and the view keys of each mode. In a
 * browser tab the browser takes Ctrl+1…8 (and, on Linux, Alt+1…8) before the page sees them, so
 * browser mode uses Alt+Shift+1…5; the desktop app keeps Ctrl+1…5.
 */
export type KeyMode = 'electron' | 'browser';

const TEXT_INPUTS = new Set(['text', 'search', 'number', 'email', 'url', 'password', 'tel', 'date', 'time']);
const SLIDER_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

/** True when the focused element should get this key itself instead of a shortcut. */
export function keyBelongsToField(e: Pick<KeyboardEvent, 'key' | 'target'>): boolean {
  const t = e.target as HTMLElement | null;
  if (!t || !t.tagName) return false;
  if (t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return true;
  if (t.tagName !== 'INPUT') return false;
  const type = (t as HTMLInputElement).type;
  if (type === 'range') return SLIDER_KEYS.has(e.key);
  // Checkboxes, radios, buttons: a click leaves the focus there, and the keys stay shortcuts.
  return TEXT_INPUTS.has(type);
}

/** The view (0-based) a key press asks for, or null. */
export function viewKeyIndex(
  e: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>,
  mode: KeyMode,
): number | null {
  const digit = /^Digit([1-5])$/.exec(e.code)?.[1] ?? (/^[1-5]$/.test(e.key) ? e.key : null);
  if (!digit) return null;
  const ctrl = (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
  const altShift = e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey;
  // Browser mode also takes Ctrl+N where the browser lets it through (e.g. an app window).
  return (mode === 'browser' ? altShift || ctrl : ctrl) ? Number(digit) - 1 : null;
}

export function viewKeyLabel(mode: KeyMode, n: number | string): string {
  return mode === 'browser' ? `Alt+Shift+${n}` : `Ctrl+${n}`;
}

/** The rows of the shortcuts help in this mode. */
export function shortcutRows(mode: KeyMode): [string, string][] {
  return [
    [`${viewKeyLabel(mode, 1)} … 5`, 'Servers / Models / Config / Inspect / Metrics'],
    ['Ctrl+S', 'Save config.pbtxt (editor)'],
    ['Space', 'Play / pause (inspector)'],
    ['← / →', 'Previous / next frame'],
    ['Home / End', 'First / last frame'],
    ['[ / ]', 'Lower / raise the confidence threshold'],
    ['Enter', 'Run inference on the current frame'],
    ['P', 'Toggle pre-NMS proposals'],
    ['G', 'Toggle ground truth'],
    ['0', 'Fit frame to view (reset zoom)'],
    ['Esc', 'Leave a text field: the keys go back to the stage (inspector)'],
    ['↑ / ↓, PgUp / PgDn', 'Move through the models table (Home / End: first / last)'],
    ['?  / F1', 'This help'],
  ];
}
