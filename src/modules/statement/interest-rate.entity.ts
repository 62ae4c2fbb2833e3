import { Field, ObjectType } from "type-graphql";
import { LocalDate } from "../../common/dates.js";
import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { User } from "../user/user.entity.js";

/**
 * The prescribed interest rate in force from a date (until the next row's date). Overdue amounts bear
 * this rate plus 6 points (interest.ts); days before the first row use DEFAULT_PRESCRIBED_RATE.
 */
@ObjectType({ simpleResolvers: true, description: "A prescribed interest rate and the date it applies from; overdue amounts bear it plus 6 points." })
@Entity({ name: "prescribed_interest_rates" })
@Check("prescribed_interest_rates_range", `"rate" >= 0 AND "rate" < 100`)
export class PrescribedInterestRate {
  @Field(() => LocalDate, { description: "First day (YYYY-MM-DD) the rate applies to." })
  @PrimaryColumn({ type: "date" })
  effectiveFrom!: string;

  @Field(() => String, { description: 'The prescribed rate in percent a year, e.g. "3.0000".' })
  @Column({ type: "numeric", precision: 7, scale: 4 })
  rate!: string;

  @Column({ type: "uuid", nullable: true })
  setByUserId!: string | null;

  @ManyToOne(() => User, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "set_by_user_id" })
  setByUser?: Relation<User> | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}
