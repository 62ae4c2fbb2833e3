import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/pagination.js";
import { Notification } from "./notification.entity.js";

export function notificationList(ctx: Context, unreadOnly: boolean): ListSpec<Notification> {
  const viewerId = ctx.viewer?.id ?? "00000000-0000-0000-0000-000000000000";
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
