import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { Role } from "../../common/enums.js";
import { ConnectionArgs } from "../../common/connection.js";
import { accountRows, childPage } from "../../common/lists.js";
import { Business } from "../business/business.entity.js";
import {
  FinancialSecurityConnection,
  PaymentConnection,
  RulingRequestConnection,
  StatementConnection,
  TransactionConnection,
} from "../connections.js";
import { Payment } from "../payment/payment.entity.js";
import { accountRulingList } from "../ruling/ruling.service.js";
import { RulingRequest } from "../ruling/ruling.entity.js";
import { FinancialSecurity } from "../security/security.entity.js";
import { accountStatementList, StatementOrder } from "../statement/statement.service.js";
import { accountTransactionList } from "../transaction/transaction.service.js";
import { ProgramAccount } from "./program-account.entity.js";
import { paymentList } from "../payment/payment.service.js";
import { businessDate } from "../../common/billing.js";
import { formatCents } from "../../common/money.js";
import { SecurityRequirement } from "../security/security.types.js";
import { securityRequirement, type SecurityRequirementFigures } from "../security/security.service.js";
import { creditCardLimitLeft } from "../payment/payment.service.js";
import { penaltyList } from "../penalty/penalty.service.js";
import { creditBalance, refundList } from "../refund/refund.service.js";
import { PenaltyConnection, RefundRequestConnection } from "../connections.js";
import { seesWholeAccount } from "../../auth/money.js";
import { programAccountByBn15 } from "./program-account.service.js";
import { accessExpiresAtOf, overdueOf, rppPrivilegeOf } from "./standing.js";
import { MoneyScalar } from "../../common/money.js";

@Resolver(() => ProgramAccount)
export class ProgramAccountResolver {
  @Query(() => ProgramAccount, { description: "A program account you can reach, by its BN15 (e.g. 123456782RM0001)." })
  programAccount(@Ctx() ctx: Context, @Arg("bn15", () => String, { description: "The program account number, e.g. 123456782RM0001." }) bn15: string) {
    return programAccountByBn15(ctx, bn15);
  }

  @FieldResolver(() => Business, { description: "The business that owns the account." })
  business(@Ctx() ctx: Context, @Root() pa: ProgramAccount) {
    return ctx.loaders.byId(Business).load(pa.businessId);
  }

