import { Field, InputType } from "type-graphql";
import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/pagination.js";
import { badInput, notFound } from "../../common/errors.js";
import { calendarDateMessage, isCalendarDate } from "../../common/dates.js";
import { bn15Error, transactionNumberError } from "../../common/identifiers.js";
import { Transaction, TransactionLine, TransactionVersion } from "./transaction.entity.js";

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
  if (!isCalendarDate(value)) throw badInput(calendarDateMessage(field, value), field);
}

/**
 * Transactions the viewer may see: every grant's program accounts, narrowed by the broker
 * visibility rules, in SQL. Newest release first.
 */
export function transactionList(ctx: Context, filter: TransactionFilter | null = null, nested = false): ListSpec<Transaction> {
  if (filter?.bn15) {
    const err = bn15Error(filter.bn15);
    if (err) throw badInput(err, "filter.bn15");
  }
  if (filter?.releasedFrom) validDate(filter.releasedFrom, "filter.releasedFrom");
  if (filter?.releasedTo) validDate(filter.releasedTo, "filter.releasedTo");
  const cond = ctx.scope.transactionCondition("t");
  return {
    entity: Transaction,
    alias: "t",
    sort: { expr: "t.released_on", type: "date" },
    direction: "DESC",
    parentExpr: nested ? "t.program_account_id" : undefined,
    where: (qb) => {
      qb.where(cond.sql, cond.params);
      if (filter?.bn15) qb.andWhere("t.program_account_id = (SELECT id FROM program_accounts WHERE bn15 = :fbn15)", { fbn15: filter.bn15 });
      if (filter?.releasedFrom) qb.andWhere("t.released_on >= :rfrom", { rfrom: filter.releasedFrom });
      if (filter?.releasedTo) qb.andWhere("t.released_on <= :rto", { rto: filter.releasedTo });
    },
  };
}

export function versionList(ctx: Context): ListSpec<TransactionVersion> {
  const cond = ctx.scope.transactionCondition("t", "scope", "v");
  return {
    entity: TransactionVersion,
    alias: "v",
    sort: { expr: "v.version_no", type: "int" },
    direction: "ASC",
    parentExpr: "v.transaction_id",
    where: (qb) => qb.innerJoin(Transaction, "t", "t.id = v.transaction_id").where(cond.sql, cond.params),
  };
}

export function lineList(ctx: Context): ListSpec<TransactionLine> {
  const cond = ctx.scope.transactionCondition("t", "scope", "v");
  return {
    entity: TransactionLine,
    alias: "l",
    sort: { expr: "l.line_no", type: "int" },
    direction: "ASC",
    parentExpr: "l.version_id",
    where: (qb) =>
      qb
        .innerJoin(TransactionVersion, "v", "v.id = l.version_id")
        .innerJoin(Transaction, "t", "t.id = v.transaction_id")
        .where(cond.sql, cond.params),
  };
}

export async function transactionByNumber(ctx: Context, transactionNumber: string): Promise<Transaction> {
  const err = transactionNumberError(transactionNumber);
  if (err) throw badInput(err, "transactionNumber");
  const t = await ctx.db.getRepository(Transaction).findOneBy({ transactionNumber });
  if (!t || !ctx.scope.canViewTransaction(t)) throw notFound(`Transaction ${transactionNumber}`);
  return t;
}

/**
 * The versions of each transaction that the viewer may see, oldest first (one query per request).
 * What a viewer calls "current" is the latest of these: a later version by a business their
 * visibility rules exclude stays invisible, totals included.
 */
export function visibleVersions(ctx: Context, transactionId: string): Promise<TransactionVersion[]> {
  return ctx.loaders
    .custom<TransactionVersion[]>("transaction.visibleVersions", async (ids) => {
      const cond = ctx.scope.transactionCondition("t", "scope", "v");
      const rows = await ctx.db
        .getRepository(TransactionVersion)
        .createQueryBuilder("v")
        .innerJoin(Transaction, "t", "t.id = v.transaction_id")
        .where("t.id = ANY(:ids)", { ids: [...ids] })
        .andWhere(cond.sql, cond.params)
        .orderBy("v.version_no", "ASC")
        .getMany();
      return ids.map((id) => rows.filter((v) => v.transactionId === id));
    })
    .load(transactionId);
}
