import type { EntityManager } from "typeorm";
import { publish } from "../events/bus.js";
import { DRIVEN_BY_IDS, query, sql } from "../db/sql.js";

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
  if (events.length === 0) return;
  // One statement however many events, its plan kept: a change's last round trip before COMMIT
  // (a declaration's under its account's ledger lock), with none of an entity's bookkeeping.
  const column = <K extends keyof AuditInput>(k: K) => events.map((e) => e[k] ?? null);
  const json = (k: "before" | "after") => events.map((e) => (e[k] == null ? null : JSON.stringify(e[k])));
  await query(
    em,
    sql`INSERT INTO audit_events (business_id, actor_user_id, action, target_type, target_id, before, after)
        SELECT e.business_id, ${actorUserId}::uuid, e.action, e.target_type, e.target_id, e.before, e.after
          FROM unnest(${column("businessId")}::uuid[], ${column("action")}::varchar[], ${column("targetType")}::varchar[], ${column("targetId")}::uuid[],
                      ${json("before")}::jsonb[], ${json("after")}::jsonb[]) AS e(business_id, action, target_type, target_id, before, after)`,
    { ...DRIVEN_BY_IDS, label: "audit events" },
  );
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
