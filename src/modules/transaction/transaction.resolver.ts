import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { LocalDate } from "../../common/dates.js";
import type { Context } from "../../context.js";
import { ConnectionArgs } from "../../common/connection.js";
import { childPage, rootPage } from "../../common/lists.js";
import { Business } from "../business/business.entity.js";
import { TransactionConnection, TransactionLineConnection, TransactionVersionConnection } from "../connections.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";
import { Transaction, TransactionVersion } from "./transaction.entity.js";
import { currentOf, declarationDueDate, lineList, transactionByNumber, TransactionFilter, transactionList, TransactionOrder, versionList, visibleVersions } from "./transaction.service.js";
import { MoneyScalar } from "../../common/money.js";
import { TransactionVersionStatus } from "../../common/enums.js";

@Resolver(() => Transaction)
export class TransactionResolver {
  @Query(() => Transaction, { description: "A transaction you may see, by its 14-digit number." })
  transaction(@Ctx() ctx: Context, @Arg("transactionNumber", () => String, { description: "The 14-digit transaction number." }) transactionNumber: string) {
    return transactionByNumber(ctx, transactionNumber);
  }

  @Query(() => TransactionConnection, { description: "Transactions you may see across all your program accounts and clients, newest release first unless orderBy says otherwise." })
  async transactions(
    @Ctx() ctx: Context,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => TransactionFilter, { nullable: true, description: "Only the transactions meeting every condition given." }) filter: TransactionFilter | null,
    @Arg("orderBy", () => TransactionOrder, { nullable: true, description: "The order (default: release date, latest first); ties by id. Cursors carry it." })
    orderBy: TransactionOrder | null,
  ) {
    return rootPage(ctx, await transactionList(ctx, filter, orderBy), args);
  }

  @FieldResolver(() => LocalDate, {
    description:
      "When its duties and taxes are due: the due date of its billing period (the one holding the earlier of its filing day and its accounting deadline). Corrections up to and including it, adjustments (agency review) after.",
  })
  dueDate(@Ctx() ctx: Context, @Root() t: Transaction) {
    return declarationDueDate(ctx, t);
  }

  @FieldResolver(() => ProgramAccount, { description: "The program account it was declared on." })
  programAccount(@Ctx() ctx: Context, @Root() t: Transaction) {
    return ctx.loaders.byId(ProgramAccount).load(t.programAccountId);
  }

  @FieldResolver(() => Business, { description: "The business that filed the original declaration (its ASEC prefixes the number)." })
  submittedBy(@Ctx() ctx: Context, @Root() t: Transaction) {
    return ctx.loaders.byId(Business).load(t.submittedByBusinessId);
  }

  @FieldResolver(() => User, { nullable: true, description: "The person who filed the original (null if their profile is gone)." })
  submittedByUser(@Ctx() ctx: Context, @Root() t: Transaction) {
    return t.submittedByUserId ? ctx.loaders.byId(User).load(t.submittedByUserId) : null;
  }

  @FieldResolver(() => TransactionVersionConnection, { nullable: true, description: "Every version, oldest first." })
  versions(@Ctx() ctx: Context, @Root() t: Transaction, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return childPage(ctx, "transaction.versions", versionList(ctx), args, t.id);
  }

  @FieldResolver(() => TransactionVersion, {
    nullable: true,
    description: "The latest version you may see that the agency has not rejected: the one in force, or an adjustment under review. A rejected version stays in `versions`.",
  })
  async currentVersion(@Ctx() ctx: Context, @Root() t: Transaction) {
    const latest = currentOf(await visibleVersions(ctx, t));
    return latest ? ctx.loaders.byId(TransactionVersion).load(latest.id) : null;
  }

  @FieldResolver(() => Int, { description: "Number of `currentVersion` (1 = original)." })
  async currentVersionNo(@Ctx() ctx: Context, @Root() t: Transaction) {
    return currentOf(await visibleVersions(ctx, t))?.versionNo ?? 1;
  }

  @FieldResolver(() => MoneyScalar, { nullable: true, description: "Duties and taxes of the latest accepted version you may see (null when you see no accepted version)." })
  async totalDutiesAndTaxes(@Ctx() ctx: Context, @Root() t: Transaction) {
    // Never the transaction's own total: a version the viewer may not see may have set it.
    const accepted = (await visibleVersions(ctx, t)).filter((v) => v.status === TransactionVersionStatus.ACCEPTED);
    return accepted.at(-1)?.totalDutiesAndTaxes ?? null;
  }
}

@Resolver(() => TransactionVersion)
export class TransactionVersionResolver {
  @FieldResolver(() => Business, { description: "The business that submitted this version." })
  submittedBy(@Ctx() ctx: Context, @Root() v: TransactionVersion) {
    return ctx.loaders.byId(Business).load(v.submittedByBusinessId);
  }

  @FieldResolver(() => User, { nullable: true, description: "The person who submitted it (null if their profile is gone)." })
  submittedByUser(@Ctx() ctx: Context, @Root() v: TransactionVersion) {
    return v.submittedByUserId ? ctx.loaders.byId(User).load(v.submittedByUserId) : null;
  }

  @FieldResolver(() => TransactionLineConnection, { nullable: true, description: "Its lines, in order." })
  lines(@Ctx() ctx: Context, @Root() v: TransactionVersion, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return childPage(ctx, "version.lines", lineList(ctx), args, v.id);
  }
}
