import { Field, ObjectType } from "type-graphql";
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { PaymentMethod } from "../../common/enums.js";
import { MONEY_COLUMN, MoneyScalar } from "../../common/money.js";
import { Node } from "../../common/node.js";
import { Business } from "../business/business.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";
import { Statement } from "../statement/statement.entity.js";

/** A payment to the agency on a program account. A retry with the same idempotency key is the same payment. */
@ObjectType({ simpleResolvers: true, implements: Node, description: "A payment received on a program account." })
@Entity({ name: "payments" })
@Index("payments_account_received", ["programAccountId", "receivedAt"])
@Index("payments_idempotency", ["programAccountId", "idempotencyKey"], { unique: true })
@Check("payments_amount_positive", `"amount" > 0`)
@Check("payments_instrument_last4", `"instrument_last4" IS NULL OR "instrument_last4" ~ '^[0-9]{4}$'`)
// The credit-card cap is summed per account and cycle (a payment's statement is its cycle's).
@Index("payments_statement_method", ["statementId", "method"])
export class Payment extends Node {
  @Column({ type: "uuid" })
  programAccountId!: string;

  @ManyToOne(() => ProgramAccount, { onDelete: "RESTRICT", nullable: false })
  @JoinColumn({ name: "program_account_id" })
  programAccount?: Relation<ProgramAccount>;

  @Column({ type: "uuid", nullable: true })
  statementId!: string | null;

  @ManyToOne(() => Statement, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "statement_id" })
  statement?: Relation<Statement> | null;

  @Field(() => MoneyScalar, { description: "The amount paid." })
  @Column(MONEY_COLUMN)
  amount!: string;

  @Field(() => PaymentMethod, { description: "How it was paid." })
  @Column({ type: "enum", enum: PaymentMethod, enumName: "payment_method" })
  method!: PaymentMethod;

  @Column({ type: "varchar", length: 100 })
  idempotencyKey!: string;

  @Field(() => String, { nullable: true, description: "Confirmation or bank reference. Not visible to Readers." })
  @Column({ type: "varchar", length: 100, nullable: true })
  reference!: string | null;

  @Field(() => String, { nullable: true, description: "Last 4 digits of the card or account. Not visible to Readers." })
  @Column({ type: "char", length: 4, nullable: true })
  instrumentLast4!: string | null;

  @Field(() => Date, { description: "When the agency received it." })
  @Column({ type: "timestamptz" })
  receivedAt!: Date;

  @Column({ type: "uuid", nullable: true })
  submittedByUserId!: string | null;

  /**
   * The business that paid: the importer, or a service provider paying for its client. A provider
   * whose visibility rules hide some of the account's transactions sees only its own payments.
   * (Null only for payments recorded before the payer was kept: those are shown to full viewers only.)
   */
  @Column({ type: "uuid", nullable: true })
  submittedByBusinessId!: string | null;

  @ManyToOne(() => Business, { onDelete: "RESTRICT", nullable: true })
  @JoinColumn({ name: "submitted_by_business_id" })
  submittedByBusiness?: Relation<Business> | null;

  /** The debts the payer chose to pay with it (CARM's "allocate payment"), as asked; null: oldest first. */
  @Column({ type: "jsonb", nullable: true })
  allocationRequest!: { postingId: string; amount: string }[] | null;

  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "submitted_by_user_id" })
  submittedByUser?: Relation<User> | null;
}
