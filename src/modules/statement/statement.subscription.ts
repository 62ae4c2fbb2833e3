import { createPubSub } from "@graphql-yoga/subscription";
import { Arg, Ctx, Resolver, Root, Subscription, type SubscribeResolverData } from "type-graphql";
import type { Context } from "../../context.js";
import { Access } from "../../auth/access.js";
import { forbidden, notFound, unauthenticated } from "../../common/errors.js";
import { Loaders } from "../../loaders.js";
import { programAccountByBn15 } from "../program-account/program-account.service.js";
import { Statement } from "./statement.entity.js";

/** In-process event bus. One process per deployment today; a multi-instance deployment swaps in a shared bus. */
export const pubSub = createPubSub<{ STATEMENT_UPDATED: [programAccountId: string, payload: { statementId: string }] }>();

/** Tell subscribers that a statement's running totals changed. Call after the change has committed. */
export function publishStatementUpdated(statement: Pick<Statement, "id" | "programAccountId">) {
  pubSub.publish("STATEMENT_UPDATED", statement.programAccountId, { statementId: statement.id });
}

@Resolver(() => Statement)
export class StatementSubscriptionResolver {
  @Subscription(() => Statement, {
    description:
      "Live changes to the statements of one program account (running totals of the open cycle, issue). " +
      "Requires the right to view statements on it, checked when subscribing and again for every event.",
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { bn15: string }, Context>) => {
      // The shield only wraps per-event resolution; authorize the subscription itself here.
      if (!context.viewer) throw unauthenticated();
      const pa = await programAccountByBn15(context, (args as { bn15: string }).bn15);
      if (!await context.access.can("VIEW_STATEMENTS", pa.id)) {
        throw notFound(`Program account ${(args as { bn15: string }).bn15}`);
      }
      return pubSub.subscribe("STATEMENT_UPDATED", pa.id);
    },
  })
  async statementUpdated(
    @Root() event: { statementId: string },
    @Ctx() ctx: Context,
    @Arg("bn15", () => String, { description: "The program account (BN15)." }) _bn15: string,
  ): Promise<Statement> {
    // A subscription's context lives as long as the socket: renew loaders (no stale cache) and the
    // access (a relationship may have expired or been revoked since) for every event.
    ctx.access = await Access.load(ctx.db, ctx.viewer, new Date());
    ctx.loaders = new Loaders(ctx.db, ctx.access);
    ctx.decisions = new Map();
    const statement = await ctx.db.getRepository(Statement).findOneBy({ id: event.statementId });
    if (!statement) throw notFound("That statement");
    if (!await ctx.access.can("VIEW_STATEMENTS", statement.programAccountId)) {
      throw forbidden("You no longer have access to this program account's statements.");
    }
    return statement;
  }
}
