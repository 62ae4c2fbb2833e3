import { Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { statementMoney } from "../../auth/money.js";
import { StatementView } from "../../common/enums.js";
import { childPage } from "../../common/lists.js";
import { MoneyScalar } from "../../common/money.js";
import { ConnectionArgs } from "../../common/connection.js";
import type { Context } from "../../context.js";
import { StatementPostingConnection } from "../connections.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { Payment } from "../payment/payment.entity.js";
import { RefundRequest } from "../refund/refund.entity.js";
import { Transaction } from "../transaction/transaction.entity.js";
import { StatementPosting } from "./posting.entity.js";
import { postingList } from "./statement.service.js";
import { Statement } from "./statement.entity.js";

const VISIBLE = "The sum of the lines of this kind on the statement's journal that you may see (with a FULL view: all of them).";
const FULL_ONLY = "Null unless view is FULL (your visibility rules hide some of the account's transactions, and this needs the whole journal).";

@Resolver(() => Statement)
export class StatementResolver {
  @FieldResolver(() => ProgramAccount, { description: "The program account." })
  programAccount(@Ctx() ctx: Context, @Root() s: Statement) {
    return ctx.loaders.byId(ProgramAccount).load(s.programAccountId);
  }

  @FieldResolver(() => StatementView, { description: "How much of the statement's money you see (decided by your grants on the account)." })
  async view(@Ctx() ctx: Context, @Root() s: Statement): Promise<StatementView> {
    return (await statementMoney(ctx, s)).view;
  }

  @FieldResolver(() => MoneyScalar, {
    description: `Duties and taxes posted on this statement for declarations: currentCharges + corrections - the credits of corrections and adjustments. ${VISIBLE}`,
  })
  async visibleCharges(@Ctx() ctx: Context, @Root() s: Statement): Promise<string> {
    return (await statementMoney(ctx, s)).visibleCharges;
  }

  @FieldResolver(() => MoneyScalar, { nullable: true, description: `The total payable of the account's previous statement. ${FULL_ONLY}` })
  async previousBalance(@Ctx() ctx: Context, @Root() s: Statement) {
    return (await statementMoney(ctx, s)).previousBalance;
  }

  @FieldResolver(() => MoneyScalar, { nullable: true, description: `Increases made by corrections and accepted adjustments. ${VISIBLE}` })
  async corrections(@Ctx() ctx: Context, @Root() s: Statement) {
    return (await statementMoney(ctx, s)).corrections;
  }

  @FieldResolver(() => MoneyScalar, { nullable: true, description: `Payments received during the cycle. ${VISIBLE}` })
  async payments(@Ctx() ctx: Context, @Root() s: Statement) {
    return (await statementMoney(ctx, s)).payments;
  }

  @FieldResolver(() => MoneyScalar, { nullable: true, description: `Interest on overdue amounts and on adjustments, and AMPS penalties assessed. ${VISIBLE}` })
  async interestAndPenalties(@Ctx() ctx: Context, @Root() s: Statement) {
    return (await statementMoney(ctx, s)).interestAndPenalties;
  }

  @FieldResolver(() => MoneyScalar, { nullable: true, description: `Duties and taxes of the declarations posted on this statement ("charges this cycle"). ${VISIBLE}` })
  async currentCharges(@Ctx() ctx: Context, @Root() s: Statement) {
    return (await statementMoney(ctx, s)).currentCharges;
  }

  @FieldResolver(() => MoneyScalar, { nullable: true, description: `Decreases made by corrections, accepted adjustments and cancelled penalties. ${VISIBLE}` })
  async credits(@Ctx() ctx: Context, @Root() s: Statement) {
    return (await statementMoney(ctx, s)).credits;
  }

  @FieldResolver(() => MoneyScalar, { nullable: true, description: `Credit balance refunded to the importer. ${VISIBLE}` })
  async refunds(@Ctx() ctx: Context, @Root() s: Statement) {
    return (await statementMoney(ctx, s)).refunds;
  }

  @FieldResolver(() => MoneyScalar, {
    nullable: true,
    description: `previous balance + corrections + interest and penalties + current charges + refunds - payments - credits (negative: in credit). ${FULL_ONLY}`,
  })
  async totalPayable(@Ctx() ctx: Context, @Root() s: Statement) {
    return (await statementMoney(ctx, s)).totalPayable;
  }

  @FieldResolver(() => MoneyScalar, {
    nullable: true,
    description: `What is still unpaid of this statement's own debits (payments go where their payer chose, then to the oldest debts). ${FULL_ONLY}`,
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
  @FieldResolver(() => Statement, { description: "The statement the line belongs to." })
  statement(@Ctx() ctx: Context, @Root() p: StatementPosting) {
    return ctx.loaders.byId(Statement).load(p.statementId);
  }

  @FieldResolver(() => Transaction, { nullable: true, description: "The declaration a charge, correction, adjustment or its interest belongs to." })
  transaction(@Ctx() ctx: Context, @Root() p: StatementPosting) {
    return p.transactionId ? ctx.loaders.byId(Transaction).load(p.transactionId) : null;
  }

  @FieldResolver(() => Payment, { nullable: true, description: "The payment it records (payments only, and only where you may see it)." })
  payment(@Ctx() ctx: Context, @Root() p: StatementPosting) {
    return p.paymentId ? ctx.loaders.byId(Payment).load(p.paymentId) : null;
  }

  @FieldResolver(() => MoneyScalar, {
    nullable: true,
    description:
      "For a debit, what is still unpaid; for a credit, what is not applied to a debt yet. Null unless your view of the statement is FULL: " +
      "what a payment paid depends on every debt of the account, and so would tell you of lines you may not see.",
  })
  async openAmount(@Ctx() ctx: Context, @Root() p: StatementPosting): Promise<string | null> {
    const statement = { id: p.statementId, programAccountId: p.programAccountId };
    return (await statementMoney(ctx, statement)).view === StatementView.FULL ? p.openAmount : null;
  }

  @FieldResolver(() => String, {
    description: "What the line is. A payment's or refund's reference and card or account digits are added only for those allowed payment details (not Readers).",
  })
  async description(@Ctx() ctx: Context, @Root() p: StatementPosting): Promise<string> {
    if (!p.paymentId && !p.refundId) return p.description;
    if (!(await ctx.access.can("VIEW_PAYMENT_DETAILS", p.programAccountId))) return p.description;
    if (p.paymentId) {
      const payment = await ctx.loaders.byId(Payment).load(p.paymentId);
      if (!payment) return p.description;
      return `${p.description}${payment.instrumentLast4 ? ` (…${payment.instrumentLast4})` : ""}, ${payment.reference}`;
    }
    const refund = await ctx.loaders.byId(RefundRequest).load(p.refundId!);
    return refund?.reference ? `${p.description}, ${refund.reference}` : p.description;
  }
}
