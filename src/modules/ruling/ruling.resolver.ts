import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { rootPage } from "../../common/lists.js";
import { ConnectionArgs } from "../../common/connection.js";
import { Business } from "../business/business.entity.js";
import { RulingRequestConnection } from "../connections.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";
import { RulingAttachment, RulingRequest } from "./ruling.entity.js";
import { attachmentsOf, RulingRequestFilter, rulingList } from "./ruling.service.js";

@Resolver(() => RulingRequest)
export class RulingRequestResolver {
  @Query(() => RulingRequestConnection, {
    description:
      "Ruling requests you may see across your program accounts and clients, newest first. A service provider sees a client's " +
      "requests as its visibility rules allow, judged on the business that submitted each one (like transactions).",
  })
  async rulingRequests(
    @Ctx() ctx: Context,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => RulingRequestFilter, { nullable: true, description: "Narrow the list (all conditions must hold)." }) filter: RulingRequestFilter | null,
  ) {
    return rootPage(ctx, await rulingList(ctx, filter), args);
  }

  @FieldResolver(() => ProgramAccount, { description: "The program account it was submitted on." })
  programAccount(@Ctx() ctx: Context, @Root() r: RulingRequest) {
    return ctx.loaders.byId(ProgramAccount).load(r.programAccountId);
  }

  @FieldResolver(() => Business, { description: "The business that submitted it: the importer, or a service provider acting for it." })
  submittedBy(@Ctx() ctx: Context, @Root() r: RulingRequest) {
    return ctx.loaders.byId(Business).load(r.submittedByBusinessId);
  }

  @FieldResolver(() => User, { nullable: true, description: "The person who submitted it." })
  submittedByUser(@Ctx() ctx: Context, @Root() r: RulingRequest) {
    return r.submittedByUserId ? ctx.loaders.byId(User).load(r.submittedByUserId) : null;
  }

  @FieldResolver(() => [RulingAttachment], { description: "Documents attached when it was submitted (metadata), in that order." })
  attachments(@Ctx() ctx: Context, @Root() r: RulingRequest) {
    return attachmentsOf(ctx, r.id);
  }
}
