import { Field, InputType, registerEnumType } from "type-graphql";
import { canSee } from "../../auth/visibility.js";
import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/lists.js";
import { badInput, notFound } from "../../common/errors.js";
import { calendarDateMessage, isCalendarDate } from "../../common/dates.js";
import { bn15Error, bn9Error, transactionNumberError } from "../../common/identifiers.js";
import { moneyInput } from "../../common/inputs.js";
import { MoneyScalar, toCents } from "../../common/money.js";
import { OrderDirection, orderSpec, type SortKey } from "../../common/order.js";
import { groupBy } from "../../common/collections.js";
import { accountingPeriod } from "../../common/billing.js";
import { TransactionVersionStatus } from "../../common/enums.js";
import { DRIVEN_BY_IDS, join, query, sql, uuids, type Sql } from "../../db/sql.js";
import { itself } from "../../auth/access.js";
import { transactionCondition, transactionRules, visibleStatusIs, visibleTotal } from "../../auth/conditions.js";
import { rolesAllowing } from "../../auth/policy.js";
import { materialized, grantAllows, grantLetsThrough, grantsSql } from "../../auth/grants.js";
import { Transaction, TransactionLine, TransactionVersion } from "./transaction.entity.js";

/**
 * Whoever may see a transaction may see its program account: every role that reads transactions
 * also reads the account (checked here, so that a change of the role table cannot break it silently).
 */
const ACCOUNT_OF_VISIBLE_TRANSACTION = [{ type: "ProgramAccount", column: "program_account_id" }];
if (!rolesAllowing("VIEW_TRANSACTIONS").every((r) => rolesAllowing("VIEW_PROGRAM_ACCOUNT").includes(r))) {
  throw new Error("policy: a role that reads transactions must read their program account (transaction lists mark it visible)");
}

@InputType({ description: "Narrow a transaction list. All conditions must hold." })
export class TransactionFilter {
  @Field(() => String, { nullable: true, description: "Only this program account (BN15)." })
  bn15?: string | null;

  @Field(() => String, { nullable: true, description: "Released on or after this date (YYYY-MM-DD)." })
  releasedFrom?: string | null;

  @Field(() => String, { nullable: true, description: "Released on or before this date (YYYY-MM-DD)." })
  releasedTo?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The transaction number: all 14 digits for that transaction, or its first digits (1 to 13, e.g. the submitter's 5-digit ASEC) for every number starting with them.",
  })
  transactionNumber?: string | null;

  @Field(() => TransactionVersionStatus, {
    nullable: true,
    description: "Only transactions whose latest version you may see has this status: UNDER_REVIEW finds adjustments waiting for the agency, REJECTED the ones it turned down last.",
  })
  status?: TransactionVersionStatus | null;

  @Field(() => String, { nullable: true, description: "Only transactions whose original declaration this business filed (its BN9): the importer itself or a broker." })
  submitterBn9?: string | null;

  @Field(() => MoneyScalar, { nullable: true, description: 'Duties and taxes (as `totalDutiesAndTaxes` shows you) of at least this amount, e.g. "1000.00".' })
  amountMin?: string | null;

  @Field(() => MoneyScalar, { nullable: true, description: "Duties and taxes (as `totalDutiesAndTaxes` shows you) of at most this amount; not below amountMin." })
  amountMax?: string | null;
}

export enum TransactionOrderField {
  RELEASED_ON = "RELEASED_ON",
  TRANSACTION_NUMBER = "TRANSACTION_NUMBER",
  AMOUNT = "AMOUNT",
}
registerEnumType(TransactionOrderField, {
  name: "TransactionOrderField",
  description: "What a transaction list is sorted by.",
  valuesConfig: {
    RELEASED_ON: { description: "The release date of the goods." },
    TRANSACTION_NUMBER: { description: "The 14-digit transaction number (by submitter's ASEC, then sequence)." },
    AMOUNT: { description: "Duties and taxes, as `totalDutiesAndTaxes` shows you (the latest accepted version you may see)." },
  },
});

@InputType({ description: "The order of a transaction list. Cursors carry it: page on with the same orderBy." })
export class TransactionOrder {
  @Field(() => TransactionOrderField, { description: "What to sort by." })
  field!: TransactionOrderField;

