import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { FinancialSecurity } from "./security.entity.js";

@Resolver(() => FinancialSecurity)
export class FinancialSecurityResolver {
  @FieldResolver(() => ProgramAccount, { description: "The program account it secures." })
  programAccount(@Ctx() ctx: Context, @Root() fs: FinancialSecurity) {
    return ctx.loaders.byId(ProgramAccount).load(fs.programAccountId);
  }
}
