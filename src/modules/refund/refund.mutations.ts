import { Arg, Ctx, Field, FieldResolver, InputType, Mutation, Resolver, Root } from "type-graphql";
import { runMutation } from "../../application/mutation.js";
import type { Context } from "../../context.js";
import { bn15Error } from "../../common/identifiers.js";
import { moneyInput, text } from "../../common/inputs.js";
import { formatCents, MoneyScalar } from "../../common/money.js";
import { badInput } from "../../common/errors.js";
import { programAccountByBn15 } from "../program-account/program-account.service.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";
import { RefundRequest } from "./refund.entity.js";
import { requestRefund } from "./refund.service.js";

@InputType({ description: "A request to refund a program account's credit balance." })
export class RequestRefundInput {
  @Field(() => String, { description: "The program account whose credit balance is refunded (BN15)." })
  bn15!: string;

  @Field(() => MoneyScalar, { description: "How much to refund: more than 0.00, at most the account's credit balance (ProgramAccount.creditBalance)." })
  amount!: string;

  @Field(() => String, { nullable: true, description: "Why (optional, up to 1000 characters)." })
  reason?: string | null;
}

@Resolver(() => RefundRequest)
export class RefundRequestResolver {
  @FieldResolver(() => ProgramAccount, { description: "The program account whose credit balance is asked back." })
  programAccount(@Ctx() ctx: Context, @Root() r: RefundRequest) {
    return ctx.loaders.byId(ProgramAccount).load(r.programAccountId);
  }

  @FieldResolver(() => User, { nullable: true, description: "Who asked for it." })
  requestedBy(@Ctx() ctx: Context, @Root() r: RefundRequest) {
    return r.requestedByUserId ? ctx.loaders.byId(User).load(r.requestedByUserId) : null;
  }

  @Mutation(() => RefundRequest, {
    description:
      "Ask the agency to refund (part of) a program account's credit balance (the importer's BAM or the account's PAM). One request at a time " +
      "per account; the agency's queue decides it, and an approved refund is posted on the statement.",
  })
  async requestRefund(@Ctx() ctx: Context, @Arg("input", () => RequestRefundInput) input: RequestRefundInput): Promise<RefundRequest> {
    const e = bn15Error(input.bn15);
    if (e) throw badInput(e, "bn15");
    const amount = moneyInput(input.amount, "amount", { min: 0n, max: 9_999_999_999n, minInclusive: false });
    const reason = text(input.reason, "reason", { max: 1000 });
    return runMutation(ctx, "requestRefund", {
      find: () => programAccountByBn15(ctx, input.bn15),
      subject: (pa) => ({ accountId: pa.id }),
      run: async (tx, pa) => {
        const refund = await requestRefund(tx.em, { programAccountId: pa.id, amount, reason, userId: tx.actor.id });
        await tx.audit({
          businessId: pa.businessId, action: "refund.requested", targetType: "RefundRequest", targetId: refund.id,
          after: { bn15: pa.bn15, amount: formatCents(amount), reason },
        });
        return refund;
      },
    });
  }
}
