import { Arg, Args, Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { AccessRequestStatus, NotificationKind, Role } from "../../common/enums.js";
import { ConnectionArgs } from "../../common/connection.js";
import { rootPage, viewerIdOrNone } from "../../common/lists.js";
import { accessRequestList } from "../access-request/access-request.service.js";
import { BusinessMembershipConnection, EmailConnection, EmployeeAccessRequestConnection, NotificationConnection } from "../connections.js";
import { emailList } from "../notification/email.service.js";
import { BusinessMembership } from "../membership/membership.entity.js";
import { NotificationPreference } from "../notification/notification.entity.js";
import { notificationList } from "../notification/notification.service.js";
import { sql } from "../../db/sql.js";
import { User } from "./user.entity.js";

/** The signed-in person and what is theirs. Anonymous callers get `user: null` and nothing else. */
@ObjectType({ description: "The caller. `user` is null when no bearer token was sent." })
export class Viewer {
  @Field(() => ID, { description: "Constant: there is one viewer per request." })
  id!: string;
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: "Who you are, your roles, memberships, requests and notifications." })
  viewer(): Viewer {
    return { id: "viewer" };
  }

  @FieldResolver(() => User, { nullable: true, description: "Your profile (null when no bearer token was sent)." })
  user(@Ctx() ctx: Context) {
    return ctx.viewer;
  }

  @FieldResolver(() => Boolean, { description: "Signed in at the identity provider but no portal profile yet: call createProfile." })
  needsProfile(@Ctx() ctx: Context) {
    return ctx.viewer === null && ctx.subject !== null;
  }

  @FieldResolver(() => [Role], { description: "Every portal role you hold somewhere (ORPHAN when linked to no business)." })
  roles(@Ctx() ctx: Context) {
    return ctx.access.roles();
  }

  @FieldResolver(() => BusinessMembershipConnection, { description: "Businesses you belong to." })
  memberships(@Ctx() ctx: Context, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    const viewerId = viewerIdOrNone(ctx);
    return rootPage(
      ctx,
      {
        entity: BusinessMembership,
        from: sql`business_memberships m`,
        alias: "m",
        sort: { expr: "m.created_at", type: "timestamptz" },
        direction: "ASC",
        where: sql`m.user_id = ${viewerId}::uuid AND m.status = 'ACTIVE'`,
        visibleAs: "BusinessMembership",
      },
      args,
    );
  }

  @FieldResolver(() => EmployeeAccessRequestConnection, { description: "Access requests you made to employers." })
  accessRequests(
    @Ctx() ctx: Context,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("status", () => AccessRequestStatus, { nullable: true, description: "Only requests in this status (all of them when left out)." }) status: AccessRequestStatus | null,
  ) {
    return rootPage(ctx, accessRequestList(ctx, { nested: false, status, ownOnly: true }), args);
  }

  @FieldResolver(() => NotificationConnection, { description: "Your in-portal notifications, newest first." })
  notifications(
    @Ctx() ctx: Context,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("unreadOnly", () => Boolean, { nullable: true, defaultValue: false, description: "True: only the ones not yet read." }) unreadOnly: boolean,
  ) {
    return rootPage(ctx, notificationList(ctx, unreadOnly), args);
  }

  @FieldResolver(() => EmailConnection, {
    description:
      "Emails queued for you (copies of the notifications you chose to get by email), newest first, with their delivery status. " +
      "Where no mail server is configured (development), they stay queued and this is where to read them.",
  })
  emails(@Ctx() ctx: Context, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return rootPage(ctx, emailList(ctx), args);
  }

  @FieldResolver(() => [NotificationPreference], { description: "For each notification kind, whether you also get it by email." })
  async notificationPreferences(@Ctx() ctx: Context): Promise<NotificationPreference[]> {
    if (!ctx.viewer) return [];
    const rows = await ctx.db.getRepository(NotificationPreference).findBy({ userId: ctx.viewer.id });
    const byKind = new Map(rows.map((r) => [r.kind, r]));
    return Object.values(NotificationKind).map((kind) => byKind.get(kind) ?? Object.assign(new NotificationPreference(), { userId: ctx.viewer!.id, kind, email: false }));
  }
}
