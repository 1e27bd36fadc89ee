/**
 * One costly resource per test process (a Chromium, a CLI host child), shared by the test files
 * that run in it: scripts/run-tests.mjs runs several files per process, and starting these again
 * for each file cost more than many files take to run. take() opens it when there is none; after
 * the last release() it closes a moment later unless it is taken again first, so a process whose
 * tests are done can exit.
 */
export class ProcessShared<T> {
  private entry: { value: T; users: number; idle?: ReturnType<typeof setTimeout> } | undefined;

  /** idleMs: long enough to bridge the gap between one file's last test and the next file's first. */
  constructor(
    private readonly open: () => T,
    private readonly close: (value: T) => void,
    private readonly idleMs: number,
  ) {}

  take(): T {
    this.entry ??= { value: this.open(), users: 0 };
    clearTimeout(this.entry.idle);
    this.entry.users++;
    return this.entry.value;
  }

  /** Gives back one take() of `value`; a value already dropped or replaced is not counted. */
  release(value: T): void {
    const entry = this.entry;
    if (!entry || entry.value !== value || --entry.users > 0) return;
    entry.idle = setTimeout(() => {
      if (this.entry !== entry || entry.users > 0) return;
      this.entry = undefined;
      this.close(entry.value);
    }, this.idleMs);
  }

  /** Forgets `value` (it failed or exited by itself): the next take() opens a new one. */
  drop(value: T): void {
    if (this.entry?.value === value) {
      clearTimeout(this.entry.idle);
      this.entry = undefined;
    }
  }
}
