import { Field, ObjectType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { RulingKind, RulingStatus } from "../../common/enums.js";
import { Node } from "../../common/node.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";
import { Business } from "../business/business.entity.js";

/** An advance ruling / national customs ruling request: submitted, assigned, decided (or withdrawn). */
@ObjectType({ implements: Node })
@Entity({ name: "ruling_requests" })
@Index("ruling_requests_account", ["programAccountId", "status"])
export class RulingRequest extends Node {
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

  @Field(() => RulingKind)
  @Column({ type: "enum", enum: RulingKind, enumName: "ruling_kind" })
  kind!: RulingKind;

  @Field(() => RulingStatus)
  @Column({ type: "enum", enum: RulingStatus, enumName: "ruling_status", default: RulingStatus.SUBMITTED })
  status!: RulingStatus;

  @Field(() => String)
  @Column({ type: "varchar", length: 2000 })
  productDescription!: string;

  @Column({ type: "uuid", nullable: true })
  assignedOfficerId!: string | null;

  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "assigned_officer_id" })
  assignedOfficer?: Relation<User> | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 4000, nullable: true })
  decision!: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  decidedAt!: Date | null;
}
