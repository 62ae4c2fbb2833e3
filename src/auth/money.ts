import { StatementView } from "../common/enums.js";
import type { Context } from "../context.js";
import { DRIVEN_BY_IDS, query, raw, sql, uuids, type Queryable, type Sql } from "../db/sql.js";
import { itself, type Access } from "./access.js";
import { transactionRules } from "./conditions.js";
import { grantAllows, grantSeesWholeAccount, grantsSql, materialized } from "./grants.js";
import type { Action } from "./policy.js";
import { formatCents, toCents } from "../common/money.js";

/**
 * Who sees the money, and who may move it: the policy of statements, payments and postings, as SQL
 * over the same grants as every other rule (grants.ts).
 *
 * - A statement is seen by whoever may VIEW_STATEMENTS on its account. Its account-wide money
 *   (previous balance, charges, payments, interest, totals, what is outstanding) only by a viewer
 *   one of whose grants sees the whole account (grantSeesWholeAccount): the importer's own people,
 *   or a provider whose visibility rules let through every transaction. Anyone else gets the
 *   statement's dates and status and the subtotal of the postings of the transactions they may see
 *   (StatementView.RESTRICTED): summing them, they could not work out what they may not see.
 * - A payment is seen, with VIEW_PAYMENTS, by the same full viewers; a restricted provider sees only
 *   the payments its own business made.
 * - A posting (a journal line) is seen by full viewers, and otherwise when it belongs to a
 *   transaction (and version) the viewer may see, or is a payment their business made.
 * - Moving money (filing, amending, paying) is done as a business: the account's owner through an
 *   own path, a service provider through a relationship grant (acting.ts, actingBusinesses).
 */

/** A payment `p` let through by the grant `g`. */
export function paymentRules(g: string, p: string): Sql {
  return sql`${grantAllows(g, "VIEW_PAYMENTS")} AND (${grantSeesWholeAccount(g)} OR ${raw(p)}.submitted_by_business_id = ${raw(g)}.provider_business_id)`;
}

/**
 * A penalty, its dispute, or a refund request: the account's own money with the agency, seen like the
 * payments of the whole account, by grants that allow VIEW_PAYMENTS and see the whole account (a
 * restricted provider made none of them, and their amounts move what it may not see).
 */
export function wholeAccountMoneyRules(g: string): Sql {
  return sql`${grantAllows(g, "VIEW_PAYMENTS")} AND ${grantSeesWholeAccount(g)}`;
}

/** A journal line `sp` let through by the grant `g` (which may view the account's statements). */
export function postingRules(g: string, sp: string): Sql {
  const SP = raw(sp);
  return sql`${grantAllows(g, "VIEW_STATEMENTS")} AND (${grantSeesWholeAccount(g)}
    OR (${SP}.kind = 'PAYMENT' AND ${SP}.submitted_by_business_id = ${raw(g)}.provider_business_id AND ${grantAllows(g, "VIEW_PAYMENTS")})
    OR (${SP}.transaction_id IS NOT NULL AND EXISTS (
          SELECT 1 FROM transactions pt JOIN transaction_versions pv ON pv.id = ${SP}.version_id
           WHERE pt.id = ${SP}.transaction_id AND ${transactionRules(g, "pt", "pv")})))`;
}

/** Kinds of postings that are a transaction's duties and taxes (a statement's visible subtotal adds these up). */
export const TRANSACTION_KINDS = sql`('CHARGE', 'CORRECTION', 'ADJUSTMENT')`;

/**
 * The money of a statement as one viewer may see it. Every total has one meaning in both views: the
 * sum of the statement's journal lines of its kind that the viewer may see. With a FULL view that is
 * every line (the statement's running totals, kept equal to its journal); with a RESTRICTED view, the
 * lines of the transactions they may see and their own business's payments, so that nothing they
 * receive depends on a line they may not see. What only the whole journal can tell (the previous
 * balance, the total payable, what is still unpaid) is null in a RESTRICTED view.
 */
