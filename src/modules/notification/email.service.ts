import type { EntityManager } from "typeorm";
import type { Context } from "../../context.js";
import type { NotificationKind } from "../../common/enums.js";
import { viewerIdOrNone } from "../../common/lists.js";
import type { ListSpec } from "../../common/lists.js";
import { sql } from "../../db/sql.js";
import { OutboxEmail } from "./email.entity.js";

/** What a notification says; an email copy says the same. */
export interface NotificationContent {
  kind: NotificationKind;
  title: string;
  body: string;
}

const PRODUCT = "CARM Client Portal";

/** One line, whatever the title holds (a subject with a line break would be a header injection). */
export function emailSubject(title: string): string {
  return `${PRODUCT}: ${title}`.replace(/[\r\n]+/g, " ").slice(0, 300);
}

/** The text after the greeting (the greeting names the recipient). */
export function emailBody(n: NotificationContent): string {
  return (
    `${n.body}\n\n` +
    `You receive this email because you chose to get "${n.kind.toLowerCase().replace(/_/g, " ")}" notifications by email. ` +
    `You can change that in the ${PRODUCT} under your notification preferences.\n`
  );
}

/**
 * Queues an email copy of the given (just inserted) notifications for each recipient who chose
 * email for their kind and has an address, in the caller's transaction. A notification is queued at
 * most once: its id is the outbox's unique key.
 */
export async function queueEmails(em: EntityManager, notificationIds: string[], n: NotificationContent): Promise<number> {
  if (notificationIds.length === 0) return 0;
  const rows: unknown[] = await em.query(
    `INSERT INTO email_outbox (user_id, notification_id, kind, to_address, subject, body_text)
     SELECT n.user_id, n.id, n.kind, u.email, $2, 'Hello ' || u.display_name || E',\\n\\n' || $3
       FROM notifications n
       JOIN users u ON u.id = n.user_id
       JOIN notification_preferences p ON p.user_id = n.user_id AND p.kind = n.kind AND p.email
      WHERE n.id = ANY($1::uuid[]) AND u.email <> ''
     ON CONFLICT (notification_id) DO NOTHING
     RETURNING id`,
    [notificationIds, emailSubject(n.title), emailBody(n)],
  );
  return rows.length;
}

/** The viewer's own queued and sent emails, newest first. */
export function emailList(ctx: Context): ListSpec<OutboxEmail> {
  return {
    entity: OutboxEmail,
    from: sql`email_outbox e`,
    alias: "e",
    sort: { expr: "e.created_at", type: "timestamptz" },
    direction: "DESC",
    where: sql`e.user_id = ${viewerIdOrNone(ctx)}::uuid`,
    // The condition is the Email type's visibility rule (its recipient only).
    visibleAs: "Email",
  };
}
