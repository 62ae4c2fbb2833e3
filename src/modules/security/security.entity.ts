import { Field, ObjectType } from "type-graphql";
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { LocalDate } from "../../common/dates.js";
import { PaymentMethod, SecurityKind, SecurityStatus } from "../../common/enums.js";
import { MONEY_COLUMN, MoneyScalar } from "../../common/money.js";
import { Node } from "../../common/node.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";

/** Financial security posted by the importer for Release Prior to Payment (RPP) on a program account. */
@ObjectType({ simpleResolvers: true, implements: Node, description: "Financial security an importer posted with the agency (a surety bond or a cash deposit), which release prior to payment is backed by." })
@Entity({ name: "financial_securities" })
@Index("financial_securities_account", ["programAccountId", "status"])
@Check("financial_securities_amount_positive", `"amount" > 0`)
// Cash security is held until the agency releases it: it has no expiry date (Memorandum D17-5-2). A bond may have one.
@Check("financial_securities_cash_no_expiry", `"kind" <> 'CASH' OR "expires_on" IS NULL`)
@Check("financial_securities_paid_with", `"kind" = 'CASH' OR "paid_with" IS NULL`)
export class FinancialSecurity extends Node {
  @Column({ type: "uuid" })
  programAccountId!: string;

  @ManyToOne(() => ProgramAccount, { onDelete: "RESTRICT", nullable: false })
  @JoinColumn({ name: "program_account_id" })
  programAccount?: Relation<ProgramAccount>;

  @Field(() => SecurityKind, { description: "Surety bond or cash deposit." })
  @Column({ type: "enum", enum: SecurityKind, enumName: "security_kind" })
  kind!: SecurityKind;

  @Field(() => MoneyScalar, { description: "The amount secured." })
  @Column(MONEY_COLUMN)
  amount!: string;

  @Field(() => String, { nullable: true, description: "Surety company, for a bond." })
  @Column({ type: "varchar", length: 200, nullable: true })
  suretyProvider!: string | null;

  @Field(() => String, { nullable: true, description: "The surety bond's number (null for cash)." })
  @Column({ type: "varchar", length: 50, nullable: true })
  bondNumber!: string | null;

  @Field(() => LocalDate, { description: "First day it covers (YYYY-MM-DD)." })
  @Column({ type: "date" })
  effectiveFrom!: string;

  @Field(() => LocalDate, { nullable: true, description: "Last day it covers (null: until cancelled)." })
  @Column({ type: "date", nullable: true })
  expiresOn!: string | null;

  /**
   * How a cash deposit was paid (CASH only). A deposit by credit card counts towards the account's
   * credit-card limit of the billing cycle it is paid in (CARM Bulletin 5408).
   */
  @Field(() => PaymentMethod, { nullable: true, description: "How a cash deposit was paid (cash security only)." })
  @Column({ type: "enum", enum: PaymentMethod, enumName: "payment_method", nullable: true })
  paidWith!: PaymentMethod | null;

  /** The business date it was posted: a card deposit counts against the limit of that day's cycle. */
  @Column({ type: "date" })
  postedOn!: string;

  @Field(() => SecurityStatus, { description: "Active, or cancelled." })
  @Column({ type: "enum", enum: SecurityStatus, enumName: "security_status", default: SecurityStatus.ACTIVE })
  status!: SecurityStatus;
}
