import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/lists.js";
import { viewerIdOrNone } from "../../common/lists.js";
import { sql, uuids } from "../../db/sql.js";
import { BusinessMembership, ProgramRoleAssignment } from "./membership.entity.js";

/** Members of a business: visible to its managers (BAM, PAM). */
export function memberList(ctx: Context): ListSpec<BusinessMembership> {
  const managed = ctx.access.managedBusinessIds("VIEW_MEMBERS");
  return {
    entity: BusinessMembership,
    from: sql`business_memberships m`,
    alias: "m",
    sort: { expr: "m.created_at", type: "timestamptz" },
    direction: "ASC",
    parent: "m.business_id",
    where: sql`m.business_id = ANY(${uuids(managed)}) AND m.status = 'ACTIVE'`,
    visibleAs: "BusinessMembership",
  };
}

/**
 * Program roles of one membership (parent = membership id): the holder's own, or on accounts of a
 * business whose members the viewer manages. Roles are held in one's own business, so a manager's
 * own paths (BAM, PAM) are what decide.
 */
export function membershipRoleList(ctx: Context): ListSpec<ProgramRoleAssignment> {
  const managed = ctx.access.managedBusinessIds("VIEW_MEMBERS");
  const visible = ctx.access.ownAccountIds("VIEW_PROGRAM_ACCOUNT");
  return {
    entity: ProgramRoleAssignment,
    from: sql`program_roles pr JOIN program_accounts pa ON pa.id = pr.program_account_id
      JOIN business_memberships m ON m.user_id = pr.user_id AND m.business_id = pa.business_id`,
    alias: "pr",
    sort: { expr: "pa.rm", type: "text" },
    direction: "ASC",
    parent: "m.id",
    where: sql`((m.business_id = ANY(${uuids(managed)}) AND pr.program_account_id = ANY(${uuids(visible)})) OR m.user_id = ${viewerIdOrNone(ctx)}::uuid)`,
    visibleAs: "ProgramRoleAssignment",
  };
}
