import { Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { ConnectionArgs } from "../../common/connection.js";
import { childPage } from "../../common/lists.js";
import { Business } from "../business/business.entity.js";
import { BusinessConnection, ClientGroupAssignmentConnection } from "../connections.js";
import { User } from "../user/user.entity.js";
import { ClientGroup, ClientGroupAssignment } from "./client-group.entity.js";
import { clientGroupAssignmentList, clientGroupClientList } from "./client-group.service.js";

@Resolver(() => ClientGroup)
export class ClientGroupResolver {
  @FieldResolver(() => Business, { description: "The service provider the group belongs to." })
  provider(@Ctx() ctx: Context, @Root() g: ClientGroup) {
    return ctx.loaders.byId(Business).load(g.providerBusinessId);
  }

  @FieldResolver(() => BusinessConnection, { nullable: true, description: "The client businesses in the group." })
  clients(@Ctx() ctx: Context, @Root() g: ClientGroup, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return childPage(ctx, "clientGroup.clients", clientGroupClientList(ctx), args, g.id);
  }

  @FieldResolver(() => ClientGroupAssignmentConnection, { nullable: true, description: "The provider's employees assigned to the group, with their role." })
  assignments(@Ctx() ctx: Context, @Root() g: ClientGroup, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return childPage(ctx, "clientGroup.assignments", clientGroupAssignmentList(ctx), args, g.id);
  }
}

@Resolver(() => ClientGroupAssignment)
export class ClientGroupAssignmentResolver {
  @FieldResolver(() => User, { description: "The employee assigned." })
  user(@Ctx() ctx: Context, @Root() a: ClientGroupAssignment) {
    return ctx.loaders.byId(User).load(a.userId);
  }

  @FieldResolver(() => ClientGroup, { description: "The client group." })
  group(@Ctx() ctx: Context, @Root() a: ClientGroupAssignment) {
    return ctx.loaders.byId(ClientGroup).load(a.groupId);
  }
}
