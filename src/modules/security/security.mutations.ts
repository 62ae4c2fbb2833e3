import { Arg, Ctx, Field, InputType, Mutation, ObjectType, Resolver } from "type-graphql";
import { businessDate } from "../../common/billing.js";
import { PaymentMethod, SecurityKind, SecurityStatus } from "../../common/enums.js";
import { creditCardLimitLeft, overCardLimit } from "../payment/payment.service.js";
import { lockLedger } from "../statement/ledger.js";
import { badInput, forbidden } from "../../common/errors.js";
import { bn15Error } from "../../common/identifiers.js";
import { dateInput, moneyInput } from "../../common/inputs.js";
import { formatCents, MoneyScalar } from "../../common/money.js";
import { audit, mutate, text } from "../../common/mutation.js";
import type { Context } from "../../context.js";
import { accountInReach } from "../program-account/program-account.service.js";
import { FinancialSecurity } from "./security.entity.js";

@InputType()
export class PostFinancialSecurityInput {
  @Field(() => String, { description: "The program account secured (BN15)." })
  bn15!: string;

  @Field(() => SecurityKind)
  kind!: SecurityKind;

  @Field(() => MoneyScalar, { description: "The bond's face amount, or the cash deposited (more than 0.00)." })
  amount!: string;

  @Field(() => String, { nullable: true, description: "The surety company (bonds only; required for them)." })
  suretyProvider?: string | null;

  @Field(() => String, { nullable: true, description: "The bond number (bonds only; required for them)." })
  bondNumber?: string | null;

  @Field(() => String, { description: "First day it is in force (YYYY-MM-DD)." })
  effectiveFrom!: string;

  @Field(() => String, { nullable: true, description: "Last day a bond is in force (YYYY-MM-DD), after effectiveFrom. Cash security has no expiry date." })
  expiresOn?: string | null;

  @Field(() => PaymentMethod, {
    nullable: true,
    description: "How a cash deposit is paid (required for cash, none for a bond). By credit card it counts towards the account's card limit of the cycle (4,999.99).",
  })
  paidWith?: PaymentMethod | null;
}

@ObjectType({ description: "What security a program account needs for Release Prior to Payment (by the agency's annual review), what it has, and whether that is enough." })
export class SecurityRequirement {
  @Field(() => String, { description: "The annual review this requirement comes from (20 October)." })
  reviewedOn!: string;

  @Field(() => String, { description: "First day of the review period (20 October of the year before the review)." })
  reviewFrom!: string;

  @Field(() => String, { description: "Last day of the review period (19 October of the review's year)." })
  reviewTo!: string;

  @Field(() => String, { description: "From when it is in force and must be met (15 January after the review)." })
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

@Resolver()
export class SecurityMutations {
  @Mutation(() => FinancialSecurity, {
    description: "As the importer's BAM, post a surety bond or cash security on one of your program accounts (for Release Prior to Payment).",
  })
  async postFinancialSecurity(@Ctx() ctx: Context, @Arg("input", () => PostFinancialSecurityInput) input: PostFinancialSecurityInput): Promise<FinancialSecurity> {
    const e = bn15Error(input.bn15);
    if (e) throw badInput(e, "bn15");
    const amount = moneyInput(input.amount, "amount", { min: 0n, max: 9_999_999_999n, minInclusive: false });
    const effectiveFrom = dateInput(input.effectiveFrom, "effectiveFrom");
    const expiresOn = input.expiresOn ? dateInput(input.expiresOn, "expiresOn") : null;
    if (expiresOn && expiresOn <= effectiveFrom) throw badInput("expiresOn must be after effectiveFrom.", "expiresOn");
    const bond = input.kind === SecurityKind.SURETY_BOND;
    // Cash is held until the agency releases it (Memorandum D17-5-2): it has no expiry date.
    if (!bond && expiresOn) throw badInput("Cash security has no expiry date: it is held until the agency releases it.", "expiresOn");
    const paidWith = input.paidWith ?? null;
    if (!bond && !paidWith) throw badInput("Say how the cash deposit is paid (paidWith).", "paidWith");
    if (bond && paidWith) throw badInput("A surety bond is not paid to the agency: leave paidWith out.", "paidWith");
    const suretyProvider = text(input.suretyProvider, "suretyProvider", { max: 200, required: bond });
    const bondNumber = text(input.bondNumber, "bondNumber", { max: 50, required: bond });
    if (!bond && (suretyProvider || bondNumber)) throw badInput("Cash security has no surety provider or bond number.", suretyProvider ? "suretyProvider" : "bondNumber");
    return mutate(ctx, async (em, access) => {
      const pa = await accountInReach(em, access, input.bn15);
      // The importer posts its own security (domain spec): its BAM. Never a service provider.
      if (!access.ownCan("MANAGE_SECURITY", pa.id)) throw forbidden("Only the importer's BAM can post financial security.");
      const today = businessDate(access.now);
      if (paidWith === PaymentMethod.CREDIT_CARD) {
        // The same cap as card payments, decided under the same lock (CARM Bulletin 5408).
        await lockLedger(em, pa.id);
        const { left, cycleEnd } = await creditCardLimitLeft(em, pa.id, today);
        if (amount > left) throw overCardLimit(left, cycleEnd, true);
      }
      const security = await em.getRepository(FinancialSecurity).save(
        Object.assign(new FinancialSecurity(), {
          programAccountId: pa.id, kind: input.kind, amount: formatCents(amount), suretyProvider, bondNumber, effectiveFrom, expiresOn, status: SecurityStatus.ACTIVE,
          paidWith, postedOn: today,
        }),
      );
      await audit(em, ctx, {
        businessId: pa.businessId,
        action: "security.posted",
        targetType: "FinancialSecurity",
        targetId: security.id,
        after: { bn15: pa.bn15, kind: input.kind, amount: formatCents(amount), effectiveFrom, expiresOn, bondNumber, paidWith },
      });
      return security;
    });
  }
}
