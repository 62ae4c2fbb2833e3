import { Field, Int, ObjectType } from "type-graphql";
import { LocalDate } from "../../common/dates.js";
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { CreateDateColumn } from "typeorm";
import { PostingKind } from "../../common/enums.js";
import { MONEY_COLUMN, MoneyScalar } from "../../common/money.js";
import { Node } from "../../common/node.js";
import { Business } from "../business/business.entity.js";
import { Payment } from "../payment/payment.entity.js";
import { Penalty } from "../penalty/penalty.entity.js";
import { RefundRequest } from "../refund/refund.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { Transaction, TransactionVersion } from "../transaction/transaction.entity.js";
import { Statement } from "./statement.entity.js";

/**
 * One line of an account's journal: append-only, never updated except for `openAmount` (how much of
 * a debit is still unpaid, or of a credit still unapplied). A statement's totals are the sums of its
 * postings, written in the same transaction (see ledger.ts). Lines are numbered per program account
 * under the account's ledger lock, which also orders them for "oldest debts first".
 */
@ObjectType({ simpleResolvers: true, implements: Node, description: "One line of a statement's journal: a charge, correction, adjustment, interest, payment, penalty or refund." })
@Entity({ name: "statement_postings" })
@Index("statement_postings_account_line", ["programAccountId", "lineNo"], { unique: true })
@Index("statement_postings_statement", ["statementId", "lineNo"])
@Index("statement_postings_transaction", ["transactionId"])
@Index("statement_postings_payment", ["paymentId"])
// The account's open items (unpaid debits, unapplied credits): what allocation and interest read.
@Index("statement_postings_open", ["programAccountId", "lineNo"], { where: `"open_amount" > 0` })
// Its unapplied credits alone: whether a new debit has anything to allocate is one probe, not a walk
// over every unpaid declaration of the account (ledger.ts, post).
@Index("statement_postings_open_credits", ["programAccountId"], { where: `"open_amount" > 0 AND "amount" < 0` })
// The kind compared as text: enum values added by a migration cannot be named as the enum in the same transaction.
@Check(
  "statement_postings_sign",
  `("kind"::text = 'CHARGE' AND "amount" >= 0) OR ("kind"::text IN ('CORRECTION', 'ADJUSTMENT', 'PENALTY') AND "amount" <> 0)
   OR ("kind"::text IN ('INTEREST', 'REFUND') AND "amount" > 0) OR ("kind"::text = 'PAYMENT' AND "amount" < 0)`,
)
@Check(
  "statement_postings_refs",
  `("kind"::text IN ('CHARGE', 'CORRECTION', 'ADJUSTMENT') AND "transaction_id" IS NOT NULL AND "version_id" IS NOT NULL)
   OR ("kind"::text = 'PAYMENT' AND "payment_id" IS NOT NULL) OR ("kind"::text = 'PENALTY' AND "penalty_id" IS NOT NULL)
   OR ("kind"::text = 'REFUND' AND "refund_id" IS NOT NULL) OR "kind"::text = 'INTEREST'`,
)
@Check("statement_postings_open_amount", `"open_amount" >= 0 AND "open_amount" <= abs("amount") AND ("amount" <= 0 OR "due_on" IS NOT NULL)`)
export class StatementPosting extends Node {
  @Column({ type: "uuid" })
  programAccountId!: string;

  @ManyToOne(() => ProgramAccount, { onDelete: "RESTRICT", nullable: false })
  @JoinColumn({ name: "program_account_id" })
  programAccount?: Relation<ProgramAccount>;

  @Column({ type: "uuid" })
  statementId!: string;

  @ManyToOne(() => Statement, { onDelete: "RESTRICT", nullable: false })
  @JoinColumn({ name: "statement_id" })
  statement?: Relation<Statement>;

  @Field(() => Int, { description: "Line number in the program account's journal (1, 2, 3...)." })
  @Column({ type: "int" })
  lineNo!: number;

  @Field(() => PostingKind, { description: "What the line records." })
  @Column({ type: "enum", enum: PostingKind, enumName: "posting_kind" })
  kind!: PostingKind;

