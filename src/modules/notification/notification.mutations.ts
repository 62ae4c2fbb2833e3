import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { NotificationKind } from "../../common/enums.js";
import { badInput } from "../../common/errors.js";
import { audit, idOf, mutate, returning } from "../../common/mutation.js";
import { NotificationPreference } from "./notification.entity.js";

@InputType()
export class MarkNotificationsReadInput {
  @Field(() => [ID], { nullable: true, description: "These notifications; omit to mark all of yours read." })
  ids?: string[] | null;
}

@InputType()
export class NotificationPreferenceInput {
  @Field(() => NotificationKind)
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
    return mutate(ctx, async (em) => {
      // Only the viewer's own notifications: someone else's id is silently not theirs to mark.
      const changed = await returning(
        em,
        `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL AND ($2::uuid[] IS NULL OR id = ANY($2)) RETURNING id`,
        [ctx.viewer!.id, ids],
      );
      if (changed.length) {
        await audit(em, ctx, { businessId: null, action: "notifications.read", targetType: "User", targetId: ctx.viewer!.id, after: { count: changed.length } });
      }
      return changed.length;
    });
  }

  @Mutation(() => [NotificationPreference], { description: "Choose, per kind, whether you also get notifications by email." })
  async setNotificationPreferences(
    @Ctx() ctx: Context,
    @Arg("input", () => [NotificationPreferenceInput]) input: NotificationPreferenceInput[],
  ): Promise<NotificationPreference[]> {
    if (input.length > 20) throw badInput("At most 20 preferences at a time.", "input");
    return mutate(ctx, async (em) => {
      const before = await em.getRepository(NotificationPreference).findBy({ userId: ctx.viewer!.id });
      for (const p of input) {
        await em.getRepository(NotificationPreference).upsert({ userId: ctx.viewer!.id, kind: p.kind, email: p.email }, ["userId", "kind"]);
      }
      const rows = await em.getRepository(NotificationPreference).findBy({ userId: ctx.viewer!.id });
      const asMap = (list: NotificationPreference[]) => Object.fromEntries(list.map((r) => [r.kind, r.email]));
      await audit(em, ctx, { businessId: null, action: "notifications.preferences_changed", targetType: "User", targetId: ctx.viewer!.id, before: asMap(before), after: asMap(rows) });
      const byKind = new Map(rows.map((r) => [r.kind, r]));
      return Object.values(NotificationKind).map(
        (kind) => byKind.get(kind) ?? Object.assign(new NotificationPreference(), { userId: ctx.viewer!.id, kind, email: false }),
      );
    });
  }
}
