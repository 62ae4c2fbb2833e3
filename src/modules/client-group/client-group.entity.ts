import { Field, ObjectType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { ProviderRole } from "../../common/enums.js";
import { Node } from "../../common/node.js";
import { Business } from "../business/business.entity.js";
import { User } from "../user/user.entity.js";

/**
 * A provider's named group of clients. Employees other than the provider's BAM reach a client
 * only through a group that holds it. Names are unique per provider, deleted groups included,
 * so that an audit trail naming a group stays unambiguous.
 */
@ObjectType({ simpleResolvers: true, implements: Node, description: "A service provider's group of clients, to which it assigns employees with a role." })
@Entity({ name: "client_groups" })
@Index("client_groups_provider_name", ["providerBusinessId", "normalizedName"], { unique: true })
export class ClientGroup extends Node {
  @Column({ type: "uuid" })
  providerBusinessId!: string;

  @ManyToOne(() => Business, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "provider_business_id" })
  providerBusiness?: Relation<Business>;

  @Field(() => String, { description: "The group's name, unique within the provider (case and spacing ignored)." })
  @Column({ type: "varchar", length: 100 })
  name!: string;

  /** lower(trim(name)): uniqueness ignores case and surrounding spaces. */
  @Column({ type: "varchar", length: 100 })
  normalizedName!: string;

  @Field(() => Date, { nullable: true, description: "When the group was deleted (null while it is live); its name stays taken." })
  @Column({ type: "timestamptz", nullable: true })
  deletedAt!: Date | null;
}

@Entity({ name: "client_group_clients" })
@Index("client_group_clients_client", ["clientBusinessId"])
export class ClientGroupClient {
  @PrimaryColumn({ type: "uuid" })
  groupId!: string;

  @ManyToOne(() => ClientGroup, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "group_id" })
  group?: Relation<ClientGroup>;

  @PrimaryColumn({ type: "uuid" })
  clientBusinessId!: string;

  @ManyToOne(() => Business, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "client_business_id" })
  clientBusiness?: Relation<Business>;
}

/** An employee of the provider assigned to a group, with the role they act in for its clients. */
@ObjectType({ simpleResolvers: true, implements: Node, description: "An employee of the provider assigned to a client group, with a role for its clients." })
@Entity({ name: "client_group_assignments" })
@Index("client_group_assignments_user", ["userId"])
@Index("client_group_assignments_group_user", ["groupId", "userId"], { unique: true })
export class ClientGroupAssignment extends Node {
  @Column({ type: "uuid" })
  groupId!: string;

  @ManyToOne(() => ClientGroup, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "group_id" })
  group?: Relation<ClientGroup>;

  @Column({ type: "uuid" })
  userId!: string;

  @ManyToOne(() => User, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "user_id" })
  user?: Relation<User>;

  @Field(() => ProviderRole, { description: "Editor or Reader: the employee acts for the group's clients with the lesser of this role and the relationship's." })
  @Column({ type: "enum", enum: ProviderRole, enumName: "provider_role" })
  role!: ProviderRole;
}
