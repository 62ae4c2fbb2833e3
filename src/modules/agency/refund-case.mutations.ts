import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from "type-graphql";
import { agencyCan, notAgency } from "../../auth/agency.js";
import { canSee } from "../../auth/visibility.js";
import type { Context } from "../../context.js";
import { businessDate } from "../../common/billing.js";
import { NotificationKind, RefundStatus } from "../../common/enums.js";
import { appError, notFound } from "../../common/errors.js";
import { idOf, text } from "../../common/mutation.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { RefundRequest } from "../refund/refund.entity.js";
import { decideRefund } from "../refund/refund.service.js";
import { auditAgencyAction } from "./agency.audit.js";
import { agencyMutate } from "./agency.mutation.js";
import { notifyImporter } from "./money-notify.js";
import { RefundCase } from "./penalty-case.js";

@InputType()
export class ApproveRefundInput {
  @Field(() => ID, { description: "The refund request, as a queue item (RefundCase id)." })
  refundCaseId!: string;

  @Field(() => String, { nullable: true, description: "A note told to the importer (up to 1000 characters)." })
  note?: string | null;
}

@InputType()
export class RejectRefundInput {
  @Field(() => ID, { description: "The refund request, as a queue item (RefundCase id)." })
  refundCaseId!: string;

  @Field(() => String, { description: "Why it is refused, as the importer will read it (1-1000 characters)." })
  reason!: string;
}

async function visibleRefundCase(ctx: Context, globalId: string): Promise<RefundRequest> {
  const id = idOf(globalId, "RefundCase", "refundCaseId");
  const r = await ctx.db.getRepository(RefundRequest).findOneBy({ id });
  if (!r || !(await canSee(ctx, "RefundCase", r))) throw notFound("That refund request");
  if (r.status !== RefundStatus.REQUESTED) throw appError("CONFLICT", `This refund request has already been decided: ${r.status.toLowerCase()}.`);
  return r;
}

/** One decision: in one transaction, the compare-and-set and the money (refund.service.ts), the importer's audit trail, the importer told. */
async function decide(ctx: Context, refundCaseId: string, approve: boolean, note: string | null): Promise<RefundCase> {
  if (!agencyCan(ctx.access, "DECIDE_REFUNDS")) throw notAgency();
  const r = await visibleRefundCase(ctx, refundCaseId);
  return agencyMutate(ctx, "DECIDE_REFUNDS", async (em, access) => {
    const decided = await decideRefund(em, { refundId: r.id, approve, note, officerId: ctx.viewer!.id, today: businessDate(access.now) });
    const pa = await em.getRepository(ProgramAccount).findOneByOrFail({ id: decided.programAccountId });
    await auditAgencyAction(em, ctx, {
      businessIds: [pa.businessId], action: approve ? "refund.approved" : "refund.rejected", targetType: "RefundRequest", targetId: r.id,
      before: { status: RefundStatus.REQUESTED, amount: r.amount }, after: { status: decided.status, amount: decided.amount, reference: decided.reference, note },
    });
    await notifyImporter(em, access.now, pa.id, {
      kind: NotificationKind.REFUND_DECIDED,
      title: approve ? "Refund approved" : "Refund refused",
      body: approve
        ? `The agency approved the refund of $${decided.amount} of the credit balance of ${pa.bn15}; it is posted on the current statement.${note ? ` Note: ${note}` : ""}`
        : `The agency refused the refund of $${decided.amount} of the credit balance of ${pa.bn15}; nothing was posted. Reason: ${note}`,
      // The payout's reference is a payment detail (not for Readers).
      details: approve ? `Reference ${decided.reference}.` : undefined,
      businessId: pa.businessId,
    });
    return RefundCase.of(decided);
  });
}

@Resolver()
export class RefundCaseMutations {
  @Mutation(() => RefundCase, {
    description:
      "Agency officers: approve a refund of a credit balance. It is paid from the credit balance as it is now (if that has become smaller than " +
      "the amount asked: CONFLICT) and posted as a refund on the current statement; the importer is told. Decided already: CONFLICT.",
  })
  approveRefund(@Ctx() ctx: Context, @Arg("input", () => ApproveRefundInput) input: ApproveRefundInput): Promise<RefundCase> {
    return decide(ctx, input.refundCaseId, true, text(input.note, "note", { max: 1000 }));
  }

  @Mutation(() => RefundCase, { description: "Agency officers: refuse a refund request, saying why. Nothing is posted; the importer is told. Decided already: CONFLICT." })
  rejectRefund(@Ctx() ctx: Context, @Arg("input", () => RejectRefundInput) input: RejectRefundInput): Promise<RefundCase> {
    return decide(ctx, input.refundCaseId, false, text(input.reason, "reason", { max: 1000, required: true }));
  }
}
