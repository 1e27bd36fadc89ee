/** `tritonscope compare --video` frames (electron/cli/frameSources): the size ffmpeg really hands over. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { videoFrames, videoSize } from '../../electron/cli/frameSources';
import { makeTempDir } from '../helpers/tempDir';

const noFfmpeg = spawnSync('ffmpeg', ['-version']).error ? 'ffmpeg not installed' : false;

test(
  'a video stored landscape with a 90 degree display rotation gives upright frames of the turned size',
  { skip: noFfmpeg },
  async () => {
    const tmp = makeTempDir('tritonscope-frames-');
    try {
      const plain = join(tmp.dir, 'plain.mp4');
      const rotated = join(tmp.dir, 'rotated.mp4');
      // 64x32, left half white, right half black: after a quarter turn the halves are top and bottom.
      execFileSync('ffmpeg', [
        ...['-v', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=64x32:r=5:d=0.6'],
        ...[
          '-vf',
          'drawbox=x=0:y=0:w=32:h=32:color=white:t=fill',
          '-c:v',
          'libx264',
          '-pix_fmt',
          'yuv444p',
          '-qp',
          '0',
          plain,
        ],
      ]);
      execFileSync('ffmpeg', ['-v', 'error', '-i', plain, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', rotated]);
      assert.deepEqual(videoSize(plain), { width: 64, height: 32 });
      assert.deepEqual(videoSize(rotated), { width: 32, height: 64 });
      const frames = [];
      for await (const f of videoFrames(rotated, 1, 10)) frames.push(f);
      assert.equal(frames.length, 3);
      const img = frames[0].image as { data: Uint8Array; width: number; height: number };
      assert.equal(img.width, 32);
      assert.equal(img.height, 64);
      // Each row is uniform (one half of the original) when split at the right width.
      const pixel = (x: number, y: number) => img.data[(y * img.width + x) * 3];
      for (const y of [2, 20, 44, 60]) assert.ok(Math.abs(pixel(1, y) - pixel(30, y)) < 40, `row ${y} is uniform`);
      assert.ok(Math.abs(pixel(16, 4) - pixel(16, 60)) > 150, 'top and bottom differ');
    } finally {
      tmp.cleanup();
    }
  },
);

test(
  'every n-th frame, each whole and in order, up to the maximum (frames that straddle pipe chunks)',
  { skip: noFfmpeg },
  async () => {
    const tmp = makeTempDir('tritonscope-frames-');
    try {
      // 12 frames of 200x150 (90,000 bytes: not a multiple of the pipe's 64 KiB chunks), lossless; frame
      // N is filled with (20N, 20N+1, 20N+2).
      const file = join(tmp.dir, 'numbered.mkv');
      execFileSync('ffmpeg', [
        ...['-v', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=200x150:r=10:d=1.2'],
        ...['-vf', "format=gbrp,geq=r='N*20':g='N*20+1':b='N*20+2'", '-c:v', 'ffv1', file],
      ]);
      const frames = [];
      for await (const f of videoFrames(file, 3, 3)) frames.push(f);
      assert.deepEqual(
        frames.map((f) => [f.index, f.label]),
        [
          [0, 'frame 1'],
          [3, 'frame 4'],
          [6, 'frame 7'],
        ],
      );
      for (const f of frames) {
        const img = f.image as { data: Uint8Array; width: number; height: number };
        assert.equal(img.data.length, 200 * 150 * 3);
        const want = [20 * f.index, 20 * f.index + 1, 20 * f.index + 2];
        for (let i = 0; i < img.data.length; i += 3)
          if (img.data[i] !== want[0] || img.data[i + 1] !== want[1] || img.data[i + 2] !== want[2])
            assert.fail(`frame ${f.index}: pixel ${i / 3} is ${[...img.data.subarray(i, i + 3)]}, not ${want}`);
      }
      // The whole video when the maximum is larger: all 4 of every 3rd frame of 12.
      const all = [];
      for await (const f of videoFrames(file, 3, 100)) all.push(f.index);
      assert.deepEqual(all, [0, 3, 6, 9]);
    } finally {
      tmp.cleanup();
    }
  },
);
