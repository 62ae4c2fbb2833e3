import type { DataSource } from "typeorm";
import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root, Subscription, type SubscribeResolverData } from "type-graphql";
import type { Principal } from "../../auth/access.js";
import type { AccessLoader } from "../../auth/access-loader.js";
import { memberAudience } from "../../auth/audience.js";
import type { Context } from "../../context.js";
import { unauthenticated } from "../../common/errors.js";
import { arrayRowsOf, columnNamesOf, hydrateArrays, jsonColumnsOf } from "../../db/rows.js";
import { sql } from "../../db/sql.js";
import type { AppEvents } from "../../events/events.js";
import type { Feed, Verdict } from "../../events/live.js";
import { Business } from "../business/business.entity.js";

/** "Look again": who reaches what through one of your businesses changed. It carries no data of the change itself. */
@ObjectType({ description: "Who reaches what through one of your businesses may have changed: read again what you show (a dashboard refetches its page)." })
export class AccessChange {
  businessId!: string;

  @Field(() => Date, { description: "When this process heard of the change." })
  at!: Date;
}

type AccessEvent = AppEvents["ACCESS_CHANGED"];

/**
 * An access change's one decision for every viewer following accessChanged in this process: who is
 * an active member of the business (auth/audience.ts), with the business read in the same statement.
 */
async function decideAccessEvent(db: DataSource, event: AccessEvent, viewers: readonly Principal[], loader: AccessLoader): Promise<Map<string, Verdict>> {
  const { members, alongside } = await memberAudience(db, event.businessId, viewers, loader, {
    business: arrayRowsOf(sql`(SELECT ${jsonColumnsOf(db, Business, "b")} FROM businesses b WHERE b.id = ${event.businessId}::uuid)`, columnNamesOf(db, Business), sql`q."id"`),
  });
  const business = hydrateArrays(db, Business, alongside.business as unknown[][])[0] ?? null;
  const verdicts = new Map<string, Verdict>();
  for (const [viewerId, { access, verdict }] of members) {
    verdicts.set(viewerId, { access, allowed: verdict.member, prime: (ctx) => void ctx.loaders.byId(Business).prime(event.businessId, business) });
  }
  return verdicts;
}

/** accessChanged: sent to the business's active members, judged at every event. */
export const accessChangesFeed: Feed<"ACCESS_CHANGED"> = { name: "accessChanged", kind: "ACCESS_CHANGED", routed: false, filtered: true, decide: decideAccessEvent };

@Resolver(() => AccessChange)
export class AccessChangeResolver {
  @Subscription(() => AccessChange, {
    name: "accessChanged",
    description:
      "Changes to who reaches what through the businesses you belong to: a relationship approved, changed or ended, a client group's clients or " +
      "assignments, a member's roles. Sent to their members (checked for every event); expiries that simply pass send nothing (see myAccessExpiresAt).",
    subscribe: ({ context }: SubscribeResolverData<unknown, Record<string, never>, Context>) => {
      if (!context.viewer) throw unauthenticated();
      return context.events.feed(accessChangesFeed);
    },
  })
  accessChanged(@Root() event: AccessEvent): AccessChange {
    return Object.assign(new AccessChange(), { businessId: event.businessId, at: new Date() });
  }

  @FieldResolver(() => Business, { description: "Your business whose access changed." })
  business(@Ctx() ctx: Context, @Root() change: AccessChange) {
    return ctx.loaders.byId(Business).load(change.businessId);
  }
}
