import { Field, ObjectType } from "type-graphql";
import { LocalDate } from "../../common/dates.js";
import { MoneyScalar } from "../../common/money.js";

/** The object types of financial security that are not entities (read by the program-account resolver). */

@ObjectType({ description: "What security a program account needs for Release Prior to Payment (by the agency's annual review), what it has, and whether that is enough." })
export class SecurityRequirement {
  @Field(() => LocalDate, { description: "The annual review this requirement comes from (20 October)." })
  reviewedOn!: string;

  @Field(() => LocalDate, { description: "First day of the review period (20 October of the year before the review)." })
  reviewFrom!: string;

  @Field(() => LocalDate, { description: "Last day of the review period (19 October of the review's year)." })
  reviewTo!: string;

  @Field(() => LocalDate, { description: "From when it is in force and must be met (15 January after the review)." })
  inForceFrom!: string;

  @Field(() => MoneyScalar, { description: "The highest duties and taxes of one billing cycle (its last day in the review period)." })
  highestMonthlyDutiesAndTaxes!: string;

  @Field(() => MoneyScalar, { description: "A surety bond needs 50 % of the highest month, at least 5,000.00 and at most 10,000,000.00." })
  requiredBond!: string;

  @Field(() => MoneyScalar, { description: "Cash needs 100 % of the highest month, at least 5,000.00 and at most 10,000,000.00." })
  requiredCash!: string;

  @Field(() => MoneyScalar, { description: "Surety bonds in force today." })
  postedBond!: string;

  @Field(() => MoneyScalar, { description: "Cash security in force today." })
  postedCash!: string;

  @Field(() => Boolean, { description: "The security in force today covers this requirement (for the requirement in force: the account has the RPP privilege)." })
  hasRppPrivilege!: boolean;

  @Field(() => SecurityRequirement, {
    nullable: true,
    description: "The next requirement, from 20 October until it is in force on 15 January (meet it by then); null the rest of the year.",
  })
  next!: SecurityRequirement | null;
}
