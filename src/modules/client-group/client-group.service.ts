import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/pagination.js";
import { raw, sql, uuids, type Sql } from "../../db/sql.js";
import { Business } from "../business/business.entity.js";
import { ClientGroup, ClientGroupAssignment } from "./client-group.entity.js";

/** A provider's BAM sees all its live groups; an employee sees the groups they are assigned to. */
function groupCondition(ctx: Context, g: string): Sql {
  const G = (column: string) => raw(`${g}.${column}`);
  return sql`${G("deleted_at")} IS NULL AND (${G("provider_business_id")} = ANY(${uuids(ctx.access.bamBusinessIds())}) OR ${G("id")} = ANY(${uuids(ctx.access.clientGroupIds)}))`;
}

export function clientGroupList(ctx: Context): ListSpec<ClientGroup> {
  return {
    entity: ClientGroup,
    from: sql`client_groups g`,
    alias: "g",
    sort: { expr: "g.normalized_name", type: "text" },
    direction: "ASC",
    parent: "g.provider_business_id",
    where: groupCondition(ctx, "g"),
    vouches: "ClientGroup",
  };
}

/** The clients of a group (their public identity: BN9 and name). */
export function clientGroupClientList(ctx: Context): ListSpec<Business> {
  return {
    entity: Business,
    from: sql`businesses b JOIN client_group_clients gc ON gc.client_business_id = b.id JOIN client_groups g ON g.id = gc.group_id`,
    alias: "b",
    sort: { expr: "b.legal_name", type: "text" },
    direction: "ASC",
    parent: "gc.group_id",
    where: groupCondition(ctx, "g"),
  };
}

export function clientGroupAssignmentList(ctx: Context): ListSpec<ClientGroupAssignment> {
  return {
    entity: ClientGroupAssignment,
    from: sql`client_group_assignments a JOIN client_groups g ON g.id = a.group_id`,
    alias: "a",
    sort: { expr: "a.created_at", type: "timestamptz" },
    direction: "ASC",
    parent: "a.group_id",
    where: groupCondition(ctx, "g"),
    vouches: "ClientGroupAssignment",
  };
}
