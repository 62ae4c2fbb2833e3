import { Field, Int, ObjectType } from "type-graphql";
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { EmailStatus, NotificationKind } from "../../common/enums.js";
import { Node } from "../../common/node.js";
import { User } from "../user/user.entity.js";
import { Notification } from "./notification.entity.js";

/**
 * The email outbox: one row per notification that its recipient also wants by email, written in the
 * notification's own transaction. A worker sends pending rows (src/email/delivery.ts); a row is
 * queued at most once (one per notification) and is marked sent in the transaction that claimed it.
 */
@ObjectType("Email", { simpleResolvers: true, implements: Node, description: "An email queued for you: a copy of a notification you chose to get by email." })
@Entity({ name: "email_outbox" })
// The idempotency key: a notification is queued for email once, whatever retries the producer makes.
@Index("email_outbox_notification", ["notificationId"], { unique: true })
@Index("email_outbox_user_created", ["userId", "createdAt"])
// The worker's scan: due rows only.
@Index("email_outbox_due", ["nextAttemptAt"], { where: `"status" = 'PENDING'` })
@Check("email_outbox_attempts", `"attempts" >= 0`)
@Check("email_outbox_sent_has_time", `"status" <> 'SENT' OR "sent_at" IS NOT NULL`)
export class OutboxEmail extends Node {
  static override get graphqlType() {
    return "Email";
  }

  /** The recipient (only they see this row). */
  @Column({ type: "uuid" })
  userId!: string;

  @ManyToOne(() => User, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "user_id" })
  user?: Relation<User>;

  @Column({ type: "uuid" })
  notificationId!: string;

  @ManyToOne(() => Notification, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "notification_id" })
  notification?: Relation<Notification>;

  @Field(() => NotificationKind, { description: "What the email is about (the notification it carries)." })
  @Column({ type: "enum", enum: NotificationKind, enumName: "notification_kind" })
  kind!: NotificationKind;

  @Field(() => String, { name: "to", description: "The address it goes to (your profile's email when it was queued).", simple: false })
  @Column({ type: "varchar", length: 320 })
  toAddress!: string;

  @Field(() => String, { description: "The subject line." })
  @Column({ type: "varchar", length: 300 })
  subject!: string;

  @Field(() => String, { name: "body", description: "Plain text.", simple: false })
  @Column({ type: "text" })
  bodyText!: string;

  @Field(() => EmailStatus, { description: "Whether it is waiting, delivered, or given up on." })
  @Column({ type: "enum", enum: EmailStatus, enumName: "email_status", default: EmailStatus.PENDING })
  status!: EmailStatus;

  @Field(() => Int, { description: "Delivery attempts so far." })
  @Column({ type: "int", default: 0 })
  attempts!: number;

  @Field(() => Date, { description: "When a pending email is (next) tried." })
  @Column({ type: "timestamptz", default: () => "now()" })
  nextAttemptAt!: Date;

  /** The mail server's last refusal: for operators, never shown through the API (it names internal hosts). */
  @Column({ type: "text", nullable: true })
  lastError!: string | null;

  @Field(() => Date, { nullable: true, description: "When it was delivered (null until then)." })
  @Column({ type: "timestamptz", nullable: true })
  sentAt!: Date | null;
}
