import { Arg, Ctx, Field, InputType, Mutation, Resolver } from "type-graphql";
import { runMutation } from "../../application/mutation.js";
import { businessDate } from "../../common/billing.js";
import { PaymentMethod, SecurityKind, SecurityStatus } from "../../common/enums.js";
import { creditCardLimitLeft, overCardLimit } from "../payment/payment.service.js";
import { lockLedger } from "../statement/ledger.js";
import { badInput } from "../../common/errors.js";
import { bn15Error } from "../../common/identifiers.js";
import { dateInput, moneyInput, text } from "../../common/inputs.js";
import { formatCents, MoneyScalar } from "../../common/money.js";
import type { Context } from "../../context.js";
import { programAccountByBn15 } from "../program-account/program-account.service.js";
import { FinancialSecurity } from "./security.entity.js";

@InputType({ description: "Financial security to post for a program account." })
export class PostFinancialSecurityInput {
  @Field(() => String, { description: "The program account secured (BN15)." })
  bn15!: string;

  @Field(() => SecurityKind, { description: "Surety bond or cash deposit." })
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
    return runMutation(ctx, "postFinancialSecurity", {
      find: () => programAccountByBn15(ctx, input.bn15),
      subject: (pa) => ({ accountId: pa.id }),
      run: async (tx, pa) => {
        const em = tx.em;
        const today = businessDate(tx.now);
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
        await tx.audit({
          businessId: pa.businessId,
          action: "security.posted",
          targetType: "FinancialSecurity",
          targetId: security.id,
          after: { bn15: pa.bn15, kind: input.kind, amount: formatCents(amount), effectiveFrom, expiresOn, bondNumber, paidWith },
        });
        return security;
      },
    });
  }
}
