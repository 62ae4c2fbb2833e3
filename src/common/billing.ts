/**
 * The billing cycle (domain spec): goods released from the 18th of one month to the 17th of the
 * next go on the statement issued on the 25th; payment is due 10 weekdays after the 17th.
 * Dates are calendar dates (YYYY-MM-DD), computed in UTC so that no time zone shifts them.
 */
export interface BillingCycle {
  start: string;
  end: string;
  issueDate: string;
  dueDate: string;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));

export function addWeekdays(date: Date, days: number): Date {
  const d = new Date(date);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d;
}

/** The cycle that a release on `releasedOn` (YYYY-MM-DD) belongs to. */
export function cycleFor(releasedOn: string): BillingCycle {
  const [y, m, d] = releasedOn.split("-").map(Number) as [number, number, number];
  // Releases after the 17th belong to the cycle ending on the 17th of the next month.
  const end = d >= 18 ? utc(y, m, 17) : utc(y, m - 1, 17);
  const start = utc(end.getUTCFullYear(), end.getUTCMonth() - 1, 18);
  const issue = utc(end.getUTCFullYear(), end.getUTCMonth(), 25);
  return { start: iso(start), end: iso(end), issueDate: iso(issue), dueDate: iso(addWeekdays(end, 10)) };
}

/**
 * The agency's business day: dates of the domain (filing, payment, due, issue) are calendar days in
 * Ottawa, whatever the server's time zone. 23:30 in Ottawa on the 17th is still the 17th.
 */
export const AGENCY_TIME_ZONE = "America/Toronto";

const businessDay = new Intl.DateTimeFormat("en-CA", { timeZone: AGENCY_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

/** The business date (YYYY-MM-DD, in Ottawa) at an instant. */
export function businessDate(at: Date): string {
  return businessDay.format(at);
}

/** `date` (YYYY-MM-DD) plus `days` calendar days (negative: minus). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
}

/** `date` plus `days` weekdays (Saturdays and Sundays are skipped; the agency's holidays are not known here). */
export function addBusinessDays(date: string, days: number): string {
  return iso(addWeekdays(new Date(`${date}T00:00:00Z`), days));
}

/** A CAD is due within 5 business days after release; filed later, it is accepted and flagged late. */
export const FILING_BUSINESS_DAYS = 5;

/** Late: more than 5 business days passed between release and filing (a weekend after the 5th does not count). */
export function isLateFiling(releasedOn: string, filedOn: string): boolean {
  return filedOn >= addBusinessDays(releasedOn, FILING_BUSINESS_DAYS + 1);
}

/** The cycle that follows `cycle` (the one starting the day after it ends). */
export function nextCycle(cycle: BillingCycle): BillingCycle {
  return cycleFor(addDays(cycle.end, 1));
}
