import type { EntityManager } from "typeorm";
import { readersOf } from "../../auth/access.js";
import type { Action } from "../../auth/policy.js";
import type { Context } from "../../context.js";
import type { NotificationKind } from "../../common/enums.js";
import { notify } from "../../common/mutation.js";
import { query, sql } from "../../db/sql.js";

/**
 * Tells the business side of an agency decision: the person who submitted the work item and the
 * BAMs of `businesses`, those of them who may see the record as of now (readersOf): a notification
 * says nothing to someone who may not read it.
 */
export async function notifyWhoMaySee(
  em: EntityManager,
  ctx: Context,
  who: { submitterUserId: string | null; businesses: string[]; account: string; action: Action; submitters: string[] },
  n: { kind: NotificationKind; title: string; body: string; businessId: string },
): Promise<void> {
  const bams = await query<{ user_id: string }>(
    em,
    sql`SELECT user_id FROM business_memberships WHERE business_id = ANY(${[...new Set(who.businesses)]}::uuid[]) AND is_bam AND status = 'ACTIVE'`,
  );
  const candidates = [...new Set([...(who.submitterUserId ? [who.submitterUserId] : []), ...bams.map((b) => b.user_id)])];
  const readers = await readersOf(em, ctx.access.now, candidates, { account: who.account, action: who.action, submitters: who.submitters });
  await notify(em, readers, n);
}
