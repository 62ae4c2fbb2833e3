import { forbidden } from "../common/errors.js";
import { query, sql } from "../db/sql.js";
import type { Access } from "./access.js";
import { actingBusinesses } from "./acting.js";
import { employeeRequestDeciderCondition } from "./conditions.js";
import type { Action } from "./policy.js";

/**
 * Write authority: what every mutation requires, declared in one table beside the read policy
 * (`writeAuthority` below), reviewable as one. A diff of this file is a permission change; the
 * table as text is pinned in test/authority.test.ts (its snapshot), so that the change shows in
 * review.
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
 */

/** What the permission map checks before the resolver: nothing that depends on the target. */
export type Gate =
  | { kind: "profile" }
  | { kind: "no profile" }
  /** Agency staff: a platform role whose row of the table allows the action. */
  | { kind: "agency"; action: Action; refusal: string };

/** A rule on a subject (what the requirement reads of the target): FORBIDDEN, or what it grants. */
export interface Requirement<S = void, G = void> {
  /** The rule in words, for review (the snapshot). */
  readonly says: string;
  check(access: Access, subject: S): G | Promise<G>;
}

export interface Authority<S = void, G = void> {
  readonly gate: Gate;
  readonly target: string;
  readonly requires: Requirement<S, G>;
}

const profile: Gate = { kind: "profile" };
/** The gate in words (the snapshot). */
export function gateSays(gate: Gate): string {
  switch (gate.kind) {
    case "profile":
      return "signed in, with a portal profile";
    case "no profile":
      return "signed in at the identity provider, without a portal profile yet";
    case "agency":
      return `an agency officer (a platform role allowing ${gate.action})`;
  }
}

const authority = <S, G>(gate: Gate, target: string, requires: Requirement<S, G>): Authority<S, G> => ({ gate, target, requires });

// ---------------------------------------------------------------------------------------------
// Rules. Each names the action of the role table it rests on; refusals are FORBIDDEN with a
// message a person can act on.

const nothingMore: Requirement = { says: "nothing more: the person's own records", check: () => undefined };

/** Not an agency officer: agency staff act for the agency only. */
const notAgencyOfficer = (what: string): Requirement => ({
  says: "not an agency officer (agency staff act for the agency only)",
  check(access) {
    if (access.isAgencyOfficer) throw forbidden(`Agency officers act for the agency only and cannot ${what}.`);
  },
});

/** `action` by the person's own role in the business (BAM, or a program role whose row allows it). */
const ownRoleInBusiness = <S extends { businessId: string }>(action: Action, refusal: (s: S) => string, where = "the business"): Requirement<S> => ({
  says: `${action} by the person's own role in ${where} (never as a service provider acting for it)`,
  check(access, s) {
    if (!access.canOnBusiness(action, s.businessId)) throw forbidden(refusal(s));
  },
});

/** `action` by the person's own role on the program account. */
const ownRoleOnAccount = <S extends { accountId: string }>(action: Action, refusal: (s: S) => string): Requirement<S> => ({
  says: `${action} by the person's own role on the program account (never as a service provider acting for it)`,
  check(access, s) {
    if (!access.ownCan(action, s.accountId)) throw forbidden(refusal(s));
  },
});

/** `rule`, and never on the person themselves ("nobody changes their own role"). */
const notOnThemselves = <S extends { personId: string }, G>(rule: Requirement<S, G>, refusal: string): Requirement<S, G> => ({
  says: `${rule.says}; never on themselves`,
  async check(access, s) {
    const granted = await rule.check(access, s);
    if (access.viewer?.id === s.personId) throw forbidden(refusal);
    return granted;
  },
});

/**
 * `action` as a business the person may act as on the account (acting.ts): the owner through an own
 * role, a service provider through an active relationship. Grants the businesses they may act as
 * (the mutation then uses the one named, or the only one); with `among`, only those.
 */
const actsAs = <S extends { accountId: string; transactionId?: string; among?: string[] }>(
  action: Action,
  opts: { says: string; seesOwnSubmissions?: boolean; refusal: (s: S) => string },
): Requirement<S, string[]> => ({
  says: `${action} as a business the person may act as on the account: its owner through an own role, or a service provider through an active relationship${opts.says}`,
  async check(access, s) {
    let businesses = await actingBusinesses(access, s.accountId, action, { seesOwnSubmissions: opts.seesOwnSubmissions, transactionId: s.transactionId });
    if (s.among) businesses = businesses.filter((b) => s.among!.includes(b));
    if (businesses.length === 0) throw forbidden(opts.refusal(s));
    return businesses;
  },
});

