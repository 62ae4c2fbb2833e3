import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/lists.js";
import { relationshipCondition } from "../../auth/conditions.js";
import { grantAllows } from "../../auth/grants.js";
import { groupBy } from "../../common/collections.js";
import { query, sql, uuids } from "../../db/sql.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { BusinessRelationship } from "./relationship.entity.js";

/**
 * A relationship's settings are seen by the managers of both parties (auth/conditions.ts,
 * relationshipCondition: the rule every relationship is checked by, one by one too).
 */
export function relationshipList(ctx: Context, opts: { nestedUnderBusiness: boolean }): ListSpec<BusinessRelationship> {
  return {
    entity: BusinessRelationship,
    from: sql`relationships r`,
    alias: "r",
    sort: { expr: "r.created_at", type: "timestamptz" },
    direction: "DESC",
    // Under a business: the relationships where it is either party.
    parent: opts.nestedUnderBusiness ? (p) => sql`(r.client_business_id = ${p} OR r.provider_business_id = ${p})` : undefined,
    where: relationshipCondition(ctx.access, "r"),
    visibleAs: "Relationship",
  };
}

/** Program accounts a PROGRAM_ACCOUNT-level relationship covers (those the viewer can see). */
export function relationshipAccountList(ctx: Context): ListSpec<ProgramAccount> {
  const rels = relationshipList(ctx, { nestedUnderBusiness: false });
  return {
    entity: ProgramAccount,
    from: sql`program_accounts pa JOIN relationship_program_accounts rpa ON rpa.program_account_id = pa.id JOIN relationships r ON r.id = rpa.relationship_id`,
    alias: "pa",
    sort: { expr: "pa.bn15", type: "text" },
    direction: "ASC",
    parent: "rpa.relationship_id",
    parentRows: (parents) => ctx.access.grantsOfParents(parents, (ids) => coveredAccounts(ctx, ids)),
    where: sql`${rels.where} AND pa.id = page_parent.program_account_id AND ${grantAllows("page_parent", "VIEW_PROGRAM_ACCOUNT")}`,
    visibleAs: "ProgramAccount",
  };
}

/** The accounts each PROGRAM_ACCOUNT-level relationship lists. */
async function coveredAccounts(ctx: Context, relationshipIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await query<{ relationship_id: string; program_account_id: string }>(
    ctx.db,
    sql`SELECT relationship_id, program_account_id FROM relationship_program_accounts WHERE relationship_id = ANY(${uuids(relationshipIds)})`,
  );
  return new Map([...groupBy(rows, (r) => r.relationship_id)].map(([id, rs]) => [id, rs.map((r) => r.program_account_id)]));
}
