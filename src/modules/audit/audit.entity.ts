import { Field, ObjectType } from "type-graphql";
import { GraphQLJSONObject } from "graphql-scalars";
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { Node } from "../../common/node.js";
import { User } from "../user/user.entity.js";
import { Business } from "../business/business.entity.js";

/** Who did what to which record, with the record before and after; written in the same transaction as the change. */
@ObjectType({ simpleResolvers: true, implements: Node, description: "One audited change: who did what to which object, with the values before and after." })
@Entity({ name: "audit_events" })
@Index("audit_events_business_created", ["businessId", "createdAt"])
@Index("audit_events_target", ["targetType", "targetId"])
export class AuditEvent extends Node {
  @Column({ type: "uuid", nullable: true })
  businessId!: string | null;

  @ManyToOne(() => Business, { onDelete: "CASCADE", nullable: true })
  @JoinColumn({ name: "business_id" })
  business?: Relation<Business> | null;

  @Column({ type: "uuid", nullable: true })
  actorUserId!: string | null;

  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "actor_user_id" })
  actorUser?: Relation<User> | null;

  @Field(() => String, { description: "What was done, e.g. relationship.approved." })
  @Column({ type: "varchar", length: 100 })
  action!: string;

  @Field(() => String, { description: "The kind of object changed, e.g. Relationship or BusinessMembership." })
  @Column({ type: "varchar", length: 50 })
  targetType!: string;

  @Column({ type: "uuid", nullable: true })
  targetId!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "The changed values before the change (null when the object was created)." })
  @Column({ type: "jsonb", nullable: true })
  before!: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "The changed values after the change (null when the object was removed)." })
  @Column({ type: "jsonb", nullable: true })
  after!: Record<string, unknown> | null;
}
