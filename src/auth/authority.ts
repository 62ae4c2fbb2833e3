import {
  actsAs,
  agencyAction,
  authority,
  CHANGES_NO_ACCESS,
  decidesEmployeeRequest,
  endsRelationship,
  managesClientGroups,
  managesRelationshipForClient,
  NOT_AGENCY,
  notAgencyOfficer,
  nothingMore,
  notOnThemselves,
  ownRoleInBusiness,
  ownRoleOnAccount,
  profile,
  gateSays,
  accessEffectSays,
  type Authority,
} from "./write-rules.js";

/**
 * Write authority: what every mutation requires, declared in one table beside the read policy
 * (`writeAuthority` below; its rules: write-rules.ts), reviewable as one. A diff of this file is a
 * permission change; the table as text is pinned by test/authority.test.ts (its snapshot), so that
 * the change shows in review.
 *
 * Each mutation declares:
 * - `gate`: what the permission map checks before its resolver runs, knowing nothing of the target
 *   (permissions.ts builds the Mutation rules from these): a portal profile; an agency officer for
 *   the agency's actions; no profile yet for createProfile.
 * - `target`: what it acts on and how it is found. Whatever the person may not see answers
 *   NOT_FOUND, exactly like what does not exist, before any check of authority.
 * - `requires`: the rule on that target, in terms of the role x action table (policy.ts) read from
 *   the person's Access. The mutation runner (application/mutation.ts) runs it before the
 *   transaction with the request's access (FORBIDDEN), and again inside the transaction with the
 *   access read there after the person's memberships, roles and profile row are locked: authority
 *   taken away a moment ago no longer acts.
 * - `access` (CHANGES_NO_ACCESS, where said): the change writes nothing a person's access is read
 *   from, so the payload is judged with the access read inside the transaction instead of one read
 *   again after the commit. Unsaid, the access is read again (write-rules.ts, AccessEffect).
 */

// How each mutation finds what it acts on (application/targets.ts and the modules' finders), in words.

const BUSINESS = "a business, by its BN9 (NOT_FOUND unless the person may read its profile)";
const ACCOUNT = "a program account, by its BN15 (NOT_FOUND unless the person reaches it)";
const PROVIDER = "the service provider the person manages as its BAM (providerBn9 when they manage several; FORBIDDEN when none)";
const NONE = "nothing of a business: the person's own records";
const node = (type: string, field: string) => `the ${type} whose global id is ${field} (NOT_FOUND unless the person may see it: visibility.ts)`;

