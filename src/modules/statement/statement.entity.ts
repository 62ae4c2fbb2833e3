import { Field, ObjectType } from "type-graphql";
import { LocalDate } from "../../common/dates.js";
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { StatementStatus } from "../../common/enums.js";
import { MONEY_COLUMN } from "../../common/money.js";
import { Node } from "../../common/node.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";

/**
 * Statement of Account: one per program account per billing cycle (releases from the 18th to the
 * 17th, issued on the 25th, due 10 weekdays after the 17th), opened on the account's first activity
 * in the cycle. While OPEN its totals move with every posting of its journal (ledger.ts); once
 * ISSUED it never changes again. `previousBalance` is the total payable of the account's previous
 * statement, kept equal to it while that one is still open.
 */
@ObjectType({ simpleResolvers: true, implements: Node, description: "Statement of Account (SOA) for one billing cycle of a program account." })
@Entity({ name: "statements" })
@Index("statements_account_cycle", ["programAccountId", "cycleEnd"], { unique: true })
// The statement's arithmetic, kept by PostgreSQL itself: no update can leave the totals disagreeing.
@Check(
  "statements_totals",
  `"total_payable" = "previous_balance" + "corrections" + "interest_and_penalties" + "current_charges" + "refunds" - "payments" - "credits"
   AND "corrections" >= 0 AND "interest_and_penalties" >= 0 AND "current_charges" >= 0 AND "payments" >= 0 AND "credits" >= 0 AND "refunds" >= 0`,
)
export class Statement extends Node {
  @Column({ type: "uuid" })
  programAccountId!: string;

  @ManyToOne(() => ProgramAccount, { onDelete: "RESTRICT", nullable: false })
  @JoinColumn({ name: "program_account_id" })
  programAccount?: Relation<ProgramAccount>;

  @Field(() => LocalDate, { description: "First release date of the cycle (the 18th)." })
  @Column({ type: "date" })
  cycleStart!: string;

  @Field(() => LocalDate, { description: "Last release date of the cycle (the 17th)." })
  @Column({ type: "date" })
  cycleEnd!: string;

  @Field(() => LocalDate, { description: "Issue date (the 25th)." })
  @Column({ type: "date" })
  issueDate!: string;

  @Field(() => LocalDate, { description: "Payment due date: 10 weekdays after the cycle end." })
  @Column({ type: "date" })
  dueDate!: string;

  @Field(() => StatementStatus, { description: "OPEN while the cycle runs (totals move with each posting), ISSUED after (never changes again)." })
  @Column({ type: "enum", enum: StatementStatus, enumName: "statement_status", default: StatementStatus.OPEN })
  status!: StatementStatus;

  @Field(() => Date, { nullable: true, description: "When the statement was issued (null while OPEN)." })
  @Column({ type: "timestamptz", nullable: true })
  issuedAt!: Date | null;

  // The running totals: kept in step with the journal (statement_postings) in the transaction of every
  // posting, with the statement row locked. Served through StatementResolver, which shows them only
  // to viewers who may see every transaction of the account (src/auth/money.ts).
  @Column({ ...MONEY_COLUMN, default: 0 })
  previousBalance!: string;

  @Column({ ...MONEY_COLUMN, default: 0 })
  corrections!: string;

  @Column({ ...MONEY_COLUMN, default: 0 })
  payments!: string;

  @Column({ ...MONEY_COLUMN, default: 0 })
  interestAndPenalties!: string;

  @Column({ ...MONEY_COLUMN, default: 0 })
  currentCharges!: string;

  @Column({ ...MONEY_COLUMN, default: 0 })
  credits!: string;

  /** Credit balance paid back to the importer (approved refunds): it raises the balance back towards zero. */
  @Column({ ...MONEY_COLUMN, default: 0 })
  refunds!: string;

  /** previous balance + corrections + interest and penalties + current charges + refunds - payments - credits */
  @Column({ ...MONEY_COLUMN, default: 0 })
  totalPayable!: string;
}
