import { groupBy } from "../common/collections.js";
import type { Context } from "../context.js";
import { DRIVEN_BY_IDS, query, sql, uuids, type Sql } from "../db/sql.js";
import type { Access } from "./access.js";
import { agencyAdjustmentCondition, agencyPenaltyCondition, agencyRefundCondition, agencyRulingCondition } from "./agency.js";
import {
  accountCondition,
  clientGroupCondition,
  employeeRequestCondition,
  relationshipCondition,
  rulingCondition,
  transactionCondition,
} from "./conditions.js";
import { paymentRules, postingRules, wholeAccountMoneyRules } from "./money.js";

/**
 * Object-level visibility: may the viewer see this object at all? Asked by the permission layer
 * whenever an object enters a response (see permissions.ts), by `node(id:)` and by mutations before
 * they touch a target. Each answer is the SQL condition of the lists that return that type
 * (conditions.ts), asked for the object at hand, or the same rule read from the person's Access in
 * memory where it needs no rows: objects a visibility-filtered list returned are known visible
 * already; the others are checked in one batched query per type and request. The policy speaks in
 * tables and ids: objects are described by the columns the rules read.
 */
type Check<T> = (ctx: Context, obj: T) => boolean | Promise<boolean>;

interface Identified {
  id: string;
}
interface OnAccount extends Identified {
  programAccountId: string;
}

/** Rows of `table` (by id) that satisfy the visibility condition: one query per type per request. */
function rowVisible(ctx: Context, type: string, id: string, statement: (access: Access, ids: Sql) => Sql): boolean | Promise<boolean> {
  if (ctx.access.isKnownVisible(type, id)) return true;
  const access = ctx.access;
  return ctx.loaders
    .custom<boolean>(`visible.${type}`, async (ids) => {
      // Driven by the ids at hand (an index probe each, then the rule): the plan is kept. Planned
      // afresh, the rule's unions cost more to plan than to run (3-5 ms for one new declaration).
      // One object (a mutation's payload, node(id:)) is asked as a one-element array, whose length
      // the kept plan knows: for a list of unknown length PostgreSQL estimates several, finds the
      // kept plan dearer than one made for the values, and plans every time.
      const list = ids.length === 1 ? sql`ARRAY[${ids[0]}]::uuid[]` : uuids(ids);
      const rows = await query<{ id: string }>(ctx.db, statement(access, list), DRIVEN_BY_IDS);
      const seen = new Set(rows.map((r) => r.id));
      return ids.map((i) => seen.has(i));
    })
    .load(id);
}

async function userSharesManagedBusiness(ctx: Context, userId: string): Promise<boolean> {
  const managed = new Set(ctx.access.managedBusinessIds("VIEW_MEMBERS"));
  if (managed.size === 0) return false;
  const businessIds = await ctx.loaders
    .custom<string[]>("user.businessIds", async (userIds) => {
      const rows = await query<{ user_id: string; business_id: string }>(
        ctx.db,
        sql`SELECT user_id, business_id FROM business_memberships WHERE user_id = ANY(${uuids(userIds)}) AND status = 'ACTIVE'`,
      );
      const byUser = groupBy(rows, (r) => r.user_id);
      return userIds.map((u) => (byUser.get(u) ?? []).map((r) => r.business_id));
    })
    .load(userId);
  return businessIds.some((b) => managed.has(b));
}

async function businessOfAccount(ctx: Context, programAccountId: string): Promise<string | null> {
  return ctx.loaders
    .custom<string | null>("account.businessId", async (ids) => {
      const rows = await query<{ id: string; business_id: string }>(ctx.db, sql`SELECT id, business_id FROM program_accounts WHERE id = ANY(${uuids(ids)})`);
      const byId = new Map(rows.map((r) => [r.id, r.business_id]));
      return ids.map((i) => byId.get(i) ?? null);
    })
    .load(programAccountId);
}

const isSelf = (ctx: Context, userId: string) => ctx.viewer !== null && ctx.viewer.id === userId;
const knownVisible = (ctx: Context, type: string, id: string) => ctx.access.isKnownVisible(type, id);

