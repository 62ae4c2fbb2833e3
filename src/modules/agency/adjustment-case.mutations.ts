import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from "type-graphql";
import type { EntityManager } from "typeorm";
import { versionReaders } from "../../auth/access.js";
import { agencyCan, notAgency } from "../../auth/agency.js";
import { canSee } from "../../auth/visibility.js";
import type { Context } from "../../context.js";
import { businessDate } from "../../common/billing.js";
import { NotificationKind, TransactionVersionStatus } from "../../common/enums.js";
import { appError, notFound } from "../../common/errors.js";
import { formatCents, toCents } from "../../common/money.js";
import { idOf, notify, text } from "../../common/mutation.js";
import { query, sql } from "../../db/sql.js";
import { decideAdjustment } from "../transaction/filing.js";
import { TransactionVersion } from "../transaction/transaction.entity.js";
import { auditAgencyAction } from "./agency.audit.js";
import { agencyMutate } from "./agency.mutation.js";
import { AdjustmentCase } from "./adjustment-case.js";

@InputType()
export class AcceptAdjustmentInput {
  @Field(() => ID, { description: "The adjustment, as a queue item (AdjustmentCase id)." })
  adjustmentCaseId!: string;

  @Field(() => String, { nullable: true, description: "A note on the acceptance, told to the declarant (up to 1000 characters)." })
  note?: string | null;
}

@InputType()
export class RejectAdjustmentInput {
  @Field(() => ID, { description: "The adjustment, as a queue item (AdjustmentCase id)." })
  adjustmentCaseId!: string;

  @Field(() => String, { description: "Why it is rejected, as the declarant will read it (1-1000 characters)." })
  reason!: string;
}

/** The work item, if the viewer may see it as one (anyone else, and any other version: NOT_FOUND, like a missing one). */
async function visibleAdjustment(ctx: Context, globalId: string): Promise<TransactionVersion> {
  const id = idOf(globalId, "AdjustmentCase", "adjustmentCaseId");
  const v = await ctx.db.getRepository(TransactionVersion).findOneBy({ id });
  if (!v || !(await canSee(ctx, "AdjustmentCase", v))) throw notFound("That adjustment");
  return v;
}

/** Refused before any change: an adjustment already decided is not the caller's to decide again. */
function assertUnderReview(v: TransactionVersion): void {
  if (v.status !== TransactionVersionStatus.UNDER_REVIEW) {
    throw appError("CONFLICT", `This adjustment has already been decided: it was ${v.status.toLowerCase()}${v.decidedAt ? ` on ${v.decidedAt.toISOString()}` : ""}.`);
  }
}

interface Parties {
  transactionNumber: string;
  bn15: string;
  programAccountId: string;
  importerId: string;
  filerId: string;
}

async function partiesOf(em: EntityManager, transactionId: string): Promise<Parties> {
  const [p] = await query<Parties>(
    em,
    sql`SELECT t.transaction_number AS "transactionNumber", pa.bn15, pa.id AS "programAccountId", pa.business_id AS "importerId", t.submitted_by_business_id AS "filerId"
          FROM transactions t JOIN program_accounts pa ON pa.id = t.program_account_id WHERE t.id = ${transactionId}::uuid`,
  );
  return p!;
}

/**
 * Tells the declarant of the decision: the person who submitted the adjustment, and the BAMs of the
 * importer and of the submitting business (a broker, when it was one), those of them who may see the
 * adjustment as of now (a notification says nothing to someone who may not read it).
 */
async function notifyDeclarants(em: EntityManager, ctx: Context, v: TransactionVersion, p: Parties, n: { title: string; body: string }): Promise<void> {
  const bams = await query<{ user_id: string }>(
    em,
    sql`SELECT user_id FROM business_memberships WHERE business_id = ANY(${[p.importerId, v.submittedByBusinessId]}::uuid[]) AND is_bam AND status = 'ACTIVE'`,
  );
  const candidates = [...new Set([...(v.submittedByUserId ? [v.submittedByUserId] : []), ...bams.map((b) => b.user_id)])];
  const readers = await versionReaders(em, ctx.access.now, candidates, p.programAccountId, p.filerId, v.submittedByBusinessId);
  await notify(em, readers, { kind: NotificationKind.ADJUSTMENT_DECIDED, ...n, businessId: p.importerId });
}

const money = (cents: bigint) => `$${formatCents(cents < 0n ? -cents : cents)}`;

