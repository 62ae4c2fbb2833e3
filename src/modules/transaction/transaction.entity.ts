import { Field, Int, ObjectType } from "type-graphql";
import { LocalDate } from "../../common/dates.js";
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { TransactionVersionKind, TransactionVersionStatus } from "../../common/enums.js";
import { MONEY_COLUMN, MoneyScalar } from "../../common/money.js";
import { Node } from "../../common/node.js";
import { Business } from "../business/business.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";

/**
 * A Commercial Accounting Declaration (CAD) on an importer's program account. Its number never
 * changes; every correction or adjustment is a new version. `submittedByBusinessId` is the filer of
 * the original (whose ASEC prefixes the number): broker visibility rules look at it.
 */
@ObjectType({ simpleResolvers: true, implements: Node, description: "A Commercial Accounting Declaration (CAD)." })
@Entity({ name: "transactions" })
@Index("transactions_account_released", ["programAccountId", "releasedOn", "id"])
@Index("transactions_submitter", ["submittedByBusinessId"])
// Root lists read in release order; "filed on this account" (ended relationships) is one probe.
@Index("transactions_released", ["releasedOn", "id"])
@Index("transactions_account_submitter", ["programAccountId", "submittedByBusinessId"])
@Check("transactions_number_format", `"transaction_number" ~ '^[0-9]{14}$'`)
export class Transaction extends Node {
  @Field(() => String, { description: "14 digits: submitter's ASEC (5), sequence (8), check digit (1)." })
  @Index({ unique: true })
  @Column({ type: "char", length: 14 })
  transactionNumber!: string;

  @Column({ type: "uuid" })
  programAccountId!: string;

  @ManyToOne(() => ProgramAccount, { onDelete: "RESTRICT", nullable: false })
  @JoinColumn({ name: "program_account_id" })
  programAccount?: Relation<ProgramAccount>;

  @Column({ type: "uuid" })
  submittedByBusinessId!: string;

  @ManyToOne(() => Business, { onDelete: "RESTRICT", nullable: false })
  @JoinColumn({ name: "submitted_by_business_id" })
  submittedByBusiness?: Relation<Business>;

  @Column({ type: "uuid", nullable: true })
  submittedByUserId!: string | null;

  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "submitted_by_user_id" })
  submittedByUser?: Relation<User> | null;

  @Field(() => LocalDate, { description: "Release date of the goods (YYYY-MM-DD)." })
  @Column({ type: "date" })
  releasedOn!: string;

  /**
   * The day the goods were accounted for (the CAD filed). With the release date it decides the billing
   * period the declaration belongs to (Customs Act s.33.4(2), common/billing.ts accountingPeriod).
   * Filing always sets it; the default serves rows written straight to the database (benchmark worlds).
   */
  @Field(() => LocalDate, { description: "The business date the declaration was filed (accounted for), YYYY-MM-DD." })
  @Column({ type: "date", default: () => "CURRENT_DATE" })
  accountedOn!: string;

  @Field(() => Int, { description: "Number of the current version (1 = original)." })
  @Column({ type: "int", default: 1 })
  currentVersionNo!: number;

  @Field(() => MoneyScalar, { description: "Duties and taxes of the current accepted version." })
  @Column(MONEY_COLUMN)
  totalDutiesAndTaxes!: string;

  @Field(() => Boolean, { description: "Filed more than 5 business days after release: accepted, flagged, and due with the billing period of its deadline." })
  @Column({ type: "boolean", default: false })
  late!: boolean;
}

@ObjectType({ simpleResolvers: true, implements: Node, description: "One version of a declaration: the original, a correction or an adjustment, with its lines and totals." })
@Entity({ name: "transaction_versions" })
@Index("transaction_versions_txn_no", ["transactionId", "versionNo"], { unique: true })
// The agency's adjustment queue reads adjustments oldest first, by status.
@Index("transaction_versions_adjustments", ["status", "createdAt", "id"], { where: `"kind" = 'ADJUSTMENT'` })
export class TransactionVersion extends Node {
  @Column({ type: "uuid" })
  transactionId!: string;

