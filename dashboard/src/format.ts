/**
 * Display helpers. Money arrives as exact decimal strings ("1234.50", CAD) and is never turned into
 * a float: it is grouped and signed as text.
 */
export function formatMoney(value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const negative = value.startsWith('-');
  const [whole = '0', cents = '00'] = value.replace(/^-/, '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '−' : ''}$${grouped}.${cents.padEnd(2, '0').slice(0, 2)}`;
}

/** Whether an exact decimal string is above zero. */
export function isPositive(value: string | null | undefined): boolean {
  return !!value && !value.startsWith('-') && /[1-9]/.test(value);
}

/** A calendar date (YYYY-MM-DD) as "Jul 10, 2026", read as a date, not an instant (no time-zone shift). */
export function formatDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString('en-CA', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });
}

/** A billing cycle as "Nov 18 – Dec 17, 2026". */
export function formatCycle(start: string, end: string): string {
  const [y, m, d] = start.split('-').map(Number);
  const short = new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString('en-CA', { timeZone: 'UTC', month: 'short', day: 'numeric' });
  return `${short} – ${formatDate(end)}`;
}

/** An instant as a calendar date in Ottawa ("Nov 25, 2027"). */
export function formatInstantDate(instant: string): string {
  return new Date(instant).toLocaleDateString('en-CA', { timeZone: 'America/Toronto', year: 'numeric', month: 'short', day: 'numeric' });
}

/** Whole days from now until an instant (negative once passed). */
export function daysUntil(instant: string, now = Date.now()): number {
  return Math.ceil((Date.parse(instant) - now) / 86_400_000);
}

/** Today's business date in Ottawa, as the API counts due dates. */
export function businessToday(): string {
  return new Date().toLocaleDateString('en-CA', { timeZone: 'America/Toronto' });
}

export const ROLE_LABEL: Record<string, string> = {
  BAM: 'BAM',
  PAM: 'PAM',
  EDITOR: 'Editor',
  READER: 'Reader',
  EXPIRED: 'Expired',
};
