import type { EntityManager } from "typeorm";
import { readersOf } from "../auth/conditions.js";
import { bamsOf } from "../auth/people.js";
import type { Action } from "../auth/policy.js";
import type { NotificationKind } from "../common/enums.js";
import { Notification } from "../modules/notification/notification.entity.js";
import { queueEmails } from "../modules/notification/email.service.js";

export interface Notice {
  kind: NotificationKind;
  title: string;
  body: string;
  businessId: string | null;
}

/**
 * The one way to notify people: an in-portal notification to each user and, for those who chose
 * email for this kind (notification_preferences), an email copy queued in the outbox. Both are
 * written in `em`'s transaction, so they exist exactly when the change they announce commits.
 * Any workflow (or scheduled job) producing a notification calls this, e.g. STATEMENT_ISSUED when
 * a statement is issued, with the recipients it chose. `title` and `body` are shown to the
 * recipients and emailed as they are: put nothing in them that a recipient may not see.
 */
export async function notify(em: EntityManager, userIds: Iterable<string>, n: Notice): Promise<void> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  if (!em.queryRunner?.isTransactionActive) throw new Error("notify() must run inside the transaction of the change it announces");
  const inserted = await em.getRepository(Notification).insert(unique.map((userId) => ({ userId, ...n, readAt: null })));
  await queueEmails(em, inserted.identifiers.map((i) => i.id as string), n);
}

/**
 * Tells the business side of a record's change: the person who submitted the record and the BAMs of
 * `businesses`, those of them who may see the record as of `now` (conditions.ts, readersOf): a
 * notification says nothing to someone who may not read it.
 */
export async function notifyReaders(
  em: EntityManager,
  now: Date,
  who: { submitterUserId: string | null; businesses: string[]; account: string; action: Action; submitters: string[] },
  n: Notice & { businessId: string },
): Promise<void> {
  const candidates = [...new Set([...(who.submitterUserId ? [who.submitterUserId] : []), ...(await bamsOf(em, who.businesses))])];
  const readers = await readersOf(em, now, candidates, { account: who.account, action: who.action, submitters: who.submitters });
  await notify(em, readers, n);
}