export const checks = {
  User: (ctx: Context, u: Identified) => isSelf(ctx, u.id) || userSharesManagedBusiness(ctx, u.id),
  Business: (ctx: Context, b: Identified) => knownVisible(ctx, "Business", b.id) || ctx.access.canViewBusinessProfile(b.id),
  ProgramAccount: (ctx: Context, pa: Identified) => knownVisible(ctx, "ProgramAccount", pa.id) || ctx.access.can("VIEW_PROGRAM_ACCOUNT", pa.id),
  Transaction: (ctx: Context, t: Identified) =>
    rowVisible(ctx, "Transaction", t.id, (access, ids) => sql`SELECT t.id FROM transactions t WHERE t.id = ANY(${ids}) AND ${transactionCondition(access, "t")}`),
  TransactionVersion: (ctx: Context, v: Identified) =>
    rowVisible(
      ctx,
      "TransactionVersion",
      v.id,
      (access, ids) => sql`SELECT v.id FROM transaction_versions v JOIN transactions t ON t.id = v.transaction_id
        WHERE v.id = ANY(${ids}) AND ${transactionCondition(access, "t", { version: "v" })}`,
    ),
  TransactionLine: (ctx: Context, l: Identified) =>
    rowVisible(
      ctx,
      "TransactionLine",
      l.id,
      (access, ids) => sql`SELECT l.id FROM transaction_lines l JOIN transaction_versions v ON v.id = l.version_id
        JOIN transactions t ON t.id = v.transaction_id WHERE l.id = ANY(${ids}) AND ${transactionCondition(access, "t", { version: "v" })}`,
    ),
  Statement: (ctx: Context, s: OnAccount) => knownVisible(ctx, "Statement", s.id) || ctx.access.can("VIEW_STATEMENTS", s.programAccountId),
  // A restricted provider sees only the payments its business made (money.ts).
  Payment: (ctx: Context, p: Identified) =>
    rowVisible(ctx, "Payment", p.id, (access, ids) => sql`SELECT p.id FROM payments p WHERE p.id = ANY(${ids})
      AND ${accountCondition(access, "VIEW_PAYMENTS", "p.program_account_id", (g) => paymentRules(g, "p"))}`),
  StatementPosting: (ctx: Context, sp: Identified) =>
    rowVisible(ctx, "StatementPosting", sp.id, (access, ids) => sql`SELECT sp.id FROM statement_postings sp WHERE sp.id = ANY(${ids})
      AND ${accountCondition(access, "VIEW_STATEMENTS", "sp.program_account_id", (g) => postingRules(g, "sp"))}`),
  // Penalties, their disputes and refund requests: seen like the whole account's payments (money.ts).
  Penalty: (ctx: Context, p: Identified) =>
    rowVisible(ctx, "Penalty", p.id, (access, ids) => sql`SELECT pn.id FROM penalties pn WHERE pn.id = ANY(${ids})
      AND ${accountCondition(access, "VIEW_PAYMENTS", "pn.program_account_id", wholeAccountMoneyRules)}`),
  PenaltyDispute: (ctx: Context, d: Identified) =>
    rowVisible(ctx, "PenaltyDispute", d.id, (access, ids) => sql`SELECT pd.id FROM penalty_disputes pd JOIN penalties pn ON pn.id = pd.penalty_id
      WHERE pd.id = ANY(${ids}) AND ${accountCondition(access, "VIEW_PAYMENTS", "pn.program_account_id", wholeAccountMoneyRules)}`),
  RefundRequest: (ctx: Context, r: Identified) =>
    rowVisible(ctx, "RefundRequest", r.id, (access, ids) => sql`SELECT rq.id FROM refund_requests rq WHERE rq.id = ANY(${ids})
      AND ${accountCondition(access, "VIEW_PAYMENTS", "rq.program_account_id", wholeAccountMoneyRules)}`),
  // The same rows as agency work items: for agency officers only (agency.ts).
  PenaltyCase: (ctx: Context, p: Identified) =>
    ctx.access.isAgencyOfficer &&
    rowVisible(ctx, "PenaltyCase", p.id, (access, ids) => sql`SELECT pn.id FROM penalties pn WHERE pn.id = ANY(${ids}) AND ${agencyPenaltyCondition(access)}`),
  RefundCase: (ctx: Context, r: Identified) =>
    ctx.access.isAgencyOfficer &&
    rowVisible(ctx, "RefundCase", r.id, (access, ids) => sql`SELECT rq.id FROM refund_requests rq WHERE rq.id = ANY(${ids}) AND ${agencyRefundCondition(access)}`),
  FinancialSecurity: (ctx: Context, fs: OnAccount) => knownVisible(ctx, "FinancialSecurity", fs.id) || ctx.access.can("VIEW_SECURITY", fs.programAccountId),
  // Judged on the business that submitted it, like a transaction (conditions.ts, rulingCondition).
  RulingRequest: (ctx: Context, r: Identified) =>
    rowVisible(ctx, "RulingRequest", r.id, (access, ids) => sql`SELECT rr.id FROM ruling_requests rr WHERE rr.id = ANY(${ids}) AND ${rulingCondition(access, "rr")}`),
  // The same row as an agency work item: for agency officers only (agency.ts).
  RulingCase: (ctx: Context, r: Identified) =>
    ctx.access.isAgencyOfficer &&
    rowVisible(ctx, "RulingCase", r.id, (access, ids) => sql`SELECT rr.id FROM ruling_requests rr WHERE rr.id = ANY(${ids}) AND ${agencyRulingCondition(access)}`),
  // An adjustment (a transaction version) as an agency work item: for agency officers only (agency.ts).
  AdjustmentCase: (ctx: Context, v: Identified) =>
    ctx.access.isAgencyOfficer &&
    rowVisible(ctx, "AdjustmentCase", v.id, (access, ids) => sql`SELECT v.id FROM transaction_versions v WHERE v.id = ANY(${ids}) AND ${agencyAdjustmentCondition(access, "v")}`),
  // Managers also see removed memberships by id (the business's own history); lists show active ones.
  BusinessMembership: (ctx: Context, m: { userId: string; businessId: string }) =>
    isSelf(ctx, m.userId) || ctx.access.canOnBusiness("VIEW_MEMBERS", m.businessId),
  // A role on an account: seen by its holder, and by managers who can see that account.
  ProgramRoleAssignment: async (ctx: Context, r: { userId: string; programAccountId: string }) => {
    if (isSelf(ctx, r.userId)) return true;
    const businessId = await businessOfAccount(ctx, r.programAccountId);
    return businessId !== null && ctx.access.canOnBusiness("VIEW_MEMBERS", businessId) && (await ctx.access.can("VIEW_PROGRAM_ACCOUNT", r.programAccountId));
  },
  // Its requester, and those who may decide it (conditions.ts, employeeRequestCondition).
  EmployeeAccessRequest: (ctx: Context, r: Identified & { userId: string }) =>
    isSelf(ctx, r.userId) ||
    rowVisible(ctx, "EmployeeAccessRequest", r.id, (access, ids) =>
      sql`SELECT ar.id FROM employee_access_requests ar WHERE ar.id = ANY(${ids}) AND ${employeeRequestCondition(access, "ar")}`),
  // The managers of both parties (conditions.ts, relationshipCondition): the rule of the relationship lists.
  Relationship: (ctx: Context, r: Identified) =>
    rowVisible(ctx, "Relationship", r.id, (access, ids) => sql`SELECT r.id FROM relationships r WHERE r.id = ANY(${ids}) AND ${relationshipCondition(access, "r")}`),
  // The provider's BAM, and the employees assigned to a live group (conditions.ts, clientGroupCondition).
  ClientGroup: (ctx: Context, g: Identified) =>
    rowVisible(ctx, "ClientGroup", g.id, (access, ids) => sql`SELECT g.id FROM client_groups g WHERE g.id = ANY(${ids}) AND ${clientGroupCondition(access, "g")}`),
  ClientGroupAssignment: (ctx: Context, a: Identified) =>
    rowVisible(
      ctx,
      "ClientGroupAssignment",
      a.id,
      (access, ids) => sql`SELECT a.id FROM client_group_assignments a JOIN client_groups g ON g.id = a.group_id WHERE a.id = ANY(${ids}) AND ${clientGroupCondition(access, "g")}`,
    ),
  Notification: (ctx: Context, n: { userId: string }) => isSelf(ctx, n.userId),
  Email: (ctx: Context, e: { userId: string }) => isSelf(ctx, e.userId),
  AuditEvent: (ctx: Context, e: { businessId: string | null }) => e.businessId !== null && ctx.access.canOnBusiness("VIEW_AUDIT", e.businessId),
} satisfies Record<string, Check<never>>;

export type NodeTypeName = keyof typeof checks;

/**
 * A ruling request's attachment is seen with its request: by those who see the request, and by
 * agency officers through its work item (not a Node: it is reached only through one of them).
 */
export async function rulingAttachmentVisible(ctx: Context, a: { rulingRequestId: string }): Promise<boolean> {
  const ruling = { id: a.rulingRequestId };
  // An officer's view first for officers (they hold no grants), the businesses' view for everyone else.
  const [first, second] = ctx.access.isAgencyOfficer ? [checks.RulingCase, checks.RulingRequest] : [checks.RulingRequest, checks.RulingCase];
  return (await first(ctx, ruling)) || (await second(ctx, ruling));
}

export async function canSee(ctx: Context, type: string, obj: unknown): Promise<boolean> {
  const check = (checks as Record<string, Check<unknown>>)[type];
  return check ? Boolean(await check(ctx, obj)) : false;
}
