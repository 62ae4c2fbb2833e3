import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/pagination.js";
import { viewerIdOrNone } from "../../common/lists.js";
import { Notification } from "./notification.entity.js";

export function notificationList(ctx: Context, unreadOnly: boolean): ListSpec<Notification> {
  const viewerId = viewerIdOrNone(ctx);
  return {
    entity: Notification,
    alias: "n",
    sort: { expr: "n.created_at", type: "timestamptz" },
    direction: "DESC",
    where: (qb) => {
      qb.where("n.user_id = :nViewer", { nViewer: viewerId });
      if (unreadOnly) qb.andWhere("n.read_at IS NULL");
    },
  };
}
