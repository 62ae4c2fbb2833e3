import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/pagination.js";
import { Business } from "../business/business.entity.js";
import { ClientGroup, ClientGroupAssignment, ClientGroupClient } from "./client-group.entity.js";

/** A provider's BAM sees all its groups; an employee sees the groups they are assigned to. */
export function clientGroupList(ctx: Context): ListSpec<ClientGroup> {
  const bamOf = ctx.scope.bamBusinessIds();
  const groupIds = ctx.scope.clientGroupIds;
  return {
    entity: ClientGroup,
    alias: "g",
    sort: { expr: "g.normalized_name", type: "text" },
    direction: "ASC",
    parentExpr: "g.provider_business_id",
    where: (qb) =>
      qb.where("g.deleted_at IS NULL").andWhere("(g.provider_business_id = ANY(:gBam) OR g.id = ANY(:gIds))", { gBam: bamOf, gIds: groupIds }),
  };
}

export function clientGroupClientList(ctx: Context): ListSpec<Business> {
  const groups = clientGroupList(ctx);
  return {
    entity: Business,
    alias: "b",
    sort: { expr: "b.legal_name", type: "text" },
    direction: "ASC",
    parentExpr: "gc.group_id",
    where: (qb) => {
      qb.innerJoin(ClientGroupClient, "gc", "gc.client_business_id = b.id").innerJoin(ClientGroup, "g", "g.id = gc.group_id");
      groups.where(qb as never);
    },
  };
}

export function clientGroupAssignmentList(ctx: Context): ListSpec<ClientGroupAssignment> {
  const groups = clientGroupList(ctx);
  return {
    entity: ClientGroupAssignment,
    alias: "a",
    sort: { expr: "a.created_at", type: "timestamptz" },
    direction: "ASC",
    parentExpr: "a.group_id",
    where: (qb) => {
      qb.innerJoin(ClientGroup, "g", "g.id = a.group_id");
      groups.where(qb as never);
    },
  };
}
