import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { Statement } from "./statement.entity.js";

@Resolver(() => Statement)
export class StatementResolver {
  @FieldResolver(() => ProgramAccount)
  programAccount(@Ctx() ctx: Context, @Root() s: Statement) {
    return ctx.loaders.byId(ProgramAccount).load(s.programAccountId);
  }
}