@Resolver()
export class AdjustmentCaseMutations {
  @Mutation(() => AdjustmentCase, {
    description:
      "Agency officers: accept an adjustment under review. It becomes the declaration's accepted version; its difference is posted on the " +
      "current statement, and an increase bears interest from the original due date to today (posted with it). The declarant is told; " +
      "statement subscribers hear of the change. A second decision (or two at once) gets CONFLICT.",
  })
  async acceptAdjustment(@Ctx() ctx: Context, @Arg("input", () => AcceptAdjustmentInput) input: AcceptAdjustmentInput): Promise<AdjustmentCase> {
    if (!agencyCan(ctx.access, "REVIEW_ADJUSTMENTS")) throw notAgency();
    const note = text(input.note, "note", { max: 1000 });
    const v = await visibleAdjustment(ctx, input.adjustmentCaseId);
    assertUnderReview(v);
    return agencyMutate(ctx, "REVIEW_ADJUSTMENTS", async (em, access) => {
      // decideAdjustment locks the declaration and reads the version again: the compare-and-set.
      const decided = await decideAdjustment(em, { versionId: v.id, accept: true, today: businessDate(access.now), decidedByUserId: ctx.viewer!.id, note });
      const p = await partiesOf(em, v.transactionId);
      const previous = toCents(decided.version.totalDutiesAndTaxes) - decided.delta;
      await auditAgencyAction(em, ctx, {
        businessIds: [p.importerId, v.submittedByBusinessId],
        action: "adjustment.accepted",
        targetType: "Transaction",
        targetId: v.transactionId,
        before: { versionNo: v.versionNo, status: TransactionVersionStatus.UNDER_REVIEW, total: formatCents(previous) },
        after: {
          versionNo: v.versionNo, status: TransactionVersionStatus.ACCEPTED, total: decided.version.totalDutiesAndTaxes,
          difference: formatCents(decided.delta), interest: formatCents(decided.interest), note,
        },
      });
      const moved =
        decided.delta === 0n
          ? "nothing changes on the statement"
          : `${money(decided.delta)} ${decided.delta > 0n ? "is charged" : "is credited"}` +
            (decided.interest > 0n ? `, with ${money(decided.interest)} interest from the original due date,` : "") +
            ` on the current statement of ${p.bn15}`;
      await notifyDeclarants(em, ctx, v, p, {
        title: "Adjustment accepted",
        body:
          `The agency accepted the adjustment of transaction ${p.transactionNumber} (version ${v.versionNo}): duties and taxes are now ` +
          `$${decided.version.totalDutiesAndTaxes}, and ${moved}.${note ? ` Note: ${note}` : ""}`,
      });
      return AdjustmentCase.of(decided.version);
    });
  }

  @Mutation(() => AdjustmentCase, {
    description:
      "Agency officers: reject an adjustment under review, saying why. Nothing is posted; the declaration keeps its accepted version. " +
      "The declarant is told. A second decision (or two at once) gets CONFLICT.",
  })
  async rejectAdjustment(@Ctx() ctx: Context, @Arg("input", () => RejectAdjustmentInput) input: RejectAdjustmentInput): Promise<AdjustmentCase> {
    if (!agencyCan(ctx.access, "REVIEW_ADJUSTMENTS")) throw notAgency();
    const reason = text(input.reason, "reason", { max: 1000, required: true })!;
    const v = await visibleAdjustment(ctx, input.adjustmentCaseId);
    assertUnderReview(v);
    return agencyMutate(ctx, "REVIEW_ADJUSTMENTS", async (em, access) => {
      const decided = await decideAdjustment(em, { versionId: v.id, accept: false, today: businessDate(access.now), decidedByUserId: ctx.viewer!.id, note: reason });
      const p = await partiesOf(em, v.transactionId);
      await auditAgencyAction(em, ctx, {
        businessIds: [p.importerId, v.submittedByBusinessId],
        action: "adjustment.rejected",
        targetType: "Transaction",
        targetId: v.transactionId,
        before: { versionNo: v.versionNo, status: TransactionVersionStatus.UNDER_REVIEW },
        after: { versionNo: v.versionNo, status: TransactionVersionStatus.REJECTED, reason },
      });
      await notifyDeclarants(em, ctx, v, p, {
        title: "Adjustment rejected",
        body: `The agency rejected the adjustment of transaction ${p.transactionNumber} (version ${v.versionNo}); nothing was posted. Reason: ${reason}`,
      });
      return AdjustmentCase.of(decided.version);
    });
  }
}
