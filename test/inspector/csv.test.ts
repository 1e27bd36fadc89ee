/** The CSV the exports write (shared/csv): RFC 4180 quoting, and no cell a spreadsheet would run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, toCsv } from '../../shared/csv';

test('quotes cells with a comma, quote, CR or LF; doubles quotes', () => {
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('cr\rhere'), '"cr\rhere"');
  assert.equal(
    toCsv([
      ['file', 'lanes'],
      ['a,1.jpg', '3'],
    ]),
    'file,lanes\n"a,1.jpg",3\n',
  );
});

test('a cell a spreadsheet would run as a formula is written as text; numbers stay numbers', () => {
  assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
  assert.equal(csvCell('-2+3+cmd'), "'-2+3+cmd");
  assert.equal(csvCell('\t=1'), "'\t=1");
  for (const n of ['-2', '-0.5', '+3', '1e-7', '-1.25e+3', '0']) assert.equal(csvCell(n), n);
});