  @FieldResolver(() => Role, { nullable: true, description: "Your strongest role on this program account." })
  myRole(@Ctx() ctx: Context, @Root() pa: ProgramAccount) {
    return ctx.access.roleOn(pa.id);
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description:
      "When your access to this account ends: the latest expiry of the live relationships you reach it through (a dashboard shows 'expiring soon'). " +
      "Null when it does not expire (your own role, a relationship without an expiry date) or has ended already (myRole is then EXPIRED).",
  })
  myAccessExpiresAt(@Ctx() ctx: Context, @Root() pa: ProgramAccount) {
    return accessExpiresAtOf(ctx, pa.id);
  }

  @FieldResolver(() => MoneyScalar, {
    nullable: true,
    description:
      "Past its due date and still unpaid, across the account's statements (credits pay the oldest debts first). " +
      "Null unless you see the whole account's money (as a statement's FULL view) and may view its statements.",
  })
  overdue(@Ctx() ctx: Context, @Root() pa: ProgramAccount) {
    return overdueOf(ctx, pa.id);
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description: "Whether the account has the Release Prior to Payment privilege (securityRequirement has the figures). Null unless you may view its security (BAM and the account's PAM).",
  })
  hasRppPrivilege(@Ctx() ctx: Context, @Root() pa: ProgramAccount) {
    return rppPrivilegeOf(ctx, pa.id);
  }

  @FieldResolver(() => TransactionConnection, { nullable: true, description: "Transactions you may see, newest release first (broker visibility rules applied)." })
  transactions(@Ctx() ctx: Context, @Root() pa: ProgramAccount, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return childPage(ctx, "programAccount.transactions", accountTransactionList(ctx), args, pa.id);
  }

  @FieldResolver(() => StatementConnection, { nullable: true, description: "Statements of Account, newest cycle first unless orderBy says otherwise." })
  statements(
    @Ctx() ctx: Context,
    @Root() pa: ProgramAccount,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("orderBy", () => StatementOrder, { nullable: true, description: "The order (default: cycle, newest first); ties by id. Cursors carry it." })
    orderBy: StatementOrder | null,
  ) {
    return childPage(ctx, "programAccount.statements", accountStatementList(ctx, orderBy), args, pa.id);
  }

  @FieldResolver(() => PaymentConnection, {
    nullable: true,
    description: "Payments received, newest first: all of them if you see every transaction of the account, otherwise those your business made.",
  })
  payments(@Ctx() ctx: Context, @Root() pa: ProgramAccount, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return childPage(ctx, "programAccount.payments", paymentList(ctx), args, pa.id);
  }

  @FieldResolver(() => FinancialSecurityConnection, { nullable: true, description: "Financial security posted for Release Prior to Payment (BAM and PAM only)." })
  financialSecurities(@Ctx() ctx: Context, @Root() pa: ProgramAccount, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    const spec = accountRows<FinancialSecurity>(ctx, {
      entity: FinancialSecurity, table: "financial_securities", alias: "fs", action: "VIEW_SECURITY", sort: { expr: "fs.effective_from", type: "date" }, direction: "DESC", visibleAs: "FinancialSecurity",
    });
    return childPage(ctx, "programAccount.financialSecurities", spec, args, pa.id);
  }

  @FieldResolver(() => SecurityRequirement, {
    description: "The financial security this account needs for Release Prior to Payment, what is posted, and whether it has the privilege (BAM and PAM only).",
  })
  async securityRequirement(@Ctx() ctx: Context, @Root() pa: ProgramAccount): Promise<SecurityRequirement> {
    const { inForce, next } = await securityRequirement(ctx.db, pa.id, businessDate(ctx.access.now));
    const present = (r: SecurityRequirementFigures, following: SecurityRequirement | null): SecurityRequirement => ({
      reviewedOn: r.review.reviewedOn,
      reviewFrom: r.review.from,
      reviewTo: r.review.to,
      inForceFrom: r.review.inForceFrom,
      highestMonthlyDutiesAndTaxes: formatCents(r.highestMonthly),
      requiredBond: formatCents(r.requiredBond),
      requiredCash: formatCents(r.requiredCash),
      postedBond: formatCents(r.postedBond),
      postedCash: formatCents(r.postedCash),
      hasRppPrivilege: r.hasRpp,
      next: following,
    });
    return present(inForce, next ? present(next, null) : null);
  }

  @FieldResolver(() => MoneyScalar, {
    nullable: true,
    description:
      "What is left of the account's credit-card limit in the current billing cycle (4,999.99 per cycle and account, card payments and card security " +
      "deposits together: CARM Bulletin 5408). Null unless you may see every payment of the account.",
  })
  async creditCardLimitRemaining(@Ctx() ctx: Context, @Root() pa: ProgramAccount): Promise<string | null> {
    if (!(await seesWholeAccount(ctx.access, pa.id, "VIEW_PAYMENTS"))) return null;
    return formatCents((await creditCardLimitLeft(ctx.db, pa.id, businessDate(ctx.access.now))).left);
  }

  @FieldResolver(() => PenaltyConnection, {
    nullable: true,
    description: "AMPS penalties assessed on the account, newest first, with their disputes. Seen like the whole account's payments (not by a provider whose rules hide some transactions).",
  })
  penalties(@Ctx() ctx: Context, @Root() pa: ProgramAccount, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return childPage(ctx, "programAccount.penalties", penaltyList(ctx), args, pa.id);
  }

  @FieldResolver(() => RefundRequestConnection, { nullable: true, description: "Requests to refund the account's credit balance, newest first. Seen like penalties." })
  refundRequests(@Ctx() ctx: Context, @Root() pa: ProgramAccount, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return childPage(ctx, "programAccount.refundRequests", refundList(ctx), args, pa.id);
  }

  @FieldResolver(() => MoneyScalar, {
    nullable: true,
    description: "The account's credit balance: payments and credits not applied to any debt (what a refund may ask for). Null unless you may see every payment of the account.",
  })
  async creditBalance(@Ctx() ctx: Context, @Root() pa: ProgramAccount): Promise<string | null> {
    if (!(await seesWholeAccount(ctx.access, pa.id, "VIEW_PAYMENTS"))) return null;
    return formatCents(await creditBalance(ctx.db, pa.id));
  }

  @FieldResolver(() => RulingRequestConnection, { nullable: true, description: "Ruling requests, newest first (a service provider's visibility rules applied, judged on each request's submitter)." })
  rulingRequests(@Ctx() ctx: Context, @Root() pa: ProgramAccount, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return childPage(ctx, "programAccount.rulingRequests", accountRulingList(ctx), args, pa.id);
  }
}
