/**
 * Opening sources (renderer/src/panels/inspector/sources.ts): an open reads its files first, so two
 * opens close together can finish out of order. The newest action decides the source: a demo video
 * clicked, then scenes picked while the video (or its labels) was still being read, leaves the
 * scenes open. Seen as a flaky E2E failure before the fix: the late video replaced the scenes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newOpenTicket, openFiles } from '../../renderer/src/panels/inspector/sources';
import { useApp } from '../../renderer/src/state/store';

/** A labels file whose text arrives only when `release` is called (a slow read). */
function slowLabels(): { file: File; release: () => void } {
  let release!: () => void;
  const ready = new Promise<void>((r) => (release = r));
  const file = new File(['{"raw_file":"x.jpg","lanes":[],"h_samples":[]}\n'], 'labels.json', {
    type: 'application/json',
  });
  const text = file.text.bind(file);
  Object.defineProperty(file, 'text', { value: () => ready.then(text) });
  return { file, release };
}

const image = (name: string) => new File([new Uint8Array([0xff, 0xd8, 0xff])], name, { type: 'image/jpeg' });

test('an open that finishes after a newer one leaves the newer source', async () => {
  const slow = slowLabels();
  const video = new File([new Uint8Array(16)], 'road.webm', { type: 'video/webm' });
  // The user clicks the video (its labels are slow to read), then opens two scenes.
  const first = openFiles([video], undefined, [slow.file], 'video/labels.json');
  await openFiles([image('scene_01.jpg'), image('scene_02.jpg')]);
  assert.equal(useApp.getState().source?.kind, 'images');
  slow.release();
  await first;
  const source = useApp.getState().source;
  assert.equal(source?.kind, 'images', 'the late video did not replace the scenes');
  assert.deepEqual(source?.kind === 'images' ? source.items.map((i) => i.name) : [], ['scene_01.jpg', 'scene_02.jpg']);
});

test('a ticket taken when the user acts counts from then (reads before openFiles included)', async () => {
  const ticket = newOpenTicket(); // e.g. a demo video: the ticket is taken before its file is fetched
  await openFiles([image('scene_03.jpg')]); // the user opens an image meanwhile
  await openFiles([image('late.jpg')], undefined, [], undefined, ticket);
  const source = useApp.getState().source;
  assert.deepEqual(source?.kind === 'images' ? source.items.map((i) => i.name) : [], ['scene_03.jpg']);
  // The newest ticket still opens.
  await openFiles([image('scene_04.jpg')], undefined, [], undefined, newOpenTicket());
  const now = useApp.getState().source;
  assert.deepEqual(now?.kind === 'images' ? now.items.map((i) => i.name) : [], ['scene_04.jpg']);
});

test('a folder with TuSimple labels and another JSON file: the labels load, the other file is named', async () => {
  const labels = new File(
    [
      '{"raw_file":"clips/0000.jpg","lanes":[[10, 20]],"h_samples":[300, 310]}\n{"raw_file":"clips/0001.jpg","lanes":[],"h_samples":[300, 310]}\n',
    ],
    'label_data_0313.json',
    { type: 'application/json' },
  );
  const meta = new File(['{"camera": "front", "fps": 20}\n'], 'meta.json', { type: 'application/json' });
  await openFiles([image('0000.jpg'), image('0001.jpg')], undefined, [labels, meta]);
  const st = useApp.getState();
  assert.equal(st.gt?.frames.length, 2, 'the labels that parse are loaded');
  assert.equal(st.gt?.name, 'label_data_0313.json');
  assert.match(st.gtError ?? '', /^not loaded \(not TuSimple labels\): meta\.json:1: field "h_samples"/);
  // Nothing parses: no labels, the error alone.
  await openFiles([image('0000.jpg')], undefined, [meta]);
  assert.equal(useApp.getState().gt, null);
  assert.match(useApp.getState().gtError ?? '', /^meta\.json:1: field "h_samples"/);
});
