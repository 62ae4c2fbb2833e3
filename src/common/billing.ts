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
