import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { Business } from "../business/business.entity.js";

/**
 * The last transaction sequence number a business used (the 8 digits after its ASEC). Incremented with
 * `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` inside the filing's transaction: the row lock makes
 * concurrent filings by one business take distinct numbers, and a filing that rolls back gives its
 * number back, so numbers have no gaps.
 */
@Entity({ name: "transaction_sequences" })
@Check("transaction_sequences_range", `"last_value" BETWEEN 1 AND 99999999`)
export class TransactionSequence {
  @PrimaryColumn({ type: "uuid" })
  businessId!: string;

  @ManyToOne(() => Business, { onDelete: "CASCADE", nullable: false })
  @JoinColumn({ name: "business_id" })
  business?: Relation<Business>;

  @Column({ type: "int" })
  lastValue!: number;
}
