import { Field, ObjectType } from "type-graphql";
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { Node } from "../../common/node.js";
import { Business } from "../business/business.entity.js";

/** An import/export program account (RM) of a business; BN15 = BN9 + RM. */
@ObjectType({ simpleResolvers: true, implements: Node, description: "A program account (BN15: BN9 + RM + 4 digits) of a business, on which it declares and pays." })
@Entity({ name: "program_accounts" })
@Index("program_accounts_business_rm", ["businessId", "rm"], { unique: true })
@Check("program_accounts_rm_format", `"rm" ~ '^RM[0-9]{4}$' AND "bn15" ~ '^[0-9]{9}RM[0-9]{4}$' AND right("bn15", 6) = "rm"`)
export class ProgramAccount extends Node {
  @Column({ type: "uuid" })
  businessId!: string;

  @ManyToOne(() => Business, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "business_id" })
  business?: Relation<Business>;

  @Field(() => String, { description: "Program identifier and reference number, e.g. RM0001." })
  @Column({ type: "char", length: 6 })
  rm!: string;

  @Field(() => String, { description: "What the account is used for, e.g. windows." })
  @Column({ type: "varchar", length: 200 })
  name!: string;

  /** Denormalised BN15 (BN9 + RM) so that payments and lookups quoting it hit one unique index. */
  @Field(() => String, { description: "Program account number (BN15), e.g. 123456782RM0001; online banking payments quote it." })
  @Index({ unique: true })
  @Column({ type: "char", length: 15 })
  bn15!: string;
}
