import { createRequire } from "node:module";
import type { IRule as ShieldRuleBase } from "graphql-shield";
import type { IMiddlewareFunction } from "graphql-middleware";
import { getNamedType, isAbstractType, isObjectType, type GraphQLField, type GraphQLResolveInfo, type GraphQLSchema } from "graphql";
import type { Context } from "../context.js";
import { appError, forbidden, unauthenticated } from "../common/errors.js";
import type { Action } from "./policy.js";
import { checks, rulingAttachmentVisible } from "./visibility.js";

// graphql-shield's ES module build imports `isUndefined` from node:util, which Node 23 removed, so
// importing it fails to link on Node 24 (upstream issue maticzav/graphql-shield#1561; 7.6.5 is the
// latest). Its CommonJS build reads the function only when a logic rule (and/or/race) runs, which
// this policy does not use; loading that build keeps the server starting on every Node from 20.19.
const { allow, rule, shield } = createRequire(import.meta.url)("graphql-shield") as typeof import("graphql-shield");

/**
 * The field-level policy. Every object type has an admission rule, and every field of every type a
 * rule; the fallback is deny, and test/schema.test.ts fails when a field or a type has no entry (or
 * an entry names nothing). A diff of this file is a permission change: review it as one.
 *
 * Two places enforce it, both from this one map:
 * - **Admission**: an object enters a response only through a field that returns it (a root query, a
 *   connection edge, a reference such as `transaction.programAccount`); there its type's admission
 *   rule is checked, once per object. Fields marked `admitted` have exactly that rule, so they need no
 *   check of their own: an object's plain fields are served as graphql-js would serve them.
 * - **Field rules** (graphql-shield): fields whose rule is stricter than their type's admission, e.g.
 *   a business's address (its profile) while its name is a public registry fact, or payment details
 *   that Readers may not see.
 * This is the same deny-by-default map as wrapping every field, at a fraction of the cost on large
 * responses (`npm run bench:shield`).
 */
/** A rule of ours or one of the shield's constants (allow). */
type IRule = ShieldRuleBase | typeof allow;

type Check = (ctx: Context, parent: never) => boolean | Promise<boolean>;

type Decision = true | Error;

/** How each of our rules decides, for admission (which must not swallow a failing query into a denial). */
const evaluators = new WeakMap<object, (parent: unknown, ctx: Context) => Decision | Promise<Decision>>();

function guard(name: string, check: Check, opts: { perObject?: boolean } = {}): IRule {
  const evaluate = (parent: unknown, ctx: Context): Decision | Promise<Decision> => {
    if (!ctx.viewer) return ctx.subject ? unauthenticated(NO_PROFILE) : unauthenticated();
    const decide = (ok: boolean): Decision => (ok ? true : forbidden(`You do not have access to this (${name}).`));
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
  };
  const r = rule(name, { cache: "no_cache" })((parent: unknown, _args: unknown, ctx: Context) => evaluate(parent, ctx));
  evaluators.set(r, evaluate);
  return r;
}

const NO_PROFILE = "You are signed in but have no portal profile yet: create it with createProfile.";

const isAuthenticated = guard("signed in", () => true);

/** Signed in at the identity provider, with no portal profile yet: may create one, nothing else. */
const withoutProfile = rule("signed in without a profile", { cache: "no_cache" })((_parent: unknown, _args: unknown, ctx: Context) => {
  if (ctx.viewer) return appError("CONFLICT", "You already have a portal profile.");
  return ctx.subject ? true : unauthenticated();
});
const isSelf = guard("own profile", (ctx, u: { id: string }) => ctx.viewer!.id === u.id);

/** Agency staff (a platform role): the agency's queues and work items, and nothing of any business (agency.ts). */
const agencyOfficer = guard("agency officer", (ctx) => ctx.access.isAgencyOfficer);

/** The type-wide visibility check from visibility.ts, as a rule. */
const visible = Object.fromEntries(
  Object.entries(checks).map(([type, check]) => [type, guard(`visible ${type}`, check as Check, { perObject: true })]),
) as Record<keyof typeof checks, IRule>;

const onAccount = (action: Action, field = "programAccountId") =>
  guard(action, (ctx, p: Record<string, string>) => ctx.access.can(action, field === "id" ? p.id! : p[field]!), { perObject: true });
