import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { Business } from "../business/business.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { Statement } from "../statement/statement.entity.js";
import { Payment } from "./payment.entity.js";

@Resolver(() => Payment)
export class PaymentResolver {
  @FieldResolver(() => ProgramAccount, { description: "The program account paid." })
  programAccount(@Ctx() ctx: Context, @Root() p: Payment) {
    return ctx.loaders.byId(ProgramAccount).load(p.programAccountId);
  }

  @FieldResolver(() => Business, { nullable: true, description: "The business that paid: the importer, or a service provider for it." })
  madeBy(@Ctx() ctx: Context, @Root() p: Payment) {
    return p.submittedByBusinessId ? ctx.loaders.byId(Business).load(p.submittedByBusinessId) : null;
  }

  @FieldResolver(() => Statement, { nullable: true, description: "The statement of the cycle the payment was received in (it pays the oldest debts first, whatever their statement)." })
  statement(@Ctx() ctx: Context, @Root() p: Payment) {
    return p.statementId ? ctx.loaders.byId(Statement).load(p.statementId) : null;
  }
}