  @Field(() => OrderDirection, { nullable: true, defaultValue: OrderDirection.DESC, description: "Which way (default DESC: latest, highest first)." })
  direction?: OrderDirection | null;
}

/** Transaction numbers are 14 digits; a shorter run of digits is a prefix of them. */
const NUMBER_PREFIX = /^\d{1,13}$/;

function validDate(value: string, field: string) {
  if (!isCalendarDate(value)) throw badInput(calendarDateMessage(field, value), field);
}

/**
 * The filter's conditions on `t` (validated: a bad identifier or range is BAD_USER_INPUT naming the
 * field). Amount and status are judged on what the viewer sees of the transaction (latestVisibleVersion).
 */
function filterSql(ctx: Context, filter: TransactionFilter | null): Sql {
  if (!filter) return sql``;
  const parts: Sql[] = [];
  if (filter.bn15) {
    const err = bn15Error(filter.bn15);
    if (err) throw badInput(err, "filter.bn15");
    parts.push(sql`t.program_account_id = (SELECT id FROM program_accounts WHERE bn15 = ${filter.bn15})`);
  }
  if (filter.releasedFrom) validDate(filter.releasedFrom, "filter.releasedFrom");
  if (filter.releasedTo) validDate(filter.releasedTo, "filter.releasedTo");
  if (filter.releasedFrom && filter.releasedTo && filter.releasedFrom > filter.releasedTo) {
    throw badInput(`filter.releasedFrom (${filter.releasedFrom}) is after filter.releasedTo (${filter.releasedTo}).`, "filter.releasedFrom");
  }
  if (filter.releasedFrom) parts.push(sql`t.released_on >= ${filter.releasedFrom}::date`);
  if (filter.releasedTo) parts.push(sql`t.released_on <= ${filter.releasedTo}::date`);
  const number = filter.transactionNumber?.trim();
  if (number) {
    if (NUMBER_PREFIX.test(number)) {
      // Every 14-digit number starting with the prefix lies between these two (digits sort alike in every collation): the unique index's range.
      parts.push(sql`t.transaction_number BETWEEN ${number.padEnd(14, "0")} AND ${number.padEnd(14, "9")}`);
    } else {
      const err = transactionNumberError(number);
      if (err) throw badInput(`${err} (or its first 1 to 13 digits)`, "filter.transactionNumber");
      parts.push(sql`t.transaction_number = ${number}`);
    }
  }
  if (filter.submitterBn9) {
    const err = bn9Error(filter.submitterBn9);
    if (err) throw badInput(err, "filter.submitterBn9");
    parts.push(sql`t.submitted_by_business_id = (SELECT id FROM businesses WHERE bn9 = ${filter.submitterBn9})`);
  }
  if (filter.status) parts.push(visibleStatusIs(ctx.access, "t", filter.status));
  const bounds = { min: toCents("-999999999999.99"), max: toCents("999999999999.99") };
  const min = filter.amountMin != null ? moneyInput(filter.amountMin, "filter.amountMin", bounds) : null;
  const max = filter.amountMax != null ? moneyInput(filter.amountMax, "filter.amountMax", bounds) : null;
  if (min !== null && max !== null && min > max) {
    throw badInput(`filter.amountMin (${filter.amountMin}) is more than filter.amountMax (${filter.amountMax}).`, "filter.amountMin");
  }
  if (min !== null || max !== null) {
    const amount = visibleTotal(ctx.access, "t");
    if (min !== null) parts.push(sql`${amount} >= ${filter.amountMin}::numeric`);
    if (max !== null) parts.push(sql`${amount} <= ${filter.amountMax}::numeric`);
  }
  return parts.length ? sql` AND ${join(parts, " AND ")}` : sql``;
}

