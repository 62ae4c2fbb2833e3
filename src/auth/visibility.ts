import type { EntityTarget, ObjectLiteral } from "typeorm";
import type { Context } from "../context.js";
import { AuditEvent } from "../modules/audit/audit.entity.js";
import { EmployeeAccessRequest } from "../modules/access-request/access-request.entity.js";
import { Business } from "../modules/business/business.entity.js";
import { ClientGroup, ClientGroupAssignment } from "../modules/client-group/client-group.entity.js";
import { BusinessMembership, ProgramRoleAssignment } from "../modules/membership/membership.entity.js";
import { Notification } from "../modules/notification/notification.entity.js";
import { OutboxEmail } from "../modules/notification/email.entity.js";
import { Payment } from "../modules/payment/payment.entity.js";
import { ProgramAccount } from "../modules/program-account/program-account.entity.js";
import { BusinessRelationship } from "../modules/relationship/relationship.entity.js";
import { RulingRequest } from "../modules/ruling/ruling.entity.js";
import { FinancialSecurity } from "../modules/security/security.entity.js";
import { Statement } from "../modules/statement/statement.entity.js";
import { Transaction, TransactionLine, TransactionVersion } from "../modules/transaction/transaction.entity.js";
import { User } from "../modules/user/user.entity.js";

/**
 * Object-level visibility: may the viewer see this object at all? The shield's type-wide rules
 * and `node(id:)` both ask here, and each answer matches the SQL filter of the lists that return
 * that type (see the *.service.ts list specs). Mostly synchronous over the request's scope; the few
 * that need a parent row use the request's loaders (batched, so no N+1).
 */
type Check<T> = (ctx: Context, obj: T) => boolean | Promise<boolean>;

async function transactionOf(ctx: Context, transactionId: string) {
  return ctx.loaders.byId(Transaction).load(transactionId);
}

async function userSharesManagedBusiness(ctx: Context, userId: string): Promise<boolean> {
  const managed = new Set(ctx.scope.managedBusinessIds("VIEW_MEMBERS"));
  if (managed.size === 0) return false;
  const businessIds = await ctx.loaders
    .custom<string[]>("user.businessIds", async (userIds) => {
      const rows: { user_id: string; business_id: string }[] = await ctx.db.query(
        `SELECT user_id, business_id FROM business_memberships WHERE user_id = ANY($1) AND status = 'ACTIVE'`,
        [[...userIds]],
      );
      return userIds.map((u) => rows.filter((r) => r.user_id === u).map((r) => r.business_id));
    })
    .load(userId);
  return businessIds.some((b) => managed.has(b));
}

// The provider's BAM sees its groups, deleted ones included (their names stay taken); an employee
// sees the live groups they are assigned to.
const canSeeClientGroup = (ctx: Context, g: ClientGroup) =>
  ctx.scope.isBam(g.providerBusinessId) || (g.deletedAt === null && ctx.scope.clientGroupIds.includes(g.id));

const isSelf = (ctx: Context, userId: string) => ctx.viewer !== null && ctx.viewer.id === userId;

