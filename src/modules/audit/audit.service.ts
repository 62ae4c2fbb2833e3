import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/lists.js";
import { sql, uuids } from "../../db/sql.js";
import { AuditEvent } from "./audit.entity.js";

export interface AuditFilter {
  action?: string | null;
  since?: Date | null;
  until?: Date | null;
}

export function auditList(ctx: Context, filter: AuditFilter): ListSpec<AuditEvent> {
  const { action, since, until } = filter;
  const ids = ctx.access.managedBusinessIds("VIEW_AUDIT");
  return {
    entity: AuditEvent,
    from: sql`audit_events ae`,
    alias: "ae",
    sort: { expr: "ae.created_at", type: "timestamptz" },
    direction: "DESC",
    parent: "ae.business_id",
    where: sql`ae.business_id = ANY(${uuids(ids)})${action ? sql` AND ae.action = ${action}` : sql``}${
      since ? sql` AND ae.created_at >= ${since}` : sql``
    }${until ? sql` AND ae.created_at < ${until}` : sql``}`,
    visibleAs: "AuditEvent",
  };
}