/** Every mutation's authority. Its keys are the schema's mutations, exactly (test/authority.test.ts). */
export const writeAuthority = {
  // Profile and self-service
  createProfile: authority({ kind: "no profile" }, "the person's own profile (one per identity-provider subject)", nothingMore),
  markNotificationsRead: authority(profile, NONE, nothingMore, CHANGES_NO_ACCESS),
  setNotificationPreferences: authority(profile, NONE, nothingMore, CHANGES_NO_ACCESS),
  registerBusiness: authority(
    profile,
    "a business not yet registered, by BN9 (a business that does not exist, or is registered to others, answers like wrong information)",
    notAgencyOfficer("register a business"),
  ),
  requestEmployeeAccess: authority(
    profile,
    "a registered business, by its BN9 (any: an employee does not know it beforehand)",
    notAgencyOfficer("join a business"),
    // A request, not a membership: access comes with its approval.
    CHANGES_NO_ACCESS,
  ),

  // Members and roles
  decideEmployeeAccess: authority(profile, node("EmployeeAccessRequest", "requestId"), decidesEmployeeRequest),
  setProgramRole: authority(
    profile,
    `${ACCOUNT}, and a member of its business (userId)`,
    notOnThemselves(
      ownRoleOnAccount<{ accountId: string; bn15: string; personId: string }>("MANAGE_PROGRAM_ACCESS", (s) => `You do not manage access to ${s.bn15}.`),
      "You cannot change your own role.",
    ),
  ),
  addBam: authority(
    profile,
    `${BUSINESS}, and a member of it (userId)`,
    notOnThemselves(ownRoleInBusiness<{ businessId: string; personId: string }>("MANAGE_BUSINESS_ACCESS", () => "Only a Business Account Manager can add BAMs."), "You cannot change your own role."),
  ),
  removeBam: authority(
    profile,
    `${BUSINESS}, and a member of it (userId)`,
    notOnThemselves(ownRoleInBusiness<{ businessId: string; personId: string }>("MANAGE_BUSINESS_ACCESS", () => "Only a Business Account Manager can remove BAMs."), "You cannot change your own role."),
  ),
  removeMember: authority(
    profile,
    `${BUSINESS}, and a member of it (userId)`,
    notOnThemselves(ownRoleInBusiness<{ businessId: string; personId: string }>("MANAGE_BUSINESS_ACCESS", () => "Only a Business Account Manager can remove members."), "You cannot remove yourself."),
  ),

  // The business itself
  updateLegalEntity: authority(
    profile,
    BUSINESS,
    ownRoleInBusiness<{ businessId: string; name: string }>("EDIT_LEGAL_ENTITY", (s) => `Only a Business Account Manager of ${s.name} can edit its legal name and address.`),
    CHANGES_NO_ACCESS,
  ),
  registerServiceProvider: authority(
    profile,
    BUSINESS,
    ownRoleInBusiness<{ businessId: string; name: string }>("REGISTER_SERVICE_PROVIDER", (s) => `Only a Business Account Manager of ${s.name} can register it as a service provider.`),
  ),

  // Delegation to service providers
  requestRelationship: authority(
    profile,
    `${PROVIDER}; the client, a registered business by BN9 (or BN15: one of its accounts)`,
    ownRoleInBusiness<{ businessId: string }>("MANAGE_BUSINESS_ACCESS", () => "Only the BAM of a service provider (a broker or trade consultant) can do this.", "the provider"),
  ),
  decideRelationship: authority(profile, node("Relationship", "relationshipId"), managesRelationshipForClient),
  updateRelationship: authority(profile, node("Relationship", "relationshipId"), managesRelationshipForClient),
  endRelationship: authority(profile, node("Relationship", "relationshipId"), endsRelationship),
  createClientGroup: authority(profile, PROVIDER, managesClientGroups),
  renameClientGroup: authority(profile, `${node("ClientGroup", "groupId")}, not deleted`, managesClientGroups),
  deleteClientGroup: authority(profile, `${node("ClientGroup", "groupId")}, not deleted`, managesClientGroups),
  addClientToGroup: authority(profile, `${node("ClientGroup", "groupId")}, not deleted; a client with an active relationship to its provider, by BN9`, managesClientGroups),
  removeClientFromGroup: authority(profile, `${node("ClientGroup", "groupId")}, not deleted`, managesClientGroups),
  setClientGroupAssignment: authority(
    profile,
    `${node("ClientGroup", "groupId")}, not deleted; an employee of its provider (userId)`,
    notOnThemselves(
      ownRoleInBusiness<{ businessId: string; personId: string }>("MANAGE_BUSINESS_ACCESS", () => "Only the provider's BAM manages client groups.", "the provider"),
      "You cannot change your own role.",
    ),
  ),

  // Rulings
  submitRulingRequest: authority(
    profile,
    ACCOUNT,
    actsAs<{ accountId: string; bn15: string }>("SUBMIT_RULINGS", {
      says: ", whose visibility rules show what that business submits",
      seesOwnSubmissions: true,
      refusal: (s) => `Your role on ${s.bn15} does not allow submitting ruling requests (Editor, PAM or BAM; or a service provider's active Editor access).`,
    }),
    CHANGES_NO_ACCESS,
  ),
  withdrawRulingRequest: authority(
    profile,
    node("RulingRequest", "rulingRequestId"),
    actsAs<{ accountId: string; among: string[] }>("SUBMIT_RULINGS", {
      says: ", whose visibility rules show what that business submits; only as the business that submitted it",
      seesOwnSubmissions: true,
      refusal: () => "Only the business that submitted this request (its people who submit ruling requests on the account) can withdraw it.",
    }),
    CHANGES_NO_ACCESS,
  ),

  // Money
  fileDeclaration: authority(
    profile,
    ACCOUNT,
    actsAs<{ accountId: string }>("EDIT_TRANSACTIONS", {
      says: ", whose visibility rules show what that business submits",
      seesOwnSubmissions: true,
      refusal: () => "You may not file declarations on this program account.",
    }),
    CHANGES_NO_ACCESS,
  ),
  amendDeclaration: authority(
    profile,
    "a transaction, by its number (NOT_FOUND unless the person may see it)",
    actsAs<{ accountId: string; transactionId: string; among: string[] }>("EDIT_TRANSACTIONS", {
      says: ", whose visibility rules show the transaction and every version of it; only as its importer or the business that filed it",
      refusal: () => "You may not change this declaration on this program account.",
    }),
    CHANGES_NO_ACCESS,
  ),
  makePayment: authority(
    profile,
    ACCOUNT,
    actsAs<{ accountId: string }>("SUBMIT_PAYMENTS", { says: "", refusal: () => "You may not make payments on this program account." }),
    CHANGES_NO_ACCESS,
  ),
  disputePenalty: authority(
    profile,
    node("Penalty", "penaltyId"),
    // The importer contests its own penalty: its managers, through an own path (never a provider).
    ownRoleOnAccount<{ accountId: string }>("DISPUTE_PENALTIES", () => "Only the importer's BAM or the account's PAM can dispute a penalty."),
    CHANGES_NO_ACCESS,
  ),
  requestRefund: authority(
    profile,
    ACCOUNT,
    // The money goes back to the importer: its managers ask, through an own path (never a provider).
    ownRoleOnAccount<{ accountId: string }>("REQUEST_REFUNDS", () => "Only the importer's BAM or the account's PAM can ask for a refund."),
    CHANGES_NO_ACCESS,
  ),
  postFinancialSecurity: authority(
    profile,
    ACCOUNT,
    // The importer posts its own security (domain spec): its BAM. Never a service provider.
    ownRoleOnAccount<{ accountId: string }>("MANAGE_SECURITY", () => "Only the importer's BAM can post financial security."),
    CHANGES_NO_ACCESS,
  ),

  // The agency's side
  issueStatements: agencyAction("ISSUE_STATEMENTS", "every statement whose issue date has come (each account in its own transaction)", "Only agency officers issue statements."),
  setPrescribedInterestRate: agencyAction("SET_INTEREST_RATES", "the prescribed rate from a date on", "Only agency officers set interest rates."),
  assignRulingRequest: agencyAction("DECIDE_RULINGS", node("RulingCase", "rulingCaseId"), NOT_AGENCY),
  decideRulingRequest: agencyAction("DECIDE_RULINGS", node("RulingCase", "rulingCaseId"), NOT_AGENCY),
  assessPenalty: agencyAction(
    "ASSESS_PENALTIES",
    "a program account, by its BN15 (the agency names any account by its number, and reaches nothing else of it)",
    NOT_AGENCY,
  ),
  decidePenaltyDispute: agencyAction("DECIDE_PENALTY_DISPUTES", node("PenaltyCase", "penaltyCaseId"), NOT_AGENCY),
  approveRefund: agencyAction("DECIDE_REFUNDS", `${node("RefundCase", "refundCaseId")}, not yet decided`, NOT_AGENCY),
  rejectRefund: agencyAction("DECIDE_REFUNDS", `${node("RefundCase", "refundCaseId")}, not yet decided`, NOT_AGENCY),
  acceptAdjustment: agencyAction("REVIEW_ADJUSTMENTS", node("AdjustmentCase", "adjustmentCaseId"), NOT_AGENCY),
  rejectAdjustment: agencyAction("REVIEW_ADJUSTMENTS", node("AdjustmentCase", "adjustmentCaseId"), NOT_AGENCY),
};

export type { Coverage, Gate } from "./write-rules.js";
export type MutationName = keyof typeof writeAuthority;
type AuthorityOf<N extends MutationName> = (typeof writeAuthority)[N];
/** What the requirement of mutation N reads of its target. */
export type SubjectOf<N extends MutationName> = AuthorityOf<N> extends Authority<infer S, unknown> ? S : never;
/** What the requirement of mutation N grants (e.g. the businesses the person may act as). */
export type GrantOf<N extends MutationName> = AuthorityOf<N> extends Authority<never, infer G> ? G : never;

/** The table in words, one block per mutation in name order: what test/authority.test.ts pins. */
export function describeWriteAuthority(): string {
  return Object.entries(writeAuthority as Record<string, Authority<unknown, unknown>>)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, a]) => `${name}\n  gate:     ${gateSays(a.gate)}\n  target:   ${a.target}\n  requires: ${a.requires.says}\n  access:   ${accessEffectSays(a.access)}\n`)
    .join("\n");
}
