import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { BusinessRelationship } from "./relationship.entity.js";

/**
 * "Expires in N days" was sent for this relationship, threshold and expiry date. The unique key is
 * what makes the notice exactly-once: the job inserts this row and notifies in one transaction, so
 * a second run (or a second process) finds the row and sends nothing. The expiry date is part of the
 * key: a relationship renewed to a later date is reminded again before that one.
 */
@Entity({ name: "relationship_expiry_notices" })
@Index("relationship_expiry_notices_once", ["relationshipId", "thresholdDays", "expiresAt"], { unique: true })
@Check("relationship_expiry_notices_threshold", `"threshold_days" > 0`)
export class RelationshipExpiryNotice {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column({ type: "uuid" })
  relationshipId!: string;

  @ManyToOne(() => BusinessRelationship, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "relationship_id" })
  relationship?: Relation<BusinessRelationship>;

  @Column({ type: "int" })
  thresholdDays!: number;

  @Column({ type: "timestamptz" })
  expiresAt!: Date;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}
