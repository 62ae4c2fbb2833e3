import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { Business } from "../business/business.entity.js";
import { User } from "../user/user.entity.js";
import { EmployeeAccessRequest } from "./access-request.entity.js";
import { namedAccounts } from "./access-request.service.js";

@Resolver(() => EmployeeAccessRequest)
export class EmployeeAccessRequestResolver {
  @FieldResolver(() => User, { description: "Who asked." })
  user(@Ctx() ctx: Context, @Root() r: EmployeeAccessRequest) {
    return ctx.loaders.byId(User).load(r.userId);
  }

  @FieldResolver(() => Business, { description: "The employer asked." })
  business(@Ctx() ctx: Context, @Root() r: EmployeeAccessRequest) {
    return ctx.loaders.byId(Business).load(r.businessId);
  }

  @FieldResolver(() => [String], { description: "The program accounts the requester needs (BN15s); none: the business as a whole, decided by a BAM." })
  programAccounts(@Ctx() ctx: Context, @Root() r: EmployeeAccessRequest) {
    return namedAccounts(ctx, r.id);
  }

  @FieldResolver(() => User, { nullable: true, description: "Who decided it (null while pending)." })
  decidedBy(@Ctx() ctx: Context, @Root() r: EmployeeAccessRequest) {
    return r.decidedById ? ctx.loaders.byId(User).load(r.decidedById) : null;
  }
}
