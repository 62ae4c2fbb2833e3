import { Field, Int, ObjectType } from "type-graphql";
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { RulingKind, RulingStatus } from "../../common/enums.js";
import { Node } from "../../common/node.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";
import { Business } from "../business/business.entity.js";

/**
 * An advance ruling / national customs ruling request: submitted on an importer's program account
 * by the importer or by a service provider acting for it, then assigned to an agency officer and
 * decided (or withdrawn by the requester before a decision). Who sees it follows the business that
 * submitted it, like a transaction (auth/conditions.ts, rulingCondition); officers work on it through its
 * agency view, RulingCase (modules/agency).
 */
@ObjectType({ simpleResolvers: true, implements: Node, description: "A ruling request (tariff classification, origin, valuation or marking) and, once rendered, the agency's decision." })
@Entity({ name: "ruling_requests" })
@Index("ruling_requests_account", ["programAccountId", "createdAt", "id"])
// The agency's queue reads open requests oldest first, and an officer's own.
@Index("ruling_requests_queue", ["status", "createdAt", "id"])
@Index("ruling_requests_assignee", ["assignedOfficerId", "status"])
@Check("ruling_requests_assigned_has_officer", `"status" <> 'ASSIGNED' OR ("assigned_officer_id" IS NOT NULL AND "assigned_at" IS NOT NULL)`)
@Check("ruling_requests_submitted_unassigned", `"status" <> 'SUBMITTED' OR "assigned_officer_id" IS NULL`)
@Check("ruling_requests_decided_has_decision", `("status" = 'DECISION_RENDERED') = ("decision" IS NOT NULL AND "decided_at" IS NOT NULL)`)
@Check("ruling_requests_withdrawn_at", `("status" = 'WITHDRAWN') = ("withdrawn_at" IS NOT NULL)`)
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

  @Field(() => RulingKind, { description: "What ruling is asked for." })
  @Column({ type: "enum", enum: RulingKind, enumName: "ruling_kind" })
  kind!: RulingKind;

  @Field(() => RulingStatus, { description: "Where the request stands." })
  @Column({ type: "enum", enum: RulingStatus, enumName: "ruling_status", default: RulingStatus.SUBMITTED })
  status!: RulingStatus;

  @Field(() => String, { description: "The goods the ruling is about, as the requester described them." })
  @Column({ type: "varchar", length: 2000 })
  productDescription!: string;

  @Column({ type: "uuid", nullable: true })
  assignedOfficerId!: string | null;

  @ManyToOne(() => User, { onDelete: "RESTRICT", nullable: true })
  @JoinColumn({ name: "assigned_officer_id" })
  assignedOfficer?: Relation<User> | null;

  @Field(() => Date, { nullable: true, description: "When an agency officer was (last) assigned to it." })
  @Column({ type: "timestamptz", nullable: true })
  assignedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The agency's decision, once rendered." })
  @Column({ type: "varchar", length: 4000, nullable: true })
  decision!: string | null;

  @Field(() => Date, { nullable: true, description: "When the decision was rendered (null until then)." })
  @Column({ type: "timestamptz", nullable: true })
  decidedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "When the requester withdrew it." })
  @Column({ type: "timestamptz", nullable: true })
  withdrawnAt!: Date | null;
}

/** Largest attachment accepted (the file itself goes to the document store, not to this API). */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;
export const MAX_ATTACHMENTS = 10;

/**
 * What a requester attached to a ruling request (a product sheet, a photo, an invoice): metadata
 * only. The file itself is not stored here; the SHA-256 lets the agency match the file it receives.
 */
@ObjectType({ simpleResolvers: true, description: "A document attached to a ruling request: its metadata (the file itself is not held by this API)." })
@Entity({ name: "ruling_attachments" })
@Index("ruling_attachments_position", ["rulingRequestId", "position"], { unique: true })
@Index("ruling_attachments_checksum", ["rulingRequestId", "sha256"], { unique: true })
@Check("ruling_attachments_size", `"size_bytes" > 0 AND "size_bytes" <= ${MAX_ATTACHMENT_BYTES}`)
@Check("ruling_attachments_sha256", `"sha256" ~ '^[0-9a-f]{64}$'`)
export class RulingAttachment {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;

  @Column({ type: "uuid" })
  rulingRequestId!: string;

  @ManyToOne(() => RulingRequest, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "ruling_request_id" })
  rulingRequest?: Relation<RulingRequest>;

  /** Order as submitted. */
  @Column({ type: "smallint" })
  position!: number;

  @Field(() => String, { description: "The file's name." })
  @Column({ type: "varchar", length: 255 })
  fileName!: string;

  @Field(() => String, { description: "e.g. application/pdf." })
  @Column({ type: "varchar", length: 100 })
  mediaType!: string;

  @Field(() => Int, { description: "The file's size in bytes." })
  @Column({ type: "int" })
  sizeBytes!: number;

  @Field(() => String, { description: "SHA-256 of the file, 64 lowercase hex digits." })
  @Column({ type: "char", length: 64 })
  sha256!: string;
}
