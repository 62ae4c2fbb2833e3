import { allow, rule, shield, type IRule as ShieldRuleBase } from "graphql-shield";
import type { GraphQLSchema } from "graphql";
import { isObjectType } from "graphql";
import type { Context } from "../context.js";
import { appError, forbidden, unauthenticated } from "../common/errors.js";
import type { Action } from "./policy.js";
import { checks } from "./visibility.js";

/**
 * The field-level policy. Every field of every object type is listed here with its rule; the
 * fallback is deny, and test/permissions.test.ts fails when a field has no entry. A diff of this
 * file is a permission change: review it as one.
 *
 * Rules are cheap: synchronous over the scope built once per request, except the few visibility
 * checks that need a parent row through the request's (batched) loaders.
 */
/** A rule of ours or one of the shield's constants (allow). */
type IRule = ShieldRuleBase | typeof allow;

type Check = (ctx: Context, parent: never) => boolean | Promise<boolean>;

function guard(name: string, check: Check, opts: { perObject?: boolean } = {}): IRule {
  return rule(name, { cache: "no_cache" })((parent: unknown, _args: unknown, ctx: Context) => {
    if (!ctx.viewer) return ctx.subject ? unauthenticated(NO_PROFILE) : unauthenticated();
    const decide = (ok: boolean) => (ok ? true : forbidden(`You do not have access to this (${name}).`));
    if (!opts.perObject || typeof parent !== "object" || parent === null) {
      const result = check(ctx, parent as never);
      return typeof result === "boolean" ? decide(result) : result.then(decide);
    }
    // A type-wide rule asks the same question for every field of an object: decide once per
    // object per request (the shield's own "strict" cache would hash the whole parent each time).
    let memo = ctx.decisions.get(name);
    if (!memo) ctx.decisions.set(name, (memo = new WeakMap()));
    let decision = memo.get(parent);
    if (decision === undefined) memo.set(parent, (decision = check(ctx, parent as never)));
    return typeof decision === "boolean" ? decide(decision) : decision.then(decide);
  });
}

const NO_PROFILE = "You are signed in but have no portal profile yet: create it with createProfile.";

const isAuthenticated = guard("signed in", () => true);

/** Signed in at the identity provider, with no portal profile yet: may create one, nothing else. */
const withoutProfile = rule("signed in without a profile", { cache: "no_cache" })((_parent: unknown, _args: unknown, ctx: Context) => {
  if (ctx.viewer) return appError("CONFLICT", "You already have a portal profile.");
  return ctx.subject ? true : unauthenticated();
});
const isSelf = guard("own profile", (ctx, u: { id: string }) => ctx.viewer!.id === u.id);

/** The type-wide visibility check from visibility.ts, as a rule. */
const visible = Object.fromEntries(
  Object.entries(checks).map(([type, check]) => [type, guard(`visible ${type}`, check as Check, { perObject: true })]),
) as Record<keyof typeof checks, IRule>;

const onAccount = (action: Action, field = "programAccountId") =>
  guard(action, (ctx, p: Record<string, string>) => ctx.scope.can(action, field === "id" ? p.id! : p[field]!));
const onBusiness = (action: Action) => guard(action, (ctx, b: { id: string }) => ctx.scope.canOnBusiness(action, b.id));

/** Give `r` to each listed field. */
const each = (r: IRule, fields: string[]): Record<string, IRule> => Object.fromEntries(fields.map((f) => [f, r]));

const nodeFields = ["id", "createdAt"];

