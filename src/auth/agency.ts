import { Role } from "../common/enums.js";
import { forbidden } from "../common/errors.js";
import { raw, sql, type Sql } from "../db/sql.js";
import type { Access } from "./access.js";
import { roleAllows, rolesAllowing, type Action } from "./policy.js";

/**
 * The agency's side of the policy. A platform role (`users.platform_role`, held by agency staff) is
 * not a path of the grants relation: it reaches no business, program account, transaction, statement
 * or payment. It reaches the agency's **work items** only: what the agency decides (ruling requests
 * today; adjustments under review and cycle statements with the money work), each presented to
 * officers as its own GraphQL type that carries only what the work needs (see
 * modules/agency/agency.queue.ts).
 *
 * As with the grants, the rule is SQL (the role x action table of policy.ts read as role lists), used
 * by the queue lists and by the per-object checks of `node(id:)` and admission (visibility.ts). The
 * agency's mutations declare their authority in authority.ts, checked again inside each transaction
 * on the officer's locked row (application/mutation.ts), so that a role taken away a moment ago no
 * longer acts.
 */

/** SQL: the platform role in `column` (of a users row) allows `action`. */
export function platformRoleAllows(column: string, action: Action): Sql {
  return sql`coalesce(${raw(column)}::text = ANY(${rolesAllowing(action)}::text[]), false)`;
}

/** SQL: the person `user` (a value or a column) holds a platform role that allows `action`. */
export function agencyAllows(user: Sql, action: Action): Sql {
  return sql`EXISTS (SELECT 1 FROM users au WHERE au.id = ${user} AND ${platformRoleAllows("au.platform_role", action)})`;
}

/**
 * SQL: the viewer may see ruling requests as agency work items. Every ruling request
 * sent to the agency is work for its officers, whatever its status (a withdrawn one stays on record
 * for the officer who held it); nothing about the requester's business is reached through it.
 */
export function agencyRulingCondition(access: Access): Sql {
  return access.viewer ? agencyAllows(sql`${access.viewer.id}::uuid`, "DECIDE_RULINGS") : sql`FALSE`;
}

/**
 * SQL: the viewer may see the transaction version aliased `v` as an agency work item: an adjustment
 * (under review or decided), for officers whose role reviews adjustments. Nothing else of the
 * declaration's account or business is reached through it.
 */
export function agencyAdjustmentCondition(access: Access, v: string): Sql {
  if (!access.viewer) return sql`FALSE`;
  return sql`${raw(v)}.kind = 'ADJUSTMENT' AND ${agencyAllows(sql`${access.viewer.id}::uuid`, "REVIEW_ADJUSTMENTS")}`;
}

/**
 * SQL: the viewer may see penalties (assessed by officers whose role assesses them or decides their
 * disputes) and refund requests as agency work items. Nothing else of the account is reached through them.
 */
export function agencyPenaltyCondition(access: Access): Sql {
  if (!access.viewer) return sql`FALSE`;
  const me = sql`${access.viewer.id}::uuid`;
  return sql`(${agencyAllows(me, "ASSESS_PENALTIES")} OR ${agencyAllows(me, "DECIDE_PENALTY_DISPUTES")})`;
}

export function agencyRefundCondition(access: Access): Sql {
  return access.viewer ? agencyAllows(sql`${access.viewer.id}::uuid`, "DECIDE_REFUNDS") : sql`FALSE`;
}

/** In memory, for admission and early refusals: the request's viewer holds a platform role allowing `action`. */
export function agencyCan(access: Access, action: Action): boolean {
  return access.isAgencyOfficer && roleAllows(Role.AGENCY_OFFICER, action);
}

/** The refusal non-officers get from agency queries and mutations (they see the agency's work nowhere). */
export const notAgency = () => forbidden("Only agency officers work on the agency's queues.");
