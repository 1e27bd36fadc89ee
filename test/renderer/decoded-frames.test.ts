/**
 * The inspector's decoded-frame cache: the window follows the playhead, and no bitmap is closed
 * while the stage or an inference capture may still draw it (a closed ImageBitmap is detached).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DecodedFrames } from '../../renderer/src/panels/inspector/decodedFrames';

/** A stand-in for an ImageBitmap: what the cache does with it is close() it, once. */
class FakeBitmap {
  closed = 0;
  constructor(readonly index: number) {}
  close(): void {
    this.closed++;
  }
}

function setup(inUse: (b: FakeBitmap) => boolean = () => false) {
  return new DecodedFrames<FakeBitmap>(4, inUse);
}

describe('DecodedFrames (the inspector image-frame cache)', () => {
  it('keeps the frames within the radius of the playhead and closes the others', () => {
    const cache = setup();
    const frames = Array.from({ length: 12 }, (_, i) => new FakeBitmap(i));
    frames.forEach((f, i) => cache.put(i, f, i));
    // The playhead is at 11: 7..11 are kept, 0..6 are closed once.
    assert.deepEqual(
      frames.map((f) => f.closed),
      [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
    );
    assert.equal(cache.get(7), frames[7]);
    assert.equal(cache.get(6), undefined);
    assert.equal(cache.open, 5);
  });

  it('a decode that finishes late evicts around the playhead, never the frame on the stage', () => {
    // Stepping fast: the user is at frame 9 (shown); the decode of frame 3, started earlier, lands now.
    const cache = setup();
    const nine = new FakeBitmap(9);
    cache.put(9, nine, 9);
    cache.shown(nine);
    const three = new FakeBitmap(3);
    cache.put(3, three, 9);
    assert.equal(nine.closed, 0);
    assert.equal(cache.get(9), nine);
    assert.equal(three.closed, 1); // outside the window around the playhead
    assert.equal(cache.get(3), undefined);
  });

  it('does not close the frames shown last, even out of the window, until two others were shown', () => {
    const cache = setup();
    const a = new FakeBitmap(0);
    cache.put(0, a, 0);
    cache.shown(a);
    const b = new FakeBitmap(10);
    cache.put(10, b, 10); // a leaves the window, but the stage may still draw it
    assert.equal(a.closed, 0);
    cache.shown(b);
    cache.put(11, new FakeBitmap(11), 10); // a pass: a is still one of the two shown last
    assert.equal(a.closed, 0);
    const c = new FakeBitmap(30);
    cache.shown(c);
    cache.put(30, c, 30); // a pass after two others were shown: a is closed, b (shown) is not
    assert.equal(a.closed, 1);
    assert.equal(b.closed, 0);
  });

  it('keeps the frame React committed to the stage open until another one is committed', () => {
    const cache = setup();
    const onStage = new FakeBitmap(0);
    cache.put(0, onStage, 0);
    cache.shown(onStage);
    cache.onStage(onStage);
    // Fast steps hand two more frames to the stage before React commits either of them.
    for (const i of [20, 21]) {
      const f = new FakeBitmap(i);
      cache.shown(f);
      cache.put(i, f, i);
    }
    assert.equal(onStage.closed, 0, 'still drawn: no other frame was committed');
    cache.onStage(null); // e.g. a video source replaced it
    assert.equal(onStage.closed, 1);
  });

  it('does not close a frame a capture still needs; closes it on a later pass once it is free', () => {
    const busy = new Set<FakeBitmap>();
    const cache = setup((b) => busy.has(b));
    const first = new FakeBitmap(0);
    cache.put(0, first, 0);
    busy.add(first); // sent for inference; the capture has not happened yet
    cache.put(20, new FakeBitmap(20), 20);
    assert.equal(first.closed, 0);
    busy.delete(first);
    cache.put(21, new FakeBitmap(21), 21);
    assert.equal(first.closed, 1);
  });

  it('clear() (a new source) and discard() (a decode for a gone source) close what nothing draws', () => {
    const cache = setup();
    const frames = [0, 1, 2].map((i) => new FakeBitmap(i));
    frames.forEach((f, i) => cache.put(i, f, 0));
    cache.shown(frames[1]);
    cache.onStage(frames[0]);
    cache.clear();
    // Only the committed frame stays open: the stage draws it until the new source's first commit.
    assert.deepEqual(
      frames.map((f) => f.closed),
      [0, 1, 1],
    );
    assert.equal(cache.get(0), undefined);
    const late = new FakeBitmap(5);
    cache.discard(late);
    assert.equal(late.closed, 1);
    assert.equal(cache.open, 1);
    cache.onStage(null);
    assert.equal(frames[0].closed, 1);
    assert.equal(cache.open, 0);
  });

  it('a second decode of the same index replaces the first, which is closed', () => {
    const cache = setup();
    const first = new FakeBitmap(2);
    const second = new FakeBitmap(2);
    cache.put(2, first, 2);
    cache.put(2, second, 2);
    assert.equal(first.closed, 1);
    assert.equal(cache.get(2), second);
  });
});