export const permissionMap: Record<string, Record<string, IRule>> = {
  Query: {
    // Anyone may ask who they are (anonymous callers get user: null).
    viewer: allow,
    ...each(isAuthenticated, ["node", "business", "businesses", "programAccount", "transaction", "transactions", "relationships"]),
    // Both authorize inside: the explanation covers only what you can see; the review only for managers.
    ...each(isAuthenticated, ["accessExplanation", "programAccountAccess"]),
  },
  // Built by the two queries above after their own checks: they describe the caller's own paths or,
  // for managers, the paths into an account they manage.
  AccessExplanation: each(isAuthenticated, ["targetType", "effectiveRole", "allowedActions", "grants", "matchedVisibilityRule"]),
  AccessGrant: each(isAuthenticated, [
    "role", "via", "programAccount", "through", "relationshipId", "relationshipStatus", "relationshipRole",
    "clientGroupName", "assignmentRole", "transactionVisibility",
  ]),
  AccessReviewEntry: each(isAuthenticated, ["user", "role", "grants"]),
  Mutation: {
    createProfile: withoutProfile,
    // Each mutation authorizes its target inside (same scope, same visibility checks) and answers
    // NOT_FOUND for what the caller cannot see, FORBIDDEN for what they see but may not change.
    ...each(isAuthenticated, [
      "registerBusiness", "requestEmployeeAccess", "decideEmployeeAccess", "setProgramRole", "addBam", "removeBam", "removeMember",
      "requestRelationship", "decideRelationship", "updateRelationship", "endRelationship",
      "createClientGroup", "renameClientGroup", "deleteClientGroup", "addClientToGroup", "removeClientFromGroup", "setClientGroupAssignment",
      "markNotificationsRead", "setNotificationPreferences",
    ]),
  },
  Subscription: {
    // Subscribing is authorized in the field's subscribe function (the shield never sees it);
    // each event is re-checked against a fresh scope in the resolver.
    statementUpdated: isAuthenticated,
  },
  Viewer: {
    // Every Viewer field reads only the caller's own records.
    ...each(allow, ["id", "user", "roles", "needsProfile"]),
    ...each(isAuthenticated, ["memberships", "accessRequests", "notifications", "notificationPreferences", "emails"]),
  },
  User: {
    // Identity is shown wherever a visible record names a person (submitted by, decided by).
    ...each(isAuthenticated, ["id", "createdAt", "username", "displayName"]),
    email: visible.User,
    platformRole: isSelf,
  },
  Business: {
    // BN9 and legal name are public registry facts, shown wherever a visible record names a business.
    ...each(isAuthenticated, ["id", "createdAt", "bn9", "legalName", "isServiceProvider", "myRole"]),
    ...each(visible.Business, ["addressLine", "city", "province", "postalCode", "country", "asec", "registeredAt", "programAccounts"]),
    members: onBusiness("VIEW_MEMBERS"),
    relationships: onBusiness("VIEW_RELATIONSHIP_SETTINGS"),
    accessRequests: onBusiness("MANAGE_PROGRAM_ACCESS"),
    clientGroups: guard("member of the provider", (ctx, b: { id: string }) => ctx.scope.isMember(b.id)),
    auditEvents: onBusiness("VIEW_AUDIT"),
  },
  ProgramAccount: {
    ...each(visible.ProgramAccount, [...nodeFields, "rm", "bn15", "name", "business", "myRole"]),
    transactions: onAccount("VIEW_TRANSACTIONS", "id"),
    statements: onAccount("VIEW_STATEMENTS", "id"),
    payments: onAccount("VIEW_PAYMENTS", "id"),
    financialSecurities: onAccount("VIEW_SECURITY", "id"),
    rulingRequests: onAccount("VIEW_RULINGS", "id"),
  },
  Transaction: each(visible.Transaction, [
    ...nodeFields, "transactionNumber", "releasedOn", "currentVersionNo", "totalDutiesAndTaxes",
    "programAccount", "submittedBy", "submittedByUser", "versions", "currentVersion",
  ]),
  TransactionVersion: each(visible.TransactionVersion, [
    ...nodeFields, "versionNo", "kind", "status", "reason", "customsDuty", "sima", "excise", "gst",
    "totalDutiesAndTaxes", "interest", "submittedBy", "submittedByUser", "lines",
  ]),
  TransactionLine: each(visible.TransactionLine, [
    ...nodeFields, "lineNo", "classificationCode", "description", "valueForDuty", "tariffTreatment",
    "customsDutyRate", "sima", "excise", "customsDuty", "valueForTax", "gst",
  ]),
  Statement: each(visible.Statement, [
    ...nodeFields, "cycleStart", "cycleEnd", "issueDate", "dueDate", "status", "previousBalance", "corrections",
    "payments", "interestAndPenalties", "currentCharges", "credits", "totalPayable", "programAccount",
  ]),
  Payment: {
    ...each(visible.Payment, [...nodeFields, "amount", "method", "receivedAt", "programAccount", "statement"]),
    // Payment details are not for Readers.
    ...each(onAccount("VIEW_PAYMENT_DETAILS"), ["reference", "instrumentLast4"]),
  },
  FinancialSecurity: each(visible.FinancialSecurity, [
    ...nodeFields, "kind", "amount", "suretyProvider", "bondNumber", "effectiveFrom", "expiresOn", "status", "programAccount",
  ]),
  RulingRequest: each(visible.RulingRequest, [
    ...nodeFields, "kind", "status", "productDescription", "decision", "decidedAt", "programAccount", "submittedBy",
  ]),
  BusinessMembership: each(visible.BusinessMembership, [...nodeFields, "isBam", "status", "user", "business", "programRoles"]),
  ProgramRoleAssignment: each(visible.ProgramRoleAssignment, [...nodeFields, "role", "user", "programAccount"]),
  EmployeeAccessRequest: each(visible.EmployeeAccessRequest, [
    ...nodeFields, "note", "status", "decidedAt", "decisionNote", "user", "business", "decidedBy",
  ]),
  Relationship: each(visible.Relationship, [
    ...nodeFields, "status", "level", "role", "expiresAt", "seeSubmittedByProvider", "seeSubmittedByClient",
    "seeSubmittedByOthers", "requestComment", "decidedAt", "endedAt", "client", "provider", "programAccounts",
    "requestedBy", "decidedBy", "endedBy",
  ]),
  ClientGroup: each(visible.ClientGroup, [...nodeFields, "name", "deletedAt", "provider", "clients", "assignments"]),
  ClientGroupAssignment: each(visible.ClientGroupAssignment, [...nodeFields, "role", "user", "group"]),
  Notification: each(visible.Notification, [...nodeFields, "kind", "title", "body", "readAt"]),
  // Only the recipient: the list is filtered to the viewer's rows, and each row is checked again.
  Email: each(visible.Email, [...nodeFields, "kind", "to", "subject", "body", "status", "attempts", "nextAttemptAt", "sentAt"]),
  NotificationPreference: each(guard("own preference", (ctx, p: { userId: string }) => ctx.viewer!.id === p.userId), ["kind", "email"]),
  AuditEvent: each(visible.AuditEvent, [...nodeFields, "action", "targetType", "targetId", "before", "after", "actor"]),
};

/**
 * Pagination wrappers carry no data of their own: what they hold is guarded on the node types.
 * They are the only types allowed by pattern rather than by listing.
 */
export const isStructuralType = (name: string) => name === "PageInfo" || /(Connection|Edge)$/.test(name);

export function buildShield(schema: GraphQLSchema) {
  const map: Record<string, Record<string, IRule> | IRule> = { ...permissionMap };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isObjectType(type) && !type.name.startsWith("__") && isStructuralType(type.name)) map[type.name] = allow;
  }
  return shield(map, shieldOptions);
}

export const shieldOptions = {
  fallbackRule: rule("deny by default", { cache: "no_cache" })(() => forbidden("This field has no permission rule, so it is denied.")),
  // Resolver errors (NOT_FOUND, BAD_USER_INPUT) pass through; rules that throw become FORBIDDEN.
  allowExternalErrors: true,
  fallbackError: () => forbidden(),
  debug: false,
};
