import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/pagination.js";
import { AuditEvent } from "./audit.entity.js";

export function auditList(ctx: Context, action: string | null): ListSpec<AuditEvent> {
  const ids = ctx.scope.managedBusinessIds("VIEW_AUDIT");
  return {
    entity: AuditEvent,
    alias: "ae",
    sort: { expr: "ae.created_at", type: "timestamptz" },
    direction: "DESC",
    parentExpr: "ae.business_id",
    where: (qb) => {
      qb.where("ae.business_id = ANY(:auditReach)", { auditReach: ids });
      if (action) qb.andWhere("ae.action = :auditAction", { auditAction: action });
    },
  };
}