/** How each order of the transaction list reads: the release date and number from the row, the amount from what the viewer sees of it. */
function transactionOrder(ctx: Context, orderBy: TransactionOrder | null): { sort: SortKey; direction: "ASC" | "DESC"; order: string; from: Sql } {
  const field = orderBy?.field ?? TransactionOrderField.RELEASED_ON;
  const direction = orderBy?.direction ?? OrderDirection.DESC;
  switch (field) {
    case TransactionOrderField.RELEASED_ON:
      return { ...orderSpec(field, direction, { expr: "t.released_on", type: "date" }), from: sql`transactions t` };
    case TransactionOrderField.TRANSACTION_NUMBER:
      return { ...orderSpec(field, direction, { expr: "t.transaction_number", type: "bpchar" }), from: sql`transactions t` };
    case TransactionOrderField.AMOUNT:
      // Read once per row (LATERAL), not once in each of the select list, the order and the cursor's condition.
      return {
        ...orderSpec(field, direction, { expr: "seen.amount", type: "numeric" }),
        from: sql`transactions t CROSS JOIN LATERAL (SELECT ${visibleTotal(ctx.access, "t")} AS amount) seen`,
      };
  }
}

/**
 * Transactions the viewer may see across all their accounts and clients, newest release first: the
 * broker visibility rules in SQL (auth/conditions.ts). For a broker with few client accounts the page is read
 * from those accounts; for a large book of business, in release order with each row checked.
 */
export async function transactionList(ctx: Context, filter: TransactionFilter | null = null, orderBy: TransactionOrder | null = null): Promise<ListSpec<Transaction>> {
  const filters = filterSql(ctx, filter);
  const order = transactionOrder(ctx, orderBy);
  const reach = await ctx.access.smallBook();
  const condition = transactionCondition(ctx.access, "t");
  const viewer = ctx.viewer?.id ?? "00000000-0000-0000-0000-000000000000";
  const byDefault = order.order === `${TransactionOrderField.RELEASED_ON}:${OrderDirection.DESC}`;
  return {
    entity: Transaction,
    from: order.from,
    alias: "t",
    sort: order.sort,
    direction: order.direction,
    order: order.order,
    where: reach
      ? sql`t.program_account_id = ANY(${uuids([...ctx.access.ownAccountIds("VIEW_TRANSACTIONS"), ...reach.accountIds])}) AND ${condition}${filters}`
      : sql`${condition}${filters}`,
    visibleAs: "Transaction",
    alsoVisible: ACCOUNT_OF_VISIBLE_TRANSACTION,
    // A large book without filters is read in release order, each row checked: one plan fits every
    // such viewer and page, kept instead of made again (planning the grants costs twice the reading).
    plan: reach === null && filters.text === "" && byDefault ? "reuse" : "fresh",
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
    parentRows: (parents) => ctx.access.grantsOfParents(parents, itself),
    where: transactionRules("page_parent", "t"),
    visibleAs: "Transaction",
    alsoVisible: ACCOUNT_OF_VISIBLE_TRANSACTION,
  };
}

/** The account of each transaction, or of each version's transaction (lists nested under them are driven by the grants on it). */
async function accountsOf(ctx: Context, table: "transactions" | "transaction_versions", ids: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await query<{ id: string; program_account_id: string }>(
    ctx.db,
    table === "transactions"
      ? sql`SELECT id, program_account_id FROM transactions WHERE id = ANY(${uuids(ids)})`
      : sql`SELECT v.id, t.program_account_id FROM transaction_versions v JOIN transactions t ON t.id = v.transaction_id WHERE v.id = ANY(${uuids(ids)})`,
  );
  return new Map(rows.map((r) => [r.id, [r.program_account_id]]));
}

