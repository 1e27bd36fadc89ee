/**
 * Which frames a slot's in-flight requests hold (renderer/src/panels/inspector/frameClaims.ts) and the
 * results generation that scopes them (InferenceSlice.resultsGeneration). A playing video skips
 * frames a request holds; a claim taken before the slot's results were cleared (another video,
 * model or preprocessing) must not make the new video's frames look requested, and an old request
 * finishing must not drop a new request's claim.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claim, isClaimed, release, type Claimant } from '../../renderer/src/panels/inspector/frameClaims';

test('one request holds a frame at a time; released, another may claim it', () => {
  const first: Claimant = { generation: 0 };
  const second: Claimant = { generation: 0 };
  assert.equal(claim('a', 'vid:12', first), true);
  assert.equal(isClaimed('a', 'vid:12', 0), true);
  assert.equal(isClaimed('b', 'vid:12', 0), false, 'slots are separate');
  assert.equal(claim('a', 'vid:12', second), false, 'captured by the first request already');
  assert.equal(claim('a', 'vid:12', first), true, 'asked again by its holder');
  release('a', second, ['vid:12']);
  assert.equal(isClaimed('a', 'vid:12', 0), true, 'a request that does not hold it cannot release it');
  release('a', first, ['vid:12']);
  assert.equal(isClaimed('a', 'vid:12', 0), false);
  assert.equal(claim('a', 'vid:12', second), true);
  release('a', second, ['vid:12']);
});

test('after the results are cleared, old claims hold nothing and an old request leaves new claims alone', () => {
  const old: Claimant = { generation: 3 };
  assert.equal(claim('a', 'vid:0', old), true);
  // A new video opened: the slot's generation is now 4.
  assert.equal(isClaimed('a', 'vid:0', 4), false, "the new video's frame 0 is not requested");
  const fresh: Claimant = { generation: 4 };
  assert.equal(claim('a', 'vid:0', fresh), true, 'taken over from the old generation');
  release('a', old, ['vid:0']);
  assert.equal(isClaimed('a', 'vid:0', 4), true, "the old request's end keeps the new claim");
  release('a', fresh, ['vid:0']);
  assert.equal(isClaimed('a', 'vid:0', 4), false);
});

test("clearing a slot's results bumps its generation (and both for a new source or preprocessing)", async () => {
  const { useApp } = await import('../../renderer/src/state/store');
  const st = () => useApp.getState();
  const g0 = { ...st().resultsGeneration };
  st().clearResults('b');
  assert.deepEqual(st().resultsGeneration, { a: g0.a, b: g0.b + 1 });
  st().setPreprocess({});
  assert.deepEqual(st().resultsGeneration, { a: g0.a + 1, b: g0.b + 2 });
  st().setSlot('a', { model: 'other' });
  assert.deepEqual(st().resultsGeneration, { a: g0.a + 2, b: g0.b + 2 });
});
