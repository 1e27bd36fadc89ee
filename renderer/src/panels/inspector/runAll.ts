/**
 * "Run all frames" of an image sequence: every image through the active slots, one after another.
 * An image that does not decode is skipped and named at the end; the run goes on with the others
 * (stopping at the first bad file, unnamed, lost the rest of a long folder's run).
 */
export interface RunAllItem {
  name: string;
  blob: Blob;
}

export async function runAllImages(
  items: readonly RunAllItem[],
  steps: {
    decode(blob: Blob): Promise<ImageBitmap>;
    infer(bitmap: ImageBitmap, index: number, name: string): Promise<void>;
    progress(done: number, total: number): void;
  },
): Promise<{ undecodable: string[] }> {
  const undecodable: string[] = [];
  for (let i = 0; i < items.length; i++) {
    steps.progress(i + 1, items.length);
    let bitmap: ImageBitmap;
    try {
      bitmap = await steps.decode(items[i].blob);
    } catch {
      undecodable.push(items[i].name);
      continue;
    }
    try {
      await steps.infer(bitmap, i, items[i].name);
    } finally {
      bitmap.close();
    }
  }
  return { undecodable };
}

/** The message for images that were skipped (null when none). */
export function undecodableMessage(names: readonly string[]): string | null {
  if (!names.length) return null;
  const listed = names.slice(0, 5).join(', ') + (names.length > 5 ? `, and ${names.length - 5} more` : '');
  return `Run all frames: ${names.length} image${names.length === 1 ? '' : 's'} could not be decoded and ${names.length === 1 ? 'was' : 'were'} skipped: ${listed}`;
}
