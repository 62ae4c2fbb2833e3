/**
 * Business dates for tests, written out independently of the code under test: the calendar day in
 * Ottawa (where the agency's dates are), and days before or after it.
 */
export const today = (): string => new Date().toLocaleDateString("en-CA", { timeZone: "America/Toronto" });

/** `today()` plus `days` calendar days (negative: before). */
export function shift(days: number): string {
  const d = new Date(`${today()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