export function versionList(ctx: Context): ListSpec<TransactionVersion> {
  return {
    entity: TransactionVersion,
    from: sql`transaction_versions v JOIN transactions t ON t.id = v.transaction_id`,
    alias: "v",
    sort: { expr: "v.version_no", type: "int" },
    direction: "ASC",
    parent: "v.transaction_id",
    parentRows: (parents) => ctx.access.grantsOfParents(parents, (ids) => accountsOf(ctx, "transactions", ids)),
    where: sql`t.program_account_id = page_parent.program_account_id AND ${transactionRules("page_parent", "t", "v")}`,
    visibleAs: "TransactionVersion",
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
    parentRows: (parents) => ctx.access.grantsOfParents(parents, (ids) => accountsOf(ctx, "transaction_versions", ids)),
    where: sql`t.program_account_id = page_parent.program_account_id AND ${transactionRules("page_parent", "t", "v")}`,
    visibleAs: "TransactionLine",
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
export async function visibleVersions(ctx: Context, t: { id: string; programAccountId: string }): Promise<VersionSummary[]> {
  const access = ctx.access;
  // Keyed by transaction and account: the account says which grants decide.
  return ctx.loaders
    .custom<VersionSummary[]>("transaction.visibleVersions", async (keys) => {
      const parsed = keys.map((k) => k.split("/") as [string, string]);
      // The grants, once per account (not per transaction), joined to the transactions at hand.
      const grants = await access.grantsOfParents([...new Set(parsed.map(([, account]) => account))], itself);
      // One transaction (a mutation's payload, node(id:)) is asked as a one-element array, whose
      // length the kept plan knows (as visibility.ts's rowVisible does): for a list of unknown length
      // PostgreSQL estimates several, finds the kept plan dearer than one made for the values, and
      // plans every time.
      const ids = parsed.length === 1 ? sql`ARRAY[${parsed[0]![0]}]::uuid[]` : uuids(parsed.map(([id]) => id));
      const rows = await query<{ id: string; transaction_id: string; version_no: number; status: string; total_duties_and_taxes: string }>(
        ctx.db,
        // The transactions asked for first, each by its key (MATERIALIZED: left to itself the planner
        // may probe every account's index with the whole id list, accounts x ids comparisons).
        // The grants too, once per account, before they meet the transactions.
        sql`WITH t AS MATERIALIZED (SELECT * FROM transactions WHERE id = ANY(${ids})),
                 ${materialized("page_parent", grants)}
            SELECT DISTINCT v.id, v.transaction_id, v.version_no, v.status, v.total_duties_and_taxes
              FROM t
              JOIN page_parent ON page_parent.program_account_id = t.program_account_id
              JOIN transaction_versions v ON v.transaction_id = t.id
             WHERE ${transactionRules("page_parent", "t", "v")}
             ORDER BY v.transaction_id, v.version_no`,
        { ...DRIVEN_BY_IDS, label: "visible versions of Transaction" },
      );
      access.markVisible("TransactionVersion", rows.map((v) => v.id));
      const byTransaction = groupBy(rows, (r) => r.transaction_id);
      return parsed.map(([id]) =>
        (byTransaction.get(id) ?? []).map((r) => ({ id: r.id, versionNo: r.version_no, status: r.status, totalDutiesAndTaxes: r.total_duties_and_taxes })),
      );
    })
    .load(`${t.id}/${t.programAccountId}`);
}

/** What a transaction's own fields need of a version (the whole version loads only when asked for). */
export interface VersionSummary {
  id: string;
  versionNo: number;
  status: string;
  totalDutiesAndTaxes: string;
}

/** Of the versions a viewer sees (oldest first), the current one: the latest the agency has not rejected. */
export function currentOf(versions: VersionSummary[]): VersionSummary | undefined {
  return versions.findLast((v) => v.status !== TransactionVersionStatus.REJECTED);
}

/** When each declaration's charge is due (one query per request): its billing period's due date (Customs Act s.33.4(2)). */
export function declarationDueDate(ctx: Context, t: { id: string; releasedOn: string; accountedOn: string }): Promise<string> {
  return ctx.loaders
    .custom<string | null>("transaction.dueDate", async (ids) => {
      const rows = await query<{ transaction_id: string; due_date: string }>(
        ctx.db,
        sql`SELECT DISTINCT ON (sp.transaction_id) sp.transaction_id, sp.due_on::text AS due_date
              FROM statement_postings sp
             WHERE sp.transaction_id = ANY(${uuids(ids)}) AND sp.kind = 'CHARGE' ORDER BY sp.transaction_id, sp.line_no`,
      );
      const byId = new Map(rows.map((r) => [r.transaction_id, r.due_date]));
      return ids.map((id) => byId.get(id) ?? null);
    })
    .load(t.id)
    .then((due) => due ?? accountingPeriod(t.releasedOn, t.accountedOn).dueDate);
}
