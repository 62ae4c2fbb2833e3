import { Field, InputType } from "type-graphql";
import { MoneyScalar } from "../../common/money.js";

@InputType({ description: "The business's address exactly as the agency has it." })
export class AddressInput {
  @Field(() => String)
  addressLine!: string;

  @Field(() => String)
  city!: string;

  @Field(() => String, { description: "Two-letter province or territory code, e.g. ON." })
  province!: string;

  @Field(() => String)
  postalCode!: string;
}

@InputType({
  description:
    "Answer at least two of the three questions about the program account. A wrong answer is refused without saying which one.",
})
export class AffinityAnswersInput {
  @Field(() => String, { nullable: true, description: "1. A recent transaction number on the account..." })
  recentTransactionNumber?: string | null;

  @Field(() => MoneyScalar, { nullable: true, description: "...and its total duties and taxes." })
  recentTransactionTotal?: string | null;

  @Field(() => MoneyScalar, { nullable: true, description: "2. The exact value of the most recent payment." })
  lastPaymentAmount?: string | null;

  @Field(() => MoneyScalar, { nullable: true, description: "3. The balance of the last Statement of Account." })
  lastStatementBalance?: string | null;
}

@InputType()
export class RegisterBusinessInput {
  @Field(() => String, { description: "Business number (9 digits)." })
  bn9!: string;

  @Field(() => String, { description: "One of its program accounts, e.g. RM0001; the affinity answers are about it." })
  rm!: string;

  @Field(() => String, { description: "Legal name exactly as the agency has it." })
  legalName!: string;

  @Field(() => AddressInput)
  address!: AddressInput;

  @Field(() => Boolean, { description: "Acceptance of the terms and conditions (delegation of authority between importers and brokers)." })
  acceptTerms!: boolean;

  @Field(() => AffinityAnswersInput)
  affinity!: AffinityAnswersInput;
}
