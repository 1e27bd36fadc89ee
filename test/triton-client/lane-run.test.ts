/** The CLI's image path (electron/cli/laneRun): a file that fails to decode is named in the error. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { imageTensor, readImageSize } from '../../electron/cli/laneRun';
import { LANE_PREPROCESS } from '../../shared/inference/preprocessSettings';
import { makeTempDir } from '../helpers/tempDir';

test('a truncated JPEG whose header reads fine: the decode error names the file', async () => {
  const tmp = makeTempDir('tritonscope-lanerun-');
  try {
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } })
      .composite([
        {
          input: Buffer.from(new Uint8Array(32 * 24 * 3).map((_, i) => (i * 37) % 256)),
          raw: { width: 32, height: 24, channels: 3 },
        },
      ])
      .jpeg({ quality: 90 })
      .toBuffer();
    const file = join(tmp.dir, 'frame_0900.jpg');
    writeFileSync(file, jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    assert.deepEqual(await readImageSize(file), { width: 64, height: 48 }, 'the header is readable');
    const spec = {
      name: 'input',
      datatype: 'FP32',
      shape: [1, 3, 36, 64],
      layout: 'NCHW' as const,
      width: 64,
      height: 36,
    };
    await assert.rejects(imageTensor(file, spec, LANE_PREPROCESS), /cannot decode image '.*frame_0900\.jpg': /);
    // The whole file decodes.
    writeFileSync(file, jpeg);
    const t = await imageTensor(file, spec, LANE_PREPROCESS);
    assert.equal(t.name, 'input');
  } finally {
    tmp.cleanup();
  }
});
