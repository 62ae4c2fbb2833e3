import { postingRules } from "../../auth/money.js";
import type { ListSpec } from "../../common/lists.js";
import type { Context } from "../../context.js";
import { query, sql, uuids } from "../../db/sql.js";
import { StatementPosting } from "./posting.entity.js";

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
