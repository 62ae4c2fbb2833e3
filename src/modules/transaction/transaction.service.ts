import { Field, InputType } from "type-graphql";
import { In } from "typeorm";
import { canSee } from "../../auth/visibility.js";
import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/pagination.js";
import { badInput, notFound } from "../../common/errors.js";
import { bn15Error, transactionNumberError } from "../../common/identifiers.js";
import { query, sql, uuids, type Sql } from "../../db/sql.js";
import { grantAllows, grantLetsThrough, grantsSql } from "../../auth/grants.js";
import { Transaction, TransactionLine, TransactionVersion } from "./transaction.entity.js";

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

@InputType({ description: "Narrow a transaction list. All conditions must hold." })
export class TransactionFilter {
  @Field(() => String, { nullable: true, description: "Only this program account (BN15)." })
  bn15?: string | null;

  @Field(() => String, { nullable: true, description: "Released on or after this date (YYYY-MM-DD)." })
  releasedFrom?: string | null;

  @Field(() => String, { nullable: true, description: "Released on or before this date (YYYY-MM-DD)." })
  releasedTo?: string | null;
}

function validDate(value: string, field: string) {
  if (!DATE_RE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw badInput(`${field} must be a date as YYYY-MM-DD; got "${value}".`, field);
  }
}

function filterSql(filter: TransactionFilter | null): Sql {
  if (filter?.bn15) {
    const err = bn15Error(filter.bn15);
    if (err) throw badInput(err, "filter.bn15");
  }
  if (filter?.releasedFrom) validDate(filter.releasedFrom, "filter.releasedFrom");
  if (filter?.releasedTo) validDate(filter.releasedTo, "filter.releasedTo");
  return sql`${filter?.bn15 ? sql` AND t.program_account_id = (SELECT id FROM program_accounts WHERE bn15 = ${filter.bn15})` : sql``}${
    filter?.releasedFrom ? sql` AND t.released_on >= ${filter.releasedFrom}::date` : sql``
  }${filter?.releasedTo ? sql` AND t.released_on <= ${filter.releasedTo}::date` : sql``}`;
}

/**
 * Transactions the viewer may see across all their accounts and clients, newest release first: the
 * broker visibility rules in SQL (access.ts). For a broker with few client accounts the page is read
 * from those accounts; for a large book of business, in release order with each row checked.
 */
export async function transactionList(ctx: Context, filter: TransactionFilter | null = null): Promise<ListSpec<Transaction>> {
  const filters = filterSql(filter);
  const reach = await ctx.access.providerReach();
  const condition = ctx.access.transactionCondition("t");
  const viewer = ctx.viewer?.id ?? "00000000-0000-0000-0000-000000000000";
  return {
    entity: Transaction,
    from: sql`transactions t`,
    alias: "t",
    sort: { expr: "t.released_on", type: "date" },
    direction: "DESC",
    where: reach
      ? sql`t.program_account_id = ANY(${uuids([...ctx.access.ownAccountIds("VIEW_TRANSACTIONS"), ...reach.accountIds])}) AND ${condition}${filters}`
      : sql`${condition}${filters}`,
    vouches: "Transaction",
    // Counting a large book of business: the viewer's grants once, joined to the accounts' transactions.
    count: () => sql`SELECT count(*)::int AS n FROM (
        SELECT t.id FROM transactions t WHERE t.program_account_id = ANY(${uuids(ctx.access.ownAccountIds("VIEW_TRANSACTIONS"))})${filters}
        UNION
        SELECT t.id FROM (${grantsSql({ now: ctx.access.now, user: viewer, paths: ["RELATIONSHIP"] })}) g
          JOIN transactions t ON t.program_account_id = g.program_account_id
         WHERE ${grantAllows("g", "VIEW_TRANSACTIONS")} AND ${grantLetsThrough("g", sql`t.submitted_by_business_id`)}${filters}) x`,
  };
}

/** The transactions of each program account (parent), newest release first. */
export function accountTransactionList(ctx: Context): ListSpec<Transaction> {
  return {
    entity: Transaction,
    from: sql`transactions t`,
    alias: "t",
    sort: { expr: "t.released_on", type: "date" },
    direction: "DESC",
    parent: "t.program_account_id",
    with: (parents) => ctx.access.providerGrantsCte(parents),
    where: ctx.access.transactionCondition("t", { grants: "cte" }),
    vouches: "Transaction",
  };
}

/** The transactions (parents) behind some versions or lines, for their CTE of grants. */
const accountsOfTransactions = (transactions: Sql) => sql`ARRAY(SELECT program_account_id FROM transactions WHERE id = ANY(${transactions}))`;

export function versionList(ctx: Context): ListSpec<TransactionVersion> {
  return {
    entity: TransactionVersion,
    from: sql`transaction_versions v JOIN transactions t ON t.id = v.transaction_id`,
    alias: "v",
    sort: { expr: "v.version_no", type: "int" },
    direction: "ASC",
    parent: "v.transaction_id",
    with: (parents) => ctx.access.providerGrantsCte(accountsOfTransactions(parents)),
    where: ctx.access.transactionCondition("t", { version: "v", grants: "cte" }),
    vouches: "TransactionVersion",
  };
}

export function lineList(ctx: Context): ListSpec<TransactionLine> {
  return {
    entity: TransactionLine,
    from: sql`transaction_lines l JOIN transaction_versions v ON v.id = l.version_id JOIN transactions t ON t.id = v.transaction_id`,
    alias: "l",
    sort: { expr: "l.line_no", type: "int" },
    direction: "ASC",
    parent: "l.version_id",
    with: (parents) =>
      ctx.access.providerGrantsCte(accountsOfTransactions(sql`ARRAY(SELECT transaction_id FROM transaction_versions WHERE id = ANY(${parents}))`)),
    where: ctx.access.transactionCondition("t", { version: "v", grants: "cte" }),
    vouches: "TransactionLine",
  };
}

export async function transactionByNumber(ctx: Context, transactionNumber: string): Promise<Transaction> {
  const err = transactionNumberError(transactionNumber);
  if (err) throw badInput(err, "transactionNumber");
  const t = await ctx.db.getRepository(Transaction).findOneBy({ transactionNumber });
  if (!t || !(await canSee(ctx, "Transaction", t))) throw notFound(`Transaction ${transactionNumber}`);
  return t;
}

/**
 * The versions of each transaction that the viewer may see, oldest first (one query per request).
 * What a viewer calls "current" is the latest of these: a later version by a business their
 * visibility rules exclude stays invisible, totals included.
 */
export function visibleVersions(ctx: Context, transactionId: string): Promise<TransactionVersion[]> {
  const access = ctx.access;
  return ctx.loaders
    .custom<TransactionVersion[]>("transaction.visibleVersions", async (ids) => {
      const parents = uuids(ids);
      const rows = await query<{ id: string }>(
        ctx.db,
        sql`WITH ${access.providerGrantsCte(accountsOfTransactions(parents))}
            SELECT v.id FROM transaction_versions v JOIN transactions t ON t.id = v.transaction_id
             WHERE v.transaction_id = ANY(${parents}) AND ${access.transactionCondition("t", { version: "v", grants: "cte" })}`,
      );
      const versions = rows.length ? await ctx.db.getRepository(TransactionVersion).findBy({ id: In(rows.map((r) => r.id)) }) : [];
      access.vouch("TransactionVersion", versions.map((v) => v.id));
      versions.sort((a, b) => a.versionNo - b.versionNo);
      return ids.map((id) => versions.filter((v) => v.transactionId === id));
    })
    .load(transactionId);
}
