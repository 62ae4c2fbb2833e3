import { Field, ObjectType } from "type-graphql";
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { ProviderRole, RelationshipLevel, RelationshipStatus } from "../../common/enums.js";
import { Node } from "../../common/node.js";
import { Business } from "../business/business.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";

/**
 * Delegation from a client business to a third-party service provider (a broker).
 * Expiry needs no job: a relationship whose `expiresAt` has passed reads as EXPIRED everywhere.
 */
@ObjectType("Relationship", { simpleResolvers: true, implements: Node, description: "Delegation from a client business to a service provider (broker)." })
@Entity({ name: "relationships" })
@Index("relationships_client", ["clientBusinessId", "status"])
@Index("relationships_provider", ["providerBusinessId", "status"])
// One live (pending or active) relationship per pair; ended ones stay for the record.
@Index("relationships_one_live_per_pair", ["clientBusinessId", "providerBusinessId"], {
  unique: true,
  where: `"status" IN ('PENDING', 'ACTIVE')`,
})
@Check("relationships_status_stored", `"status" <> 'EXPIRED'`)
@Check("relationships_not_self", `"client_business_id" <> "provider_business_id"`)
@Check("relationships_active_has_terms", `"status" <> 'ACTIVE' OR ("level" IS NOT NULL AND "role" IS NOT NULL)`)
export class BusinessRelationship extends Node {
  static override get graphqlType() {
    return "Relationship";
  }

  @Column({ type: "uuid" })
  clientBusinessId!: string;

  @ManyToOne(() => Business, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "client_business_id" })
  clientBusiness?: Relation<Business>;

  @Column({ type: "uuid" })
  providerBusinessId!: string;

  @ManyToOne(() => Business, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "provider_business_id" })
  providerBusiness?: Relation<Business>;

  @Column({ type: "enum", enum: RelationshipStatus, enumName: "relationship_status", default: RelationshipStatus.PENDING })
  status!: RelationshipStatus;

  @Field(() => RelationshipLevel, { nullable: true, description: "Business level (every account) or program-account level (listed accounts); null until approved." })
  @Column({ type: "enum", enum: RelationshipLevel, enumName: "relationship_level", nullable: true })
  level!: RelationshipLevel | null;

  @Field(() => ProviderRole, { nullable: true, description: "Editor or Reader, given by the client; null until approved." })
  @Column({ type: "enum", enum: ProviderRole, enumName: "provider_role", nullable: true })
  role!: ProviderRole | null;

  @Field(() => Date, { nullable: true, description: "When it expires (null: no expiry)." })
  @Column({ type: "timestamptz", nullable: true })
  expiresAt!: Date | null;

  @Field(() => Boolean, { description: "The provider sees transactions it submitted for the client." })
  @Column({ type: "boolean", default: false })
  seeSubmittedByProvider!: boolean;

  @Field(() => Boolean, { description: "The provider sees transactions the client submitted itself." })
  @Column({ type: "boolean", default: false })
  seeSubmittedByClient!: boolean;

  @Field(() => Boolean, { description: "The provider sees transactions other businesses (e.g. another broker) submitted." })
  @Column({ type: "boolean", default: false })
  seeSubmittedByOthers!: boolean;

  @Field(() => String, { nullable: true, description: "The provider's comment on its request." })
  @Column({ type: "varchar", length: 1000, nullable: true })
  requestComment!: string | null;

  @Column({ type: "uuid", nullable: true })
  requestedById!: string | null;

  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "requested_by_id" })
  requestedBy?: Relation<User> | null;

  @Column({ type: "uuid", nullable: true })
  decidedById!: string | null;

  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "decided_by_id" })
  decidedBy?: Relation<User> | null;

  @Field(() => Date, { nullable: true, description: "When the client approved or rejected the request (null while pending)." })
  @Column({ type: "timestamptz", nullable: true })
  decidedAt!: Date | null;

  @Column({ type: "uuid", nullable: true })
  endedById!: string | null;

  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "ended_by_id" })
  endedBy?: Relation<User> | null;

  @Field(() => Date, { nullable: true, description: "When either side ended it (null while in force)." })
  @Column({ type: "timestamptz", nullable: true })
  endedAt!: Date | null;

  /** The status as of `now`: ACTIVE past its expiry is EXPIRED. */
  effectiveStatus(now: Date = new Date()): RelationshipStatus {
    if (this.status === RelationshipStatus.ACTIVE && this.expiresAt && this.expiresAt.getTime() <= now.getTime()) {
      return RelationshipStatus.EXPIRED;
    }
    return this.status;
  }
}

/** For PROGRAM_ACCOUNT-level relationships: the client's program accounts it covers. */
@Entity({ name: "relationship_program_accounts" })
@Index("relationship_program_accounts_account", ["programAccountId"])
export class RelationshipProgramAccount {
  @PrimaryColumn({ type: "uuid" })
  relationshipId!: string;

  @ManyToOne(() => BusinessRelationship, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "relationship_id" })
  relationship?: Relation<BusinessRelationship>;

  @PrimaryColumn({ type: "uuid" })
  programAccountId!: string;

  @ManyToOne(() => ProgramAccount, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "program_account_id" })
  programAccount?: Relation<ProgramAccount>;
}
