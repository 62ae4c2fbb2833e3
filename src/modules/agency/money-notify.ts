import type { EntityManager } from "typeorm";
import { ownPeopleAllowed } from "../../auth/money.js";
import type { NotificationKind } from "../../common/enums.js";
import { notify } from "../../application/notify.js";

/**
 * Tells the importer of the agency's act on its money (a penalty assessed, a dispute or a refund
 * decided): its people who may see the account's payments as of now, the same rule that shows them
 * penalties and refunds (the person who asked is one of them: disputing and asking for refunds are
 * the importer's managers'). `details` (a payout reference) goes only to those allowed payment
 * details; the others read the same text without it. One text per group, rendered once.
 */
export async function notifyImporter(
  em: EntityManager,
  now: Date,
  programAccountId: string,
  n: { kind: NotificationKind; title: string; body: string; details?: string; businessId: string },
): Promise<void> {
  const readers = await ownPeopleAllowed(em, programAccountId, "VIEW_PAYMENTS", now);
  const base = { kind: n.kind, title: n.title, businessId: n.businessId };
  if (!n.details) return notify(em, readers, { ...base, body: n.body });
  const detailed = new Set(await ownPeopleAllowed(em, programAccountId, "VIEW_PAYMENT_DETAILS", now));
  await notify(em, readers.filter((u) => detailed.has(u)), { ...base, body: `${n.body} ${n.details}` });
  await notify(em, readers.filter((u) => !detailed.has(u)), { ...base, body: n.body });
}
