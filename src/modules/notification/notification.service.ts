import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/lists.js";
import { viewerIdOrNone } from "../../common/lists.js";
import { sql } from "../../db/sql.js";
import { Notification } from "./notification.entity.js";

export function notificationList(ctx: Context, unreadOnly: boolean): ListSpec<Notification> {
  return {
    entity: Notification,
    from: sql`notifications n`,
    alias: "n",
    sort: { expr: "n.created_at", type: "timestamptz" },
    direction: "DESC",
    where: sql`n.user_id = ${viewerIdOrNone(ctx)}::uuid${unreadOnly ? sql` AND n.read_at IS NULL` : sql``}`,
    visibleAs: "Notification",
  };
}
