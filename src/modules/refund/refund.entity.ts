import { Field, ObjectType } from "type-graphql";
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { RefundStatus } from "../../common/enums.js";
import { MONEY_COLUMN, MoneyScalar } from "../../common/money.js";
import { Node } from "../../common/node.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";

/**
 * The importer's request that the agency pay back (part of) the account's credit balance. The
 * agency's queue decides it; an approved refund is posted as a REFUND line that uses up that much of
 * the credit, with the payout's reference. One request at a time per account is waiting. Seen like
 * the account's payments (auth/money.ts); the reference is a payment detail (not for Readers).
 */
@ObjectType({ simpleResolvers: true, implements: Node, description: "A request to refund a program account's credit balance, decided by the agency." })
@Entity({ name: "refund_requests" })
@Index("refund_requests_account", ["programAccountId", "createdAt"])
@Index("refund_requests_one_waiting", ["programAccountId"], { unique: true, where: `"status" = 'REQUESTED'` })
@Index("refund_requests_status", ["status", "createdAt"])
@Check("refund_requests_amount", `"amount" > 0`)
export class RefundRequest extends Node {
  @Column({ type: "uuid" })
  programAccountId!: string;

  @ManyToOne(() => ProgramAccount, { onDelete: "RESTRICT", nullable: false })
  @JoinColumn({ name: "program_account_id" })
  programAccount?: Relation<ProgramAccount>;

  @Field(() => MoneyScalar, { description: "The amount to refund (at most the credit balance when requested and when approved)." })
  @Column(MONEY_COLUMN)
  amount!: string;

  @Field(() => RefundStatus, { description: "Where the request stands." })
  @Column({ type: "enum", enum: RefundStatus, enumName: "refund_status", default: RefundStatus.REQUESTED })
  status!: RefundStatus;

  @Field(() => String, { nullable: true, description: "Why the importer asks (optional)." })
  @Column({ type: "varchar", length: 1000, nullable: true })
  reason!: string | null;

  @Column({ type: "uuid", nullable: true })
  requestedByUserId!: string | null;

  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "requested_by_user_id" })
  requestedBy?: Relation<User> | null;

  @Field(() => Date, { nullable: true, description: "When the agency decided it (null while it waits)." })
  @Column({ type: "timestamptz", nullable: true })
  decidedAt!: Date | null;

  @Column({ type: "uuid", nullable: true })
  decidedByUserId!: string | null;

  @Field(() => String, { nullable: true, description: "The officer's note: the reason for a refusal." })
  @Column({ type: "varchar", length: 1000, nullable: true })
  decisionNote!: string | null;

  @Field(() => String, { nullable: true, description: "The payout's reference, once approved. Not visible to Readers." })
  @Column({ type: "varchar", length: 100, nullable: true })
  reference!: string | null;
}
