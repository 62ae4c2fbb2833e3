import { Field, ObjectType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { MembershipStatus, ProgramRole } from "../../common/enums.js";
import { Node } from "../../common/node.js";
import { Business } from "../business/business.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";

/** A user belongs to a business (as an employee). `isBam` makes them a Business Account Manager. */
@ObjectType({ simpleResolvers: true, implements: Node, description: "A person's membership of a business: an employee, or a BAM." })
@Entity({ name: "business_memberships" })
@Index("business_memberships_user_business", ["userId", "businessId"], { unique: true })
@Index("business_memberships_business", ["businessId", "status"])
export class BusinessMembership extends Node {
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

  @Field(() => Boolean, { description: "Business Account Manager: full access to the business and all its program accounts." })
  @Column({ type: "boolean", default: false })
  isBam!: boolean;

  @Field(() => MembershipStatus, { description: "ACTIVE, or REMOVED (kept for the record)." })
  @Column({ type: "enum", enum: MembershipStatus, enumName: "membership_status", default: MembershipStatus.ACTIVE })
  status!: MembershipStatus;

  @Column({ type: "uuid", nullable: true })
  grantedById!: string | null;

  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "granted_by_id" })
  grantedBy?: Relation<User> | null;
}

/** A role a user holds on one program account of a business they belong to. */
@ObjectType({ simpleResolvers: true, implements: Node, description: "A person's role on one program account." })
@Entity({ name: "program_roles" })
@Index("program_roles_user_account", ["userId", "programAccountId"], { unique: true })
@Index("program_roles_account", ["programAccountId"])
export class ProgramRoleAssignment extends Node {
  @Column({ type: "uuid" })
  userId!: string;

  @ManyToOne(() => User, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "user_id" })
  user?: Relation<User>;

  @Column({ type: "uuid" })
  programAccountId!: string;

  @ManyToOne(() => ProgramAccount, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "program_account_id" })
  programAccount?: Relation<ProgramAccount>;

  @Field(() => ProgramRole, { description: "The role held there." })
  @Column({ type: "enum", enum: ProgramRole, enumName: "program_role" })
  role!: ProgramRole;

  @Column({ type: "uuid", nullable: true })
  grantedById!: string | null;

  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "granted_by_id" })
  grantedBy?: Relation<User> | null;
}
