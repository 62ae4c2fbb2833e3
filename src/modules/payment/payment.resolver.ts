import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { Statement } from "../statement/statement.entity.js";
import { Payment } from "./payment.entity.js";

@Resolver(() => Payment)
export class PaymentResolver {
  @FieldResolver(() => ProgramAccount)
  programAccount(@Ctx() ctx: Context, @Root() p: Payment) {
    return ctx.loaders.byId(ProgramAccount).load(p.programAccountId);
  }

  @FieldResolver(() => Statement, { nullable: true, description: "The statement the payment was applied to." })
  statement(@Ctx() ctx: Context, @Root() p: Payment) {
    return p.statementId ? ctx.loaders.byId(Statement).load(p.statementId) : null;
  }
}
