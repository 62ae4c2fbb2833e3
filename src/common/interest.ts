import { addDays } from "./billing.js";
import { divRound, type Cents } from "./money.js";

/**
 * Interest on overdue amounts (domain spec: the prescribed rate + 6 points).
 *
 * Memorandum D11-6-5 s.2: the specified rate (prescribed + 6 points) "will be charged on amounts owing
 * from the day after the amount became payable until it is paid"; Customs Act s.33.4(1): "calculated
 * on the outstanding balance ... ending on the day on which the amount has been paid in full".
 *
 * (ours) Simple interest, day by day: every day after a debt's due date, its unpaid part bears
 * (prescribed rate of that day + 6) % a year / 365 (leap years included). A debt is paid down from
 * the day a payment or credit is allocated to it (ledger.ts). The day's amounts over every debt and
 * day of a period are summed exactly (as a fraction) and rounded once, to the cent, half away from
 * zero. Interest is posted once per billing cycle, when its statement is issued (and with an accepted
 * adjustment, up to the day of acceptance); each debt remembers the last day charged, so that no day
 * is charged twice. Interest is itself a debt due with its statement: unpaid, it bears interest in
 * turn (compounding per cycle, not daily).
 */
export const OVERDUE_POINTS = "6";

/** Prescribed rate (percent a year) for days before the first configured period. (ours: see docs/domain.md, Money) */
export const DEFAULT_PRESCRIBED_RATE = "3.0000";

export interface RatePeriod {
  /** First day the prescribed rate applies to (YYYY-MM-DD). */
  from: string;
  /** Prescribed rate, percent a year, up to 4 decimals. */
  rate: string;
}

/** A rate in percent ("9.25") as ten-thousandths of a percent (92500n). */
export function percentUnits(percent: string): bigint {
  const m = /^(\d{1,3})(?:\.(\d{1,4}))?$/.exec(percent);
  if (!m) throw new Error(`not a percentage: ${percent}`);
  return BigInt(m[1]!) * 10_000n + BigInt((m[2] ?? "").padEnd(4, "0"));
}

/** The overdue rate (prescribed + 6 points) on `day`, in ten-thousandths of a percent. */
export function overdueRateOn(day: string, periods: readonly RatePeriod[]): bigint {
  // The period in force: the latest one starting on or before the day.
  let inForce: RatePeriod | null = null;
  for (const p of periods) if (p.from <= day && (!inForce || p.from > inForce.from)) inForce = p;
  return percentUnits(inForce?.rate ?? DEFAULT_PRESCRIBED_RATE) + percentUnits(OVERDUE_POINTS);
}

export interface InterestDebt {
  amount: Cents;
  dueOn: string;
  /** Payments and credits applied to it, each from its business date on. */
  allocations: readonly { on: string; amount: Cents }[];
  /** The last day whose interest on it is already posted (days up to it are not charged again). */
  interestThrough?: string | null;
}

/** One year's days (interest per day is a 365th of the yearly rate). */
const DAYS_A_YEAR = 365n;
/** cents x (percent x 10^4) / (100 % x 10^4) / 365 days */
const DENOMINATOR = 100n * 10_000n * DAYS_A_YEAR;

/** The unpaid part of `debt` at the end of `day`. */
function unpaidOn(debt: InterestDebt, day: string): Cents {
  return debt.allocations.reduce((left, a) => (a.on <= day ? left - a.amount : left), debt.amount);
}

/**
 * Interest on `debts` for every day from `from` to `to` (both included): the exact sum over debts and
 * days after each due date (and after the days already charged), rounded once to the cent.
 */
export function interestFor(debts: readonly InterestDebt[], from: string, to: string, periods: readonly RatePeriod[]): Cents {
  let numerator = 0n;
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const rate = overdueRateOn(day, periods);
    for (const debt of debts) {
      if (day <= debt.dueOn || (debt.interestThrough && day <= debt.interestThrough)) continue;
      const unpaid = unpaidOn(debt, day);
      if (unpaid > 0n) numerator += unpaid * rate;
    }
  }
  return divRound(numerator, DENOMINATOR);
}
