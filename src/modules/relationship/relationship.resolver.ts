import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { RelationshipStatus } from "../../common/enums.js";
import { ConnectionArgs } from "../../common/connection.js";
import { childPage, rootPage } from "../../common/lists.js";
import { Business } from "../business/business.entity.js";
import { ProgramAccountConnection, RelationshipConnection } from "../connections.js";
import { User } from "../user/user.entity.js";
import { BusinessRelationship } from "./relationship.entity.js";
import { relationshipAccountList, relationshipList } from "./relationship.service.js";

@Resolver(() => BusinessRelationship)
export class RelationshipResolver {
  @Query(() => RelationshipConnection, { description: "Relationships of the businesses you manage, as client or as provider; newest first." })
  relationships(@Ctx() ctx: Context, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return rootPage(ctx, relationshipList(ctx, { nestedUnderBusiness: false }), args);
  }

  @FieldResolver(() => RelationshipStatus, { description: "ACTIVE past its expiry reads as EXPIRED, from that instant." })
  status(@Ctx() ctx: Context, @Root() r: BusinessRelationship) {
    return r.effectiveStatus(ctx.access.now);
  }

  @FieldResolver(() => Business, { description: "The client business (the importer)." })
  client(@Ctx() ctx: Context, @Root() r: BusinessRelationship) {
    return ctx.loaders.byId(Business).load(r.clientBusinessId);
  }

  @FieldResolver(() => Business, { description: "The service provider (a customs broker or trade consultant)." })
  provider(@Ctx() ctx: Context, @Root() r: BusinessRelationship) {
    return ctx.loaders.byId(Business).load(r.providerBusinessId);
  }

  @FieldResolver(() => ProgramAccountConnection, { nullable: true, description: "For PROGRAM_ACCOUNT level: the covered program accounts." })
  programAccounts(@Ctx() ctx: Context, @Root() r: BusinessRelationship, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return childPage(ctx, "relationship.programAccounts", relationshipAccountList(ctx), args, r.id);
  }

  @FieldResolver(() => User, { nullable: true, description: "Who made the request for the provider." })
  requestedBy(@Ctx() ctx: Context, @Root() r: BusinessRelationship) {
    return r.requestedById ? ctx.loaders.byId(User).load(r.requestedById) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: "Who decided the request for the client (null while pending)." })
  decidedBy(@Ctx() ctx: Context, @Root() r: BusinessRelationship) {
    return r.decidedById ? ctx.loaders.byId(User).load(r.decidedById) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: "Who ended it (null while in force)." })
  endedBy(@Ctx() ctx: Context, @Root() r: BusinessRelationship) {
    return r.endedById ? ctx.loaders.byId(User).load(r.endedById) : null;
  }
}
