import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from "type-graphql";
import type { EntityManager } from "typeorm";
import { runMutation, type Tx } from "../../application/mutation.js";
import { visibleNode } from "../../application/targets.js";
import type { Context } from "../../context.js";
import { businessDate } from "../../common/billing.js";
import { NotificationKind, TransactionVersionStatus } from "../../common/enums.js";
import { appError } from "../../common/errors.js";
import { text } from "../../common/inputs.js";
import { formatCents, toCents } from "../../common/money.js";
import { query, sql } from "../../db/sql.js";
import { decideAdjustment } from "../transaction/filing.js";
import { TransactionVersion } from "../transaction/transaction.entity.js";
import { AdjustmentCase } from "./adjustment-case.js";

@InputType({ description: "An agency officer's acceptance of an adjustment under review." })
export class AcceptAdjustmentInput {
  @Field(() => ID, { description: "The adjustment, as a queue item (AdjustmentCase id)." })
  adjustmentCaseId!: string;

  @Field(() => String, { nullable: true, description: "A note on the acceptance, told to the declarant (up to 1000 characters)." })
  note?: string | null;
}

@InputType({ description: "An agency officer's rejection of an adjustment under review, with the reasons." })
export class RejectAdjustmentInput {
  @Field(() => ID, { description: "The adjustment, as a queue item (AdjustmentCase id)." })
  adjustmentCaseId!: string;

  @Field(() => String, { description: "Why it is rejected, as the declarant will read it (1-1000 characters)." })
  reason!: string;
}

/** The work item, if the viewer may see it as one (anyone else, and any other version: NOT_FOUND, like a missing one). */
const visibleAdjustment = (ctx: Context, globalId: string) => visibleNode<TransactionVersion>(ctx, "AdjustmentCase", globalId, "adjustmentCaseId", "That adjustment");

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
 * adjustment: its account's transactions, with the original's filer and the adjustment's submitter.
 */
function notifyDeclarants(tx: Tx, v: TransactionVersion, p: Parties, n: { title: string; body: string }): Promise<void> {
  return tx.notifyReaders(
    {
      submitterUserId: v.submittedByUserId, businesses: [p.importerId, v.submittedByBusinessId], account: p.programAccountId,
      action: "VIEW_TRANSACTIONS", submitters: [p.filerId, v.submittedByBusinessId],
    },
    { kind: NotificationKind.ADJUSTMENT_DECIDED, ...n, businessId: p.importerId },
  );
}

/** What a decision records and tells, once the money is done (decideAdjustment's result). */
interface Outcome {
  action: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  notice: { title: string; body: string };
}

/**
 * One agency decision on an adjustment (its authority: auth/authority.ts), its note already read:
 * NOT_FOUND or CONFLICT before any change; in one transaction, decideAdjustment
 * (which locks the declaration and reads the version again: the compare-and-set), the audit in the
 * trails of the importer and the submitting business, and the declarants told.
 */
async function decide(
  ctx: Context,
  name: "acceptAdjustment" | "rejectAdjustment",
  adjustmentCaseId: string,
  note: string | null,
  outcome: (decided: Awaited<ReturnType<typeof decideAdjustment>>, v: TransactionVersion, p: Parties, note: string | null) => Outcome,
): Promise<AdjustmentCase> {
  return runMutation(ctx, name, {
    find: () => visibleAdjustment(ctx, adjustmentCaseId),
    prepare: (v) => assertUnderReview(v),
    run: async (tx, v) => {
      const decided = await decideAdjustment(tx.em, { versionId: v.id, accept: name === "acceptAdjustment", today: businessDate(tx.now), decidedByUserId: tx.actor.id, note });
      const p = await partiesOf(tx.em, v.transactionId);
      const o = outcome(decided, v, p, note);
      await tx.auditEach([p.importerId, v.submittedByBusinessId], { action: o.action, targetType: "Transaction", targetId: v.transactionId, before: o.before, after: o.after });
      await notifyDeclarants(tx, v, p, o.notice);
      return AdjustmentCase.of(decided.version);
    },
  });
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
  acceptAdjustment(@Ctx() ctx: Context, @Arg("input", () => AcceptAdjustmentInput) input: AcceptAdjustmentInput): Promise<AdjustmentCase> {
    return decide(ctx, "acceptAdjustment", input.adjustmentCaseId, text(input.note, "note", { max: 1000 }), (decided, v, p, note) => {
      const previous = toCents(decided.version.totalDutiesAndTaxes) - decided.delta;
      const moved =
        decided.delta === 0n
          ? "nothing changes on the statement"
          : `${money(decided.delta)} ${decided.delta > 0n ? "is charged" : "is credited"}` +
            (decided.interest > 0n ? `, with ${money(decided.interest)} interest from the original due date,` : "") +
            ` on the current statement of ${p.bn15}`;
      return {
        action: "adjustment.accepted",
        before: { versionNo: v.versionNo, status: TransactionVersionStatus.UNDER_REVIEW, total: formatCents(previous) },
        after: {
          versionNo: v.versionNo, status: TransactionVersionStatus.ACCEPTED, total: decided.version.totalDutiesAndTaxes,
          difference: formatCents(decided.delta), interest: formatCents(decided.interest), note,
        },
        notice: {
          title: "Adjustment accepted",
          body:
            `The agency accepted the adjustment of transaction ${p.transactionNumber} (version ${v.versionNo}): duties and taxes are now ` +
            `$${decided.version.totalDutiesAndTaxes}, and ${moved}.${note ? ` Note: ${note}` : ""}`,
        },
      };
    });
  }

  @Mutation(() => AdjustmentCase, {
    description:
      "Agency officers: reject an adjustment under review, saying why. Nothing is posted; the declaration keeps its accepted version. " +
      "The declarant is told. A second decision (or two at once) gets CONFLICT.",
  })
  rejectAdjustment(@Ctx() ctx: Context, @Arg("input", () => RejectAdjustmentInput) input: RejectAdjustmentInput): Promise<AdjustmentCase> {
    return decide(ctx, "rejectAdjustment", input.adjustmentCaseId, text(input.reason, "reason", { max: 1000, required: true })!, (_decided, v, p, reason) => ({
      action: "adjustment.rejected",
      before: { versionNo: v.versionNo, status: TransactionVersionStatus.UNDER_REVIEW },
      after: { versionNo: v.versionNo, status: TransactionVersionStatus.REJECTED, reason },
      notice: {
        title: "Adjustment rejected",
        body: `The agency rejected the adjustment of transaction ${p.transactionNumber} (version ${v.versionNo}); nothing was posted. Reason: ${reason}`,
      },
    }));
  }
}
