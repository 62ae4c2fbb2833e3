import { calendarDateMessage, isCalendarDate } from "./dates.js";
import { badInput } from "./errors.js";
import { formatCents, toCents, type Cents } from "./money.js";

/**
 * Checks of the money workflows' inputs, each a BAD_USER_INPUT naming the field: what a form would
 * show next to the box the person has to fix.
 */

/** A calendar date as YYYY-MM-DD that exists (no 2026-02-30): the API's one date check (dates.ts). */
export function dateInput(value: string, field: string): string {
  if (!isCalendarDate(value)) throw badInput(calendarDateMessage(field, value), field);
  return value;
}

/** An amount (already parsed by the Money scalar) within bounds, in cents. */
export function moneyInput(value: string, field: string, bounds: { min: Cents; max: Cents; minInclusive?: boolean }): Cents {
  const cents = toCents(value);
  const tooSmall = bounds.minInclusive === false ? cents <= bounds.min : cents < bounds.min;
  if (tooSmall || cents > bounds.max) {
    const low = bounds.minInclusive === false ? `more than ${formatCents(bounds.min)}` : `at least ${formatCents(bounds.min)}`;
    throw badInput(`${field} must be ${low} and at most ${formatCents(bounds.max)}; got ${value}.`, field);
  }
  return cents;
}

/** A rate in percent with up to 4 decimals, e.g. "6.5" (at most 999.9999). */
export function percentInput(value: string, field: string): string {
  if (!/^\d{1,3}(\.\d{1,4})?$/.test(value)) throw badInput(`${field} must be a percentage such as "6.5" (0 to 999.9999, up to 4 decimals); got "${value.slice(0, 20)}".`, field);
  return value;
}
