import { Field, ObjectType } from "type-graphql";
import { LocalDate } from "../../common/dates.js";
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { PenaltyDisputeStatus } from "../../common/enums.js";
import { MONEY_COLUMN, MoneyScalar } from "../../common/money.js";
import { Node } from "../../common/node.js";
import { Business } from "../business/business.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";

/**
 * An AMPS penalty (Administrative Monetary Penalty System, Customs Act s.109.1) that an agency
 * officer assessed on a program account: the contravention, the amount, the notice. It is posted on
 * the account's statement as a debt (PostingKind.PENALTY), due with that statement, and bears
 * interest like any debt once overdue. The importer may dispute it once (PenaltyDispute); what a
 * decided dispute cancels is posted as a credit. Seen like the account's payments (auth/money.ts).
 */
@ObjectType({ simpleResolvers: true, implements: Node, description: "An AMPS penalty assessed by the agency on a program account." })
@Entity({ name: "penalties" })
@Index("penalties_account_assessed", ["programAccountId", "createdAt"])
@Index("penalties_idempotency", ["programAccountId", "idempotencyKey"], { unique: true })
@Check("penalties_amount", `"amount" > 0 AND "cancelled_amount" >= 0 AND "cancelled_amount" <= "amount"`)
@Check("penalties_contravention", `"contravention" ~ '^C[0-9]{3}[A-Z]?$'`)
export class Penalty extends Node {
  @Column({ type: "uuid" })
  programAccountId!: string;

  @ManyToOne(() => ProgramAccount, { onDelete: "RESTRICT", nullable: false })
  @JoinColumn({ name: "program_account_id" })
  programAccount?: Relation<ProgramAccount>;

  @Field(() => String, { description: "The AMPS contravention number (e.g. C152)." })
  @Column({ type: "varchar", length: 5 })
  contravention!: string;

  @Field(() => String, { description: "What the contravention was, as the notice states it." })
  @Column({ type: "varchar", length: 1000 })
  description!: string;

  @Field(() => MoneyScalar, { description: "The penalty assessed." })
  @Column(MONEY_COLUMN)
  amount!: string;

  @Field(() => MoneyScalar, { description: "What a decided dispute cancelled of it (posted as a credit); 0.00 otherwise." })
  @Column({ ...MONEY_COLUMN, default: 0 })
  cancelledAmount!: string;

  @Field(() => String, { description: "The notice of penalty assessment's number." })
  @Index({ unique: true })
  @Column({ type: "varchar", length: 30 })
  noticeNumber!: string;

  @Field(() => LocalDate, { description: "The business date it was assessed (YYYY-MM-DD)." })
  @Column({ type: "date" })
  assessedOn!: string;

  @Field(() => LocalDate, { description: "When it is due: the due date of the statement it is posted on; interest runs on what is unpaid after it." })
  @Column({ type: "date" })
  dueOn!: string;

  @Column({ type: "varchar", length: 100 })
  idempotencyKey!: string;

  @Column({ type: "uuid" })
  assessedByUserId!: string;

  @ManyToOne(() => User, { onDelete: "RESTRICT", nullable: false })
  @JoinColumn({ name: "assessed_by_user_id" })
  assessedBy?: Relation<User>;
}

/**
 * The importer's dispute of a penalty: a request the agency's queue decides (one per penalty). An
 * officer upholds the penalty or cancels all or part of it; the cancelled part is posted as a credit.
 */
@ObjectType({ simpleResolvers: true, implements: Node, description: "The importer's dispute of an AMPS penalty, decided by the agency." })
@Entity({ name: "penalty_disputes" })
@Index("penalty_disputes_penalty", ["penaltyId"], { unique: true })
@Index("penalty_disputes_status", ["status", "createdAt"])
@Check("penalty_disputes_cancelled", `"cancelled_amount" >= 0`)
export class PenaltyDispute extends Node {
  @Column({ type: "uuid" })
  penaltyId!: string;

  @ManyToOne(() => Penalty, { onDelete: "RESTRICT", nullable: false })
  @JoinColumn({ name: "penalty_id" })
  penalty?: Relation<Penalty>;

  @Field(() => PenaltyDisputeStatus, { description: "Where the dispute stands." })
  @Column({ type: "enum", enum: PenaltyDisputeStatus, enumName: "penalty_dispute_status", default: PenaltyDisputeStatus.SUBMITTED })
  status!: PenaltyDisputeStatus;

  @Field(() => String, { description: "Why the importer disputes it." })
  @Column({ type: "varchar", length: 2000 })
  reason!: string;

  @Column({ type: "uuid", nullable: true })
  requestedByUserId!: string | null;

  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "requested_by_user_id" })
  requestedBy?: Relation<User> | null;

  @Column({ type: "uuid" })
  requestedByBusinessId!: string;

  @ManyToOne(() => Business, { onDelete: "RESTRICT", nullable: false })
  @JoinColumn({ name: "requested_by_business_id" })
  requestedByBusiness?: Relation<Business>;

  @Field(() => MoneyScalar, { description: "What the decision cancelled of the penalty (0.00 when upheld)." })
  @Column({ ...MONEY_COLUMN, default: 0 })
  cancelledAmount!: string;

  @Field(() => Date, { nullable: true, description: "When the agency decided the dispute (null while it waits)." })
  @Column({ type: "timestamptz", nullable: true })
  decidedAt!: Date | null;

  @Column({ type: "uuid", nullable: true })
  decidedByUserId!: string | null;

  @Field(() => String, { nullable: true, description: "The officer's reasons." })
  @Column({ type: "varchar", length: 1000, nullable: true })
  decisionNote!: string | null;
}
