import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from "type-graphql";
import { runMutation } from "../../application/mutation.js";
import { visibleNode } from "../../application/targets.js";
import type { Context } from "../../context.js";
import { businessDate } from "../../common/billing.js";
import { NotificationKind } from "../../common/enums.js";
import { badInput, notFound } from "../../common/errors.js";
import { bn15Error } from "../../common/identifiers.js";
import { moneyInput, text } from "../../common/inputs.js";
import { formatCents, MoneyScalar } from "../../common/money.js";
import { assessPenalty, decideDispute } from "../penalty/penalty.service.js";
import { Penalty } from "../penalty/penalty.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { notifyImporter } from "./money-notify.js";
import { PenaltyCase } from "./penalty-case.js";

@InputType({ description: "An AMPS penalty an agency officer assesses on a program account." })
export class AssessPenaltyInput {
  @Field(() => String, { description: "The program account penalized (BN15)." })
  bn15!: string;

  @Field(() => String, { description: "The AMPS contravention number: C and 3 digits, optionally a letter (e.g. C152)." })
  contravention!: string;

  @Field(() => String, { description: "What the contravention was, as the notice states it (1-1000 characters)." })
  description!: string;

  @Field(() => MoneyScalar, { description: "The penalty (more than 0.00, at most 25,000,000.00)." })
  amount!: string;

  @Field(() => String, {
    description: "Your key for this assessment (1-100 letters, digits, '-', '_', ':', '.'): a retry with the same key returns the first penalty instead of assessing twice.",
  })
  idempotencyKey!: string;
}

@InputType({ description: "An agency officer's decision on an importer's dispute of a penalty." })
export class DecidePenaltyDisputeInput {
  @Field(() => ID, { description: "The penalty, as a queue item (PenaltyCase id)." })
  penaltyCaseId!: string;

  @Field(() => MoneyScalar, { description: "How much of the penalty is cancelled: 0.00 upholds it; at most what is not cancelled yet." })
  cancelledAmount!: string;

  @Field(() => String, { description: "The decision's reasons, as the importer will read them (1-1000 characters)." })
  note!: string;
}

/** The most one notice assesses (ours: a bound on input, above any AMPS amount). */
const MAX_PENALTY = 2_500_000_000n;

/** The work item, if the viewer may see it as one (anyone else: NOT_FOUND, like a missing one). */
const visiblePenaltyCase = (ctx: Context, globalId: string) => visibleNode<Penalty>(ctx, "PenaltyCase", globalId, "penaltyCaseId", "That penalty");

@Resolver()
export class PenaltyCaseMutations {
  @Mutation(() => PenaltyCase, {
    description:
      "Agency officers: assess an AMPS penalty on a program account. It is posted on the account's current statement as a debt (due with it; " +
      "interest after), the importer's people who see its payments are told, and the importer may dispute it within 90 days.",
  })
  async assessPenalty(@Ctx() ctx: Context, @Arg("input", () => AssessPenaltyInput) input: AssessPenaltyInput): Promise<PenaltyCase> {
    const e = bn15Error(input.bn15);
    if (e) throw badInput(e, "bn15");
    const contravention = input.contravention.trim().toUpperCase();
    if (!/^C\d{3}[A-Z]?$/.test(contravention)) throw badInput("contravention must be an AMPS contravention number such as C152.", "contravention");
    const description = text(input.description, "description", { max: 1000, required: true })!;
    const amount = moneyInput(input.amount, "amount", { min: 0n, max: MAX_PENALTY, minInclusive: false });
    if (!/^[A-Za-z0-9_:.-]{1,100}$/.test(input.idempotencyKey)) throw badInput("idempotencyKey must be 1-100 letters, digits, '-', '_', ':' or '.'.", "idempotencyKey");
    return runMutation(ctx, "assessPenalty", {
      run: async (tx) => {
        const em = tx.em;
        // The agency's own records: an officer names any account by its BN15 (and reaches nothing else of it).
        const pa = await em.getRepository(ProgramAccount).findOneBy({ bn15: input.bn15 });
        if (!pa) throw notFound(`Program account ${input.bn15}`);
        const today = businessDate(tx.now);
        const { penalty, replayed } = await assessPenalty(em, {
          programAccountId: pa.id, contravention, description, amount, idempotencyKey: input.idempotencyKey, officerId: tx.actor.id, today,
        });
        if (replayed) return PenaltyCase.of(penalty);
        await tx.auditEach([pa.businessId], {
          action: "penalty.assessed", targetType: "Penalty", targetId: penalty.id, before: {},
          after: { bn15: pa.bn15, contravention, amount: formatCents(amount), noticeNumber: penalty.noticeNumber, dueOn: penalty.dueOn },
        });
        await notifyImporter(em, tx.now, pa.id, {
          kind: NotificationKind.PENALTY_ASSESSED,
          title: "Penalty assessed",
          body:
            `The agency assessed a penalty of $${formatCents(amount)} on ${pa.bn15} for contravention ${contravention} (notice ${penalty.noticeNumber}), ` +
            `due ${penalty.dueOn}. It may be disputed within 90 days.`,
          businessId: pa.businessId,
        });
        return PenaltyCase.of(penalty);
      },
    });
  }

  @Mutation(() => PenaltyCase, {
    description:
      "Agency officers: decide an importer's dispute of a penalty: uphold it (cancelledAmount 0.00) or cancel all or part of it (posted as a credit " +
      "on the current statement). The importer is told. Decided already (a retry, another officer, two at once): CONFLICT, and nothing is posted twice.",
  })
  async decidePenaltyDispute(@Ctx() ctx: Context, @Arg("input", () => DecidePenaltyDisputeInput) input: DecidePenaltyDisputeInput): Promise<PenaltyCase> {
    const cancel = moneyInput(input.cancelledAmount, "cancelledAmount", { min: 0n, max: MAX_PENALTY });
    const note = text(input.note, "note", { max: 1000, required: true })!;
    return runMutation(ctx, "decidePenaltyDispute", {
      find: () => visiblePenaltyCase(ctx, input.penaltyCaseId),
      run: async (tx, p) => {
        const em = tx.em;
        const { penalty, dispute } = await decideDispute(em, { penaltyId: p.id, cancel, note, officerId: tx.actor.id, today: businessDate(tx.now) });
        const pa = await em.getRepository(ProgramAccount).findOneByOrFail({ id: penalty.programAccountId });
        await tx.auditEach([pa.businessId], {
          action: "penalty.dispute_decided", targetType: "Penalty", targetId: penalty.id,
          before: { status: "SUBMITTED", cancelledAmount: p.cancelledAmount },
          after: { status: dispute.status, cancelled: formatCents(cancel), cancelledAmount: penalty.cancelledAmount, note },
        });
        await notifyImporter(em, tx.now, pa.id, {
          kind: NotificationKind.PENALTY_DISPUTE_DECIDED,
          title: cancel > 0n ? "Penalty dispute: penalty cancelled" : "Penalty dispute: penalty upheld",
          body:
            (cancel > 0n
              ? `The agency cancelled $${formatCents(cancel)} of penalty ${penalty.noticeNumber} on ${pa.bn15}, credited on the current statement.`
              : `The agency upheld penalty ${penalty.noticeNumber} on ${pa.bn15}.`) + ` Reasons: ${note}`,
          businessId: pa.businessId,
        });
        return PenaltyCase.of(penalty);
      },
    });
  }
}