export const checks = {
  User: (ctx: Context, u: User) => isSelf(ctx, u.id) || userSharesManagedBusiness(ctx, u.id),
  Business: (ctx: Context, b: Business) => ctx.scope.canViewBusinessProfile(b.id),
  ProgramAccount: (ctx: Context, pa: ProgramAccount) => ctx.scope.can("VIEW_PROGRAM_ACCOUNT", pa.id),
  Transaction: (ctx: Context, t: Transaction) => ctx.scope.canViewTransaction(t),
  TransactionVersion: async (ctx: Context, v: TransactionVersion) => {
    const t = await transactionOf(ctx, v.transactionId);
    return t !== null && ctx.scope.canViewTransaction(t, v.submittedByBusinessId);
  },
  TransactionLine: async (ctx: Context, l: TransactionLine) => {
    const v = await ctx.loaders.byId(TransactionVersion).load(l.versionId);
    const t = v && (await transactionOf(ctx, v.transactionId));
    return Boolean(t) && ctx.scope.canViewTransaction(t!, v!.submittedByBusinessId);
  },
  Statement: (ctx: Context, s: Statement) => ctx.scope.can("VIEW_STATEMENTS", s.programAccountId),
  Payment: (ctx: Context, p: Payment) => ctx.scope.can("VIEW_PAYMENTS", p.programAccountId),
  FinancialSecurity: (ctx: Context, fs: FinancialSecurity) => ctx.scope.can("VIEW_SECURITY", fs.programAccountId),
  RulingRequest: (ctx: Context, r: RulingRequest) => ctx.scope.can("VIEW_RULINGS", r.programAccountId),
  // Managers also see removed memberships by id (the business's own history); lists show active ones.
  BusinessMembership: (ctx: Context, m: BusinessMembership) => isSelf(ctx, m.userId) || ctx.scope.canOnBusiness("VIEW_MEMBERS", m.businessId),
  // A role on an account: seen by its holder, and by managers who can see that account.
  ProgramRoleAssignment: (ctx: Context, r: ProgramRoleAssignment) =>
    isSelf(ctx, r.userId) ||
    (ctx.scope.can("VIEW_PROGRAM_ACCOUNT", r.programAccountId) &&
      ctx.scope.canOnBusiness("VIEW_MEMBERS", ctx.scope.programAccounts.get(r.programAccountId)!.businessId)),
  EmployeeAccessRequest: (ctx: Context, r: EmployeeAccessRequest) =>
    isSelf(ctx, r.userId) || ctx.scope.canOnBusiness("MANAGE_PROGRAM_ACCESS", r.businessId),
  Relationship: async (ctx: Context, r: BusinessRelationship): Promise<boolean> => {
    // The BAMs of either party see it; a client's PAM sees those that cover an account they manage.
    if (ctx.scope.isBam(r.clientBusinessId) || ctx.scope.isBam(r.providerBusinessId)) return true;
    if (!ctx.scope.canOnBusiness("VIEW_RELATIONSHIP_SETTINGS", r.clientBusinessId)) return false;
    if (r.level === "BUSINESS") return true;
    const covered = await ctx.loaders
      .custom<string[]>("relationship.accountIds", async (ids) => {
        const rows: { relationship_id: string; program_account_id: string }[] = await ctx.db.query(
          `SELECT relationship_id, program_account_id FROM relationship_program_accounts WHERE relationship_id = ANY($1)`,
          [[...ids]],
        );
        return ids.map((id) => rows.filter((x) => x.relationship_id === id).map((x) => x.program_account_id));
      })
      .load(r.id);
    return covered.some((pa) => ctx.scope.can("MANAGE_PROGRAM_ACCESS", pa));
  },
  ClientGroup: (ctx: Context, g: ClientGroup) => canSeeClientGroup(ctx, g),
  ClientGroupAssignment: async (ctx: Context, a: ClientGroupAssignment): Promise<boolean> => {
    const g = await ctx.loaders.byId(ClientGroup).load(a.groupId);
    return g !== null && canSeeClientGroup(ctx, g);
  },
  Notification: (ctx: Context, n: Notification) => isSelf(ctx, n.userId),
  Email: (ctx: Context, e: OutboxEmail) => isSelf(ctx, e.userId),
  AuditEvent: (ctx: Context, e: AuditEvent) => e.businessId !== null && ctx.scope.canOnBusiness("VIEW_AUDIT", e.businessId),
} satisfies Record<string, Check<never>>;

export type NodeTypeName = keyof typeof checks;

/** Entity behind each Node type, for `node(id:)`. */
export const nodeEntities: Record<string, EntityTarget<ObjectLiteral & { id: string }>> = {
  User,
  Business,
  ProgramAccount,
  Transaction,
  TransactionVersion,
  TransactionLine,
  Statement,
  Payment,
  FinancialSecurity,
  RulingRequest,
  BusinessMembership,
  ProgramRoleAssignment,
  EmployeeAccessRequest,
  Relationship: BusinessRelationship,
  ClientGroup,
  ClientGroupAssignment,
  Notification,
  Email: OutboxEmail,
  AuditEvent,
} satisfies Record<NodeTypeName, unknown>;

export async function canSee(ctx: Context, type: string, obj: unknown): Promise<boolean> {
  const check = (checks as Record<string, Check<unknown>>)[type];
  return check ? Boolean(await check(ctx, obj)) : false;
}
