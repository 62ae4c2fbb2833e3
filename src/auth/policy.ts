import { Role } from "../common/enums.js";

/**
 * The role x action table: the whole of "who may do what" on a program account or business.
 * `Record<Role, Record<Action, boolean>>` makes it exhaustive at compile time: adding a role or an
 * action does not build until every cell is decided. A diff of this table is a permission change.
 */
export const actions = [
  "VIEW_BUSINESS_PROFILE", // address, registration details of the business
  "EDIT_LEGAL_ENTITY", // legal name and address
  "REGISTER_SERVICE_PROVIDER", // make the business a service provider (with its ASEC), so it can act for clients
  "VIEW_MEMBERS", // who belongs to the business / can reach a program account
  "MANAGE_BUSINESS_ACCESS", // add or remove BAMs, decide employee requests for any program
  "MANAGE_PROGRAM_ACCESS", // decide requests and assign roles (never BAM) on one program account
  "VIEW_RELATIONSHIP_SETTINGS",
  "VIEW_AUDIT",
  "VIEW_PROGRAM_ACCOUNT", // program account identity (BN15, name)
  "VIEW_TRANSACTIONS",
  "EDIT_TRANSACTIONS",
  "VIEW_STATEMENTS",
  "VIEW_PAYMENTS",
  "VIEW_PAYMENT_DETAILS", // references and instrument digits
  "SUBMIT_PAYMENTS",
  "REQUEST_REFUNDS", // ask the agency to pay back the account's credit balance
  "DISPUTE_PENALTIES", // dispute an AMPS penalty assessed on the account
  "VIEW_SECURITY",
  "MANAGE_SECURITY",
  "VIEW_RULINGS",
  "SUBMIT_RULINGS",
  "REVIEW_ADJUSTMENTS", // agency: the adjustment review queue (with the money work)
  "DECIDE_RULINGS", // agency: the ruling queue, assigning and deciding ruling requests
  "ISSUE_STATEMENTS", // agency: issuing a cycle's statements by hand (with the money work)
  "SET_INTEREST_RATES", // agency: the prescribed rates overdue interest is computed at
  "ASSESS_PENALTIES", // agency: assess AMPS penalties on program accounts
  "DECIDE_PENALTY_DISPUTES", // agency: decide the importers' disputes of penalties
  "DECIDE_REFUNDS", // agency: approve or refuse refunds of credit balances
] as const;
export type Action = (typeof actions)[number];

const none: Record<Action, false> = Object.fromEntries(actions.map((a) => [a, false])) as Record<Action, false>;

