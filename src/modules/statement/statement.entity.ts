import { Field, ObjectType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { StatementStatus } from "../../common/enums.js";
import { MoneyScalar } from "../../common/money.js";
import { Node } from "../../common/node.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";

const money = { type: "numeric", precision: 14, scale: 2 } as const;

/**
 * Statement of Account: one per program account per billing cycle (releases from the 18th to the
 * 17th, issued on the 25th, due 10 weekdays after the 17th). While OPEN its totals move with every
 * posted transaction, correction or payment.
 */
@ObjectType({ implements: Node, description: "Statement of Account (SOA) for one billing cycle of a program account." })
@Entity({ name: "statements" })
@Index("statements_account_cycle", ["programAccountId", "cycleEnd"], { unique: true })
export class Statement extends Node {
  @Column({ type: "uuid" })
  programAccountId!: string;

  @ManyToOne(() => ProgramAccount, { onDelete: "RESTRICT", nullable: false })
  @JoinColumn({ name: "program_account_id" })
  programAccount?: Relation<ProgramAccount>;

  @Field(() => String, { description: "First release date of the cycle (the 18th)." })
  @Column({ type: "date" })
  cycleStart!: string;

  @Field(() => String, { description: "Last release date of the cycle (the 17th)." })
  @Column({ type: "date" })
  cycleEnd!: string;

  @Field(() => String, { description: "Issue date (the 25th)." })
  @Column({ type: "date" })
  issueDate!: string;

  @Field(() => String, { description: "Payment due date: 10 weekdays after the cycle end." })
  @Column({ type: "date" })
  dueDate!: string;

  @Field(() => StatementStatus)
  @Column({ type: "enum", enum: StatementStatus, enumName: "statement_status", default: StatementStatus.OPEN })
  status!: StatementStatus;

  @Field(() => MoneyScalar)
  @Column({ ...money, default: 0 })
  previousBalance!: string;

  @Field(() => MoneyScalar)
  @Column({ ...money, default: 0 })
  corrections!: string;

  @Field(() => MoneyScalar)
  @Column({ ...money, default: 0 })
  payments!: string;

  @Field(() => MoneyScalar)
  @Column({ ...money, default: 0 })
  interestAndPenalties!: string;

  @Field(() => MoneyScalar)
  @Column({ ...money, default: 0 })
  currentCharges!: string;

  @Field(() => MoneyScalar)
  @Column({ ...money, default: 0 })
  credits!: string;

  @Field(() => MoneyScalar, { description: "previous balance + corrections + interest and penalties + current charges - payments - credits" })
  @Column({ ...money, default: 0 })
  totalPayable!: string;
}
