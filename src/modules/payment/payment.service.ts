import crypto from "node:crypto";
import type { EntityManager } from "typeorm";
import { PaymentMethod, PostingKind } from "../../common/enums.js";
import { appError, badInput } from "../../common/errors.js";
import { formatCents, toCents, type Cents } from "../../common/money.js";
import { query, sql, type Queryable } from "../../db/sql.js";
import { cycleFor } from "../../common/billing.js";
import { paymentRules } from "../../auth/money.js";
import { accountRows } from "../../common/lists.js";
import type { ListSpec } from "../../common/lists.js";
import type { Context } from "../../context.js";
import { lockLedger, post, postingStatement } from "../statement/ledger.js";
import { Payment } from "./payment.entity.js";

/**
 * Credit cards: at most this much per billing cycle and program account (CARM Bulletin 5408: "Payment
 * by credit card is subject to a limit of $4,999.99 CAD per billing cycle per program account. This
 * limitation applies to the payment of any due debt or to make financial security deposits.").
 */
export const CREDIT_CARD_CYCLE_LIMIT: Cents = 499_999n;

/**
 * What is left of the account's credit-card limit in the billing cycle of `today`: the limit less the
 * card payments received in the cycle and the cash security deposits paid by card in it. Read under
 * the account's ledger lock by whoever then pays by card, so that racing payments cannot pass it.
 */
export async function creditCardLimitLeft(db: Queryable, programAccountId: string, today: string): Promise<{ left: Cents; cycleEnd: string }> {
  const cycle = cycleFor(today);
  const [row] = await query<{ paid: string }>(
    db,
    sql`SELECT (SELECT coalesce(sum(p.amount), 0) FROM payments p JOIN statements s ON s.id = p.statement_id
                 WHERE p.program_account_id = ${programAccountId}::uuid AND p.method = 'CREDIT_CARD' AND s.cycle_end = ${cycle.end}::date)
             + (SELECT coalesce(sum(f.amount), 0) FROM financial_securities f
                 WHERE f.program_account_id = ${programAccountId}::uuid AND f.paid_with = 'CREDIT_CARD'
                   AND f.posted_on BETWEEN ${cycle.start}::date AND ${cycle.end}::date) AS paid`,
  );
  const left = CREDIT_CARD_CYCLE_LIMIT - toCents(row!.paid);
  return { left: left > 0n ? left : 0n, cycleEnd: cycle.end };
}

/** The refusal of a card amount over what is left: the amount left only to those who may see every payment of the account. */
export function overCardLimit(left: Cents, cycleEnd: string, showLeft: boolean) {
  return badInput(
    `Credit card payments and deposits are limited to ${formatCents(CREDIT_CARD_CYCLE_LIMIT)} per billing cycle on a program account` +
      (showLeft ? `; ${formatCents(left)} is left for the cycle ending ${cycleEnd}.` : `; this amount is more than is left for the cycle ending ${cycleEnd}.`) +
      " Pay the rest another way.",
    "amount",
  );
}

export const METHOD_NAMES: Record<PaymentMethod, string> = {
  ONLINE_BANKING: "online banking",
  PRE_AUTHORIZED_DEBIT: "pre-authorized debit",
  DEBIT_CARD: "debit card",
  CREDIT_CARD: "credit card",
};

export interface PaymentRequest {
  programAccountId: string;
  /** The business paying (the importer, or its service provider). */
  payerBusinessId: string;
  userId: string | null;
  amount: Cents;
  method: PaymentMethod;
  idempotencyKey: string;
  instrumentLast4: string | null;
  /** Business date and instant it is received. */
  today: string;
  now: Date;
  /** The debts the payer chose to pay first (visible to them, checked by the caller); the rest goes oldest first. */
  allocateTo?: readonly { debitPostingId: string; amount: Cents }[];
  /** Whether the payer may read the card limit left (a refusal says the amount only then). */
  showsCardLimit?: boolean;
}

/**
 * Takes a payment on an account, exactly once per idempotency key: under the account's ledger lock, a
 * retry (even one racing the first attempt: it waits for the lock, then finds the committed payment)
 * gets the first payment back, and nothing is charged again; the same key for a different request is
 * a CONFLICT. The credit-card cap is summed under the same lock, so concurrent card payments cannot
 * together pass it. The payment is posted as a credit on the statement of the cycle it is received in,
 * and applied to the oldest debts first (ledger.ts).
 */
export async function recordPayment(em: EntityManager, r: PaymentRequest): Promise<{ payment: Payment; replayed: boolean }> {
  await lockLedger(em, r.programAccountId);
  const first = await em.getRepository(Payment).findOneBy({ programAccountId: r.programAccountId, idempotencyKey: r.idempotencyKey });
  if (first) {
    const same =
      toCents(first.amount) === r.amount && first.method === r.method && first.instrumentLast4 === r.instrumentLast4 && first.submittedByBusinessId === r.payerBusinessId &&
      JSON.stringify(first.allocationRequest ?? []) === JSON.stringify(allocationRequest(r));
    if (!same) throw appError("CONFLICT", "This idempotency key was used for a different payment on this account; use a new key for a new payment.");
    return { payment: first, replayed: true };
  }
  const statement = await postingStatement(em, r.programAccountId, r.today);
  if (r.method === PaymentMethod.CREDIT_CARD) {
    const { left, cycleEnd } = await creditCardLimitLeft(em, r.programAccountId, r.today);
    if (r.amount > left) throw overCardLimit(left, cycleEnd, r.showsCardLimit ?? true);
  }
  const payment = await em.getRepository(Payment).save(
    Object.assign(new Payment(), {
      programAccountId: r.programAccountId,
      statementId: statement.id,
      amount: formatCents(r.amount),
      method: r.method,
      idempotencyKey: r.idempotencyKey,
      reference: `CARM-${r.today.replaceAll("-", "")}-${crypto.randomBytes(4).toString("hex").toUpperCase()}`,
      instrumentLast4: r.instrumentLast4,
      receivedAt: r.now,
      submittedByUserId: r.userId,
      submittedByBusinessId: r.payerBusinessId,
      allocationRequest: r.allocateTo?.length ? allocationRequest(r) : null,
    }),
  );
  await post(
    em,
    statement,
    {
      kind: PostingKind.PAYMENT,
      amount: -r.amount,
      // The reference and the card digits are payment details: the posting's reader gets them only if allowed (statement.resolver.ts).
      description: `Payment by ${METHOD_NAMES[r.method]}`,
      paymentId: payment.id,
      submittedByBusinessId: r.payerBusinessId,
      allocateTo: r.allocateTo,
    },
    r.today,
  );
  return { payment, replayed: false };
}

/** The payer's allocation as recorded on the payment (a retry must ask for the same). */
function allocationRequest(r: PaymentRequest): { postingId: string; amount: string }[] {
  return (r.allocateTo ?? []).map((a) => ({ postingId: a.debitPostingId, amount: formatCents(a.amount) }));
}

/** The payments of each program account (parent) the viewer may see, newest first (auth/money.ts, paymentRules). */
export function paymentList(ctx: Context): ListSpec<Payment> {
  return accountRows<Payment>(ctx, {
    entity: Payment, table: "payments", alias: "p", action: "VIEW_PAYMENTS", sort: { expr: "p.received_at", type: "timestamptz" }, direction: "DESC", visibleAs: "Payment",
    rules: paymentRules,
  });
}
