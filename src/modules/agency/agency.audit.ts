import type { EntityManager } from "typeorm";
import type { Context } from "../../context.js";
import { audit } from "../../common/mutation.js";

/**
 * Every agency action is recorded in the audit trail of each business it concerns (for a ruling:
 * the importer whose account it is on and, when a provider submitted it, that provider), with the
 * officer as the actor and the work item's state before and after, in the action's own transaction.
 * The adjustment review and statement issuing of the money work record theirs the same way.
 */
export async function auditAgencyAction(
  em: EntityManager,
  ctx: Context,
  e: { businessIds: Iterable<string>; action: string; targetType: string; targetId: string; before: Record<string, unknown>; after: Record<string, unknown> },
): Promise<void> {
  const businesses = [...new Set(e.businessIds)];
  if (businesses.length === 0) throw new Error(`auditAgencyAction(${e.action}): an agency action concerns at least one business`);
  await audit(em, ctx, ...businesses.map((businessId) => ({ businessId, action: e.action, targetType: e.targetType, targetId: e.targetId, before: e.before, after: e.after })));
}