const onBusiness = (action: Action) => guard(action, (ctx, b: { id: string }) => ctx.access.canOnBusiness(action, b.id));

/**
 * Marks a field whose rule is its type's admission rule: checked when the object entered the
 * response, so the field itself is not wrapped. Never evaluated (it would deny if it were).
 */
export const admitted = rule("admitted", { cache: "no_cache" })(() => forbidden("This field is guarded by its object's admission rule."));

/** Payment details (a payment's or refund's reference, card digits): not for Readers. One rule object, for every field that carries them. */
const paymentDetails = onAccount("VIEW_PAYMENT_DETAILS");

/** Give `r` to each listed field. */
const each = (r: IRule, fields: string[]): Record<string, IRule> => Object.fromEntries(fields.map((f) => [f, r]));

const nodeFields = ["id", "createdAt"];

/** The rule an object must pass to enter a response, per object type. */
export const admission: Record<string, IRule> = {
  // Computed answers about the caller's own access, built after their own checks.
  Viewer: allow,
  AccessExplanation: isAuthenticated,
  AccessGrant: isAuthenticated,
  AccessReviewEntry: isAuthenticated,
  AccessChange: isAuthenticated,
  DutyEstimate: isAuthenticated,
  DutyEstimateLine: isAuthenticated,
  NotificationPreference: guard("own preference", (ctx, p: { userId: string }) => ctx.viewer!.id === p.userId),
  // Identity is shown wherever a visible record names a person or a business (submitted by,
  // decided by); what more they show is guarded per field below.
  User: isAuthenticated,
  Business: isAuthenticated,
  ProgramAccount: visible.ProgramAccount,
  Transaction: visible.Transaction,
  TransactionVersion: visible.TransactionVersion,
  TransactionLine: visible.TransactionLine,
  Statement: visible.Statement,
  StatementPosting: visible.StatementPosting,
  Payment: visible.Payment,
  // Seen like the whole account's payments (money.ts, wholeAccountMoneyRules).
  Penalty: visible.Penalty,
  PenaltyDispute: visible.PenaltyDispute,
  RefundRequest: visible.RefundRequest,
  // Results built by a mutation or field after its own checks; what they hold is admitted by its own rule.
  PaymentResult: isAuthenticated,
  SecurityRequirement: isAuthenticated,
  IssueStatementsResult: isAuthenticated,
  // Public figures (the agency publishes them).
  PrescribedInterestRate: isAuthenticated,
  FinancialSecurity: visible.FinancialSecurity,
  RulingRequest: visible.RulingRequest,
  // Seen with its ruling request (or that request's agency work item).
  RulingAttachment: guard("visible ruling attachment", rulingAttachmentVisible as Check, { perObject: true }),
  // The agency's side: for agency officers only; they reach nothing else through it.
  AgencyQueue: agencyOfficer,
  RulingCase: visible.RulingCase,
  AdjustmentCase: visible.AdjustmentCase,
  PenaltyCase: visible.PenaltyCase,
  RefundCase: visible.RefundCase,
  // Reached only through its PenaltyCase.
  PenaltyDisputeCase: agencyOfficer,
  // Reached only through an AdjustmentCase (its lines) or a work item (the parties it names).
  AdjustmentLine: agencyOfficer,
  AgencyParty: agencyOfficer,
  BusinessMembership: visible.BusinessMembership,
  ProgramRoleAssignment: visible.ProgramRoleAssignment,
  EmployeeAccessRequest: visible.EmployeeAccessRequest,
  Relationship: visible.Relationship,
  ClientGroup: visible.ClientGroup,
  ClientGroupAssignment: visible.ClientGroupAssignment,
  Notification: visible.Notification,
  // Only its recipient: the list is filtered to the viewer's rows, and each row is admitted by this.
  Email: visible.Email,
  AuditEvent: visible.AuditEvent,
};

