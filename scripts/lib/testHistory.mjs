// The per-file histories of scripts/run-tests.mjs (wall ms and CPU ms of each test file in the previous
// run; the wall times order the lanes' queue). A file that failed keeps its previous figure: a run that
// broke early (a browser that would not start, an import error) measured a fraction of the file's work,
// and lanes dealt by such a figure once left one lane with three times another's CPU (22.8 / 31.5 / 76.7 s).

/**
 * @param {Record<string, number>} previous figures of earlier runs, by file
 * @param {Iterable<[string, number]>} measured this run's figures (a file may appear several times: summed)
 * @param {ReadonlySet<string>} failed files with a failing test or suite in this run
 * @returns {Record<string, number>}
 */
export function updateHistory(previous, measured, failed) {
  /** @type {Record<string, number>} */
  const next = { ...previous };
  /** @type {Map<string, number>} */
  const sums = new Map();
  for (const [file, ms] of measured) if (!failed.has(file)) sums.set(file, (sums.get(file) ?? 0) + ms);
  for (const [file, ms] of sums) next[file] = ms;
  return next;
}
