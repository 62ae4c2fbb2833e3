import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from "type-graphql";
import { In } from "typeorm";
import { runMutation } from "../../application/mutation.js";
import { seesWholeAccount } from "../../auth/money.js";
import { canSee } from "../../auth/visibility.js";
import { businessDate } from "../../common/billing.js";
import { PaymentMethod } from "../../common/enums.js";
import { badInput } from "../../common/errors.js";
import { bn15Error } from "../../common/identifiers.js";
import { idOf, moneyInput } from "../../common/inputs.js";
import { formatCents, MoneyScalar, type Cents } from "../../common/money.js";
import type { Context } from "../../context.js";
import { chooseActingBusiness } from "../business/acting-business.js";
import { StatementPosting } from "../statement/posting.entity.js";
import { programAccountByBn15 } from "../program-account/program-account.service.js";
import { Payment } from "./payment.entity.js";
import { notifyPaymentReceived } from "./payment.notify.js";
import { METHOD_NAMES, recordPayment } from "./payment.service.js";

const MAX_PAYMENT: Cents = 9_999_999_999n; // 99,999,999.99

@InputType({ description: "A debt a payment pays, and how much of it." })
export class PaymentAllocationInput {
  @Field(() => ID, { description: "The debt: a journal line (StatementPosting id) of a charge, correction, adjustment, interest or penalty with something unpaid." })
  postingId!: string;

  @Field(() => MoneyScalar, { description: "How much of the payment goes to it (more than 0.00, at most what is unpaid of it)." })
  amount!: string;
}

@InputType({ description: "A payment to the agency on a program account, optionally allocated to chosen debts." })
export class MakePaymentInput {
  @Field(() => String, { description: "The program account paid (BN15): what online banking payments quote." })
  bn15!: string;

  @Field(() => MoneyScalar, { description: "More than 0.00; by credit card, at most 4,999.99 per billing cycle and account, all card payments together." })
  amount!: string;

  @Field(() => PaymentMethod, { description: "How it is paid." })
  method!: PaymentMethod;

  @Field(() => String, {
    description:
      "Your key for this payment (1-100 letters, digits, '-', '_', ':', '.'): a retry with the same key and the same request returns the first " +
      "payment instead of paying twice; the same key with another request is a CONFLICT.",
  })
  idempotencyKey!: string;

  @Field(() => String, {
    nullable: true,
    description: "Last 4 digits of the card (debit, credit) or bank account (pre-authorized debit; optional for online banking). Never the full number.",
  })
  instrumentLast4?: string | null;

  @Field(() => String, { nullable: true, description: "The business you pay as (BN9), when you could pay as either the importer or your service provider business." })
  asBusiness?: string | null;

  @Field(() => [PaymentAllocationInput], {
    nullable: true,
    description:
      "What the payment pays, as you choose (CARM's \"Add and allocate payment\"): journal lines of debts you can see on this account, with the amount for each " +
      "(at most 100 lines, none twice, together at most the payment). The rest, if any, pays the oldest debts first, which is also the default.",
  })
  allocations?: PaymentAllocationInput[] | null;
}

@ObjectType({ description: "A payment, and whether this call was a retry of one already taken." })
export class PaymentResult {
  @Field(() => Payment, { description: "The payment recorded." })
  payment!: Payment;

  @Field(() => Boolean, { description: "True when the idempotency key had already paid: nothing was charged this time." })
  replayed!: boolean;
}


