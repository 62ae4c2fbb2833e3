import type { DataSource, EntityManager } from "typeorm";
import { Arg, Ctx, Resolver, Root, Subscription, type SubscribeResolverData } from "type-graphql";
import type { Principal } from "../../auth/access.js";
import type { AccessLoader } from "../../auth/access-loader.js";
import { statementAudience } from "../../auth/audience.js";
import { primeStatementMoney } from "../../auth/money.js";
import type { Context } from "../../context.js";
import { forbidden, notFound, unauthenticated } from "../../common/errors.js";
import { arrayRowsOf, columnNamesOf, hydrateArrays, jsonColumnsOf } from "../../db/rows.js";
import { raw, sql } from "../../db/sql.js";
import { publish } from "../../events/bus.js";
import type { AppEvents } from "../../events/events.js";
import type { Feed, Verdict } from "../../events/live.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { programAccountByBn15 } from "../program-account/program-account.service.js";
import { Statement } from "./statement.entity.js";

/**
 * Tell subscribers, in every API process, that a statement's running totals changed. Call it inside
 * the transaction that changed them (`em` from `mutate`): the event leaves only if that commits.
 */
export function publishStatementUpdated(em: EntityManager, statement: Pick<Statement, "id" | "programAccountId">): Promise<void> {
  return publish(em, { kind: "STATEMENT_UPDATED", statementId: statement.id, programAccountId: statement.programAccountId });
}

type StatementEvent = AppEvents["STATEMENT_UPDATED"];

/** One row of `entity` by id, read in the decision's own statement (rows as arrays: db/rows.ts). */
const rowOf = (db: DataSource, entity: typeof Statement | typeof ProgramAccount, table: string, id: string) =>
  arrayRowsOf(sql`(SELECT ${jsonColumnsOf(db, entity, "e")} FROM ${raw(table)} e WHERE e.id = ${id}::uuid)`, columnNamesOf(db, entity), sql`q."id"`);

/**
 * A statement event's one decision for every viewer following it in this process (both feeds
 * below): who may view the account's statements, and each one's view of its money, with the
 * statement and its account read in the same statement (auth/audience.ts). Rendering then asks
 * nothing more for the fields a dashboard shows.
 */
async function decideStatementEvent(db: DataSource, event: StatementEvent, viewers: readonly Principal[], loader: AccessLoader): Promise<Map<string, Verdict>> {
  const { members, alongside } = await statementAudience(db, event, viewers, loader, {
    statement: rowOf(db, Statement, "statements", event.statementId),
    account: rowOf(db, ProgramAccount, "program_accounts", event.programAccountId),
  });
  const statement = hydrateArrays(db, Statement, alongside.statement as unknown[][])[0] ?? null;
  const account = hydrateArrays(db, ProgramAccount, alongside.account as unknown[][])[0] ?? null;
  const verdicts = new Map<string, Verdict>();
  for (const [viewerId, { access, verdict }] of members) {
    verdicts.set(viewerId, {
      access,
      allowed: verdict.mayView,
      concerned: verdict.concerned,
      prime(ctx) {
        ctx.loaders.byId(Statement).prime(event.statementId, statement);
        ctx.loaders.byId(ProgramAccount).prime(event.programAccountId, account);
        if (statement && verdict.money) primeStatementMoney(ctx, statement, verdict.money);
      },
    });
  }
  return verdicts;
}

/** statementUpdated(bn15): one account's events, each answered (FORBIDDEN once the viewer's access to it ended). */
export const accountStatementsFeed: Feed<"STATEMENT_UPDATED"> = {
  name: "statementUpdated",
  kind: "STATEMENT_UPDATED",
  routed: true,
  filtered: false,
  decide: decideStatementEvent,
};

/** statementsUpdated: every account's events, sent only to viewers who may view its statements now. */
export const allStatementsFeed: Feed<"STATEMENT_UPDATED"> = {
  name: "statementsUpdated",
  kind: "STATEMENT_UPDATED",
  routed: false,
  filtered: true,
  decide: decideStatementEvent,
};

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
      return context.events.feed(accountStatementsFeed, pa.id);
    },
  })
  async statementUpdated(
    @Root() event: StatementEvent,
    @Ctx() ctx: Context,
    @Arg("bn15", () => String, { description: "The program account (BN15)." }) _bn15: string,
  ): Promise<Statement> {
    // Every event runs with a context of its own (events/live.ts): its access is as of this event,
    // so a relationship revoked or expired since subscribing stops the data here.
    const statement = await ctx.loaders.byId(Statement).load(event.statementId);
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
    subscribe: ({ context }: SubscribeResolverData<unknown, Record<string, never>, Context>) => {
      if (!context.viewer) throw unauthenticated();
      return context.events.feed(allStatementsFeed);
    },
  })
  async statementsUpdated(@Root() event: StatementEvent, @Ctx() ctx: Context): Promise<Statement> {
    // Rendered only for viewers the event's decision let see it; the Statement's admission rule checks again on this event's own context.
    const statement = await ctx.loaders.byId(Statement).load(event.statementId);
    if (!statement) throw notFound("That statement");
    return statement;
  }
}
