import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Resolver, Root } from "type-graphql";
import { canSee } from "../../auth/visibility.js";
import type { Context } from "../../context.js";
import { businessDate } from "../../common/billing.js";
import { forbidden, notFound } from "../../common/errors.js";
import { audit, idOf, mutate, text } from "../../common/mutation.js";
import { disputeOf } from "../agency/penalty-case.js";
import { Business } from "../business/business.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";
import { Penalty, PenaltyDispute } from "./penalty.entity.js";
import { disputePenalty } from "./penalty.service.js";

@InputType()
export class DisputePenaltyInput {
  @Field(() => ID, { description: "The penalty (Penalty id)." })
  penaltyId!: string;

  @Field(() => String, { description: "Why the importer disputes it, as the agency will read it (1-2000 characters)." })
  reason!: string;
}

@Resolver(() => Penalty)
export class PenaltyResolver {
  @FieldResolver(() => ProgramAccount)
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
    const id = idOf(input.penaltyId, "Penalty", "penaltyId");
    const reason = text(input.reason, "reason", { max: 2000, required: true })!;
    const penalty = await ctx.db.getRepository(Penalty).findOneBy({ id });
    if (!penalty || !(await canSee(ctx, "Penalty", penalty))) throw notFound("That penalty");
    return mutate(ctx, async (em, access) => {
      // The importer contests its own penalty: its managers, through an own path (never a provider).
      if (!access.ownCan("DISPUTE_PENALTIES", penalty.programAccountId)) throw forbidden("Only the importer's BAM or the account's PAM can dispute a penalty.");
      const pa = await em.getRepository(ProgramAccount).findOneByOrFail({ id: penalty.programAccountId });
      const dispute = await disputePenalty(em, { penaltyId: penalty.id, reason, userId: ctx.viewer!.id, businessId: pa.businessId, today: businessDate(access.now) });
      await audit(em, ctx, {
        businessId: pa.businessId, action: "penalty.disputed", targetType: "Penalty", targetId: penalty.id,
        before: { disputed: false }, after: { disputed: true, noticeNumber: penalty.noticeNumber, reason },
      });
      return dispute;
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
