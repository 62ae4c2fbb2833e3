import crypto from "node:crypto";
import type { EntityManager } from "typeorm";
import { PaymentMethod, PostingKind } from "../../common/enums.js";
import { appError, badInput } from "../../common/errors.js";
import { formatCents, toCents, type Cents } from "../../common/money.js";
import { query, sql } from "../../db/sql.js";
import { paymentRules } from "../../auth/money.js";
import { accountRows } from "../../common/lists.js";
import type { ListSpec } from "../../common/pagination.js";
import type { Context } from "../../context.js";
import { lockLedger, post, postingStatement } from "../statement/ledger.js";
import { Payment } from "./payment.entity.js";

/** Credit cards: at most this much per billing cycle and program account, all card payments together (domain spec). */
export const CREDIT_CARD_CYCLE_LIMIT: Cents = 499_999n;

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
      toCents(first.amount) === r.amount && first.method === r.method && first.instrumentLast4 === r.instrumentLast4 && first.submittedByBusinessId === r.payerBusinessId;
    if (!same) throw appError("CONFLICT", "This idempotency key was used for a different payment on this account; use a new key for a new payment.");
    return { payment: first, replayed: true };
  }
  const statement = await postingStatement(em, r.programAccountId, r.today);
  if (r.method === PaymentMethod.CREDIT_CARD) {
    const [row] = await query<{ paid: string }>(
      em,
      sql`SELECT coalesce(sum(amount), 0) AS paid FROM payments WHERE statement_id = ${statement.id}::uuid AND method = 'CREDIT_CARD'`,
    );
    const left = CREDIT_CARD_CYCLE_LIMIT - toCents(row!.paid);
    if (r.amount > left) {
      throw badInput(
        `Credit card payments are limited to ${formatCents(CREDIT_CARD_CYCLE_LIMIT)} per billing cycle on a program account; ` +
          `${formatCents(left > 0n ? left : 0n)} is left for the cycle ending ${statement.cycleEnd}. Pay the rest another way.`,
        "amount",
      );
    }
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
    }),
  );
  await post(
    em,
    statement,
    {
      kind: PostingKind.PAYMENT,
      amount: -r.amount,
      description: `Payment by ${METHOD_NAMES[r.method]}${r.instrumentLast4 ? ` (…${r.instrumentLast4})` : ""}, ${payment.reference}`,
      paymentId: payment.id,
      submittedByBusinessId: r.payerBusinessId,
    },
    r.today,
  );
  return { payment, replayed: false };
}

/** The payments of each program account (parent) the viewer may see, newest first (auth/money.ts, paymentRules). */
export function paymentList(ctx: Context): ListSpec<Payment> {
  return accountRows<Payment>(ctx, {
    entity: Payment, table: "payments", alias: "p", action: "VIEW_PAYMENTS", sort: { expr: "p.received_at", type: "timestamptz" }, direction: "DESC", vouches: "Payment",
    rules: paymentRules,
  });
}
