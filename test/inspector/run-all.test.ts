/** "Run all frames" (renderer/src/panels/inspector/runAll): a bad image is skipped and named, the run goes on. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runAllImages, undecodableMessage } from '../../renderer/src/panels/inspector/runAll';

test('an image that does not decode is skipped and named; every other image is inferred, each bitmap closed', async () => {
  const items = ['a.jpg', 'broken.jpg', 'c.jpg', 'd.jpg'].map((name) => ({ name, blob: new Blob([name]) }));
  const inferred: string[] = [];
  const closed: string[] = [];
  const progress: string[] = [];
  const { undecodable } = await runAllImages(items, {
    decode: async (blob) => {
      const name = await blob.text();
      if (name === 'broken.jpg') throw new Error('InvalidStateError: the source image could not be decoded');
      return { width: 4, height: 2, close: () => closed.push(name) };
    },
    infer: async (_bmp, index, name) => {
      inferred.push(`${index}:${name}`);
    },
    progress: (done, total) => progress.push(`${done}/${total}`),
  });
  assert.deepEqual(undecodable, ['broken.jpg']);
  assert.deepEqual(inferred, ['0:a.jpg', '2:c.jpg', '3:d.jpg'], 'indices stay those of the sequence');
  assert.deepEqual(closed, ['a.jpg', 'c.jpg', 'd.jpg']);
  assert.deepEqual(progress, ['1/4', '2/4', '3/4', '4/4']);
  assert.equal(
    undecodableMessage(undecodable),
    'Run all frames: 1 image could not be decoded and was skipped: broken.jpg',
  );
  assert.equal(undecodableMessage([]), null);
  assert.match(
    undecodableMessage(['1', '2', '3', '4', '5', '6', '7']) ?? '',
    /7 images .* were skipped: 1, 2, 3, 4, 5, and 2 more$/,
  );
});

test('an inference that fails ends the run with its error (and closes the bitmap)', async () => {
  const closed: number[] = [];
  await assert.rejects(
    runAllImages(
      [
        { name: 'a.jpg', blob: new Blob(['a']) },
        { name: 'b.jpg', blob: new Blob(['b']) },
      ],
      {
        decode: () => Promise.resolve({ close: () => closed.push(1) } as unknown as ImageBitmap),
        infer: () => Promise.reject(new Error('UNAVAILABLE: server gone')),
        progress: () => undefined,
      },
    ),
    /server gone/,
  );
  assert.deepEqual(closed, [1]);
});