/** `action` by a platform role (agency staff): read again from the person's locked row inside the transaction. */
const agencyRole = (action: Action, refusal: string): Requirement => ({
  says: `${action} by the person's platform role (agency officers)`,
  check(access) {
    if (!access.agencyCan(action)) throw forbidden(refusal);
  },
});

/** An agency action: its gate and its rule refuse alike (the gate with the sign-in's role, the rule again in the transaction). */
const agencyAction = (action: Action, target: string, refusal: string): Authority => ({
  gate: { kind: "agency", action, refusal },
  target,
  requires: agencyRole(action, refusal),
});

const NOT_AGENCY = "Only agency officers work on the agency's queues.";

interface EmployeeDecision {
  requestId: string;
  /** The requester. */
  personId: string;
  /** The accounts a decision grants roles on. */
  grants: { accountId: string; bn15: string }[];
}

/**
 * Deciding an employee's request: a BAM decides any request to their business; a PAM decides a
 * request naming only accounts they manage (conditions.ts, employeeRequestDeciderCondition), and
 * grants roles only on accounts they manage (and never more than PAM: the role list has no BAM).
 */
const decidesEmployeeRequest: Requirement<EmployeeDecision> = notOnThemselves(
  {
    says:
      "MANAGE_BUSINESS_ACCESS by the person's own role in the business (BAM), or MANAGE_PROGRAM_ACCESS on every program account " +
      "the request names (PAM); roles granted only on accounts where their own role allows MANAGE_PROGRAM_ACCESS",
    async check(access, s) {
      const [decider] = await query<{ id: string }>(
        access.db,
        sql`SELECT ar.id FROM employee_access_requests ar WHERE ar.id = ${s.requestId}::uuid AND ${employeeRequestDeciderCondition(access, "ar")}`,
      );
      if (!decider) throw forbidden("Only the business's BAM, or a PAM managing every program account the request names, can decide it.");
      for (const g of s.grants) if (!access.ownCan("MANAGE_PROGRAM_ACCESS", g.accountId)) throw forbidden(`You do not manage access to ${g.bn15}.`);
    },
  },
  "You cannot decide your own request.",
);

/** What a relationship covers: its level and listed accounts. */
export interface Coverage {
  level: "BUSINESS" | "PROGRAM_ACCOUNT" | null;
  accountIds: string[];
}

interface RelationshipChange {
  clientBusinessId: string;
  providerBusinessId: string;
  requestedById: string | null;
  /** What it covers now, and what it will cover once changed. */
  covered: Coverage;
  next: Coverage;
}

/**
 * Who decides for the client: its BAM, for anything; a PAM only when both what the relationship
 * covers now and what it will cover are program accounts they manage (a business-level relationship
 * reaches accounts they do not). Never the provider itself, whatever roles its people also hold.
 */
const managesRelationshipForClient: Requirement<RelationshipChange> = {
  says:
    "MANAGE_BUSINESS_ACCESS by the person's own role in the client (BAM), or MANAGE_PROGRAM_ACCESS on every program account the " +
    "relationship covers now and will cover (PAM; never business level); never a member of the provider, nor the person who requested it",
  check(access, s) {
    if (access.isMember(s.providerBusinessId) || s.requestedById === access.viewer?.id) {
      throw forbidden("A service provider cannot decide or change its own delegation: the client does.");
    }
    if (access.canOnBusiness("MANAGE_BUSINESS_ACCESS", s.clientBusinessId)) return;
    const pamCovers = (c: Coverage) => c.level !== "BUSINESS" && c.accountIds.length > 0 && c.accountIds.every((id) => access.ownCan("MANAGE_PROGRAM_ACCESS", id));
    if (pamCovers(s.covered) && pamCovers(s.next)) return;
    throw forbidden("Only the client's BAM (or, for program accounts they manage, a PAM) can decide or change this relationship.");
  },
};

