import type { Context } from "../../context.js";
import { roleAllows, actions, greaterRole, type Action } from "../../auth/policy.js";
import { grantLetsThrough, grantMatchedRule, grantsSql, type GrantRow } from "../../auth/grants.js";
import { Role } from "../../common/enums.js";
import { forbidden } from "../../common/errors.js";
import { query, sql } from "../../db/sql.js";
import { ClientGroup } from "../client-group/client-group.entity.js";
import { programAccountByBn15 } from "../program-account/program-account.service.js";
import { User } from "../user/user.entity.js";
import { AccessVia, VisibilityRule, type AccessGrant, type AccessExplanation, type AccessReviewEntry } from "./access.types.js";

async function toAccessGrant(ctx: Context, g: GrantRow): Promise<AccessGrant> {
  const visibility: VisibilityRule[] =
    g.see_provider === null
      ? [VisibilityRule.ALL_TRANSACTIONS]
      : [
          ...(g.see_provider ? [VisibilityRule.SUBMITTED_BY_PROVIDER] : []),
          ...(g.see_client ? [VisibilityRule.SUBMITTED_BY_CLIENT] : []),
          ...(g.see_others ? [VisibilityRule.SUBMITTED_BY_OTHERS] : []),
        ];
  const relationship = g.via === "RELATIONSHIP";
  // Client groups are the provider's own organisation: shown to the provider's people only.
  const insider = relationship && ctx.access.isMember(g.provider_business_id!);
  const group = insider && g.client_group_id ? await ctx.loaders.byId(ClientGroup).load(g.client_group_id) : null;
  return {
    role: g.role as Role,
    via: g.via === "BAM" ? AccessVia.BAM : g.via === "PROGRAM_ROLE" ? AccessVia.PROGRAM_ROLE : AccessVia.RELATIONSHIP,
    programAccountId: g.program_account_id,
    throughBusinessId: relationship ? g.provider_business_id! : g.business_id,
    relationshipId: g.relationship_id,
    relationshipStatus: (g.relationship_status as AccessGrant["relationshipStatus"]) ?? null,
    relationshipRole: (g.relationship_role as Role | null) ?? null,
    clientGroupName: group?.name ?? null,
    assignmentRole: insider ? ((g.assignment_role as Role | null) ?? null) : null,
    transactionVisibility: visibility,
  };
}

const allowed = (role: Role | null): Action[] => (role ? actions.filter((a) => roleAllows(role, a)) : []);
const strongest = (grants: GrantRow[]): Role | null => (grants.length ? grants.map((g) => g.role as Role).reduce(greaterRole) : null);
const rulePreference = (g: GrantRow & { lets_through: boolean }) => (g.see_provider === null ? 0 : 1);

/** "Why can I see this?" for an object the viewer can see (anything else is NOT_FOUND). */
export async function explainAccess(ctx: Context, type: string, row: Record<string, unknown>): Promise<AccessExplanation> {
  const viewer = ctx.viewer!.id;
  const now = ctx.access.now;
  let grants: GrantRow[];
  let matched: VisibilityRule | null = null;
  if (type === "Business") {
    grants = await query<GrantRow>(ctx.db, sql`${grantsSql({ now, user: viewer, business: sql`${row.id as string}::uuid` })}`);
  } else if (type === "RulingCase" || type === "AdjustmentCase") {
    throw forbidden("Agency work items are reached through your agency officer role (see viewer.roles), not through a business's access.");
  } else if (type === "Transaction" || type === "RulingRequest") {
    // Both are judged on the business that submitted them.
    const action = type === "Transaction" ? "VIEW_TRANSACTIONS" : "VIEW_RULINGS";
    const t = row as { programAccountId: string; submittedByBusinessId: string };
    const rows = await query<GrantRow & { lets_through: boolean; matched_rule: VisibilityRule }>(
      ctx.db,
      sql`SELECT g.*, ${grantLetsThrough("g", sql`${t.submittedByBusinessId}::uuid`)} AS lets_through,
                 ${grantMatchedRule("g", sql`${t.submittedByBusinessId}::uuid`)} AS matched_rule
            FROM (${grantsSql({ now, user: viewer, account: sql`${t.programAccountId}::uuid` })}) g`,
    );
    const through = rows.filter((g) => g.lets_through && roleAllows(g.role as Role, action));
    grants = through;
    matched = [...through].sort((a, b) => rulePreference(a) - rulePreference(b))[0]?.matched_rule ?? null;
  } else if (type === "ProgramAccount" || typeof row.programAccountId === "string") {
    const account = (type === "ProgramAccount" ? row.id : row.programAccountId) as string;
    grants = await query<GrantRow>(ctx.db, sql`${grantsSql({ now, user: viewer, account: sql`${account}::uuid` })}`);
  } else {
    throw forbidden(`Access explanations cover businesses, program accounts and what belongs to them, not ${type}.`);
  }
  const role = type === "Business" ? (ctx.access.businessRole(row.id as string) ?? strongest(grants)) : strongest(grants);
  return {
    targetType: type,
    effectiveRole: role,
    allowedActions: allowed(role),
    grants: await Promise.all(grants.map((g) => toAccessGrant(ctx, g))),
    matchedVisibilityRule: matched,
  };
}

/**
 * "Who can reach this program account, through what, with which role": for its managers (the BAM,
 * the account's PAM). One query over the same grants relation that decides every request.
 */
export async function reviewProgramAccountAccess(ctx: Context, bn15: string): Promise<AccessReviewEntry[]> {
  const pa = await programAccountByBn15(ctx, bn15);
  if (!ctx.access.ownCan("MANAGE_PROGRAM_ACCESS", pa.id)) {
    throw forbidden("Only the business's BAM or this program account's PAM can review who has access to it.");
  }
  const rows = await query<GrantRow>(ctx.db, sql`${grantsSql({ now: ctx.access.now, account: sql`${pa.id}::uuid` })}`);
  const byUser = new Map<string, GrantRow[]>();
  for (const g of rows) byUser.set(g.user_id, [...(byUser.get(g.user_id) ?? []), g]);
  const users = await Promise.all([...byUser.keys()].map((id) => ctx.loaders.byId(User).load(id)));
  const entries: AccessReviewEntry[] = [];
  for (const user of users.filter((u): u is User => u !== null).sort((a, b) => a.username.localeCompare(b.username))) {
    const grants = byUser.get(user.id)!;
    entries.push({ userId: user.id, role: strongest(grants)!, grants: await Promise.all(grants.map((g) => toAccessGrant(ctx, g))) });
  }
  return entries;
}
