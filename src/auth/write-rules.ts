import { forbidden } from "../common/errors.js";
import { query, sql } from "../db/sql.js";
import type { Access } from "./access.js";
import { actingBusinesses, type ActingBusiness } from "./acting.js";
import { employeeRequestDeciderCondition } from "./conditions.js";
import type { Action } from "./policy.js";

/**
 * The rules write authority is written in (the table: authority.ts). Each names the action of the
 * role table (policy.ts) it rests on and reads the person's Access; a refusal is FORBIDDEN with a
 * message a person can act on. A rule runs twice for a change: before its transaction with the
 * request's access, and inside it with the access read there (application/mutation.ts).
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
  /** What the change does to the person's own access: whether it is read again after the commit (application/mutation.ts). */
  readonly access: AccessEffect;
}

/**
 * What a mutation's change does to the acting person's own access (their memberships, program roles,
 * client groups, relationships, platform role: what auth/access-loader.ts reads), and so what the
 * runner does after the commit for the payload:
 * - "may change it": read again from the database (one statement), the payload judged by what the
 *   change gave or took. The default: a mutation says otherwise only where it writes none of those.
 * - "changes none": the access read inside the transaction is kept (the person's memberships,
 *   program roles and profile row were locked there until the commit), its caches dropped.
 */
export type AccessEffect = "may change it" | "changes none";

export const profile: Gate = { kind: "profile" };
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

/** One mutation's authority; `access`: what the change does to the person's own access (AccessEffect), "may change it" unless said. */
export const authority = <S, G>(gate: Gate, target: string, requires: Requirement<S, G>, access: AccessEffect = "may change it"): Authority<S, G> => ({
  gate,
  target,
  requires,
  access,
});

/** For `authority`'s last argument: the mutation writes nothing that a person's access is read from. */
export const CHANGES_NO_ACCESS: AccessEffect = "changes none";

/** The access effect in words (the snapshot). */
export const accessEffectSays = (effect: AccessEffect): string =>
  effect === "changes none" ? "changes none of the person's access: the access read in the transaction serves the payload" : "may change the person's access: read again after the commit";



export const nothingMore: Requirement = { says: "nothing more: the person's own records", check: () => undefined };

/** Not an agency officer: agency staff act for the agency only. */
export const notAgencyOfficer = (what: string): Requirement => ({
  says: "not an agency officer (agency staff act for the agency only)",
  check(access) {
    if (access.isAgencyOfficer) throw forbidden(`Agency officers act for the agency only and cannot ${what}.`);
  },
});

/** `action` by the person's own role in the business (BAM, or a program role whose row allows it). */
export const ownRoleInBusiness = <S extends { businessId: string }>(action: Action, refusal: (s: S) => string, where = "the business"): Requirement<S> => ({
  // A business's own people, never a provider acting for it (a provider's own business has no such provider).
  says: `${action} by the person's own role in ${where}${where === "the business" ? " (never as a service provider acting for it)" : ""}`,
  check(access, s) {
    if (!access.canOnBusiness(action, s.businessId)) throw forbidden(refusal(s));
  },
});

/** `action` by the person's own role on the program account. */
export const ownRoleOnAccount = <S extends { accountId: string }>(action: Action, refusal: (s: S) => string): Requirement<S> => ({
  says: `${action} by the person's own role on the program account (never as a service provider acting for it)`,
  check(access, s) {
    if (!access.ownCan(action, s.accountId)) throw forbidden(refusal(s));
  },
});

/** `rule`, and never on the person themselves ("nobody changes their own role"). */
export const notOnThemselves = <S extends { personId: string }, G>(rule: Requirement<S, G>, refusal: string): Requirement<S, G> => ({
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
export const actsAs = <S extends { accountId: string; transactionId?: string; among?: string[] }>(
  action: Action,
  opts: { says: string; seesOwnSubmissions?: boolean; refusal: (s: S) => string },
): Requirement<S, ActingBusiness[]> => ({
  says: `${action} as a business the person may act as on the account: its owner through an own role, or a service provider through an active relationship${opts.says}`,
  async check(access, s) {
    let businesses = await actingBusinesses(access, s.accountId, action, { seesOwnSubmissions: opts.seesOwnSubmissions, transactionId: s.transactionId });
    if (s.among) businesses = businesses.filter((b) => s.among!.includes(b.id));
    if (businesses.length === 0) throw forbidden(opts.refusal(s));
    return businesses;
  },
});

/** `action` by a platform role (agency staff): read again from the person's locked row inside the transaction. */
export const agencyRole = (action: Action, refusal: string): Requirement => ({
  says: `${action} by the person's platform role (agency officers)`,
  check(access) {
    if (!access.agencyCan(action)) throw forbidden(refusal);
  },
});

/** An agency action: its gate and its rule refuse alike (the gate with the sign-in's role, the rule again in the transaction). */
export const agencyAction = (action: Action, target: string, refusal: string): Authority => ({
  gate: { kind: "agency", action, refusal },
  target,
  requires: agencyRole(action, refusal),
  // The agency's queues: rulings, penalties, refunds, adjustments, statements, rates; never anyone's access.
  access: "changes none",
});

export const NOT_AGENCY = "Only agency officers work on the agency's queues.";

export interface EmployeeDecision {
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
export const decidesEmployeeRequest: Requirement<EmployeeDecision> = notOnThemselves(
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

export interface RelationshipChange {
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
export const managesRelationshipForClient: Requirement<RelationshipChange> = {
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

export const endsRelationship: Requirement<{ clientBusinessId: string; providerBusinessId: string }> = {
  says: "MANAGE_BUSINESS_ACCESS by the person's own role in the client or in the provider (either side's BAM)",
  check(access, s) {
    if (!access.canOnBusiness("MANAGE_BUSINESS_ACCESS", s.clientBusinessId) && !access.canOnBusiness("MANAGE_BUSINESS_ACCESS", s.providerBusinessId)) {
      throw forbidden("Only a BAM of the client or of the provider can end a relationship.");
    }
  },
};

export const managesClientGroups = ownRoleInBusiness<{ businessId: string }>("MANAGE_BUSINESS_ACCESS", () => "Only the provider's BAM manages client groups.", "the provider");

