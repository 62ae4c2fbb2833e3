import { Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { statementMoney } from "../../auth/money.js";
import { StatementView } from "../../common/enums.js";
import { childPage } from "../../common/lists.js";
import { MoneyScalar } from "../../common/money.js";
import { ConnectionArgs } from "../../common/pagination.js";
import type { Context } from "../../context.js";
import { StatementPostingConnection } from "../connections.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { Payment } from "../payment/payment.entity.js";
import { Transaction } from "../transaction/transaction.entity.js";
import { StatementPosting } from "./posting.entity.js";
import { postingList } from "./statement.service.js";
import { Statement } from "./statement.entity.js";

/** An account-wide amount: shown to viewers who see the whole account (StatementView.FULL), null to others. */
async function accountWide(ctx: Context, s: Statement, value: string): Promise<string | null> {
  return (await statementMoney(ctx, s)).view === StatementView.FULL ? value : null;
}

const FULL_ONLY = "Null unless view is FULL (your visibility rules hide some of the account's transactions).";

@Resolver(() => Statement)
export class StatementResolver {
  @FieldResolver(() => ProgramAccount)
  programAccount(@Ctx() ctx: Context, @Root() s: Statement) {
    return ctx.loaders.byId(ProgramAccount).load(s.programAccountId);
  }

  @FieldResolver(() => StatementView, { description: "How much of the statement's money you see (decided by your grants on the account)." })
  async view(@Ctx() ctx: Context, @Root() s: Statement): Promise<StatementView> {
    return (await statementMoney(ctx, s)).view;
  }

  @FieldResolver(() => MoneyScalar, {
    description:
      "Duties and taxes posted on this statement for the transactions you may see: new declarations, corrections and adjustments " +
      "(decreases count negative). With a FULL view: current charges + corrections - credits.",
  })
  async visibleCharges(@Ctx() ctx: Context, @Root() s: Statement): Promise<string> {
    return (await statementMoney(ctx, s)).visibleCharges;
  }

  @FieldResolver(() => MoneyScalar, { nullable: true, description: `The total payable of the account's previous statement. ${FULL_ONLY}` })
  previousBalance(@Ctx() ctx: Context, @Root() s: Statement) {
    return accountWide(ctx, s, s.previousBalance);
  }

  @FieldResolver(() => MoneyScalar, { nullable: true, description: `Increases made by corrections and accepted adjustments. ${FULL_ONLY}` })
  corrections(@Ctx() ctx: Context, @Root() s: Statement) {
    return accountWide(ctx, s, s.corrections);
  }

  @FieldResolver(() => MoneyScalar, { nullable: true, description: `Payments received during the cycle. ${FULL_ONLY}` })
  payments(@Ctx() ctx: Context, @Root() s: Statement) {
    return accountWide(ctx, s, s.payments);
  }

  @FieldResolver(() => MoneyScalar, { nullable: true, description: `Interest on overdue amounts and on adjustments. ${FULL_ONLY}` })
  interestAndPenalties(@Ctx() ctx: Context, @Root() s: Statement) {
    return accountWide(ctx, s, s.interestAndPenalties);
  }

  @FieldResolver(() => MoneyScalar, { nullable: true, description: `Duties and taxes of the declarations posted on this statement. ${FULL_ONLY}` })
  currentCharges(@Ctx() ctx: Context, @Root() s: Statement) {
    return accountWide(ctx, s, s.currentCharges);
  }

  @FieldResolver(() => MoneyScalar, { nullable: true, description: `Decreases made by corrections and accepted adjustments. ${FULL_ONLY}` })
  credits(@Ctx() ctx: Context, @Root() s: Statement) {
    return accountWide(ctx, s, s.credits);
  }

  @FieldResolver(() => MoneyScalar, {
    nullable: true,
    description: `previous balance + corrections + interest and penalties + current charges - payments - credits (negative: in credit). ${FULL_ONLY}`,
  })
  totalPayable(@Ctx() ctx: Context, @Root() s: Statement) {
    return accountWide(ctx, s, s.totalPayable);
  }

  @FieldResolver(() => MoneyScalar, {
    nullable: true,
    description: `What is still unpaid of this statement's own charges, corrections and interest (payments go to the oldest debts first). ${FULL_ONLY}`,
  })
  async amountOutstanding(@Ctx() ctx: Context, @Root() s: Statement) {
    return (await statementMoney(ctx, s)).outstanding;
  }

  @FieldResolver(() => StatementPostingConnection, {
    nullable: true,
    description: "The statement's journal, in order: every line with a FULL view; otherwise those of the transactions you may see and your business's payments.",
  })
  postings(@Ctx() ctx: Context, @Root() s: Statement, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return childPage(ctx, "statement.postings", postingList(ctx), args, s.id);
  }
}

@Resolver(() => StatementPosting)
export class StatementPostingResolver {
  @FieldResolver(() => Statement)
  statement(@Ctx() ctx: Context, @Root() p: StatementPosting) {
    return ctx.loaders.byId(Statement).load(p.statementId);
  }

  @FieldResolver(() => Transaction, { nullable: true, description: "The declaration a charge, correction, adjustment or its interest belongs to." })
  transaction(@Ctx() ctx: Context, @Root() p: StatementPosting) {
    return p.transactionId ? ctx.loaders.byId(Transaction).load(p.transactionId) : null;
  }

  @FieldResolver(() => Payment, { nullable: true })
  payment(@Ctx() ctx: Context, @Root() p: StatementPosting) {
    return p.paymentId ? ctx.loaders.byId(Payment).load(p.paymentId) : null;
  }
}