export interface StatementMoney {
  view: StatementView;
  /** CHARGE lines: duties and taxes of new declarations. */
  currentCharges: string;
  /** Increases by corrections and accepted adjustments. */
  corrections: string;
  /** Decreases by corrections, adjustments and cancelled penalties. */
  credits: string;
  /** Interest, and penalties assessed. */
  interestAndPenalties: string;
  /** Payments received (positive). */
  payments: string;
  /** Credit balance refunded. */
  refunds: string;
  /** currentCharges + corrections - credits of the declarations' lines (corrections and adjustments only): the visible duties and taxes. */
  visibleCharges: string;
  /** FULL only: what is still unpaid of the statement's own debits. */
  outstanding: string | null;
  /** FULL only. */
  previousBalance: string | null;
  /** FULL only. */
  totalPayable: string | null;
}

/**
 * A statement's totals as sums over the journal lines `sp` that a viewer may see (the rows a query
 * lets through postingRules, for one viewer): one meaning per total, in both views. Every query of
 * a statement's money, for one viewer (statementMoney) or many (auth/audience.ts), sums with this.
 */
export function postingTotals(sp: string): Sql {
  const SP = raw(sp);
  return sql`coalesce(sum(${SP}.amount) FILTER (WHERE ${SP}.kind = 'CHARGE'), 0)::text AS charges,
    coalesce(sum(${SP}.amount) FILTER (WHERE ${SP}.kind IN ('CORRECTION', 'ADJUSTMENT') AND ${SP}.amount > 0), 0)::text AS corrections,
    coalesce(-sum(${SP}.amount) FILTER (WHERE ${SP}.kind IN ('CORRECTION', 'ADJUSTMENT', 'PENALTY') AND ${SP}.amount < 0), 0)::text AS credits,
    coalesce(sum(${SP}.amount) FILTER (WHERE ${SP}.kind = 'INTEREST' OR (${SP}.kind = 'PENALTY' AND ${SP}.amount > 0)), 0)::text AS interest,
    coalesce(-sum(${SP}.amount) FILTER (WHERE ${SP}.kind = 'PAYMENT'), 0)::text AS payments,
    coalesce(sum(${SP}.amount) FILTER (WHERE ${SP}.kind = 'REFUND'), 0)::text AS refunds,
    coalesce(sum(${SP}.amount) FILTER (WHERE ${SP}.kind IN ${TRANSACTION_KINDS}), 0)::text AS visible_charges`;
}

/** The columns postingTotals names (money as text: exact). */
export interface PostingTotalsRow {
  charges: string;
  corrections: string;
  credits: string;
  interest: string;
  payments: string;
  refunds: string;
  visible_charges: string;
}

/**
 * A viewer's StatementMoney from the totals of the lines they may see and the statement's own
 * figures, which only a FULL view receives (a RESTRICTED one gets null, whatever is passed).
 */
export function moneyOf(
  full: boolean,
  totals: PostingTotalsRow | null | undefined,
  whole: { outstanding: string; previousBalance: string; totalPayable: string } | null,
): StatementMoney {
  const money = (v: string | null | undefined) => formatCents(toCents(v ?? "0"));
  return {
    view: full ? StatementView.FULL : StatementView.RESTRICTED,
    currentCharges: money(totals?.charges), corrections: money(totals?.corrections), credits: money(totals?.credits),
    interestAndPenalties: money(totals?.interest), payments: money(totals?.payments), refunds: money(totals?.refunds),
    visibleCharges: money(totals?.visible_charges),
    outstanding: full ? money(whole?.outstanding) : null,
    previousBalance: full ? money(whole?.previousBalance) : null,
    totalPayable: full ? money(whole?.totalPayable) : null,
  };
}

const MONEY_LOADER = "statement.money";
const moneyKey = (s: { id: string; programAccountId: string }) => `${s.id}/${s.programAccountId}`;

