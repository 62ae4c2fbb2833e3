import crypto from "node:crypto";
import type { EntityManager } from "typeorm";
import { PostingKind, RefundStatus } from "../../common/enums.js";
import { appError, badInput } from "../../common/errors.js";
import { formatCents, toCents, type Cents } from "../../common/money.js";
import { accountRows } from "../../common/lists.js";
import type { ListSpec } from "../../common/lists.js";
import type { Context } from "../../context.js";
import { wholeAccountMoneyRules } from "../../auth/money.js";
import { query, sql, type Queryable } from "../../db/sql.js";
import { lockLedger, post, postingStatement } from "../statement/ledger.js";
import { RefundRequest } from "./refund.entity.js";

/**
 * Refunds of a credit balance: the importer asks, the agency decides, and an approved refund is
 * posted as a REFUND line that the credit pays at once. The credit balance is what the account's
 * credits (payments, decreases) have left unapplied: credits pay every open debt as soon as both
 * exist (ledger.ts), so a credit balance means nothing is owed.
 */

/** The account's credit balance: its credits not applied to any debt yet. */
export async function creditBalance(db: Queryable, programAccountId: string): Promise<Cents> {
  const [row] = await query<{ credit: string }>(
    db,
    sql`SELECT coalesce(sum(open_amount), 0) AS credit FROM statement_postings WHERE program_account_id = ${programAccountId}::uuid AND amount < 0 AND open_amount > 0`,
  );
  return toCents(row!.credit);
}

export async function requestRefund(
  em: EntityManager,
  r: { programAccountId: string; amount: Cents; reason: string | null; userId: string },
): Promise<RefundRequest> {
  await lockLedger(em, r.programAccountId);
  const waiting = await em.getRepository(RefundRequest).findOneBy({ programAccountId: r.programAccountId, status: RefundStatus.REQUESTED });
  if (waiting) throw appError("CONFLICT", `A refund of ${waiting.amount} is already waiting for the agency's decision on this account.`);
  const credit = await creditBalance(em, r.programAccountId);
  if (r.amount > credit) throw badInput(`The account's credit balance is ${formatCents(credit)}: a refund can be at most that.`, "amount");
  return em.getRepository(RefundRequest).save(
    Object.assign(new RefundRequest(), {
      programAccountId: r.programAccountId, amount: formatCents(r.amount), status: RefundStatus.REQUESTED, reason: r.reason, requestedByUserId: r.userId,
      decidedAt: null, decidedByUserId: null, decisionNote: null, reference: null,
    }),
  );
}

/**
 * The agency's decision on a refund request: a compare-and-set on its locked row (decided already:
 * CONFLICT, and nothing is paid twice). Approved, it is paid from the credit balance as it is now:
 * if that has become smaller (a new debt took it), the approval is a CONFLICT saying so.
 */
export async function decideRefund(
  em: EntityManager,
  r: { refundId: string; approve: boolean; note: string | null; officerId: string; today: string },
): Promise<RefundRequest> {
  const [locked] = await query<{ status: string; program_account_id: string; amount: string }>(
    em,
    sql`SELECT status::text AS status, program_account_id, amount FROM refund_requests WHERE id = ${r.refundId}::uuid FOR NO KEY UPDATE`,
  );
  if (!locked) throw new Error(`no refund request ${r.refundId}`);
  if (locked.status !== RefundStatus.REQUESTED) throw appError("CONFLICT", `This refund request has already been decided: ${locked.status.toLowerCase()}.`);
  const decision = { decidedByUserId: r.officerId, decisionNote: r.note, decidedAt: () => "now()" };
  if (!r.approve) {
    await em.getRepository(RefundRequest).update({ id: r.refundId }, { status: RefundStatus.REJECTED, ...decision });
    return em.getRepository(RefundRequest).findOneByOrFail({ id: r.refundId });
  }
  const amount = toCents(locked.amount);
  await lockLedger(em, locked.program_account_id);
  const credit = await creditBalance(em, locked.program_account_id);
  if (amount > credit) {
    throw appError("CONFLICT", `The account's credit balance is now ${formatCents(credit)}, less than the ${formatCents(amount)} asked: refuse this request (the importer may ask again).`);
  }
  const reference = `RFND-${r.today.replaceAll("-", "")}-${crypto.randomBytes(4).toString("hex").toUpperCase()}`;
  await em.getRepository(RefundRequest).update({ id: r.refundId }, { status: RefundStatus.APPROVED, reference, ...decision });
  const statement = await postingStatement(em, locked.program_account_id, r.today);
  // Due today and paid at once by the credit it refunds (ledger.ts applies open credits to it).
  await post(em, statement, { kind: PostingKind.REFUND, amount, description: "Refund of the credit balance", refundId: r.refundId, dueOn: r.today }, r.today);
  return em.getRepository(RefundRequest).findOneByOrFail({ id: r.refundId });
}

/** The refund requests of each program account (parent) the viewer may see, newest first (auth/money.ts). */
export function refundList(ctx: Context): ListSpec<RefundRequest> {
  return accountRows<RefundRequest>(ctx, {
    entity: RefundRequest, table: "refund_requests", alias: "rf", action: "VIEW_PAYMENTS", sort: { expr: "rf.created_at", type: "timestamptz" }, direction: "DESC",
    visibleAs: "RefundRequest", rules: (g) => wholeAccountMoneyRules(g),
  });
}
