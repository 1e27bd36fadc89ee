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
