import type { Context } from "../../context.js";
import type { AccessRequestStatus } from "../../common/enums.js";
import type { ListSpec } from "../../common/pagination.js";
import { viewerIdOrNone } from "../../common/lists.js";
import { EmployeeAccessRequest } from "./access-request.entity.js";

/** Requests the viewer can decide (BAM, or PAM of a program of that business) or made themselves. */
export function accessRequestList(ctx: Context, opts: { nested: boolean; status: AccessRequestStatus | null; ownOnly?: boolean }): ListSpec<EmployeeAccessRequest> {
  const managed = ctx.scope.managedBusinessIds("MANAGE_PROGRAM_ACCESS");
  const viewerId = viewerIdOrNone(ctx);
  return {
    entity: EmployeeAccessRequest,
    alias: "ar",
    sort: { expr: "ar.created_at", type: "timestamptz" },
    direction: "DESC",
    parentExpr: opts.nested ? "ar.business_id" : undefined,
    where: (qb) => {
      if (opts.ownOnly) qb.where("ar.user_id = :arViewer", { arViewer: viewerId });
      else qb.where("(ar.business_id = ANY(:arManaged) OR ar.user_id = :arViewer)", { arManaged: managed, arViewer: viewerId });
      if (opts.status) qb.andWhere("ar.status = :arStatus", { arStatus: opts.status });
    },
  };
}
