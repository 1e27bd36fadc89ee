/**
 * CSV as spreadsheets read it (RFC 4180: quotes around cells with a comma, quote, CR or LF; quotes
 * doubled), safe to open. A cell that a spreadsheet would run as a formula (an image named
 * `=HYPERLINK(...)`, a model named `+cmd|...`) gets a leading apostrophe, OWASP's advice, so it is
 * shown as text; numbers, negative ones included, are written as they are.
 */
export function csvCell(cell: string): string {
  const safe = /^[=@\t\r]/.test(cell) || (/^[+-]/.test(cell) && !Number.isFinite(Number(cell))) ? `'${cell}` : cell;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows of cells as CSV text, one line per row, ending with a newline. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