  @Field(() => MoneyScalar, { description: "Positive: owed to the agency (a debit); negative: a payment or credit." })
  @Column(MONEY_COLUMN)
  amount!: string;

  /** For a debit, what is still unpaid; for a credit, what is not applied to a debt yet (served by StatementPostingResolver: FULL views only). */
  @Column(MONEY_COLUMN)
  openAmount!: string;

  @Field(() => LocalDate, { description: "The business date it was posted (YYYY-MM-DD)." })
  @Column({ type: "date" })
  postedOn!: string;

  @Field(() => LocalDate, { nullable: true, description: "For a debit: when it is due (its statement's due date); interest runs on what is unpaid after it." })
  @Column({ type: "date", nullable: true })
  dueOn!: string | null;

  /**
   * What the line is, in words that every viewer of the line may read: never a payment's reference or
   * instrument digits, which StatementPostingResolver adds for viewers allowed payment details.
   */
  @Column({ type: "varchar", length: 300 })
  description!: string;

  /**
   * For a debit: the last day whose interest has been posted (by a statement's issue or with an
   * accepted adjustment). Interest on it runs from the day after max(dueOn, interestThrough) until it
   * is paid (Memorandum D11-6-5 s.2), so that no day is charged twice or skipped.
   */
  @Column({ type: "date", nullable: true })
  interestThrough!: string | null;

  @Column({ type: "uuid", nullable: true })
  transactionId!: string | null;

  @ManyToOne(() => Transaction, { onDelete: "RESTRICT", nullable: true })
  @JoinColumn({ name: "transaction_id" })
  transaction?: Relation<Transaction> | null;

  @Column({ type: "uuid", nullable: true })
  versionId!: string | null;

  @ManyToOne(() => TransactionVersion, { onDelete: "RESTRICT", nullable: true })
  @JoinColumn({ name: "version_id" })
  version?: Relation<TransactionVersion> | null;

  @Column({ type: "uuid", nullable: true })
  paymentId!: string | null;

  @ManyToOne(() => Payment, { onDelete: "RESTRICT", nullable: true })
  @JoinColumn({ name: "payment_id" })
  payment?: Relation<Payment> | null;

  @Column({ type: "uuid", nullable: true })
  penaltyId!: string | null;

  @ManyToOne(() => Penalty, { onDelete: "RESTRICT", nullable: true })
  @JoinColumn({ name: "penalty_id" })
  penalty?: Relation<Penalty> | null;

  @Column({ type: "uuid", nullable: true })
  refundId!: string | null;

  @ManyToOne(() => RefundRequest, { onDelete: "RESTRICT", nullable: true })
  @JoinColumn({ name: "refund_id" })
  refund?: Relation<RefundRequest> | null;

  /** Whose act it is: the version's submitter, or the business that paid. Visibility rules read it. */
  @Column({ type: "uuid", nullable: true })
  submittedByBusinessId!: string | null;

  @ManyToOne(() => Business, { onDelete: "RESTRICT", nullable: true })
  @JoinColumn({ name: "submitted_by_business_id" })
  submittedByBusiness?: Relation<Business> | null;
}

/**
 * A credit applied to a debt ("payments and credits offset the oldest debts first"), on a business
 * date: interest on the debt stops counting the part allocated from that day on.
 */
@Entity({ name: "posting_allocations" })
@Index("posting_allocations_pair", ["creditPostingId", "debitPostingId"], { unique: true })
@Index("posting_allocations_debit", ["debitPostingId", "allocatedOn"])
@Check("posting_allocations_amount", `"amount" > 0`)
export class PostingAllocation {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column({ type: "uuid" })
  creditPostingId!: string;

  @ManyToOne(() => StatementPosting, { onDelete: "RESTRICT", nullable: false })
  @JoinColumn({ name: "credit_posting_id" })
  creditPosting?: Relation<StatementPosting>;

  @Column({ type: "uuid" })
  debitPostingId!: string;

  @ManyToOne(() => StatementPosting, { onDelete: "RESTRICT", nullable: false })
  @JoinColumn({ name: "debit_posting_id" })
  debitPosting?: Relation<StatementPosting>;

  @Column(MONEY_COLUMN)
  amount!: string;

  @Column({ type: "date" })
  allocatedOn!: string;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}
