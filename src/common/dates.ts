/**
 * Calendar dates as the API writes them: `YYYY-MM-DD`, a day that exists (no 2025-02-30), in years
 * 0001-9999 (PostgreSQL's `date` has no year 0 and JavaScript's Date.parse accepts 2025-02-30 as
 * March 2). Anything else is the client's mistake, never a database error.
 */
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The message for a field that should hold a calendar date. */
export const calendarDateMessage = (field: string, value: string) => `${field} must be a date as YYYY-MM-DD (a day that exists, year 0001-9999); got "${value.slice(0, 40)}".`;

/**
 * The type of the business dates the API returns (a release date, a cycle's days, a due date):
 * graphql-scalars' `LocalDate`, a `YYYY-MM-DD` string, as these fields always sent. Naming it lets a
 * client's code generator map it (codegen.yml: `LocalDate: string`). Dates a client sends stay
 * `String`, checked by `dateInput` (inputs.ts): a bad one is BAD_USER_INPUT naming its field, and
 * operations that declare their date variables as `String` keep working (docs/architecture.md, "Dates").
 */
export { GraphQLLocalDate as LocalDate } from "graphql-scalars";
