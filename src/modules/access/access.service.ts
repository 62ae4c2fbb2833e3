import type { Context } from "../../context.js";
import { roleAllows, actions, type Action } from "../../auth/policy.js";
import { loadScopes, strongestRole, visibilityAllows, type AccessScope, type Grant } from "../../auth/scope.js";
import { Role } from "../../common/enums.js";
import { forbidden, notFound } from "../../common/errors.js";
import { ClientGroup } from "../client-group/client-group.entity.js";
import { programAccountByBn15 } from "../program-account/program-account.service.js";
import { User } from "../user/user.entity.js";
import { AccessVia, VisibilityRule, type AccessGrant, type AccessExplanation, type AccessReviewEntry } from "./access.types.js";

async function toAccessGrant(ctx: Context, g: Grant): Promise<AccessGrant> {
  const p = g.path;
  const visibility: VisibilityRule[] = !g.transactionFilter
    ? [VisibilityRule.ALL_TRANSACTIONS]
    : [
        ...(g.transactionFilter.submittedByProvider ? [VisibilityRule.SUBMITTED_BY_PROVIDER] : []),
        ...(g.transactionFilter.submittedByClient ? [VisibilityRule.SUBMITTED_BY_CLIENT] : []),
        ...(g.transactionFilter.submittedByOthers ? [VisibilityRule.SUBMITTED_BY_OTHERS] : []),
      ];
  // Client groups are the provider's own organisation: shown to the provider's people only.
  const insider = p.kind === "RELATIONSHIP" && ctx.scope.isMember(p.providerBusinessId);
  const group = insider && p.kind === "RELATIONSHIP" && p.clientGroupId ? await ctx.loaders.byId(ClientGroup).load(p.clientGroupId) : null;
  return {
    role: g.role,
    via: p.kind === "BAM" ? AccessVia.BAM : p.kind === "PROGRAM_ROLE" ? AccessVia.PROGRAM_ROLE : AccessVia.RELATIONSHIP,
    programAccountId: g.programAccountId,
    throughBusinessId: p.kind === "RELATIONSHIP" ? p.providerBusinessId : p.businessId,
    relationshipId: p.kind === "RELATIONSHIP" ? p.relationshipId : null,
    relationshipStatus: p.kind === "RELATIONSHIP" ? p.relationshipStatus : null,
    relationshipRole: p.kind === "RELATIONSHIP" ? p.relationshipRole : null,
    clientGroupName: group?.name ?? null,
    assignmentRole: insider && p.kind === "RELATIONSHIP" ? p.assignmentRole : null,
    transactionVisibility: visibility,
  };
}

const allowed = (role: Role | null): Action[] => (role ? actions.filter((a) => roleAllows(role, a)) : []);

/** "Why can I see this?" for an object the viewer can see (anything else is NOT_FOUND). */
export async function explainAccess(ctx: Context, type: string, row: Record<string, unknown>): Promise<AccessExplanation> {
  let grants: Grant[];
  let matched: VisibilityRule | null = null;
  if (type === "Business") {
    grants = ctx.scope.grants.filter((g) => g.businessId === row.id);
  } else if (type === "ProgramAccount") {
    grants = ctx.scope.grantsByProgramAccount.get(row.id as string) ?? [];
  } else if (type === "Transaction") {
    const t = row as { programAccountId: string; submittedByBusinessId: string };
    grants = (ctx.scope.grantsByProgramAccount.get(t.programAccountId) ?? []).filter(
      (g) => !g.transactionFilter || visibilityAllows(g.transactionFilter, t.submittedByBusinessId),
    );
    const first = grants.find((g) => !g.transactionFilter) ?? grants[0];
    if (first) {
      const f = first.transactionFilter;
      matched = !f
        ? VisibilityRule.ALL_TRANSACTIONS
        : t.submittedByBusinessId === f.providerBusinessId
          ? VisibilityRule.SUBMITTED_BY_PROVIDER
          : t.submittedByBusinessId === f.clientBusinessId
            ? VisibilityRule.SUBMITTED_BY_CLIENT
            : VisibilityRule.SUBMITTED_BY_OTHERS;
    }
  } else if (typeof row.programAccountId === "string") {
    grants = ctx.scope.grantsByProgramAccount.get(row.programAccountId) ?? [];
  } else {
    throw forbidden(`Access explanations cover businesses, program accounts and what belongs to them, not ${type}.`);
  }
  const role = type === "Business" ? (ctx.scope.businessRole(row.id as string) ?? strongestRole(grants)) : strongestRole(grants);
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
 * the account's PAM). Everyone who could have a path is scoped with the same code as a request.
 */
export async function reviewProgramAccountAccess(ctx: Context, bn15: string): Promise<AccessReviewEntry[]> {
  const pa = await programAccountByBn15(ctx, bn15);
  if (!ctx.scope.can("MANAGE_PROGRAM_ACCESS", pa.id)) {
    throw forbidden("Only the business's BAM or this program account's PAM can review who has access to it.");
  }
  const candidates: User[] = await ctx.db
    .getRepository(User)
    .createQueryBuilder("u")
    .where(
      `u.id IN (
        SELECT m.user_id FROM business_memberships m WHERE m.status = 'ACTIVE' AND (
          m.business_id = :owner OR m.business_id IN (
            SELECT r.provider_business_id FROM relationships r WHERE r.client_business_id = :owner AND r.status IN ('ACTIVE', 'REVOKED'))))`,
      { owner: pa.businessId },
    )
    .orderBy("u.username", "ASC")
    .getMany();
  const scopes = await loadScopes(ctx.db, candidates, ctx.scope.now);
  const entries: AccessReviewEntry[] = [];
  for (const user of candidates) {
    const scope = scopes.get(user.id) as AccessScope;
    const grants = scope.grantsByProgramAccount.get(pa.id) ?? [];
    if (!grants.length) continue;
    ctx.loaders.byId(User).prime(user.id, user);
    entries.push({ userId: user.id, role: strongestRole(grants)!, grants: await Promise.all(grants.map((g) => toAccessGrant(ctx, g))) });
  }
  return entries;
}
