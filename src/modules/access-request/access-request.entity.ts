import { Field, ObjectType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { AccessRequestStatus } from "../../common/enums.js";
import { Node } from "../../common/node.js";
import { Business } from "../business/business.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";

/** An employee asks an employer (by BN9) for access, with a justification note. */
@ObjectType({ simpleResolvers: true, implements: Node, description: "A person's request for access to an employer (by BN9), decided by a BAM or a PAM." })
@Entity({ name: "employee_access_requests" })
@Index("employee_access_requests_business_status", ["businessId", "status"])
@Index("employee_access_requests_one_pending", ["userId", "businessId"], { unique: true, where: `"status" = 'PENDING'` })
export class EmployeeAccessRequest extends Node {
  @Column({ type: "uuid" })
  userId!: string;

  @ManyToOne(() => User, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "user_id" })
  user?: Relation<User>;

  @Column({ type: "uuid" })
  businessId!: string;

  @ManyToOne(() => Business, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "business_id" })
  business?: Relation<Business>;

  @Field(() => String, { description: "The requester's justification, e.g. \"I need access to make corrections\"." })
  @Column({ type: "varchar", length: 1000 })
  note!: string;

  @Field(() => AccessRequestStatus, { description: "Pending, approved, rejected or withdrawn." })
  @Column({ type: "enum", enum: AccessRequestStatus, enumName: "access_request_status", default: AccessRequestStatus.PENDING })
  status!: AccessRequestStatus;

  @Column({ type: "uuid", nullable: true })
  decidedById!: string | null;

  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "decided_by_id" })
  decidedBy?: Relation<User> | null;

  @Field(() => Date, { nullable: true, description: "When it was decided (null while pending)." })
  @Column({ type: "timestamptz", nullable: true })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The decider's note, if any." })
  @Column({ type: "varchar", length: 1000, nullable: true })
  decisionNote!: string | null;
}

/**
 * The program accounts an employee's request names (the accounts they need). A request naming
 * accounts is decided by the business's BAMs or by a PAM who manages every one of them; a request
 * naming none, by the BAMs only.
 */
@Entity({ name: "employee_access_request_accounts" })
@Index("employee_access_request_accounts_account", ["programAccountId"])
export class EmployeeAccessRequestAccount {
  @PrimaryColumn({ type: "uuid" })
  requestId!: string;

  @ManyToOne(() => EmployeeAccessRequest, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "request_id" })
  request?: Relation<EmployeeAccessRequest>;

  @PrimaryColumn({ type: "uuid" })
  programAccountId!: string;

  @ManyToOne(() => ProgramAccount, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "program_account_id" })
  programAccount?: Relation<ProgramAccount>;
}
