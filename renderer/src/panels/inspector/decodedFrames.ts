/**
 * The inspector's cache of decoded image frames: a window around the playhead, so that stepping
 * back and forth does not decode again. A frame that leaves the window is closed (an ImageBitmap
 * holds its pixels until closed) only once nothing can draw it any more: the stage (the frame
 * React committed, and the two handed to it last) or an inference capture that has not happened
 * yet. Closing a bitmap that is still drawn detaches it, and the draw throws ("the image source is
 * detached"). Frames retired while still in use are closed by a later pass (a decode, a commit).
 */

export interface Closable {
  close(): void;
}

export class DecodedFrames<B extends Closable> {
  private readonly frames = new Map<number, B>();
  private readonly retired = new Set<B>();
  /** The two frames handed to the stage last (React has not necessarily committed them yet). */
  private shownLast: [B | null, B | null] = [null, null];
  /** The frame React has committed to the stage: it is drawn until another one is committed. */
  private committed: B | null = null;

  /**
   * @param radius frames kept on each side of the playhead
   * @param inUse whether a capture may still draw the frame (the inference controller knows)
   */
  constructor(
    private readonly radius: number,
    private readonly inUse: (frame: B) => boolean,
  ) {}

  get(index: number): B | undefined {
    return this.frames.get(index);
  }

  /** A decode finished. Decodes finish out of order while stepping fast, so the window follows
   * the playhead, not the frame that just arrived. */
  put(index: number, frame: B, playhead: number): void {
    const old = this.frames.get(index);
    if (old && old !== frame) this.retired.add(old);
    this.frames.set(index, frame);
    for (const [k, b] of this.frames)
      if (Math.abs(k - playhead) > this.radius) {
        this.frames.delete(k);
        this.retired.add(b);
      }
    this.closeUnused();
  }

  /** `frame` is handed to the stage (a state update that React commits later). */
  shown(frame: B): void {
    if (this.shownLast[1] !== frame) this.shownLast = [this.shownLast[1], frame];
  }

  /** React committed `frame` (null: no image) to the stage; the one it replaces can be closed. */
  onStage(frame: B | null): void {
    this.committed = frame;
    this.closeUnused();
  }

  /** A decode that finished for a source that is gone: closed as soon as nothing draws it. */
  discard(frame: B): void {
    this.retired.add(frame);
    this.closeUnused();
  }

  /** A new source: every frame leaves the cache; only the committed one may still be drawn. */
  clear(): void {
    this.frames.forEach((b) => this.retired.add(b));
    this.frames.clear();
    this.shownLast = [null, null];
    this.closeUnused();
  }

  /** Frames decoded and not yet closed (cached or waiting to be closed). */
  get open(): number {
    return this.frames.size + this.retired.size;
  }

  private closeUnused(): void {
    for (const b of this.retired)
      if (b !== this.committed && !this.shownLast.includes(b) && !this.inUse(b)) {
        b.close();
        this.retired.delete(b);
      }
  }
}
