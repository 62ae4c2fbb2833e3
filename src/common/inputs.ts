import { calendarDateMessage, isCalendarDate } from "./dates.js";
import { badInput } from "./errors.js";
import { formatCents, toCents, type Cents } from "./money.js";
import { fromGlobalId } from "./node.js";

/**
 * Checks of a mutation's inputs, each a BAD_USER_INPUT naming the field: what a form would show next
 * to the box the person has to fix.
 */

/** The database id behind a global id of the expected type, or BAD_USER_INPUT naming the field. */
export function idOf(globalId: string, type: string, field: string): string {
  const parsed = fromGlobalId(globalId);
  if (!parsed || parsed.type !== type) throw badInput(`"${globalId}" is not the id of a ${type}.`, field);
  return parsed.id;
}

/** Trimmed free text within bounds and without control characters, or BAD_USER_INPUT naming the field. */
export function text(value: string | null | undefined, field: string, opts: { min?: number; max: number; required?: boolean }): string | null {
  const v = (value ?? "").normalize("NFC").trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(v)) throw badInput(`${field} contains control characters.`, field);
  if (!v) {
    if (opts.required) throw badInput(`${field} is required.`, field);
    return null;
  }
  if (v.length < (opts.min ?? 1)) throw badInput(`${field} must be at least ${opts.min} characters.`, field);
  if (v.length > opts.max) throw badInput(`${field} must be at most ${opts.max} characters (got ${v.length}).`, field);
  return v;
}

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
