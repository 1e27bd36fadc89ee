/**
 * One costly resource per test process (a Chromium, a CLI host child), shared by the test files
 * that run in it: scripts/run-tests.mjs runs several files per process, and starting these again
 * for each file cost more than many files take to run. take() opens it when there is none; after
 * the last release() it closes a moment later unless it is taken again first, so a process whose
 * tests are done can exit.
 */
export class ProcessShared<T> {
  private entry: { value: T; users: number; idle?: ReturnType<typeof setTimeout> } | undefined;

  /**
   * idleMs: long enough to bridge the gap between one file's last test and the next file's first.
   * park/unpark: when the value is idle, let it stop holding the process open (and hold it again when
   * taken), so a long idleMs never keeps a process whose tests are done from exiting. The idle timer
   * itself never holds the process.
   */
  constructor(
    private readonly open: () => T,
    private readonly close: (value: T) => void,
    private readonly idleMs: number,
    private readonly hold?: { park(value: T): void; unpark(value: T): void },
  ) {}

  take(): T {
    if (this.entry?.users === 0) this.hold?.unpark(this.entry.value);
    this.entry ??= { value: this.open(), users: 0 };
    clearTimeout(this.entry.idle);
    this.entry.users++;
    return this.entry.value;
  }

  /** Gives back one take() of `value`; a value already dropped or replaced is not counted. */
  release(value: T): void {
    const entry = this.entry;
    if (!entry || entry.value !== value || --entry.users > 0) return;
    this.hold?.park(entry.value);
    entry.idle = setTimeout(() => {
      if (this.entry !== entry || entry.users > 0) return;
      this.entry = undefined;
      this.close(entry.value);
    }, this.idleMs);
    entry.idle.unref();
  }

  /** Forgets `value` (it failed or exited by itself): the next take() opens a new one. */
  drop(value: T): void {
    if (this.entry?.value === value) {
      clearTimeout(this.entry.idle);
      this.entry = undefined;
    }
  }
}
