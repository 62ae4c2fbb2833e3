import { Field, ObjectType, registerEnumType } from "type-graphql";
import { RelationshipStatus, Role } from "../../common/enums.js";
import { actions, type Action } from "../../auth/policy.js";

export enum AccessVia {
  BAM = "BAM",
  PROGRAM_ROLE = "PROGRAM_ROLE",
  RELATIONSHIP = "RELATIONSHIP",
}
registerEnumType(AccessVia, {
  name: "AccessVia",
  description: "BAM: Business Account Manager of the owner; PROGRAM_ROLE: a role on the program account; RELATIONSHIP: acting for a client as its service provider.", valuesConfig: {
    BAM: { description: "Business Account Manager of the business that owns the account." },
    PROGRAM_ROLE: { description: "A role (PAM, Editor, Reader) held on the account itself." },
    RELATIONSHIP: { description: "Acting for a client as (an employee of) its service provider." },
  } });

export enum VisibilityRule {
  ALL_TRANSACTIONS = "ALL_TRANSACTIONS",
  SUBMITTED_BY_PROVIDER = "SUBMITTED_BY_PROVIDER",
  SUBMITTED_BY_CLIENT = "SUBMITTED_BY_CLIENT",
  SUBMITTED_BY_OTHERS = "SUBMITTED_BY_OTHERS",
}
registerEnumType(VisibilityRule, { name: "VisibilityRule", description: "Which transactions of a program account a grant lets through.", valuesConfig: {
    ALL_TRANSACTIONS: { description: "Every transaction of the account (the owner's own people)." },
    SUBMITTED_BY_CLIENT: { description: "Transactions the client itself submitted." },
    SUBMITTED_BY_OTHERS: { description: "Transactions submitted by other businesses." },
    SUBMITTED_BY_PROVIDER: { description: "Transactions the provider submitted." },
  } });

/** The policy's actions as a GraphQL enum, so that clients can show what a role allows. */
export const ActionEnum = Object.fromEntries(actions.map((a) => [a, a])) as { [K in Action]: K };
registerEnumType(ActionEnum, { name: "Action", description: "An action of the role x action table (src/auth/policy.ts).", valuesConfig: {
    ASSESS_PENALTIES: { description: "Agency: assess AMPS penalties on program accounts." },
    DECIDE_PENALTY_DISPUTES: { description: "Agency: decide importers' disputes of penalties." },
    DECIDE_REFUNDS: { description: "Agency: approve or refuse refunds of credit balances." },
    DECIDE_RULINGS: { description: "Agency: assign and decide ruling requests." },
    DISPUTE_PENALTIES: { description: "Dispute an AMPS penalty assessed on the account." },
    EDIT_LEGAL_ENTITY: { description: "Change the business's legal name and address." },
    EDIT_TRANSACTIONS: { description: "File declarations and submit corrections and adjustments." },
    ISSUE_STATEMENTS: { description: "Agency: issue a billing cycle's statements by hand." },
    MANAGE_BUSINESS_ACCESS: { description: "Add or remove BAMs and decide employee requests for any program account." },
    MANAGE_PROGRAM_ACCESS: { description: "Decide requests and assign roles (never BAM) on one program account." },
    MANAGE_SECURITY: { description: "Post and manage financial security (bonds, cash deposits)." },
    REGISTER_SERVICE_PROVIDER: { description: "Make the business a service provider (with its ASEC), so it can act for clients." },
    REQUEST_REFUNDS: { description: "Ask the agency to pay back the account's credit balance." },
    REVIEW_ADJUSTMENTS: { description: "Agency: the adjustment review queue." },
    SET_INTEREST_RATES: { description: "Agency: set the prescribed rates overdue interest is computed at." },
    SUBMIT_PAYMENTS: { description: "Pay the account's statements." },
    SUBMIT_RULINGS: { description: "Submit and withdraw advance ruling requests." },
    VIEW_AUDIT: { description: "Read the business's audit trail." },
    VIEW_BUSINESS_PROFILE: { description: "Read the business's profile: legal name, address, registration." },
    VIEW_MEMBERS: { description: "See who belongs to the business and who can reach a program account." },
    VIEW_PAYMENTS: { description: "See payments on the account." },
    VIEW_PAYMENT_DETAILS: { description: "See payments' references and instrument digits." },
    VIEW_PROGRAM_ACCOUNT: { description: "See the program account's identity (BN15, name)." },
    VIEW_RELATIONSHIP_SETTINGS: { description: "See the terms of relationships with service providers or clients." },
    VIEW_RULINGS: { description: "See ruling requests." },
    VIEW_SECURITY: { description: "See the financial security posted for the account." },
    VIEW_STATEMENTS: { description: "See Statements of Account." },
    VIEW_TRANSACTIONS: { description: "See declarations (within the visibility rules of a relationship)." },
  } });

@ObjectType({ description: "One path by which a person reaches a program account." })
export class AccessGrant {
  @Field(() => Role, { description: "The role this path gives (after the lesser-of rule and expiry)." })
  role!: Role;

  @Field(() => AccessVia, { description: "How the person reaches it: as BAM of the owner, by a role on the account, or through a relationship with a client." })
  via!: AccessVia;

  programAccountId!: string;
  /** Business whose membership gives the grant (BAM, PROGRAM_ROLE) or the provider (RELATIONSHIP). */
  throughBusinessId!: string;
  relationshipId!: string | null;

  @Field(() => RelationshipStatus, { nullable: true, description: "For RELATIONSHIP: ACTIVE, EXPIRED or REVOKED." })
  relationshipStatus!: RelationshipStatus | null;

  @Field(() => Role, { nullable: true, description: "For RELATIONSHIP: the role the client granted the provider." })
  relationshipRole!: Role | null;

  @Field(() => String, { nullable: true, description: "For a provider's employee: the client group that assigns them this client." })
  clientGroupName!: string | null;

  @Field(() => Role, { nullable: true, description: "For a provider's employee: their role in that client group." })
  assignmentRole!: Role | null;

  @Field(() => [VisibilityRule], { description: "The transactions this path lets through." })
  transactionVisibility!: VisibilityRule[];
}

@ObjectType({ description: "Why you can see an object: the paths that reach it and what they allow." })
export class AccessExplanation {
  @Field(() => String, { description: "The type of the object explained." })
  targetType!: string;

  @Field(() => Role, { nullable: true, description: "Your strongest role on it." })
  effectiveRole!: Role | null;

  @Field(() => [ActionEnum], { description: "What that gives you on it." })
  allowedActions!: Action[];

  @Field(() => [AccessGrant], { description: "Every path by which you reach it." })
  grants!: AccessGrant[];

  @Field(() => VisibilityRule, { nullable: true, description: "For a transaction: the rule that lets you see it." })
  matchedVisibilityRule!: VisibilityRule | null;
}

@ObjectType({ description: "A person who can reach a program account, and through what." })
export class AccessReviewEntry {
  userId!: string;

  @Field(() => Role, { description: "Their strongest role on the program account." })
  role!: Role;

  @Field(() => [AccessGrant], { description: "Every path by which this person reaches the account, with the role and visibility each gives." })
  grants!: AccessGrant[];
}
