import type { Tx } from "../../application/mutation.js";
import { ownPeopleAllowed } from "../../auth/money.js";
import { NotificationKind, type PaymentMethod } from "../../common/enums.js";
import { formatCents, type Cents } from "../../common/money.js";
import { Business } from "../business/business.entity.js";
import type { ProgramAccount } from "../program-account/program-account.entity.js";
import type { Payment } from "./payment.entity.js";
import { METHOD_NAMES } from "./payment.service.js";

/**
 * PAYMENT_RECEIVED: to the importer's people who may see the account's payments, and to the payer.
 * The confirmation number is a payment detail: only those allowed payment details (not Readers) get
 * it. One text per group of readers, rendered once, so that no recipient reads what they may not see.
 */
export async function notifyPaymentReceived(
  tx: Tx,
  p: { pa: ProgramAccount; payer: Pick<Business, "legalName">; payment: Payment; amount: Cents; method: PaymentMethod },
): Promise<void> {
  const em = tx.em;
  const readers = new Set(await ownPeopleAllowed(em, p.pa.id, "VIEW_PAYMENTS", tx.now));
  const detailed = new Set(await ownPeopleAllowed(em, p.pa.id, "VIEW_PAYMENT_DETAILS", tx.now));
  // The payer paid with a role that submits payments, which every table row also lets see details.
  if (await tx.access.can("VIEW_PAYMENT_DETAILS", p.pa.id)) detailed.add(tx.actor.id);
  else readers.add(tx.actor.id);
  const owner = await em.getRepository(Business).findOneByOrFail({ id: p.pa.businessId });
  const said = `A payment of $${formatCents(p.amount)} by ${METHOD_NAMES[p.method]} from ${p.payer.legalName} was received on ${p.pa.bn15} (${owner.legalName})`;
  const n = { kind: NotificationKind.PAYMENT_RECEIVED, title: "Payment received", businessId: p.pa.businessId };
  await tx.notify(detailed, { ...n, body: `${said}, confirmation ${p.payment.reference}.` });
  await tx.notify([...readers].filter((u) => !detailed.has(u)), { ...n, body: `${said}.` });
}
