import type { EntityManager } from "typeorm";
import { Arg, Ctx, Resolver, Root, Subscription, type SubscribeResolverData } from "type-graphql";
import type { Context } from "../../context.js";
import { forbidden, notFound, unauthenticated } from "../../common/errors.js";
import { mayViewStatements } from "../../auth/money.js";
import { publish } from "../../events/bus.js";
import { filterAsyncIterable } from "../../events/filter.js";
import type { AppEvents } from "../../events/events.js";
import { programAccountByBn15 } from "../program-account/program-account.service.js";
import { Statement } from "./statement.entity.js";

/**
 * Tell subscribers, in every API process, that a statement's running totals changed. Call it inside
 * the transaction that changed them (`em` from `mutate`): the event leaves only if that commits.
 */
export function publishStatementUpdated(em: EntityManager, statement: Pick<Statement, "id" | "programAccountId">): Promise<void> {
  return publish(em, { kind: "STATEMENT_UPDATED", statementId: statement.id, programAccountId: statement.programAccountId });
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
      return context.events.subscribe("STATEMENT_UPDATED", pa.id);
    },
  })
  async statementUpdated(
    @Root() event: AppEvents["STATEMENT_UPDATED"],
    @Ctx() ctx: Context,
    @Arg("bn15", () => String, { description: "The program account (BN15)." }) _bn15: string,
  ): Promise<Statement> {
    // Every event runs with a context of its own (events/per-event-context.ts): its access is as of
    // now, so a relationship revoked or expired since subscribing stops the data here.
    const statement = await ctx.db.getRepository(Statement).findOneBy({ id: event.statementId });
    if (!statement) throw notFound("That statement");
    if (!await ctx.access.can("VIEW_STATEMENTS", statement.programAccountId)) {
      throw forbidden("You no longer have access to this program account's statements.");
    }
    return statement;
  }

  @Subscription(() => Statement, {
    name: "statementsUpdated",
    description:
      "Live changes to the statements of every program account you may view statements of (a dashboard). Each event is checked " +
      "against your access when it arrives: events of accounts you do not reach (any more) are not sent. Amounts follow the statement's view.",
    subscribe: async ({ context }: SubscribeResolverData<unknown, Record<string, never>, Context>) => {
      if (!context.viewer) throw unauthenticated();
      const { db, logger } = context;
      const viewerId = context.viewer.id;
      return filterAsyncIterable(
        context.events.subscribeAll("STATEMENT_UPDATED"),
        (event) => mayViewStatements(db, viewerId, event.programAccountId, new Date()),
        (err) => logger.error("statementsUpdated: an event could not be authorized, so it was not sent", { err }),
      );
    },
  })
  async statementsUpdated(@Root() event: AppEvents["STATEMENT_UPDATED"], @Ctx() ctx: Context): Promise<Statement> {
    // Delivered only after mayViewStatements said yes; the Statement's admission rule checks again on this event's own context.
    const statement = await ctx.db.getRepository(Statement).findOneBy({ id: event.statementId });
    if (!statement) throw notFound("That statement");
    return statement;
  }
}
