import type { Context } from "../../context.js";
import type { AccessRequestStatus } from "../../common/enums.js";
import type { ListSpec } from "../../common/pagination.js";
import { viewerIdOrNone } from "../../common/lists.js";
import { sql, uuids } from "../../db/sql.js";
import { EmployeeAccessRequest } from "./access-request.entity.js";

/** Requests the viewer can decide (BAM, or PAM of a program of that business) or made themselves. */
export function accessRequestList(ctx: Context, opts: { nested: boolean; status: AccessRequestStatus | null; ownOnly?: boolean }): ListSpec<EmployeeAccessRequest> {
  const managed = ctx.access.managedBusinessIds("MANAGE_PROGRAM_ACCESS");
  const viewerId = viewerIdOrNone(ctx);
  const whose = opts.ownOnly ? sql`ar.user_id = ${viewerId}::uuid` : sql`(ar.business_id = ANY(${uuids(managed)}) OR ar.user_id = ${viewerId}::uuid)`;
  return {
    entity: EmployeeAccessRequest,
    from: sql`employee_access_requests ar`,
    alias: "ar",
    sort: { expr: "ar.created_at", type: "timestamptz" },
    direction: "DESC",
    parent: opts.nested ? "ar.business_id" : undefined,
    where: sql`${whose}${opts.status ? sql` AND ar.status = ${opts.status}` : sql``}`,
    vouches: "EmployeeAccessRequest",
  };
}
