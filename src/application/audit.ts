import type { EntityManager } from "typeorm";
import { publish } from "../events/bus.js";
import { AuditEvent } from "../modules/audit/audit.entity.js";

export interface AuditInput {
  businessId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/**
 * Writes audit events in the change's own transaction, with `actorUserId` as the actor: they commit
 * with the change or not at all. Every audited change of who reaches what also tells the businesses
 * concerned (their dashboards look again: ACCESS_CHANGED, delivered after the commit).
 */
export async function writeAudit(em: EntityManager, actorUserId: string, events: AuditInput[]): Promise<void> {
  const changed = new Set(events.flatMap((e) => (e.businessId && ACCESS_ACTIONS.test(e.action) ? [e.businessId] : [])));
  for (const businessId of changed) await publish(em, { kind: "ACCESS_CHANGED", businessId });
  for (const e of events) {
    await em.getRepository(AuditEvent).save(
      Object.assign(new AuditEvent(), {
        businessId: e.businessId,
        actorUserId,
        action: e.action,
        targetType: e.targetType,
        targetId: e.targetId,
        before: e.before ?? null,
        after: e.after ?? null,
      }),
    );
  }
}

/** Audit actions that change who reaches what (relationship approved, changed or ended; groups; roles). */
const ACCESS_ACTIONS = /^(relationship\.(approved|updated|ended)|client_group\.(deleted|client_added|client_removed|assignment_changed)|member\.|employee_request\.approved)/;

/** Plain JSON of an entity's own columns, for audit before/after. */
export function snapshot(entity: object, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = (entity as Record<string, unknown>)[f];
    out[f] = v instanceof Date ? v.toISOString() : (v ?? null);
  }
  return out;
}
