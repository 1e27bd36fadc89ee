// test-process: shared (pure: no servers, browsers or global state; see scripts/run-tests.mjs)
/**
 * Video frame times from the container (shared/media, renderer/src/lib/media/frameTimes.ts): the
 * demo drive as WebM and MP4 (10 fps, 70 frames), a WebM built here with a 29.97 fps track, an
 * audio track, a BlockGroup and unknown-size elements, the time -> frame and frame -> seek-time
 * rules, and clear errors for files that are not what they claim.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { frameAtTime, frameRateOfStep, frameTimeline, seekTimeOfFrame, webmFrameTimeline } from '../../shared/media';
import { readFrameTimeline, readVideoTimeline } from '../../renderer/src/lib/media/frameTimes';

const VIDEO = join(import.meta.dirname, '../../assets/demo/video');

test('the demo drive: 70 frames at 10 fps, the same times from WebM and MP4', async () => {
  for (const name of ['road.webm', 'road.mp4']) {
    const t = await readFrameTimeline(new Uint8Array(readFileSync(join(VIDEO, name))), name);
    assert.equal(t.times.length, 70, name);
    assert.equal(t.fps, 10, name);
    t.times.forEach((x, i) => assert.ok(Math.abs(x - i / 10) < 1e-9, `${name} frame ${i} at ${x}`));
  }
});

test('a file over the size cap is refused before it is read (a multi-gigabyte recording would fill the page)', async () => {
  let read = false;
  const huge = {
    size: 3 * 2 ** 30,
    arrayBuffer: () => {
      read = true;
      return Promise.resolve(new ArrayBuffer(0));
    },
  };
  await assert.rejects(
    readVideoTimeline(huge, 'drive.mp4'),
    /drive\.mp4: 3072 MB; frame times are read from files up to 512 MB/,
  );
  assert.equal(read, false);
  // Under the cap (here a small one) the file is read as before.
  const mp4 = readFileSync(join(VIDEO, 'road.mp4'));
  const blob = new Blob([mp4]);
  assert.equal((await readVideoTimeline(blob, 'road.mp4', mp4.length)).times.length, 70);
  await assert.rejects(readVideoTimeline(blob, 'road.mp4', mp4.length - 1), /road\.mp4: .* MB; frame times are read/);
});

// ----- a WebM written here, byte by byte -----
const vint = (n: number) => [0x80 | n]; // sizes < 127 in one byte
const UNKNOWN = [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
const el = (id: number[], payload: number[], size = vint(payload.length)) => [...id, ...size, ...payload];
const uint = (id: number[], v: number) => el(id, v < 256 ? [v] : [v >> 16, (v >> 8) & 255, v & 255]);
const block = (track: number, rel: number) => [...vint(track), (rel >> 8) & 255, rel & 255, 0x80, 0xde, 0xad];
const EBML_HEADER = el([0x1a, 0x45, 0xdf, 0xa3], el([0x42, 0x82], [...Buffer.from('webm')]));
const track = (n: number, type: number) => el([0xae], [...uint([0xd7], n), ...uint([0x83], type)]);

function ntscWebm(): Uint8Array {
  // 29.97 fps in milliseconds: 0, 33, 67, 100, 133, 167 (ffmpeg rounds 1001/30000 s to whole ms).
  const cluster1 = el(
    [0x1f, 0x43, 0xb6, 0x75],
    [
      ...uint([0xe7], 0),
      ...el([0xa3], block(2, 5)), // audio: not a frame
      ...el([0xa3], block(1, 0)),
      ...el([0xa3], block(1, 67)), // out of order (B-frame style): sorted by presentation time
      ...el([0xa0], el([0xa1], block(1, 33))),
    ],
  );
  const cluster2 = el(
    [0x1f, 0x43, 0xb6, 0x75],
    [...uint([0xe7], 100), ...el([0xa3], block(1, 0)), ...el([0xa3], block(1, 33)), ...el([0xa3], block(1, 67))],
    UNKNOWN,
  );
  const segment = [
    0x18,
    0x53,
    0x80,
    0x67,
    ...UNKNOWN,
    ...el([0x15, 0x49, 0xa9, 0x66], uint([0x2a, 0xd7, 0xb1], 1_000_000)),
    ...el([0x16, 0x54, 0xae, 0x6b], [...track(2, 2), ...track(1, 1)]),
    ...cluster1,
    ...cluster2,
  ];
  return new Uint8Array([...EBML_HEADER, ...segment]);
}

test('WebM: the video track only, block groups, unknown sizes, presentation order, 29.97 fps', () => {
  const t = webmFrameTimeline(ntscWebm());
  assert.deepEqual(t.times, [0, 0.033, 0.067, 0.1, 0.133, 0.167]);
  assert.equal(t.fps, 30.303); // 1 / 0.033 (the median step): the file's own millisecond times
  assert.equal(t.container, 'WebM');
});

test('time -> frame: the last frame started (within 0.1 ms); frame -> seek time: the middle of its interval', () => {
  const t = frameTimeline([0, 0.1, 0.2, 0.35], 'test');
  assert.equal(frameAtTime(t, -1), 0);
  assert.equal(frameAtTime(t, 0.0998), 0);
  assert.equal(frameAtTime(t, 0.09995), 1, 'a frame time read back a hair early is that frame');
  assert.equal(frameAtTime(t, 0.2), 2);
  assert.equal(frameAtTime(t, 0.34), 2);
  assert.equal(frameAtTime(t, 99), 3);
  assert.ok(Math.abs(seekTimeOfFrame(t, 0) - 0.05) < 1e-12);
  assert.ok(Math.abs(seekTimeOfFrame(t, 2) - 0.275) < 1e-12, 'variable frame rate: its own interval');
  assert.ok(Math.abs(seekTimeOfFrame(t, 3) - 0.4) < 1e-12, 'the last frame lasts a median step');
  for (let i = 0; i < 4; i++) assert.equal(frameAtTime(t, seekTimeOfFrame(t, i)), i);
  assert.equal(seekTimeOfFrame(t, 17), seekTimeOfFrame(t, 3), 'clamped');
});

test("a frame rate measured while playing keeps 29.97 (frame numbers stay on the file's frames)", () => {
  // Media times come in whole microseconds: a 29.97 fps step reads as 33,367 µs.
  assert.equal(frameRateOfStep(0.033367), 29.97);
  assert.equal(frameRateOfStep(1 / 60), 60);
  assert.equal(frameRateOfStep(0.1), 10);
  // Frame 1000 of a 29.97 fps video (33.37 s) is still frame 1000 at the measured rate; at 30 it was 1001.
  const t = 1000 / (30000 / 1001) + 0.5 / 29.97;
  assert.equal(Math.floor(t * frameRateOfStep(0.033367)!), 1000);
  assert.equal(Math.floor(t * 30), 1001);
  assert.equal(frameRateOfStep(0), null);
  assert.equal(frameRateOfStep(2), null); // 0.5 fps
  assert.equal(frameRateOfStep(0.001), null); // 1000 fps
});

test('files that are not what they claim: errors name the file and what is wrong', async () => {
  await assert.rejects(
    readFrameTimeline(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 'clip.avi'),
    /clip\.avi: not a WebM/,
  );
  const truncated = ntscWebm().subarray(0, 30);
  assert.throws(() => webmFrameTimeline(truncated), /WebM: .*byte \d+/);
  const audioOnly = new Uint8Array([
    ...EBML_HEADER,
    ...el([0x18, 0x53, 0x80, 0x67], [...el([0x16, 0x54, 0xae, 0x6b], track(1, 2))]),
  ]);
  await assert.rejects(readFrameTimeline(audioOnly, 'a.webm'), /a\.webm: WebM: the file has no video track/);
  assert.throws(() => frameTimeline([], 'MP4'), /MP4: the video track has no frames/);
});
