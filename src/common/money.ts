import { GraphQLScalarType, Kind } from "graphql";
import { badInput } from "./errors.js";

/**
 * Money is exact: amounts travel as decimal strings with two places ("1234.50", CAD) and are
 * computed in integer cents (bigint). Never a JavaScript number, which cannot hold 0.1 exactly.
 */
export type Cents = bigint;

/** How every amount is stored: numeric(14,2), exact, up to 999,999,999,999.99 (TypeORM column options). */
export const MONEY_COLUMN = { type: "numeric", precision: 14, scale: 2 } as const;

const MONEY_RE = /^-?\d{1,12}(\.\d{1,2})?$/;

export function toCents(value: string): Cents {
  if (!MONEY_RE.test(value)) throw new Error(`not a money amount: ${value}`);
  const negative = value.startsWith("-");
  const [whole, frac = ""] = value.replace("-", "").split(".");
  const cents = BigInt(whole!) * 100n + BigInt((frac + "00").slice(0, 2));
  return negative ? -cents : cents;
}

export function formatCents(cents: Cents): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const s = `${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
  return negative ? `-${s}` : s;
}

/** Round `numerator / denominator` half away from zero. */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (2n * d);
  return negative ? -q : q;
}

/** A rate in percent with up to 4 decimals ("6.5" = 6.5 %) applied to cents, rounded to the cent. */
export function applyPercent(cents: Cents, percent: string): Cents {
  if (!/^\d{1,3}(\.\d{1,4})?$/.test(percent)) throw new Error(`not a percentage: ${percent}`);
  const [whole, frac = ""] = percent.split(".");
  const tenThousandths = BigInt(whole!) * 10000n + BigInt((frac + "0000").slice(0, 4));
  return divRound(cents * tenThousandths, 1_000_000n);
}

/** PostgreSQL numeric(14,2) comes back as a string such as "12.5" or "12.50"; normalise it. */
export function normaliseMoney(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return formatCents(toCents(value));
}

export const MoneyScalar = new GraphQLScalarType({
  name: "Money",
  description:
    'An exact amount in Canadian dollars, as a decimal string with two places, e.g. "1234.50". Never a float.',
  serialize(value) {
    if (typeof value === "string") return normaliseMoney(value);
    if (typeof value === "bigint") return formatCents(value);
    throw new TypeError("Money must be produced from a decimal string or cents");
  },
  parseValue(value) {
    if (typeof value !== "string" || !MONEY_RE.test(value)) {
      throw badInput(`Money must be a decimal string with at most two places, e.g. "1234.50"; got ${JSON.stringify(value)}`);
    }
    return formatCents(toCents(value));
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || !MONEY_RE.test(ast.value)) {
      throw badInput('Money must be a decimal string with at most two places, e.g. "1234.50"');
    }
    return formatCents(toCents(ast.value));
  },
});