  @ManyToOne(() => Transaction, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "transaction_id" })
  transaction?: Relation<Transaction>;

  @Field(() => Int, { description: "Its number: 1 is the original." })
  @Column({ type: "int" })
  versionNo!: number;

  @Field(() => TransactionVersionKind, { description: "Original, correction (up to the due date) or adjustment (after it)." })
  @Column({ type: "enum", enum: TransactionVersionKind, enumName: "transaction_version_kind" })
  kind!: TransactionVersionKind;

  @Field(() => TransactionVersionStatus, { description: "Accepted, under the agency's review, or rejected." })
  @Column({ type: "enum", enum: TransactionVersionStatus, enumName: "transaction_version_status" })
  status!: TransactionVersionStatus;

  @Column({ type: "uuid" })
  submittedByBusinessId!: string;

  @ManyToOne(() => Business, { onDelete: "RESTRICT", nullable: false })
  @JoinColumn({ name: "submitted_by_business_id" })
  submittedByBusiness?: Relation<Business>;

  @Column({ type: "uuid", nullable: true })
  submittedByUserId!: string | null;

  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "submitted_by_user_id" })
  submittedByUser?: Relation<User> | null;

  @Field(() => String, { nullable: true, description: "Why a correction or adjustment was made." })
  @Column({ type: "varchar", length: 1000, nullable: true })
  reason!: string | null;

  @Field(() => MoneyScalar, { description: "Customs duty of its lines." })
  @Column(MONEY_COLUMN)
  customsDuty!: string;

  @Field(() => MoneyScalar, { description: "SIMA duties of its lines." })
  @Column(MONEY_COLUMN)
  sima!: string;

  @Field(() => MoneyScalar, { description: "Excise duty and tax of its lines." })
  @Column(MONEY_COLUMN)
  excise!: string;

  @Field(() => MoneyScalar, { description: "GST of its lines." })
  @Column(MONEY_COLUMN)
  gst!: string;

  @Field(() => MoneyScalar, { description: "Customs duty + SIMA + excise + GST." })
  @Column(MONEY_COLUMN)
  totalDutiesAndTaxes!: string;

  @Field(() => MoneyScalar, { description: "Interest charged on an adjustment made after the due date." })
  @Column({ ...MONEY_COLUMN, default: 0 })
  interest!: string;

  @Field(() => Date, { nullable: true, description: "When the agency accepted or rejected this adjustment (null for other versions and while under review)." })
  @Column({ type: "timestamptz", nullable: true })
  decidedAt!: Date | null;

  /** The agency officer who decided the adjustment (not shown to businesses: the agency answers as the agency). */
  @Column({ type: "uuid", nullable: true })
  decidedByUserId!: string | null;

  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "decided_by_user_id" })
  decidedByUser?: Relation<User> | null;

  @Field(() => String, { nullable: true, description: "The agency's note on its decision: why an adjustment was rejected, or a note on its acceptance." })
  @Column({ type: "varchar", length: 1000, nullable: true })
  decisionNote!: string | null;
}

@ObjectType({ simpleResolvers: true, implements: Node, description: "One line of a version of a declaration: goods, value and the duties and taxes on them." })
@Entity({ name: "transaction_lines" })
@Index("transaction_lines_version_line", ["versionId", "lineNo"], { unique: true })
@Check("transaction_lines_hs_format", `"classification_code" ~ '^[0-9]{10}$'`)
@Check("transaction_lines_amounts", `"value_for_duty" >= 0 AND "sima" >= 0 AND "excise" >= 0 AND "customs_duty_rate" >= 0`)
export class TransactionLine extends Node {
  @Column({ type: "uuid" })
  versionId!: string;

  @ManyToOne(() => TransactionVersion, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "version_id" })
  version?: Relation<TransactionVersion>;

  @Field(() => Int, { description: "Position of the line, from 1." })
  @Column({ type: "int" })
  lineNo!: number;

  @Field(() => String, { description: "10-digit tariff classification code." })
  @Column({ type: "char", length: 10 })
  classificationCode!: string;

  @Field(() => String, { description: "Description of the goods." })
  @Column({ type: "varchar", length: 500 })
  description!: string;

  @Field(() => MoneyScalar, { description: "Value for duty." })
  @Column(MONEY_COLUMN)
  valueForDuty!: string;

  @Field(() => String, { description: "Tariff treatment code, e.g. 2 (MFN) or 10 (CUSMA)." })
  @Column({ type: "varchar", length: 10 })
  tariffTreatment!: string;

  @Field(() => String, { description: 'Customs duty rate in percent, exact decimal string, e.g. "6.5".' })
  @Column({ type: "numeric", precision: 7, scale: 4 })
  customsDutyRate!: string;

  @Field(() => MoneyScalar, { description: "Special Import Measures Act duties." })
  @Column(MONEY_COLUMN)
  sima!: string;

  @Field(() => MoneyScalar, { description: "Excise duty and tax." })
  @Column(MONEY_COLUMN)
  excise!: string;

  @Field(() => MoneyScalar, { description: "Value for duty x rate." })
  @Column(MONEY_COLUMN)
  customsDuty!: string;

  @Field(() => MoneyScalar, { description: "Value for duty + customs duty + SIMA + excise." })
  @Column(MONEY_COLUMN)
  valueForTax!: string;

  @Field(() => MoneyScalar, { description: "5 % of the value for tax." })
  @Column(MONEY_COLUMN)
  gst!: string;
}
