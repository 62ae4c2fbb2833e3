import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/lists.js";
import { clientGroupCondition } from "../../auth/conditions.js";
import { raw, sql, type Sql } from "../../db/sql.js";
import { Business } from "../business/business.entity.js";
import { ClientGroup, ClientGroupAssignment } from "./client-group.entity.js";

/** Live groups the person may see (auth/conditions.ts, clientGroupCondition): lists show no deleted group. */
function groupCondition(ctx: Context, g: string): Sql {
  return sql`${raw(g)}.deleted_at IS NULL AND ${clientGroupCondition(ctx.access, g)}`;
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
    visibleAs: "ClientGroup",
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
    visibleAs: "ClientGroupAssignment",
  };
}