export const permissionMap: Record<string, Record<string, IRule>> = {
  Query: {
    // Anyone may ask who they are (anonymous callers get user: null).
    viewer: allow,
    ...each(isAuthenticated, ["node", "business", "businesses", "programAccount", "transaction", "transactions", "relationships", "rulingRequests", "prescribedInterestRates"]),
    agencyQueue: agencyOfficer,
    // Computed from the caller's own input only, reading and storing nothing: any signed-in person.
    estimateDutiesAndTaxes: isAuthenticated,
    // Both authorize inside: the explanation covers only what you can see; the review only for managers.
    ...each(isAuthenticated, ["accessExplanation", "programAccountAccess"]),
  },
  AccessExplanation: each(admitted, ["targetType", "effectiveRole", "allowedActions", "grants", "matchedVisibilityRule"]),
  AccessGrant: each(admitted, [
    "role", "via", "programAccount", "through", "relationshipId", "relationshipStatus", "relationshipRole",
    "clientGroupName", "assignmentRole", "transactionVisibility",
  ]),
  AccessReviewEntry: each(admitted, ["user", "role", "grants"]),
  AccessChange: each(admitted, ["at", "business"]),
  DutyEstimate: each(admitted, ["lines", "customsDuty", "sima", "excise", "gst", "total"]),
  DutyEstimateLine: each(admitted, [
    "lineNo", "classificationCode", "tariffTreatment", "valueForDuty", "customsDuty", "sima", "excise", "valueForTax", "gst", "total",
  ]),
  Mutation: {
    createProfile: withoutProfile,
    // Each mutation authorizes its target inside (same access, same visibility checks) and answers
    // NOT_FOUND for what the caller cannot see, FORBIDDEN for what they see but may not change.
    ...each(isAuthenticated, [
      "registerBusiness", "requestEmployeeAccess", "decideEmployeeAccess", "setProgramRole", "addBam", "removeBam", "removeMember",
      "requestRelationship", "decideRelationship", "updateRelationship", "endRelationship",
      "createClientGroup", "renameClientGroup", "deleteClientGroup", "addClientToGroup", "removeClientFromGroup", "setClientGroupAssignment",
      "markNotificationsRead", "setNotificationPreferences", "submitRulingRequest", "withdrawRulingRequest",
      "updateLegalEntity", "registerServiceProvider",
      // The money loop: each decides who may, as which business, inside its transaction (auth/money.ts).
      "fileDeclaration", "amendDeclaration", "makePayment", "postFinancialSecurity",
      // The importer's managers, through an own path (checked inside): penalties they contest, refunds of their credit.
      "disputePenalty", "requestRefund",
      // Agency officers only (checked inside, and the role read again in the transaction).
      "issueStatements", "setPrescribedInterestRate",
    ]),
    // The agency's actions: refused here to anyone but agency officers, and authorized again inside.
    ...each(agencyOfficer, [
      "assignRulingRequest", "decideRulingRequest", "acceptAdjustment", "rejectAdjustment",
      "assessPenalty", "decidePenaltyDispute", "approveRefund", "rejectRefund",
    ]),
  },
  Subscription: {
    // Subscribing is authorized in the field's subscribe function (the shield never sees it);
    // each event is re-checked against a fresh access in the resolver, and admitted like any object.
    statementUpdated: isAuthenticated,
    statementsUpdated: isAuthenticated,
    // Authorized per event (an active member of the business concerned); carries no data of the change.
    accessChanged: isAuthenticated,
  },
  Viewer: {
    // Every Viewer field reads only the caller's own records.
    ...each(allow, ["id", "user", "roles", "needsProfile"]),
    ...each(isAuthenticated, ["memberships", "accessRequests", "notifications", "notificationPreferences", "emails"]),
  },
  User: {
    ...each(admitted, ["id", "createdAt", "username", "displayName"]),
    email: visible.User,
    platformRole: isSelf,
  },
  Business: {
    // BN9 and legal name are public registry facts; the profile is for those who belong to or act for it.
    ...each(admitted, ["id", "createdAt", "bn9", "legalName", "isServiceProvider", "myRole"]),
    ...each(visible.Business, ["addressLine", "city", "province", "postalCode", "country", "asec", "registeredAt", "programAccounts"]),
    members: onBusiness("VIEW_MEMBERS"),
    relationships: onBusiness("VIEW_RELATIONSHIP_SETTINGS"),
    accessRequests: onBusiness("MANAGE_PROGRAM_ACCESS"),
    clientGroups: guard("member of the provider", (ctx, b: { id: string }) => ctx.access.isMember(b.id)),
    auditEvents: onBusiness("VIEW_AUDIT"),
  },
  ProgramAccount: {
    ...each(admitted, [...nodeFields, "rm", "bn15", "name", "business", "myRole", "myAccessExpiresAt"]),
    // Null unless the viewer may see them, decided in the resolver by the money rule (a FULL view) and
    // VIEW_SECURITY: a dashboard row asks for them whoever the viewer is (program-account/standing.ts).
    ...each(admitted, ["overdue", "hasRppPrivilege", "creditCardLimitRemaining"]),
    transactions: onAccount("VIEW_TRANSACTIONS", "id"),
    statements: onAccount("VIEW_STATEMENTS", "id"),
    // One rule object (the shield refuses two rules of one name); penalties and refunds are filtered further like the whole account's payments.
    ...each(onAccount("VIEW_PAYMENTS", "id"), ["payments", "penalties", "refundRequests"]),
    // One rule object for both (the shield refuses two rules of one name).
    ...each(onAccount("VIEW_SECURITY", "id"), ["financialSecurities", "securityRequirement"]),
    rulingRequests: onAccount("VIEW_RULINGS", "id"),
    // Null unless the viewer sees the whole account's payments (decided in the resolver).
    creditBalance: admitted,
  },
  Transaction: each(admitted, [
    ...nodeFields, "transactionNumber", "releasedOn", "accountedOn", "currentVersionNo", "totalDutiesAndTaxes", "late", "dueDate",
    "programAccount", "submittedBy", "submittedByUser", "versions", "currentVersion",
  ]),
  TransactionVersion: each(admitted, [
    ...nodeFields, "versionNo", "kind", "status", "reason", "customsDuty", "sima", "excise", "gst",
    "totalDutiesAndTaxes", "interest", "submittedBy", "submittedByUser", "lines", "decidedAt", "decisionNote",
  ]),
  TransactionLine: each(admitted, [
    ...nodeFields, "lineNo", "classificationCode", "description", "valueForDuty", "tariffTreatment",
    "customsDutyRate", "sima", "excise", "customsDuty", "valueForTax", "gst",
  ]),
  // The account-wide amounts are null unless the viewer's view is FULL: decided per statement in
  // auth/money.ts (statementMoney), the same rule that filters payments and postings.
  Statement: each(admitted, [
    ...nodeFields, "cycleStart", "cycleEnd", "issueDate", "dueDate", "status", "issuedAt", "view", "visibleCharges", "previousBalance",
    "corrections", "payments", "interestAndPenalties", "currentCharges", "credits", "refunds", "totalPayable", "amountOutstanding", "programAccount", "postings",
  ]),
  StatementPosting: each(admitted, [...nodeFields, "lineNo", "kind", "amount", "openAmount", "postedOn", "dueOn", "description", "statement", "transaction", "payment"]),
  PaymentResult: each(admitted, ["payment", "replayed"]),
  SecurityRequirement: each(admitted, [
    "reviewedOn", "reviewFrom", "reviewTo", "inForceFrom", "highestMonthlyDutiesAndTaxes", "requiredBond", "requiredCash", "postedBond", "postedCash",
    "hasRppPrivilege", "next",
  ]),
  IssueStatementsResult: each(admitted, ["asOf", "issued"]),
  PrescribedInterestRate: each(admitted, ["effectiveFrom", "rate", "overdueRate"]),
  Payment: {
    ...each(admitted, [...nodeFields, "amount", "method", "receivedAt", "programAccount", "statement", "madeBy"]),
    // Payment details are not for Readers.
    ...each(paymentDetails, ["reference", "instrumentLast4"]),
  },
  Penalty: each(admitted, [
    ...nodeFields, "contravention", "description", "amount", "cancelledAmount", "noticeNumber", "assessedOn", "dueOn", "programAccount", "dispute",
  ]),
  PenaltyDispute: each(admitted, [...nodeFields, "status", "reason", "cancelledAmount", "decidedAt", "decisionNote", "requestedBy", "requestedByBusiness"]),
  RefundRequest: {
    ...each(admitted, [...nodeFields, "amount", "status", "reason", "decidedAt", "decisionNote", "programAccount", "requestedBy"]),
    // The payout's reference is a payment detail: not for Readers.
    reference: paymentDetails,
  },
  FinancialSecurity: each(admitted, [
    ...nodeFields, "kind", "amount", "suretyProvider", "bondNumber", "effectiveFrom", "expiresOn", "paidWith", "status", "programAccount",
  ]),
  RulingRequest: each(admitted, [
    ...nodeFields, "kind", "status", "productDescription", "assignedAt", "decision", "decidedAt", "withdrawnAt", "programAccount",
    "submittedBy", "submittedByUser", "attachments",
  ]),
  RulingAttachment: each(admitted, ["fileName", "mediaType", "sizeBytes", "sha256"]),
  AgencyQueue: each(admitted, ["rulingRequests", "adjustments", "penalties", "refunds"]),
  // What assessing a penalty and deciding its dispute need: the account (BN15) and importer, no path to its money or records.
  PenaltyCase: each(admitted, [
    ...nodeFields, "contravention", "description", "amount", "cancelledAmount", "noticeNumber", "assessedOn", "dueOn", "bn15", "importer", "assessedBy", "dispute",
  ]),
  PenaltyDisputeCase: each(admitted, ["status", "reason", "submittedAt", "cancelledAmount", "decidedAt", "decisionNote", "requestedBy", "decidedBy"]),
  RefundCase: each(admitted, [...nodeFields, "amount", "status", "reason", "decidedAt", "decisionNote", "reference", "bn15", "importer", "decidedBy"]),
  // What deciding a ruling needs, and nothing else of the requester's business (no accounts, transactions or money).
  RulingCase: each(admitted, [
    ...nodeFields, "kind", "status", "productDescription", "attachments", "bn15", "importer", "requestedBy", "assignee",
    "assignedAt", "decision", "decidedAt", "withdrawnAt",
  ]),
  // What reviewing an adjustment needs: the declaration's number, account and parties, the amounts and lines; no
  // path to the importer's account, other transactions, statements or payments.
  AdjustmentCase: each(admitted, [
    ...nodeFields, "status", "versionNo", "reason", "transactionNumber", "releasedOn", "bn15", "importer", "submittedBy",
    "previousTotal", "proposedTotal", "difference", "interest", "lines", "decidedAt", "decidedBy", "decisionNote",
  ]),
  AdjustmentLine: each(admitted, [
    "lineNo", "classificationCode", "description", "valueForDuty", "tariffTreatment", "customsDutyRate", "sima", "excise", "customsDuty", "valueForTax", "gst",
  ]),
  AgencyParty: each(admitted, ["bn9", "legalName"]),
  BusinessMembership: each(admitted, [...nodeFields, "isBam", "status", "user", "business", "programRoles"]),
  ProgramRoleAssignment: each(admitted, [...nodeFields, "role", "user", "programAccount"]),
  EmployeeAccessRequest: each(admitted, [...nodeFields, "note", "status", "decidedAt", "decisionNote", "user", "business", "programAccounts", "decidedBy"]),
  Relationship: each(admitted, [
    ...nodeFields, "status", "level", "role", "expiresAt", "seeSubmittedByProvider", "seeSubmittedByClient",
    "seeSubmittedByOthers", "requestComment", "decidedAt", "endedAt", "client", "provider", "programAccounts",
    "requestedBy", "decidedBy", "endedBy",
  ]),
  ClientGroup: each(admitted, [...nodeFields, "name", "deletedAt", "provider", "clients", "assignments"]),
  ClientGroupAssignment: each(admitted, [...nodeFields, "role", "user", "group"]),
  Notification: each(admitted, [...nodeFields, "kind", "title", "body", "readAt"]),
  NotificationPreference: each(admitted, ["kind", "email"]),
  Email: each(admitted, [...nodeFields, "kind", "to", "subject", "body", "status", "attempts", "nextAttemptAt", "sentAt"]),
  AuditEvent: each(admitted, [...nodeFields, "action", "targetType", "targetId", "before", "after", "actor"]),
};

