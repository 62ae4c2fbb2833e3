import { Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { ConnectionArgs } from "../../common/connection.js";
import { childPage } from "../../common/lists.js";
import { Business } from "../business/business.entity.js";
import { ProgramRoleAssignmentConnection } from "../connections.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";
import { BusinessMembership, ProgramRoleAssignment } from "./membership.entity.js";
import { membershipRoleList } from "./membership.service.js";

@Resolver(() => BusinessMembership)
export class BusinessMembershipResolver {
  @FieldResolver(() => User, { description: "The person." })
  user(@Ctx() ctx: Context, @Root() m: BusinessMembership) {
    return ctx.loaders.byId(User).load(m.userId);
  }

  @FieldResolver(() => Business, { description: "The business." })
  business(@Ctx() ctx: Context, @Root() m: BusinessMembership) {
    return ctx.loaders.byId(Business).load(m.businessId);
  }

  @FieldResolver(() => ProgramRoleAssignmentConnection, { nullable: true, description: "Roles held on the business's program accounts." })
  programRoles(@Ctx() ctx: Context, @Root() m: BusinessMembership, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return childPage(ctx, "membership.programRoles", membershipRoleList(ctx), args, m.id);
  }
}

@Resolver(() => ProgramRoleAssignment)
export class ProgramRoleAssignmentResolver {
  @FieldResolver(() => User, { description: "The person." })
  user(@Ctx() ctx: Context, @Root() r: ProgramRoleAssignment) {
    return ctx.loaders.byId(User).load(r.userId);
  }

  @FieldResolver(() => ProgramAccount, { description: "The program account." })
  programAccount(@Ctx() ctx: Context, @Root() r: ProgramRoleAssignment) {
    return ctx.loaders.byId(ProgramAccount).load(r.programAccountId);
  }
}
