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
  description: "BAM: Business Account Manager of the owner; PROGRAM_ROLE: a role on the program account; RELATIONSHIP: acting for a client as its service provider.",
});

export enum VisibilityRule {
  ALL_TRANSACTIONS = "ALL_TRANSACTIONS",
  SUBMITTED_BY_PROVIDER = "SUBMITTED_BY_PROVIDER",
  SUBMITTED_BY_CLIENT = "SUBMITTED_BY_CLIENT",
  SUBMITTED_BY_OTHERS = "SUBMITTED_BY_OTHERS",
}
registerEnumType(VisibilityRule, { name: "VisibilityRule", description: "Which transactions of a program account a grant lets through." });

/** The policy's actions as a GraphQL enum, so that clients can show what a role allows. */
export const ActionEnum = Object.fromEntries(actions.map((a) => [a, a])) as { [K in Action]: K };
registerEnumType(ActionEnum, { name: "Action", description: "An action of the role x action table (src/auth/policy.ts)." });

@ObjectType({ description: "One path by which a person reaches a program account." })
export class AccessGrant {
  @Field(() => Role, { description: "The role this path gives (after the lesser-of rule and expiry)." })
  role!: Role;

  @Field(() => AccessVia)
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

  @Field(() => [AccessGrant])
  grants!: AccessGrant[];
}
