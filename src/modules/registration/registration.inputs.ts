import { Field, InputType } from "type-graphql";
import { MoneyScalar } from "../../common/money.js";

@InputType({ description: "The business's address exactly as the agency has it." })
export class AddressInput {
  @Field(() => String, { description: "Street address, as the agency has it (1-200 characters)." })
  addressLine!: string;

  @Field(() => String, { description: "City (1-100 characters)." })
  city!: string;

  @Field(() => String, { description: "Two-letter province or territory code, e.g. ON." })
  province!: string;

  @Field(() => String, { description: "A Canadian postal code, e.g. K1A 0B1 (the space is optional)." })
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

@InputType({ description: "Registering a business in the portal: its identity as the agency has it, the terms accepted, and the answers to 2 of 3 affinity questions." })
export class RegisterBusinessInput {
  @Field(() => String, { description: "Business number (9 digits)." })
  bn9!: string;

  @Field(() => String, { description: "One of its program accounts, e.g. RM0001; the affinity answers are about it." })
  rm!: string;

  @Field(() => String, { description: "Legal name exactly as the agency has it." })
  legalName!: string;

  @Field(() => AddressInput, { description: "The address, exactly as the agency has it." })
  address!: AddressInput;

  @Field(() => Boolean, { description: "Acceptance of the terms and conditions (delegation of authority between importers and brokers)." })
  acceptTerms!: boolean;

  @Field(() => AffinityAnswersInput, { description: "Answers to at least 2 of the 3 affinity questions about the program account." })
  affinity!: AffinityAnswersInput;
}
