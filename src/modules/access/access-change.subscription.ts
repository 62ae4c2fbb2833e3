import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root, Subscription, type SubscribeResolverData } from "type-graphql";
import type { Context } from "../../context.js";
import { unauthenticated } from "../../common/errors.js";
import { query, sql, type Queryable } from "../../db/sql.js";
import { filterAsyncIterable } from "../../events/filter.js";
import type { AppEvents } from "../../events/events.js";
import { Business } from "../business/business.entity.js";

/** "Look again": who reaches what through one of your businesses changed. It carries no data of the change itself. */
@ObjectType({ description: "Who reaches what through one of your businesses may have changed: read again what you show (a dashboard refetches its page)." })
export class AccessChange {
  businessId!: string;

  @Field(() => Date, { description: "When this process heard of the change." })
  at!: Date;
}

/** Whether the person is an active member of the business, asked afresh for each event. */
async function isActiveMember(db: Queryable, userId: string, businessId: string): Promise<boolean> {
  const [row] = await query<{ ok: boolean }>(
    db,
    sql`SELECT EXISTS (SELECT 1 FROM business_memberships WHERE user_id = ${userId}::uuid AND business_id = ${businessId}::uuid AND status = 'ACTIVE') AS ok`,
  );
  return row?.ok ?? false;
}

@Resolver(() => AccessChange)
export class AccessChangeResolver {
  @Subscription(() => AccessChange, {
    name: "accessChanged",
    description:
      "Changes to who reaches what through the businesses you belong to: a relationship approved, changed or ended, a client group's clients or " +
      "assignments, a member's roles. Sent to their members (checked for every event); expiries that simply pass send nothing (see myAccessExpiresAt).",
    subscribe: async ({ context }: SubscribeResolverData<unknown, Record<string, never>, Context>) => {
      if (!context.viewer) throw unauthenticated();
      const { db, logger } = context;
      const viewerId = context.viewer.id;
      return filterAsyncIterable(
        context.events.subscribeAll("ACCESS_CHANGED"),
        (event) => isActiveMember(db, viewerId, event.businessId),
        (err) => logger.error("accessChanged: an event could not be authorized, so it was not sent", { err }),
      );
    },
  })
  accessChanged(@Root() event: AppEvents["ACCESS_CHANGED"]): AccessChange {
    return Object.assign(new AccessChange(), { businessId: event.businessId, at: new Date() });
  }

  @FieldResolver(() => Business, { description: "Your business whose access changed." })
  business(@Ctx() ctx: Context, @Root() change: AccessChange) {
    return ctx.loaders.byId(Business).load(change.businessId);
  }
}
