// test-process: shared (pure: no servers, browsers or global state; see scripts/run-tests.mjs)
/**
 * The focus model of the shortcuts (renderer/src/lib/shortcuts): which focused element keeps a key,
 * and the view keys per mode (the browser keeps Ctrl+digit, and Alt+digit on Linux, for its tabs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyBelongsToField, shortcutRows, viewKeyIndex } from '../../renderer/src/lib/shortcuts';

const el = (tagName: string, type?: string, isContentEditable = false) =>
  ({ tagName, type, isContentEditable }) as unknown as EventTarget;

test('text fields keep every key; a slider its moving keys; checkboxes and buttons none', () => {
  for (const key of [' ', 'ArrowRight', 'p', 'Enter']) {
    assert.equal(keyBelongsToField({ key, target: el('INPUT', 'text') }), true, `text field keeps ${key}`);
    assert.equal(keyBelongsToField({ key, target: el('INPUT', 'number') }), true);
    assert.equal(keyBelongsToField({ key, target: el('TEXTAREA') }), true);
    assert.equal(keyBelongsToField({ key, target: el('DIV', undefined, true) }), true);
    assert.equal(keyBelongsToField({ key, target: el('INPUT', 'checkbox') }), false, `checkbox gives ${key} back`);
    assert.equal(keyBelongsToField({ key, target: el('BUTTON') }), false);
  }
  assert.equal(keyBelongsToField({ key: 'ArrowRight', target: el('INPUT', 'range') }), true);
  assert.equal(keyBelongsToField({ key: ' ', target: el('INPUT', 'range') }), false);
  assert.equal(keyBelongsToField({ key: ']', target: el('INPUT', 'range') }), false);
});

test('view keys: Ctrl+1…5 in Electron, Alt+Shift+1…5 in a browser tab (Ctrl too where it arrives)', () => {
  const k = (code: string, mods: { ctrl?: boolean; alt?: boolean; shift?: boolean; meta?: boolean }) => ({
    code,
    key: code.replace('Digit', ''),
    ctrlKey: !!mods.ctrl,
    altKey: !!mods.alt,
    shiftKey: !!mods.shift,
    metaKey: !!mods.meta,
  });
  assert.equal(viewKeyIndex(k('Digit2', { ctrl: true }), 'electron'), 1);
  assert.equal(viewKeyIndex(k('Digit2', { alt: true, shift: true }), 'electron'), null);
  assert.equal(viewKeyIndex(k('Digit4', { alt: true, shift: true }), 'browser'), 3);
  // Shift changes the key ("$" on a US layout): the physical key decides.
  assert.equal(viewKeyIndex({ ...k('Digit4', { alt: true, shift: true }), key: '$' }, 'browser'), 3);
  assert.equal(viewKeyIndex(k('Digit2', { alt: true }), 'browser'), null, 'Alt+digit is the browser’s on Linux');
  assert.equal(viewKeyIndex(k('Digit6', { alt: true, shift: true }), 'browser'), null);
  assert.equal(viewKeyIndex(k('Digit1', {}), 'browser'), null);
  const help = (mode: 'electron' | 'browser') =>
    shortcutRows(mode)
      .map(([key]) => key)
      .join(' ');
  assert.match(help('browser'), /Alt\+Shift\+1 … 5/);
  assert.doesNotMatch(help('browser'), /Ctrl\+1/);
  assert.match(help('electron'), /Ctrl\+1 … 5/);
});
