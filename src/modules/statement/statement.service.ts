import { Field, InputType, registerEnumType } from "type-graphql";
import { postingRules } from "../../auth/money.js";
import { accountRows, type ListSpec } from "../../common/lists.js";
import { OrderDirection, orderSpec } from "../../common/order.js";
import type { Context } from "../../context.js";
import { query, sql, uuids } from "../../db/sql.js";
import { StatementPosting } from "./posting.entity.js";
import { Statement } from "./statement.entity.js";

export enum StatementOrderField {
  CYCLE = "CYCLE",
}
registerEnumType(StatementOrderField, {
  name: "StatementOrderField",
  description: "What a list of statements is sorted by.",
  valuesConfig: { CYCLE: { description: "The billing cycle (its last release date, the 17th)." } },
});

@InputType({ description: "The order of a list of statements. Cursors carry it: page on with the same orderBy." })
export class StatementOrder {
  @Field(() => StatementOrderField, { nullable: true, defaultValue: StatementOrderField.CYCLE, description: "What to sort by." })
  field?: StatementOrderField | null;

  @Field(() => OrderDirection, { nullable: true, defaultValue: OrderDirection.DESC, description: "Which way (default DESC: newest cycle first)." })
  direction?: OrderDirection | null;
}

/** The statements of each program account (parent) the viewer may read, by cycle (newest first unless asked otherwise). */
export function accountStatementList(ctx: Context, orderBy: StatementOrder | null): ListSpec<Statement> {
  const order = orderSpec(orderBy?.field ?? StatementOrderField.CYCLE, orderBy?.direction ?? OrderDirection.DESC, { expr: "s.cycle_end", type: "date" });
  return accountRows<Statement>(ctx, { entity: Statement, table: "statements", alias: "s", action: "VIEW_STATEMENTS", ...order, visibleAs: "Statement" });
}

/** The account of each statement (the journal nested under statements is driven by the viewer's grants on it). */
async function accountsOfStatements(ctx: Context, ids: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await query<{ id: string; program_account_id: string }>(ctx.db, sql`SELECT id, program_account_id FROM statements WHERE id = ANY(${uuids(ids)})`);
  return new Map(rows.map((r) => [r.id, [r.program_account_id]]));
}

/** The journal lines of each statement (parent) that the viewer may see, in order (money.ts, postingRules). */
export function postingList(ctx: Context): ListSpec<StatementPosting> {
  return {
    entity: StatementPosting,
    from: sql`statement_postings sp`,
    alias: "sp",
    sort: { expr: "sp.line_no", type: "int" },
    direction: "ASC",
    parent: "sp.statement_id",
    parentRows: (parents) => ctx.access.grantsOfParents(parents, (ids) => accountsOfStatements(ctx, ids)),
    where: sql`sp.program_account_id = page_parent.program_account_id AND ${postingRules("page_parent", "sp")}`,
    visibleAs: "StatementPosting",
  };
}
