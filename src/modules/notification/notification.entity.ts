import { Field, ObjectType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { NotificationKind } from "../../common/enums.js";
import { Node } from "../../common/node.js";
import { User } from "../user/user.entity.js";
import { Business } from "../business/business.entity.js";

/** An in-portal message to one user. */
@ObjectType({ simpleResolvers: true, implements: Node, description: "A message to you in the portal: a decision, a relationship change, a statement issued." })
@Entity({ name: "notifications" })
@Index("notifications_user_created", ["userId", "createdAt"])
export class Notification extends Node {
  @Column({ type: "uuid" })
  userId!: string;

  @ManyToOne(() => User, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "user_id" })
  user?: Relation<User>;

  @Column({ type: "uuid", nullable: true })
  businessId!: string | null;

  @ManyToOne(() => Business, { onDelete: "CASCADE", nullable: true })
  @JoinColumn({ name: "business_id" })
  business?: Relation<Business> | null;

  @Field(() => NotificationKind, { description: "What it is about." })
  @Column({ type: "enum", enum: NotificationKind, enumName: "notification_kind" })
  kind!: NotificationKind;

  @Field(() => String, { description: "A one-line summary." })
  @Column({ type: "varchar", length: 200 })
  title!: string;

  @Field(() => String, { description: "The message." })
  @Column({ type: "varchar", length: 2000 })
  body!: string;

  @Field(() => Date, { nullable: true, description: "When you marked it read (null while unread)." })
  @Column({ type: "timestamptz", nullable: true })
  readAt!: Date | null;
}

/** Which notification kinds a user also wants by email (in-portal delivery is always on). */
@ObjectType({ simpleResolvers: true, description: "Whether you receive one kind of notification by email as well." })
@Entity({ name: "notification_preferences" })
export class NotificationPreference {
  @PrimaryColumn({ type: "uuid" })
  userId!: string;

  @ManyToOne(() => User, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "user_id" })
  user?: Relation<User>;

  @Field(() => NotificationKind, { description: "The kind of notification." })
  @PrimaryColumn({ type: "enum", enum: NotificationKind, enumName: "notification_kind" })
  kind!: NotificationKind;

  @Field(() => Boolean, { description: "True: also sent to your email address." })
  @Column({ type: "boolean", default: false })
  email!: boolean;
}
