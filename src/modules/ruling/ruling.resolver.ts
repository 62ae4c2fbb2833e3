import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { Business } from "../business/business.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { RulingRequest } from "./ruling.entity.js";

@Resolver(() => RulingRequest)
export class RulingRequestResolver {
  @FieldResolver(() => ProgramAccount)
  programAccount(@Ctx() ctx: Context, @Root() r: RulingRequest) {
    return ctx.loaders.byId(ProgramAccount).load(r.programAccountId);
  }

  @FieldResolver(() => Business)
  submittedBy(@Ctx() ctx: Context, @Root() r: RulingRequest) {
    return ctx.loaders.byId(Business).load(r.submittedByBusinessId);
  }
}
