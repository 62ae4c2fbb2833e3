import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { NotificationKind } from "../../common/enums.js";
import { badInput } from "../../common/errors.js";
import { runMutation } from "../../application/mutation.js";
import { idOf } from "../../common/inputs.js";
import { NotificationPreference } from "./notification.entity.js";

@InputType({ description: "Notifications to mark as read." })
export class MarkNotificationsReadInput {
  @Field(() => [ID], { nullable: true, description: "These notifications; omit to mark all of yours read." })
  ids?: string[] | null;
}

@InputType({ description: "Your email preference for one kind of notification." })
export class NotificationPreferenceInput {
  @Field(() => NotificationKind, { description: "The kind of notification." })
  kind!: NotificationKind;

  @Field(() => Boolean, { description: "Also send this kind by email." })
  email!: boolean;
}

@Resolver()
export class NotificationMutations {
  @Mutation(() => Int, { description: "Mark your notifications read; returns how many changed." })
  async markNotificationsRead(@Ctx() ctx: Context, @Arg("input", () => MarkNotificationsReadInput) input: MarkNotificationsReadInput): Promise<number> {
    if (input.ids && input.ids.length > 100) throw badInput("At most 100 ids at a time.", "ids");
    const ids = input.ids?.map((id, i) => idOf(id, "Notification", `ids[${i}]`)) ?? null;
    return runMutation(ctx, "markNotificationsRead", {
      run: async (tx) => {
        // Only the viewer's own notifications: someone else's id is silently not theirs to mark.
        const changed = await tx.returning(
          `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL AND ($2::uuid[] IS NULL OR id = ANY($2)) RETURNING id`,
          [tx.actor.id, ids],
        );
        if (changed.length) {
          await tx.audit({ businessId: null, action: "notifications.read", targetType: "User", targetId: tx.actor.id, after: { count: changed.length } });
        }
        return changed.length;
      },
    });
  }

  @Mutation(() => [NotificationPreference], { description: "Choose, per kind, whether you also get notifications by email." })
  async setNotificationPreferences(
    @Ctx() ctx: Context,
    @Arg("input", () => [NotificationPreferenceInput]) input: NotificationPreferenceInput[],
  ): Promise<NotificationPreference[]> {
    if (input.length > 20) throw badInput("At most 20 preferences at a time.", "input");
    return runMutation(ctx, "setNotificationPreferences", {
      run: async (tx) => {
        const userId = tx.actor.id;
        const repo = tx.em.getRepository(NotificationPreference);
        const before = await repo.findBy({ userId });
        for (const p of input) await repo.upsert({ userId, kind: p.kind, email: p.email }, ["userId", "kind"]);
        const rows = await repo.findBy({ userId });
        const asMap = (list: NotificationPreference[]) => Object.fromEntries(list.map((r) => [r.kind, r.email]));
        await tx.audit({ businessId: null, action: "notifications.preferences_changed", targetType: "User", targetId: userId, before: asMap(before), after: asMap(rows) });
        const byKind = new Map(rows.map((r) => [r.kind, r]));
        return Object.values(NotificationKind).map((kind) => byKind.get(kind) ?? Object.assign(new NotificationPreference(), { userId, kind, email: false }));
      },
    });
  }
}
