import { Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryColumn, PrimaryGeneratedColumn, CreateDateColumn, type Relation } from "typeorm";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { Business } from "../business/business.entity.js";
import { User } from "../user/user.entity.js";

/**
 * The agency's records that registration's affinity answers are checked against. In a real
 * deployment they come from the agency; here the seed and tests write them.
 * Deliberately not a GraphQL type: these answers are never readable through the API.
 */
@Entity({ name: "agency_affinity_records" })
export class AgencyAffinityRecord {
  @PrimaryColumn({ type: "uuid" })
  programAccountId!: string;

  @OneToOne(() => ProgramAccount, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "program_account_id" })
  programAccount?: Relation<ProgramAccount>;

  @Column({ type: "char", length: 14 })
  recentTransactionNumber!: string;

  @Column({ type: "numeric", precision: 14, scale: 2 })
  recentTransactionTotal!: string;

  @Column({ type: "numeric", precision: 14, scale: 2 })
  lastPaymentAmount!: string;

  @Column({ type: "numeric", precision: 14, scale: 2 })
  lastStatementBalance!: string;
}

/**
 * Every registration attempt, so that repeated failures can be throttled per person and per
 * (person, business). An attempt on a BN9 that no business has is recorded without a business.
 */
@Entity({ name: "registration_attempts" })
@Index("registration_attempts_business_created", ["businessId", "createdAt"])
@Index("registration_attempts_user_created", ["userId", "createdAt"])
export class RegistrationAttempt {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column({ type: "uuid", nullable: true })
  businessId!: string | null;

  @ManyToOne(() => Business, { onDelete: "CASCADE", nullable: true })
  @JoinColumn({ name: "business_id" })
  business?: Relation<Business>;

  @Column({ type: "uuid" })
  userId!: string;

  @ManyToOne(() => User, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "user_id" })
  user?: Relation<User>;

  @Column({ type: "boolean" })
  succeeded!: boolean;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}
