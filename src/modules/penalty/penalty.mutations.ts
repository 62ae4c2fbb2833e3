import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Resolver, Root } from "type-graphql";
import { runMutation } from "../../application/mutation.js";
import { visibleNode } from "../../application/targets.js";
import type { Context } from "../../context.js";
import { businessDate } from "../../common/billing.js";
import { text } from "../../common/inputs.js";
import { disputeOf } from "../agency/penalty-case.js";
import { Business } from "../business/business.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";
import { Penalty, PenaltyDispute } from "./penalty.entity.js";
import { disputePenalty } from "./penalty.service.js";

@InputType({ description: "An importer's dispute of an AMPS penalty." })
export class DisputePenaltyInput {
  @Field(() => ID, { description: "The penalty (Penalty id)." })
  penaltyId!: string;

  @Field(() => String, { description: "Why the importer disputes it, as the agency will read it (1-2000 characters)." })
  reason!: string;
}

@Resolver(() => Penalty)
export class PenaltyResolver {
  @FieldResolver(() => ProgramAccount, { description: "The program account the penalty was assessed on." })
  programAccount(@Ctx() ctx: Context, @Root() p: Penalty) {
    return ctx.loaders.byId(ProgramAccount).load(p.programAccountId);
  }

  @FieldResolver(() => PenaltyDispute, { nullable: true, description: "The importer's dispute of it, if any, with the agency's decision." })
  dispute(@Ctx() ctx: Context, @Root() p: Penalty) {
    return disputeOf(ctx, p.id);
  }

  @Mutation(() => PenaltyDispute, {
    description:
      "Dispute an AMPS penalty on your program account (the importer's BAM or the account's PAM), within 90 days of its notice, once per penalty. " +
      "The agency's queue decides it: upheld, or cancelled in whole or part (a credit on the statement).",
  })
  async disputePenalty(@Ctx() ctx: Context, @Arg("input", () => DisputePenaltyInput) input: DisputePenaltyInput): Promise<PenaltyDispute> {
    const find = () => visibleNode<Penalty>(ctx, "Penalty", input.penaltyId, "penaltyId", "That penalty");
    const reason = text(input.reason, "reason", { max: 2000, required: true })!;
    return runMutation(ctx, "disputePenalty", {
      find,
      subject: (penalty) => ({ accountId: penalty.programAccountId }),
      run: async (tx, penalty) => {
        const pa = await tx.em.getRepository(ProgramAccount).findOneByOrFail({ id: penalty.programAccountId });
        const dispute = await disputePenalty(tx.em, { penaltyId: penalty.id, reason, userId: tx.actor.id, businessId: pa.businessId, today: businessDate(tx.now) });
        await tx.audit({
          businessId: pa.businessId, action: "penalty.disputed", targetType: "Penalty", targetId: penalty.id,
          before: { disputed: false }, after: { disputed: true, noticeNumber: penalty.noticeNumber, reason },
        });
        return dispute;
      },
    });
  }
}

@Resolver(() => PenaltyDispute)
export class PenaltyDisputeResolver {
  @FieldResolver(() => User, { nullable: true, description: "Who disputed it." })
  requestedBy(@Ctx() ctx: Context, @Root() d: PenaltyDispute) {
    return d.requestedByUserId ? ctx.loaders.byId(User).load(d.requestedByUserId) : null;
  }

  @FieldResolver(() => Business, { description: "The business that disputed it (the importer)." })
  requestedByBusiness(@Ctx() ctx: Context, @Root() d: PenaltyDispute) {
    return ctx.loaders.byId(Business).load(d.requestedByBusinessId);
  }
}