function validate(input: MakePaymentInput): { amount: Cents; last4: string | null; allocations: { postingId: string; amount: Cents }[] } {
  const e = bn15Error(input.bn15);
  if (e) throw badInput(e, "bn15");
  const amount = moneyInput(input.amount, "amount", { min: 0n, max: MAX_PAYMENT, minInclusive: false });
  if (!/^[A-Za-z0-9_:.-]{1,100}$/.test(input.idempotencyKey)) {
    throw badInput("idempotencyKey must be 1-100 letters, digits, '-', '_', ':' or '.'.", "idempotencyKey");
  }
  const last4 = input.instrumentLast4 ?? null;
  if (last4 !== null && !/^\d{4}$/.test(last4)) throw badInput("instrumentLast4 must be the last 4 digits, e.g. 4417 (never the full number).", "instrumentLast4");
  if (last4 === null && input.method !== PaymentMethod.ONLINE_BANKING) {
    throw badInput(`instrumentLast4 is required for a ${METHOD_NAMES[input.method]} payment.`, "instrumentLast4");
  }
  const allocations = (input.allocations ?? []).map((a, i) => ({
    postingId: idOf(a.postingId, "StatementPosting", `allocations[${i}].postingId`),
    amount: moneyInput(a.amount, `allocations[${i}].amount`, { min: 0n, max: MAX_PAYMENT, minInclusive: false }),
  }));
  if (allocations.length > 100) throw badInput("Allocate a payment to at most 100 debts.", "allocations");
  const seen = new Set<string>();
  for (const [i, a] of allocations.entries()) {
    if (seen.has(a.postingId)) throw badInput("The same debt is listed twice.", `allocations[${i}].postingId`);
    seen.add(a.postingId);
  }
  return { amount, last4, allocations };
}

/** The debts a payer allocates to must be journal lines of that account they may see (another's look like none: NOT_FOUND-free input error). */
async function visibleDebts(ctx: Context, programAccountId: string, allocations: { postingId: string }[]): Promise<void> {
  if (allocations.length === 0) return;
  const rows = await ctx.db.getRepository(StatementPosting).findBy({ id: In(allocations.map((a) => a.postingId)) });
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const [i, a] of allocations.entries()) {
    const row = byId.get(a.postingId);
    if (!row || row.programAccountId !== programAccountId || !(await canSee(ctx, "StatementPosting", row))) {
      throw badInput("No such debt on this program account.", `allocations[${i}].postingId`);
    }
  }
}

@Resolver()
export class PaymentMutations {
  @Mutation(() => PaymentResult, {
    description:
      "Pay the agency on a program account (importer's people with SUBMIT_PAYMENTS, or its service provider with an Editor grant). " +
      "Accepted at once (no card network here: only the last 4 digits are kept) and applied to the oldest debts first.",
  })
  async makePayment(@Ctx() ctx: Context, @Arg("input", () => MakePaymentInput) input: MakePaymentInput): Promise<PaymentResult> {
    const { amount, last4, allocations } = validate(input);
    return runMutation(ctx, "makePayment", {
      find: () => programAccountByBn15(ctx, input.bn15),
      subject: (pa) => ({ accountId: pa.id }),
      prepare: (pa) => visibleDebts(ctx, pa.id, allocations),
      run: async (tx, pa, { granted: payers }) => {
        const payer = chooseActingBusiness(payers, input.asBusiness, "make payments");
        const { payment, replayed } = await recordPayment(tx.em, {
          programAccountId: pa.id,
          payerBusinessId: payer.id,
          userId: tx.actor.id,
          amount,
          method: input.method,
          idempotencyKey: input.idempotencyKey,
          instrumentLast4: last4,
          today: businessDate(tx.now),
          now: tx.now,
          allocateTo: allocations.map((a) => ({ debitPostingId: a.postingId, amount: a.amount })),
          showsCardLimit: await seesWholeAccount(tx.access, pa.id, "VIEW_PAYMENTS"),
        });
        // A retry announces nothing: the first attempt did.
        if (replayed) return { payment, replayed };
        await notifyPaymentReceived(tx, { pa, payer, payment, amount, method: input.method });
        await tx.audit({
          businessId: pa.businessId,
          action: "payment.received",
          targetType: "Payment",
          targetId: payment.id,
          after: { bn15: pa.bn15, amount: formatCents(amount), method: input.method, paidBy: payer.bn9, reference: payment.reference },
        });
        return { payment, replayed };
      },
    });
  }
}
