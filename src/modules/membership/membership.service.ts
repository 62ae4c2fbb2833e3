import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/pagination.js";
import { viewerIdOrNone } from "../../common/lists.js";
import { BusinessMembership, ProgramRoleAssignment } from "./membership.entity.js";

/** Members of a business: visible to its managers (BAM, PAM). */
export function memberList(ctx: Context): ListSpec<BusinessMembership> {
  const managed = ctx.scope.managedBusinessIds("VIEW_MEMBERS");
  return {
    entity: BusinessMembership,
    alias: "m",
    sort: { expr: "m.created_at", type: "timestamptz" },
    direction: "ASC",
    parentExpr: "m.business_id",
    where: (qb) => qb.where("m.business_id = ANY(:mManaged)", { mManaged: managed }).andWhere("m.status = 'ACTIVE'"),
  };
}

/** Program roles of one membership (parent = membership id): the holder's own, or on accounts a manager can see. */
export function membershipRoleList(ctx: Context): ListSpec<ProgramRoleAssignment> {
  const managed = ctx.scope.managedBusinessIds("VIEW_MEMBERS");
  const visible = ctx.scope.programAccountIdsFor("VIEW_PROGRAM_ACCOUNT");
  const viewerId = viewerIdOrNone(ctx);
  return {
    entity: ProgramRoleAssignment,
    alias: "pr",
    sort: { expr: "pa.rm", type: "text" },
    direction: "ASC",
    parentExpr: "m.id",
    where: (qb) =>
      qb
        .innerJoin("program_accounts", "pa", "pa.id = pr.program_account_id")
        .innerJoin(BusinessMembership, "m", "m.user_id = pr.user_id AND m.business_id = pa.business_id")
        .where("((m.business_id = ANY(:prManaged) AND pr.program_account_id = ANY(:prVisible)) OR m.user_id = :prViewer)", {
          prManaged: managed,
          prVisible: visible,
          prViewer: viewerId,
        }),
  };
}