/**
 * What an event's audience decided of a statement's money for its viewer (auth/audience.ts, the same
 * rule for many viewers in one statement): statementMoney then answers it without a query.
 */
export function primeStatementMoney(ctx: Context, s: { id: string; programAccountId: string }, money: StatementMoney): void {
  ctx.loaders.prime(MONEY_LOADER, moneyKey(s), money);
}

/** The money of a statement as its viewer may see it: one query per request for every statement at hand. */
export function statementMoney(ctx: Context, s: { id: string; programAccountId: string }): Promise<StatementMoney> {
  const access = ctx.access;
  return ctx.loaders
    .custom<StatementMoney>(MONEY_LOADER, async (keys) => {
      const parsed = keys.map((k) => k.split("/") as [string, string]);
      const grants = await access.grantsOfParents(
        parsed.map(([id]) => id),
        async () => new Map(parsed.map(([id, account]) => [id, [account]])),
      );
      const rows = await query<PostingTotalsRow & { id: string; full: boolean; outstanding: string; previous_balance: string; total_payable: string }>(
        ctx.db,
        sql`WITH ${materialized("g", grants)}
            SELECT s.id, s.previous_balance::text AS previous_balance, s.total_payable::text AS total_payable,
                   EXISTS (SELECT 1 FROM g WHERE g.parent_id = s.id AND ${grantAllows("g", "VIEW_STATEMENTS")} AND ${grantSeesWholeAccount("g")}) AS full,
                   v.*, (SELECT coalesce(sum(sp.open_amount), 0) FROM statement_postings sp WHERE sp.statement_id = s.id AND sp.amount > 0)::text AS outstanding
              FROM statements s
              CROSS JOIN LATERAL (
                SELECT ${postingTotals("sp")}
                  FROM statement_postings sp
                 WHERE sp.statement_id = s.id AND EXISTS (SELECT 1 FROM g WHERE g.parent_id = s.id AND ${postingRules("g", "sp")})) v
             WHERE s.id = ANY(${uuids(parsed.map(([id]) => id))})`,
        { ...DRIVEN_BY_IDS, label: "money of Statement" },
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      return parsed.map(([id]) => {
        const r = byId.get(id);
        return moneyOf(r?.full ?? false, r, r ? { outstanding: r.outstanding, previousBalance: r.previous_balance, totalPayable: r.total_payable } : null);
      });
    })
    .load(moneyKey(s));
}

/**
 * Whether one of the viewer's grants on the account allows `action` and sees the whole account: who
 * may read account-wide amounts (what is left of the card limit, a credit balance, penalties, refunds).
 */
export async function seesWholeAccount(access: Access, programAccountId: string, action: Action): Promise<boolean> {
  const grants = await access.grantsOfParents([programAccountId], itself);
  const [row] = await query<{ ok: boolean }>(
    access.db,
    sql`SELECT EXISTS (SELECT 1 FROM ${grants} WHERE ${grantAllows("page_parent", action)} AND ${grantSeesWholeAccount("page_parent")}) AS ok`,
    { ...DRIVEN_BY_IDS, label: "access: sees the whole account" },
  );
  return row?.ok ?? false;
}

/**
 * The importer's own people whose role on the account allows `action` (its BAMs, and the account's
 * PAM, Editors or Readers as the table says): who hears of a statement issued or a payment received.
 * Providers' people are not told; they follow the account live.
 */
export async function ownPeopleAllowed(db: Queryable, programAccountId: string, action: Action, now: Date): Promise<string[]> {
  const rows = await query<{ user_id: string }>(
    db,
    sql`SELECT DISTINCT g.user_id FROM (${grantsSql({ now, account: sql`${programAccountId}::uuid`, paths: ["BAM", "PROGRAM_ROLE"] })}) g
         WHERE ${grantAllows("g", action)}`,
  );
  return rows.map((r) => r.user_id);
}
