import type { DataSource } from "typeorm";
import { notify } from "../../application/notify.js";
import { bamsOf } from "../../auth/people.js";
import { NotificationKind } from "../../common/enums.js";
import type { Logger } from "../../logger.js";
import { readCommitted } from "../../db/transaction.js";

/** Days before expiry at which both sides are told, largest first. */
export const EXPIRY_NOTICE_DAYS = [30, 7] as const;

const DAY_MS = 24 * 3600_000;

interface Expiring {
  id: string;
  expires_at: Date;
  /** Exactly as stored (a JS Date would drop the microseconds, and the comparison with them). */
  expires_exact: string;
  client_business_id: string;
  provider_business_id: string;
  client_name: string;
  provider_name: string;
}

/** The smallest threshold the relationship is within (7 when 5 days are left: one notice, not two). */
export function noticeThreshold(expiresAt: Date, now: Date): number | null {
  const daysLeft = (expiresAt.getTime() - now.getTime()) / DAY_MS;
  if (daysLeft <= 0) return null;
  const within = EXPIRY_NOTICE_DAYS.filter((d) => daysLeft <= d);
  return within.length ? Math.min(...within) : null;
}

/**
 * Tells the provider's BAMs and the client's BAMs that an active relationship expires soon: once
 * when 30 days (or fewer) are left, and once more at 7. Exactly once per relationship, threshold and
 * expiry date, however often (and in however many processes) this runs: the notice row and the
 * notifications are written in one transaction, under a unique key. A run that was missed is
 * caught up by the next one. `now` is a parameter so that a test (or an operator) can run it for
 * any date.
 */
export async function notifyExpiringRelationships(db: DataSource, logger: Logger, now: Date): Promise<{ notices: number }> {
  const horizon = Math.max(...EXPIRY_NOTICE_DAYS);
  const expiring: Expiring[] = await db.query(
    `SELECT r.id, r.expires_at, r.expires_at::text AS expires_exact, r.client_business_id, r.provider_business_id, c.legal_name AS client_name, p.legal_name AS provider_name
       FROM relationships r
       JOIN businesses c ON c.id = r.client_business_id
       JOIN businesses p ON p.id = r.provider_business_id
      WHERE r.status = 'ACTIVE' AND r.expires_at > $1 AND r.expires_at <= $1::timestamptz + make_interval(days => $2)
      ORDER BY r.expires_at`,
    [now, horizon],
  );
  let notices = 0;
  for (const r of expiring) {
    const threshold = noticeThreshold(r.expires_at, now);
    if (threshold === null) continue;
    const sent = await readCommitted(db, async (em) => {
      // Still active with the same expiry (it may have been ended or changed since the scan)? The
      // lock keeps it so until this commits.
      const [still] = await em.query(`SELECT 1 FROM relationships WHERE id = $1 AND status = 'ACTIVE' AND expires_at = $2 FOR SHARE`, [r.id, r.expires_exact]);
      if (!still) return false;
      const claimed: unknown[] = await em.query(
        `INSERT INTO relationship_expiry_notices (relationship_id, threshold_days, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (relationship_id, threshold_days, expires_at) DO NOTHING RETURNING id`,
        [r.id, threshold, r.expires_exact],
      );
      if (claimed.length === 0) return false;
      const days = Math.ceil((r.expires_at.getTime() - now.getTime()) / DAY_MS);
      const when = `in ${days} day${days === 1 ? "" : "s"}, on ${r.expires_at.toISOString().slice(0, 10)}`;
      await notify(em, await bamsOf(em, r.provider_business_id), {
        kind: NotificationKind.RELATIONSHIP_EXPIRING,
        title: "Client access expires soon",
        body: `Your access to ${r.client_name} expires ${when}. Ask the client to extend it if you still act for them.`,
        businessId: r.provider_business_id,
      });
      await notify(em, await bamsOf(em, r.client_business_id), {
        kind: NotificationKind.RELATIONSHIP_EXPIRING,
        title: "A service provider's access expires soon",
        body: `${r.provider_name}'s access to your business expires ${when}. Change the relationship's expiry to extend it.`,
        businessId: r.client_business_id,
      });
      return true;
    });
    if (sent) notices++;
  }
  if (notices) logger.info("relationship expiry notices sent", { notices, now: now.toISOString() });
  return { notices };
}
