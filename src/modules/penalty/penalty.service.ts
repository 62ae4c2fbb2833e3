import crypto from "node:crypto";
import type { EntityManager } from "typeorm";
import { addDays } from "../../common/billing.js";
import { PenaltyDisputeStatus, PostingKind } from "../../common/enums.js";
import { appError, badInput } from "../../common/errors.js";
import { formatCents, toCents, type Cents } from "../../common/money.js";
import { accountRows } from "../../common/lists.js";
import type { ListSpec } from "../../common/lists.js";
import type { Context } from "../../context.js";
import { wholeAccountMoneyRules } from "../../auth/money.js";
import { query, sql } from "../../db/sql.js";
import { lockLedger, post, postingStatement } from "../statement/ledger.js";
import { Penalty, PenaltyDispute } from "./penalty.entity.js";

/**
 * AMPS penalties: what assessing, disputing and deciding a dispute do to the records and the money,
 * below authorization (the mutations decide who may). Every step that moves money takes the account's
 * ledger lock; every decision locks the penalty's row first and reads the dispute again, so that of
 * two decisions at once the second finds it decided (CONFLICT) and nothing is posted twice.
 */

/**
 * A penalty may be disputed within 90 days of its notice: "the Customs Act provides in sections 127.1
 * and 129 that a person may request a 'Review of Seizure, Ascertained Forfeiture or Penalty
 * Assessment' within 90 days after the date of the enforcement action" (CBSA Customs Notice 16-11).
 */
export const DISPUTE_DAYS = 90;

export async function assessPenalty(
  em: EntityManager,
  r: { programAccountId: string; contravention: string; description: string; amount: Cents; idempotencyKey: string; officerId: string; today: string },
): Promise<{ penalty: Penalty; replayed: boolean }> {
  await lockLedger(em, r.programAccountId);
  const first = await em.getRepository(Penalty).findOneBy({ programAccountId: r.programAccountId, idempotencyKey: r.idempotencyKey });
  if (first) {
    if (first.contravention !== r.contravention || toCents(first.amount) !== r.amount || first.description !== r.description) {
      throw appError("CONFLICT", "This idempotency key was used for a different penalty on this account; use a new key for a new assessment.");
    }
    return { penalty: first, replayed: true };
  }
  const statement = await postingStatement(em, r.programAccountId, r.today);
  const noticeNumber = `AMPS-${r.today.replaceAll("-", "")}-${crypto.randomBytes(4).toString("hex").toUpperCase()}`;
  const penalty = await em.getRepository(Penalty).save(
    Object.assign(new Penalty(), {
      programAccountId: r.programAccountId, contravention: r.contravention, description: r.description, amount: formatCents(r.amount), cancelledAmount: "0.00",
      noticeNumber, assessedOn: r.today, dueOn: statement.dueDate, idempotencyKey: r.idempotencyKey, assessedByUserId: r.officerId,
    }),
  );
  await post(
    em,
    statement,
    { kind: PostingKind.PENALTY, amount: r.amount, description: `AMPS penalty ${noticeNumber}, contravention ${r.contravention}`, penaltyId: penalty.id },
    r.today,
  );
  return { penalty, replayed: false };
}

/** The penalty's row, locked for a change of its dispute (one at a time). */
async function lockPenalty(em: EntityManager, penaltyId: string): Promise<Penalty> {
  await query(em, sql`SELECT id FROM penalties WHERE id = ${penaltyId}::uuid FOR NO KEY UPDATE`);
  return em.getRepository(Penalty).findOneByOrFail({ id: penaltyId });
}

export async function disputePenalty(
  em: EntityManager,
  r: { penaltyId: string; reason: string; userId: string; businessId: string; today: string },
): Promise<PenaltyDispute> {
  const penalty = await lockPenalty(em, r.penaltyId);
  const existing = await em.getRepository(PenaltyDispute).findOneBy({ penaltyId: penalty.id });
  if (existing) throw appError("CONFLICT", `Penalty ${penalty.noticeNumber} was already disputed on ${existing.createdAt.toISOString().slice(0, 10)}: one dispute per penalty.`);
  const deadline = addDays(penalty.assessedOn, DISPUTE_DAYS);
  if (r.today > deadline) throw badInput(`A penalty is disputed within ${DISPUTE_DAYS} days of its notice: the last day for ${penalty.noticeNumber} was ${deadline}.`, "penaltyId");
  return em.getRepository(PenaltyDispute).save(
    Object.assign(new PenaltyDispute(), {
      penaltyId: penalty.id, status: PenaltyDisputeStatus.SUBMITTED, reason: r.reason, requestedByUserId: r.userId, requestedByBusinessId: r.businessId,
      cancelledAmount: "0.00", decidedAt: null, decidedByUserId: null, decisionNote: null,
    }),
  );
}

/**
 * The agency's decision on a dispute: `cancel` of the penalty is cancelled (0: upheld), posted as a
 * credit on the current statement. A compare-and-set on the locked penalty: a dispute already decided
 * (a retry, another officer) is a CONFLICT.
 */
export async function decideDispute(
  em: EntityManager,
  r: { penaltyId: string; cancel: Cents; note: string | null; officerId: string; today: string },
): Promise<{ penalty: Penalty; dispute: PenaltyDispute }> {
  const penalty = await lockPenalty(em, r.penaltyId);
  const dispute = await em.getRepository(PenaltyDispute).findOneBy({ penaltyId: penalty.id });
  if (!dispute) throw appError("CONFLICT", `Penalty ${penalty.noticeNumber} has no dispute to decide.`);
  if (dispute.status !== PenaltyDisputeStatus.SUBMITTED) {
    throw appError("CONFLICT", `The dispute of penalty ${penalty.noticeNumber} has already been decided: ${dispute.status.toLowerCase()}.`);
  }
  const left = toCents(penalty.amount) - toCents(penalty.cancelledAmount);
  if (r.cancel > left) throw badInput(`At most ${formatCents(left)} of this penalty can be cancelled.`, "cancelledAmount");
  await em.getRepository(PenaltyDispute).update(
    { id: dispute.id },
    {
      status: r.cancel > 0n ? PenaltyDisputeStatus.CANCELLED : PenaltyDisputeStatus.UPHELD, cancelledAmount: formatCents(r.cancel),
      decidedByUserId: r.officerId, decisionNote: r.note, decidedAt: () => "now()",
    },
  );
  if (r.cancel > 0n) {
    await em.getRepository(Penalty).update({ id: penalty.id }, { cancelledAmount: formatCents(toCents(penalty.cancelledAmount) + r.cancel) });
    await lockLedger(em, penalty.programAccountId);
    const statement = await postingStatement(em, penalty.programAccountId, r.today);
    await post(
      em,
      statement,
      { kind: PostingKind.PENALTY, amount: -r.cancel, description: `Penalty ${penalty.noticeNumber} cancelled on dispute`, penaltyId: penalty.id },
      r.today,
    );
  }
  return {
    penalty: await em.getRepository(Penalty).findOneByOrFail({ id: penalty.id }),
    dispute: await em.getRepository(PenaltyDispute).findOneByOrFail({ id: dispute.id }),
  };
}

/** The penalties of each program account (parent) the viewer may see, newest first (auth/money.ts). */
export function penaltyList(ctx: Context): ListSpec<Penalty> {
  return accountRows<Penalty>(ctx, {
    entity: Penalty, table: "penalties", alias: "pn", action: "VIEW_PAYMENTS", sort: { expr: "pn.created_at", type: "timestamptz" }, direction: "DESC", visibleAs: "Penalty",
    rules: (g) => wholeAccountMoneyRules(g),
  });
}
