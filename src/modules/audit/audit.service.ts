import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/pagination.js";
import { AuditEvent } from "./audit.entity.js";

export interface AuditFilter {
  action?: string | null;
  since?: Date | null;
  until?: Date | null;
}

export function auditList(ctx: Context, filter: AuditFilter): ListSpec<AuditEvent> {
  const { action, since, until } = filter;
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
      if (since) qb.andWhere("ae.created_at >= :auditSince", { auditSince: since });
      if (until) qb.andWhere("ae.created_at < :auditUntil", { auditUntil: until });
    },
  };
}
