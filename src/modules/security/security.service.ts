import { cycleFor, addDays, type BillingCycle } from "../../common/billing.js";
import { divRound, toCents, type Cents } from "../../common/money.js";
import { query, sql, uuids, type Queryable } from "../../db/sql.js";

/**
 * Financial security for Release Prior to Payment (domain spec): a surety bond of 50 % of the highest
 * monthly duties and taxes in the review period, or cash of 100 %, at least $5,000 per program account.
 *
 * (ours) "Monthly" is a billing cycle; the review period is the 12 cycles up to and including the
 * current one; a cycle's duties and taxes are what its statement's declarations, corrections and
 * adjustments add up to. Bond and cash may be combined: each covers its share of its own requirement
 * (bond / required bond + cash / required cash >= 1). Only security in force today counts (ACTIVE,
 * effective, not expired). Without enough, the account has no RPP privilege.
 */
export const MINIMUM_SECURITY: Cents = 500_000n;
export const REVIEW_CYCLES = 12;

export interface SecurityRequirementFigures {
  reviewFrom: string;
  reviewTo: string;
  highestMonthly: Cents;
  requiredBond: Cents;
  requiredCash: Cents;
  postedBond: Cents;
  postedCash: Cents;
  hasRpp: boolean;
}

const previousCycle = (c: BillingCycle) => cycleFor(addDays(c.start, -1));

export async function securityRequirement(db: Queryable, programAccountId: string, today: string): Promise<SecurityRequirementFigures> {
  return (await securityRequirements(db, [programAccountId], today)).get(programAccountId)!;
}

/** The figures of several program accounts in one statement (a dashboard asks for every row's RPP at once). */
export async function securityRequirements(db: Queryable, programAccountIds: readonly string[], today: string): Promise<Map<string, SecurityRequirementFigures>> {
  const current = cycleFor(today);
  let first = current;
  for (let i = 1; i < REVIEW_CYCLES; i++) first = previousCycle(first);
  const rows = await query<{ id: string; highest: string; bond: string; cash: string }>(
    db,
    sql`SELECT pa.id::text AS id,
          (SELECT coalesce(max(m.total), 0) FROM (
             SELECT sum(sp.amount) AS total FROM statements s JOIN statement_postings sp ON sp.statement_id = s.id
              WHERE s.program_account_id = pa.id AND s.cycle_end BETWEEN ${first.end}::date AND ${current.end}::date
                AND sp.kind IN ('CHARGE', 'CORRECTION', 'ADJUSTMENT')
              GROUP BY s.id) m) AS highest,
          (SELECT coalesce(sum(amount), 0) FROM financial_securities f WHERE f.program_account_id = pa.id AND f.kind = 'SURETY_BOND'
              AND f.status = 'ACTIVE' AND f.effective_from <= ${today}::date AND (f.expires_on IS NULL OR f.expires_on >= ${today}::date)) AS bond,
          (SELECT coalesce(sum(amount), 0) FROM financial_securities f WHERE f.program_account_id = pa.id AND f.kind = 'CASH'
              AND f.status = 'ACTIVE' AND f.effective_from <= ${today}::date AND (f.expires_on IS NULL OR f.expires_on >= ${today}::date)) AS cash
        FROM unnest(${uuids(new Set(programAccountIds))}) AS pa(id)`,
  );
  const max = (a: Cents, b: Cents) => (a > b ? a : b);
  return new Map(
    rows.map((row) => {
      const highest = toCents(row.highest) > 0n ? toCents(row.highest) : 0n;
      const requiredBond = max(MINIMUM_SECURITY, divRound(highest * 50n, 100n));
      const requiredCash = max(MINIMUM_SECURITY, highest);
      const postedBond = toCents(row.bond);
      const postedCash = toCents(row.cash);
      return [
        row.id,
        {
          reviewFrom: first.start,
          reviewTo: current.end,
          highestMonthly: highest,
          requiredBond,
          requiredCash,
          postedBond,
          postedCash,
          hasRpp: postedBond * requiredCash + postedCash * requiredBond >= requiredBond * requiredCash,
        },
      ];
    }),
  );
}
