import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from "type-graphql";
import { runMutation } from "../../application/mutation.js";
import { visibleNode } from "../../application/targets.js";
import type { Context } from "../../context.js";
import { businessDate } from "../../common/billing.js";
import { NotificationKind, RefundStatus } from "../../common/enums.js";
import { appError } from "../../common/errors.js";
import { text } from "../../common/inputs.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { RefundRequest } from "../refund/refund.entity.js";
import { decideRefund } from "../refund/refund.service.js";
import { notifyImporter } from "./money-notify.js";
import { RefundCase } from "./penalty-case.js";

@InputType({ description: "An agency officer's approval of a refund request." })
export class ApproveRefundInput {
  @Field(() => ID, { description: "The refund request, as a queue item (RefundCase id)." })
  refundCaseId!: string;

  @Field(() => String, { nullable: true, description: "A note told to the importer (up to 1000 characters)." })
  note?: string | null;
}

@InputType({ description: "An agency officer's refusal of a refund request, with the reasons." })
export class RejectRefundInput {
  @Field(() => ID, { description: "The refund request, as a queue item (RefundCase id)." })
  refundCaseId!: string;

  @Field(() => String, { description: "Why it is refused, as the importer will read it (1-1000 characters)." })
  reason!: string;
}

/** The work item, if the viewer may see it as one (anyone else: NOT_FOUND, like a missing one), still undecided (else CONFLICT). */
async function visibleRefundCase(ctx: Context, globalId: string): Promise<RefundRequest> {
  const r = await visibleNode<RefundRequest>(ctx, "RefundCase", globalId, "refundCaseId", "That refund request");
  if (r.status !== RefundStatus.REQUESTED) throw appError("CONFLICT", `This refund request has already been decided: ${r.status.toLowerCase()}.`);
  return r;
}

/** One decision: in one transaction, the compare-and-set and the money (refund.service.ts), the importer's audit trail, the importer told. */
async function decide(ctx: Context, refundCaseId: string, approve: boolean, note: string | null): Promise<RefundCase> {
  return runMutation(ctx, approve ? "approveRefund" : "rejectRefund", {
    find: () => visibleRefundCase(ctx, refundCaseId),
    run: async (tx, r) => {
      const em = tx.em;
      const decided = await decideRefund(em, { refundId: r.id, approve, note, officerId: tx.actor.id, today: businessDate(tx.now) });
      const pa = await em.getRepository(ProgramAccount).findOneByOrFail({ id: decided.programAccountId });
      await tx.auditEach([pa.businessId], {
        action: approve ? "refund.approved" : "refund.rejected", targetType: "RefundRequest", targetId: r.id,
        before: { status: RefundStatus.REQUESTED, amount: r.amount }, after: { status: decided.status, amount: decided.amount, reference: decided.reference, note },
      });
      await notifyImporter(em, tx.now, pa.id, {
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
    },
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