/**
 * Pagination wrappers carry no data of their own: what they hold is guarded on the node types.
 * They are the only types allowed by pattern rather than by listing.
 */
export const isStructuralType = (name: string) => name === "PageInfo" || /(Connection|Edge)$/.test(name);

const isRootType = (schema: GraphQLSchema, name: string) =>
  [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].some((t) => t?.name === name);

/** The GraphQL type of a value returned where an interface (Node) is expected. */
function concreteTypeName(value: unknown, info: GraphQLResolveInfo, declared: string): string {
  const type = info.schema.getType(declared);
  if (!type || !isAbstractType(type)) return declared;
  const ctor = (value as { constructor?: { graphqlType?: string; name?: string } }).constructor;
  return ctor?.graphqlType ?? ctor?.name ?? declared;
}

/** Checks each object a field returns against its type's admission rule (null passes: nothing enters). */
function admissionMiddleware(declared: string): IMiddlewareFunction {
  return (resolve, parent, args, ctx: Context, info) => {
    // Synchronous whenever the value and the decisions are (objects a filtered list vouched for):
    // most objects of a large response then cost no promise of their own.
    const admitted = (value: unknown): unknown => {
      const pending: Promise<void>[] = [];
      const admit = (v: unknown): void => {
        if (v === null || v === undefined) return;
        if (Array.isArray(v)) return v.forEach(admit);
        const typeName = concreteTypeName(v, info, declared);
        const r = admission[typeName];
        if (r === allow) return;
        const evaluate = r && evaluators.get(r);
        if (!evaluate) throw forbidden(`Objects of type ${typeName} have no admission rule, so they are denied.`);
        const decision = evaluate(v, ctx);
        if (decision instanceof Promise) {
          pending.push(
            decision.then((d) => {
              if (d !== true) throw d;
            }),
          );
        } else if (decision !== true) throw decision;
      };
      admit(value);
      return pending.length ? Promise.all(pending).then(() => value) : value;
    };
    const value = resolve(parent, args, ctx, info);
    return (value instanceof Promise ? value.then(admitted) : admitted(value)) as Promise<unknown>;
  };
}