export const roleActions: Record<Role, Record<Action, boolean>> = {
  [Role.BAM]: {
    VIEW_BUSINESS_PROFILE: true,
    EDIT_LEGAL_ENTITY: true,
    REGISTER_SERVICE_PROVIDER: true,
    VIEW_MEMBERS: true,
    MANAGE_BUSINESS_ACCESS: true,
    MANAGE_PROGRAM_ACCESS: true,
    VIEW_RELATIONSHIP_SETTINGS: true,
    VIEW_AUDIT: true,
    VIEW_PROGRAM_ACCOUNT: true,
    VIEW_TRANSACTIONS: true,
    EDIT_TRANSACTIONS: true,
    VIEW_STATEMENTS: true,
    VIEW_PAYMENTS: true,
    VIEW_PAYMENT_DETAILS: true,
    SUBMIT_PAYMENTS: true,
    // Money leaves the agency to the importer, or a penalty is contested: the account's managers.
    REQUEST_REFUNDS: true,
    DISPUTE_PENALTIES: true,
    VIEW_SECURITY: true,
    MANAGE_SECURITY: true,
    VIEW_RULINGS: true,
    SUBMIT_RULINGS: true,
    REVIEW_ADJUSTMENTS: false,
    DECIDE_RULINGS: false,
    ISSUE_STATEMENTS: false,
    SET_INTEREST_RATES: false,
    ASSESS_PENALTIES: false,
    DECIDE_PENALTY_DISPUTES: false,
    DECIDE_REFUNDS: false,
  },
  [Role.PAM]: {
    VIEW_BUSINESS_PROFILE: true,
    EDIT_LEGAL_ENTITY: false,
    REGISTER_SERVICE_PROVIDER: false,
    VIEW_MEMBERS: true,
    MANAGE_BUSINESS_ACCESS: false,
    MANAGE_PROGRAM_ACCESS: true,
    VIEW_RELATIONSHIP_SETTINGS: true,
    VIEW_AUDIT: false,
    VIEW_PROGRAM_ACCOUNT: true,
    VIEW_TRANSACTIONS: true,
    EDIT_TRANSACTIONS: true,
    VIEW_STATEMENTS: true,
    VIEW_PAYMENTS: true,
    VIEW_PAYMENT_DETAILS: true,
    SUBMIT_PAYMENTS: true,
    REQUEST_REFUNDS: true,
    DISPUTE_PENALTIES: true,
    // The spec: financial security is read by BAM and the program's PAM, managed by BAM only.
    VIEW_SECURITY: true,
    MANAGE_SECURITY: false,
    VIEW_RULINGS: true,
    SUBMIT_RULINGS: true,
    REVIEW_ADJUSTMENTS: false,
    DECIDE_RULINGS: false,
    ISSUE_STATEMENTS: false,
    SET_INTEREST_RATES: false,
    ASSESS_PENALTIES: false,
    DECIDE_PENALTY_DISPUTES: false,
    DECIDE_REFUNDS: false,
  },
  [Role.EDITOR]: {
    VIEW_BUSINESS_PROFILE: true,
    EDIT_LEGAL_ENTITY: false,
    REGISTER_SERVICE_PROVIDER: false,
    VIEW_MEMBERS: false,
    MANAGE_BUSINESS_ACCESS: false,
    MANAGE_PROGRAM_ACCESS: false,
    VIEW_RELATIONSHIP_SETTINGS: false,
    VIEW_AUDIT: false,
    VIEW_PROGRAM_ACCOUNT: true,
    VIEW_TRANSACTIONS: true,
    EDIT_TRANSACTIONS: true,
    VIEW_STATEMENTS: true,
    VIEW_PAYMENTS: true,
    VIEW_PAYMENT_DETAILS: true,
    SUBMIT_PAYMENTS: true,
    REQUEST_REFUNDS: false,
    DISPUTE_PENALTIES: false,
    VIEW_SECURITY: false,
    MANAGE_SECURITY: false,
    VIEW_RULINGS: true,
    SUBMIT_RULINGS: true,
    REVIEW_ADJUSTMENTS: false,
    DECIDE_RULINGS: false,
    ISSUE_STATEMENTS: false,
    SET_INTEREST_RATES: false,
    ASSESS_PENALTIES: false,
    DECIDE_PENALTY_DISPUTES: false,
    DECIDE_REFUNDS: false,
  },
  [Role.READER]: {
    VIEW_BUSINESS_PROFILE: true,
    EDIT_LEGAL_ENTITY: false,
    REGISTER_SERVICE_PROVIDER: false,
    VIEW_MEMBERS: false,
    MANAGE_BUSINESS_ACCESS: false,
    MANAGE_PROGRAM_ACCESS: false,
    VIEW_RELATIONSHIP_SETTINGS: false,
    VIEW_AUDIT: false,
    VIEW_PROGRAM_ACCOUNT: true,
    VIEW_TRANSACTIONS: true,
    EDIT_TRANSACTIONS: false,
    VIEW_STATEMENTS: true,
    VIEW_PAYMENTS: true,
    VIEW_PAYMENT_DETAILS: false,
    SUBMIT_PAYMENTS: false,
    REQUEST_REFUNDS: false,
    DISPUTE_PENALTIES: false,
    VIEW_SECURITY: false,
    MANAGE_SECURITY: false,
    VIEW_RULINGS: true,
    SUBMIT_RULINGS: false,
    REVIEW_ADJUSTMENTS: false,
    DECIDE_RULINGS: false,
    ISSUE_STATEMENTS: false,
    SET_INTEREST_RATES: false,
    ASSESS_PENALTIES: false,
    DECIDE_PENALTY_DISPUTES: false,
    DECIDE_REFUNDS: false,
  },
  // Only their own profile: registering a business or asking an employer for access are not
  // actions on someone else's data.
  [Role.ORPHAN]: { ...none },
  // A former provider's user: read-only, and only the transactions the provider submitted
  // (the transaction filter enforces "only those"; this row says "only reading them").
  [Role.EXPIRED]: { ...none, VIEW_PROGRAM_ACCOUNT: true, VIEW_TRANSACTIONS: true },
  [Role.AGENCY_OFFICER]: {
    ...none, REVIEW_ADJUSTMENTS: true, DECIDE_RULINGS: true, ISSUE_STATEMENTS: true, SET_INTEREST_RATES: true,
    ASSESS_PENALTIES: true, DECIDE_PENALTY_DISPUTES: true, DECIDE_REFUNDS: true,
  },
};

/** Roles that can be held on a program account, weakest first (for "the lesser of" two roles). */
const ranks: Partial<Record<Role, number>> = {
  [Role.EXPIRED]: 0,
  [Role.READER]: 1,
  [Role.EDITOR]: 2,
  [Role.PAM]: 3,
  [Role.BAM]: 4,
};

/** Strength of a role on a program account (-1 for roles that are not held on one). */
export function rank(role: Role): number {
  return ranks[role] ?? -1;
}

export function lesserRole(a: Role, b: Role): Role {
  return rank(a) <= rank(b) ? a : b;
}

export function greaterRole(a: Role, b: Role): Role {
  return rank(a) >= rank(b) ? a : b;
}

export function roleAllows(role: Role, action: Action): boolean {
  return roleActions[role][action];
}

/** The roles whose row of the table allows `action`: how SQL filters apply the same table. */
export function rolesAllowing(action: Action): Role[] {
  return (Object.keys(roleActions) as Role[]).filter((r) => roleActions[r][action]);
}
