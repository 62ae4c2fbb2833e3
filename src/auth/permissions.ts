import { admitted, agencyOfficer, allow, each, isAuthenticated, isSelf, memberOf, mutationRules, onAccount, onBusiness, ownPreference, paymentDetails, rulingAttachment, visible, type IRule } from "./rules.js";

/**
 * The field-level policy, as a table: every object type has an admission rule, and every field of
 * every type a rule (the rules themselves: rules.ts; how they are enforced: enforcement.ts). The
 * fallback is deny, and test/schema.test.ts fails when a field or a type has no entry (or an entry
 * names nothing). A diff of this file is a permission change: review it as one.
 *
 * - **Admission**: an object enters a response only through a field that returns it (a root query, a
 *   connection edge, a reference such as `transaction.programAccount`); there its type's admission
 *   rule is checked, once per object. Fields marked `admitted` have exactly that rule, so they need no
 *   check of their own: an object's plain fields are served as graphql-js would serve them.
 * - **Field rules**: fields whose rule is stricter than their type's admission, e.g. a business's
 *   address (its profile) while its name is a public registry fact, or payment details that Readers
 *   may not see.
 * - **Mutations**: each its declared write authority (authority.ts): the gate here, the rule on its
 *   target in the mutation runner, before and again inside its transaction.
 */

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
  NotificationPreference: ownPreference,
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
  // A link made for the caller by a field that checked them first (its download reads their access again).
  ExportLink: isAuthenticated,
  SecurityRequirement: isAuthenticated,
  IssueStatementsResult: isAuthenticated,
  // Public figures (the agency publishes them).
  PrescribedInterestRate: isAuthenticated,
  FinancialSecurity: visible.FinancialSecurity,
  RulingRequest: visible.RulingRequest,
  // Seen with its ruling request (or that request's agency work item).
  RulingAttachment: rulingAttachment,
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
    // A download link of the caller's own transactions: the download applies the list's rules (modules/export).
    transactionsExport: isAuthenticated,
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
  // Each mutation's declared authority (authority.ts): what it requires of whom, on what it acts and
  // how it is found; the gate is checked here, the rest by the mutation runner (NOT_FOUND for what the
  // caller cannot see, FORBIDDEN for what they see but may not change).
  Mutation: mutationRules,
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
    clientGroups: memberOf("member of the provider"),
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
    // A download link of the postings above, applying their rules when downloaded.
    "postingsExport",
  ]),
  StatementPosting: each(admitted, [...nodeFields, "lineNo", "kind", "amount", "openAmount", "postedOn", "dueOn", "description", "statement", "transaction", "payment"]),
  PaymentResult: each(admitted, ["payment", "replayed"]),
  ExportLink: each(admitted, ["url", "expiresAt"]),
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