/**
 * The permission layer of a schema: admission on every field that returns a guarded object, and
 * graphql-shield on every field whose rule is not its type's admission (all others: deny).
 */
export function buildPermissions(schema: GraphQLSchema): { admission: Record<string, Record<string, IMiddlewareFunction>>; shield: Record<string, Record<string, unknown>> } {
  const map: Record<string, Record<string, IRule> | IRule> = { ...permissionMap };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isObjectType(type) && !type.name.startsWith("__") && isStructuralType(type.name)) map[type.name] = allow;
  }
  const generated = (shield(map, shieldOptions) as unknown as { generate(s: GraphQLSchema): Record<string, Record<string, unknown>> }).generate(schema);
  const shieldMap: Record<string, Record<string, unknown>> = {};
  const admissionMap: Record<string, Record<string, IMiddlewareFunction>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const [fieldName, field] of Object.entries(type.getFields()) as [string, GraphQLField<unknown, unknown>][]) {
      const fieldRule = permissionMap[type.name]?.[fieldName];
      if (fieldRule === admitted && isRootType(schema, type.name)) {
        throw new Error(`${type.name}.${fieldName}: root fields have no admission; give them a rule`);
      }
      // Its own rule, or (missing) the shield's fallback deny; wrappers of pages carry no data.
      if (fieldRule !== admitted && !isStructuralType(type.name)) (shieldMap[type.name] ??= {})[fieldName] = generated[type.name]![fieldName];
      const returned = getNamedType(field.type);
      if ((isObjectType(returned) && !isStructuralType(returned.name)) || isAbstractType(returned)) {
        if (isObjectType(returned) && admission[returned.name] === allow) continue;
        (admissionMap[type.name] ??= {})[fieldName] = admissionMiddleware(returned.name);
      }
    }
  }
  return { admission: admissionMap, shield: shieldMap };
}

export const shieldOptions = {
  fallbackRule: rule("deny by default", { cache: "no_cache" })(() => forbidden("This field has no permission rule, so it is denied.")),
  // Resolver errors (NOT_FOUND, BAD_USER_INPUT) pass through; rules that throw become FORBIDDEN.
  allowExternalErrors: true,
  fallbackError: () => forbidden(),
  debug: false,
};
