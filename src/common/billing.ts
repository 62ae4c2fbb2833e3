import Holidays from "date-holidays";

/**
 * The billing calendar of the law (Accounting for Imported Goods and Payment of Duties Regulations
 * s.10.3; Customs Act s.33.4): goods are accounted for in billing periods running from the 18th of one
 * month to the 17th of the next; the statement is issued on the 25th; the period's duties are payable
 * by the 10th weekday after the period ends (holidays count as weekdays there), and when that day is a
 * holiday the payment is due the next day that is not (Interpretation Act s.26; the agency publishes
 * these as "Deferred to" dates). Dates are calendar dates (YYYY-MM-DD), computed in UTC so that no
 * time zone shifts them.
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

/**
 * The agency's holidays: Canada's nationwide public holidays as the maintained `date-holidays`
 * library has them (New Year's Day, Good Friday, Canada Day, Labour Day, Christmas Day), so that
 * a due date never falls on a day the agency's payment offices and the banks are closed everywhere.
 * A statement's due date is fixed when the statement opens: a later change of the calendar never
 * moves a date a statement already carries.
 */
const canada = new Holidays("CA", { types: ["public"] });
const holidayCache = new Map<string, boolean>();

/** Whether `date` (YYYY-MM-DD) is one of the agency's holidays. */
export function isHoliday(date: string): boolean {
  let known = holidayCache.get(date);
  if (known === undefined) {
    // Noon UTC is the same calendar day in every Canadian zone.
    known = (canada.isHoliday(new Date(`${date}T12:00:00Z`)) || []).some((h) => h.type === "public");
    if (holidayCache.size > 50_000) holidayCache.clear();
    holidayCache.set(date, known);
  }
  return known;
}

/** A day the agency does business: a weekday that is not a holiday. */
export function isBusinessDay(date: string): boolean {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6 && !isHoliday(date);
}

/** `date` itself when it is a business day, otherwise the next one ("Deferred to"). */
export function deferToBusinessDay(date: string): string {
  let d = date;
  while (!isBusinessDay(d)) d = addDays(d, 1);
  return d;
}

/** The billing period that holds `day` (YYYY-MM-DD): from the 18th before it (or that day) to the next 17th. */
export function cycleFor(day: string): BillingCycle {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  // Days after the 17th belong to the cycle ending on the 17th of the next month.
  const end = d >= 18 ? utc(y, m, 17) : utc(y, m - 1, 17);
  const start = utc(end.getUTCFullYear(), end.getUTCMonth() - 1, 18);
  const issue = utc(end.getUTCFullYear(), end.getUTCMonth(), 25);
  return { start: iso(start), end: iso(end), issueDate: iso(issue), dueDate: deferToBusinessDay(iso(addWeekdays(end, 10))) };
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

/** `date` plus `days` business days (Saturdays, Sundays and the agency's holidays are skipped). */
export function addBusinessDays(date: string, days: number): string {
  let d = date;
  for (let left = days; left > 0; ) {
    d = addDays(d, 1);
    if (isBusinessDay(d)) left--;
  }
  return d;
}

/** A CAD is due within 5 business days after release; filed later, it is accepted and flagged late. */
export const FILING_BUSINESS_DAYS = 5;

/** The last day on which goods released on `releasedOn` are required to be accounted for: the 5th business day after release. */
export function accountingDeadline(releasedOn: string): string {
  return addBusinessDays(releasedOn, FILING_BUSINESS_DAYS);
}

/** Late: filed on or after the 6th business day after release (a weekend or holiday after the 5th does not count). */
export function isLateFiling(releasedOn: string, filedOn: string): boolean {
  return filedOn >= addBusinessDays(releasedOn, FILING_BUSINESS_DAYS + 1);
}

/**
 * The billing period a declaration belongs to (Customs Act s.33.4(2)(a)): the period that includes the
 * earlier of the day the goods are accounted for (`accountedOn`, the day the CAD is filed) and the last
 * day on which they are required to be accounted for. A CAD filed on time belongs to the period of its
 * filing day; a late one to the period of its deadline, and is due with that period.
 */
export function accountingPeriod(releasedOn: string, accountedOn: string): BillingCycle {
  const deadline = accountingDeadline(releasedOn);
  return cycleFor(accountedOn < deadline ? accountedOn : deadline);
}

/** The cycle that follows `cycle` (the one starting the day after it ends). */
export function nextCycle(cycle: BillingCycle): BillingCycle {
  return cycleFor(addDays(cycle.end, 1));
}

/** The cycle before `cycle`. */
export function previousCycle(cycle: BillingCycle): BillingCycle {
  return cycleFor(addDays(cycle.start, -1));
}