const endsRelationship: Requirement<{ clientBusinessId: string; providerBusinessId: string }> = {
  says: "MANAGE_BUSINESS_ACCESS by the person's own role in the client or in the provider (either side's BAM)",
  check(access, s) {
    if (!access.canOnBusiness("MANAGE_BUSINESS_ACCESS", s.clientBusinessId) && !access.canOnBusiness("MANAGE_BUSINESS_ACCESS", s.providerBusinessId)) {
      throw forbidden("Only a BAM of the client or of the provider can end a relationship.");
    }
  },
};

const managesClientGroups = ownRoleInBusiness<{ businessId: string }>("MANAGE_BUSINESS_ACCESS", () => "Only the provider's BAM manages client groups.", "the provider");

// ---------------------------------------------------------------------------------------------
// Targets: how each mutation finds what it acts on (application/targets.ts and the modules' finders).

const BUSINESS = "a business, by its BN9 (NOT_FOUND unless the person may read its profile)";
const ACCOUNT = "a program account, by its BN15 (NOT_FOUND unless the person reaches it)";
const PROVIDER = "the service provider the person manages as its BAM (providerBn9 when they manage several; FORBIDDEN when none)";
const NONE = "nothing of a business: the person's own records";
const node = (type: string, field: string) => `the ${type} whose global id is ${field} (NOT_FOUND unless the person may see it: visibility.ts)`;

/** Every mutation's authority. Its keys are the schema's mutations, exactly (test/authority.test.ts). */
export const writeAuthority = {
  // Profile and self-service
  createProfile: authority({ kind: "no profile" }, "the person's own profile (one per identity-provider subject)", nothingMore),
  markNotificationsRead: authority(profile, NONE, nothingMore),
  setNotificationPreferences: authority(profile, NONE, nothingMore),
  registerBusiness: authority(
    profile,
    "a business not yet registered, by BN9 (a business that does not exist, or is registered to others, answers like wrong information)",
    notAgencyOfficer("register a business"),
  ),
  requestEmployeeAccess: authority(profile, "a registered business, by its BN9 (any: an employee does not know it beforehand)", notAgencyOfficer("join a business")),

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
  ),
  withdrawRulingRequest: authority(
    profile,
    node("RulingRequest", "rulingRequestId"),
    actsAs<{ accountId: string; among: string[] }>("SUBMIT_RULINGS", {
      says: ", whose visibility rules show what that business submits; only as the business that submitted it",
      seesOwnSubmissions: true,
      refusal: () => "Only the business that submitted this request (its people who submit ruling requests on the account) can withdraw it.",
    }),
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
  ),
  amendDeclaration: authority(
    profile,
    "a transaction, by its number (NOT_FOUND unless the person may see it)",
    actsAs<{ accountId: string; transactionId: string; among: string[] }>("EDIT_TRANSACTIONS", {
      says: ", whose visibility rules show the transaction and every version of it; only as its importer or the business that filed it",
      refusal: () => "You may not change this declaration on this program account.",
    }),
  ),
  makePayment: authority(
    profile,
    ACCOUNT,
    actsAs<{ accountId: string }>("SUBMIT_PAYMENTS", { says: "", refusal: () => "You may not make payments on this program account." }),
  ),
  disputePenalty: authority(
    profile,
    node("Penalty", "penaltyId"),
    // The importer contests its own penalty: its managers, through an own path (never a provider).
    ownRoleOnAccount<{ accountId: string }>("DISPUTE_PENALTIES", () => "Only the importer's BAM or the account's PAM can dispute a penalty."),
  ),
  requestRefund: authority(
    profile,
    ACCOUNT,
    // The money goes back to the importer: its managers ask, through an own path (never a provider).
    ownRoleOnAccount<{ accountId: string }>("REQUEST_REFUNDS", () => "Only the importer's BAM or the account's PAM can ask for a refund."),
  ),
  postFinancialSecurity: authority(
    profile,
    ACCOUNT,
    // The importer posts its own security (domain spec): its BAM. Never a service provider.
    ownRoleOnAccount<{ accountId: string }>("MANAGE_SECURITY", () => "Only the importer's BAM can post financial security."),
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
    .map(([name, a]) => `${name}\n  gate:     ${gateSays(a.gate)}\n  target:   ${a.target}\n  requires: ${a.requires.says}\n`)
    .join("\n");
}
