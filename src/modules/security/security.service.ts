import { addDays, cycleFor } from "../../common/billing.js";
import { divRound, toCents, type Cents } from "../../common/money.js";
import { query, sql, uuids, type Queryable } from "../../db/sql.js";

/**
 * Financial security for Release Prior to Payment: a surety bond of 50 % of the highest monthly duties
 * and taxes owed in the review period, or cash of 100 %, at least $5,000 per program account (domain
 * spec; CBSA's RPP pages), and at most $10 million.
 *
 * The requirement is reviewed once a year (CBSA's annual review): on 20 October, over the period from
 * 20 October of the year before to 19 October; the new amount is to be met by 15 January, and is in
 * force from then until the next one is. Between a review and its 15 January the account sees the
 * new requirement announced (`next`) while the previous one still decides RPP. A filing never moves
 * the requirement in force: it is computed from statements of a period long closed.
 *
 * (ours) "Monthly" is a billing cycle: the 12 cycles whose last day falls in the review period (the
 * cycles ending 17 November to 17 October); a cycle's duties and taxes are what its statement's
 * declarations, corrections and adjustments add up to. Bond and cash may be combined: each covers its
 * share of its own requirement (bond / required bond + cash / required cash >= 1). Only security in
 * force today counts (ACTIVE, effective, a bond not expired; cash has no expiry).
 */
export const MINIMUM_SECURITY: Cents = 500_000n;
export const MAXIMUM_SECURITY: Cents = 1_000_000_000n;

export interface AnnualReview {
  /** The review date (20 October). */
  reviewedOn: string;
  /** The review period: 20 October of the year before to 19 October. */
  from: string;
  to: string;
  /** When its requirement must be met and is in force (15 January after the review). */
  inForceFrom: string;
}

const review = (year: number): AnnualReview => ({
  reviewedOn: `${year}-10-20`, from: `${year - 1}-10-20`, to: `${year}-10-19`, inForceFrom: `${year + 1}-01-15`,
});

/** The review whose requirement is in force on `today`, and the one announced but not yet in force (if any). */
export function reviewsOn(today: string): { inForce: AnnualReview; next: AnnualReview | null } {
  const year = Number(today.slice(0, 4));
  // From 15 January, the review of the October before; before it, the one of the October a year earlier.
  const inForce = today >= `${year}-01-15` ? review(year - 1) : review(year - 2);
  const announced = today >= `${year}-10-20` ? review(year) : today < `${year}-01-15` ? review(year - 1) : null;
  return { inForce, next: announced };
}

export interface SecurityRequirementFigures {
  review: AnnualReview;
  highestMonthly: Cents;
  requiredBond: Cents;
  requiredCash: Cents;
  postedBond: Cents;
  postedCash: Cents;
  hasRpp: boolean;
}

const clamp = (v: Cents) => (v < MINIMUM_SECURITY ? MINIMUM_SECURITY : v > MAXIMUM_SECURITY ? MAXIMUM_SECURITY : v);

/** The requirement of a review, given its highest month and the security in force today. */
export function requirementOf(r: AnnualReview, highestMonthly: Cents, postedBond: Cents, postedCash: Cents): SecurityRequirementFigures {
  const highest = highestMonthly > 0n ? highestMonthly : 0n;
  const requiredBond = clamp(divRound(highest * 50n, 100n));
  const requiredCash = clamp(highest);
  return {
    review: r, highestMonthly: highest, requiredBond, requiredCash, postedBond, postedCash,
    hasRpp: postedBond * requiredCash + postedCash * requiredBond >= requiredBond * requiredCash,
  };
}

export async function securityRequirement(db: Queryable, programAccountId: string, today: string) {
  return (await securityRequirements(db, [programAccountId], today)).get(programAccountId)!;
}

/** The cycles of a review period: those whose last day (a 17th) falls in it. */
const cyclesOf = (r: AnnualReview) => ({ firstEnd: cycleFor(addDays(r.from, 1)).end, lastEnd: cycleFor(addDays(r.to, -2)).end });

/**
 * The figures of several program accounts in one statement (a dashboard asks for every row's RPP at
 * once): the requirement in force today and, while one is announced, the next.
 */
export async function securityRequirements(
  db: Queryable,
  programAccountIds: readonly string[],
  today: string,
): Promise<Map<string, { inForce: SecurityRequirementFigures; next: SecurityRequirementFigures | null }>> {
  const { inForce, next } = reviewsOn(today);
  const a = cyclesOf(inForce);
  const b = cyclesOf(next ?? inForce);
  const highest = (first: string, last: string) =>
    sql`(SELECT coalesce(max(m.total), 0) FROM (
           SELECT sum(sp.amount) AS total FROM statements s JOIN statement_postings sp ON sp.statement_id = s.id
            WHERE s.program_account_id = pa.id AND s.cycle_end BETWEEN ${first}::date AND ${last}::date
              AND sp.kind IN ('CHARGE', 'CORRECTION', 'ADJUSTMENT')
            GROUP BY s.id) m)`;
  const posted = (kind: string) =>
    sql`(SELECT coalesce(sum(amount), 0) FROM financial_securities f WHERE f.program_account_id = pa.id AND f.kind = ${kind}::security_kind
           AND f.status = 'ACTIVE' AND f.effective_from <= ${today}::date AND (f.expires_on IS NULL OR f.expires_on >= ${today}::date))`;
  const rows = await query<{ id: string; highest: string; next_highest: string; bond: string; cash: string }>(
    db,
    sql`SELECT pa.id::text AS id, ${highest(a.firstEnd, a.lastEnd)} AS highest, ${highest(b.firstEnd, b.lastEnd)} AS next_highest,
               ${posted("SURETY_BOND")} AS bond, ${posted("CASH")} AS cash
          FROM unnest(${uuids(new Set(programAccountIds))}) AS pa(id)`,
  );
  return new Map(
    rows.map((row) => {
      const bond = toCents(row.bond);
      const cash = toCents(row.cash);
      return [
        row.id,
        { inForce: requirementOf(inForce, toCents(row.highest), bond, cash), next: next ? requirementOf(next, toCents(row.next_highest), bond, cash) : null },
      ];
    }),
  );
}
