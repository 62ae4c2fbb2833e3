import type { IncomingMessage } from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestHandler, Response } from "express";
import { GraphQLError } from "graphql";
import type { Context } from "../context.js";
import { actualCost, compiledCost } from "../limits/actual-cost.js";
import { CompiledData } from "./executor.js";
import type { ClientAddress } from "../limits/client-address.js";
import type { BudgetStatus, Charge, CostBudget } from "../limits/cost-budget.js";

/**
 * What operations cost their client, over HTTP and when a subscription starts (the budget itself:
 * src/limits/cost-budget.ts).
 *
 * Over HTTP the estimate is taken before the request waits for a slot, and once it has run the
 * client pays what it really cost: the fields its answer holds, counted as the estimate counts them
 * (actual-cost.ts), but at least a tenth of the estimate (and at least 1). The rest is given back, as
 * Shopify does. Why give back: the estimate prices every page full, and the pages people read are
 * mostly not: a broker dashboard's page is estimated at 7,301 and holds 100 to 300 in the demo
 * world; charged in full, a person paging a dashboard would be refused long before anyone who floods
 * the server with full pages, who pays nearly the estimate anyway (the heaviest allowed operation,
 * 9,003, costs 7,806 on full pages). Why a tenth at least: what was asked for is worked for whether
 * rows come back or not (the SQL for an empty page, a count), so asking for 100 rows at a time and
 * getting none is not free either.
 *
 * A request that never executed (shed while waiting, its client gone before its turn) is given back
 * everything; one whose client went away while it executed pays what it resolved, like any other.
 *
 * While budgets are on (COST_BUDGET_MAX, not 0), every answer to an operation that passed validation
 * reports its cost, in `extensions.cost`: `{ requested, actual, budget: { spent, available, max,
 * refillPerSecond } }` (a refusal has no `actual`), so that a client can pace itself before it is refused.
 */

/** The charge of a request, carried from the middleware to the Apollo plugin by its context (as observation.ts carries its record). */
const COST = Symbol("cost");
export interface CostRecord {
  requested: number;
  charge: Charge;
}
type Costed = Context & { [COST]?: CostRecord };

/** The context of a request, carrying its charge for the plugin below. */
export function withCost(context: Context, record: CostRecord | undefined): Context {
  const costed: Costed = context;
  costed[COST] = record;
  return costed;
}

/** What a client pays for an operation that ran: what it resolved, at least a tenth of the estimate and 1, at most the estimate. */
export function payable(requested: number, resolved: number): number {
  return Math.min(requested, Math.max(1, Math.ceil(requested / 10), resolved));
}

/** The refusal, with when to come back and what to do meanwhile. */
export function overBudgetMessage(requested: number, status: BudgetStatus, retryAfterSeconds: number): string {
  return (
    `Your query budget is spent for now: this operation is estimated at ${requested} points and ${status.available} of your ${status.max} are left ` +
    `(${status.refillPerSecond} come back every second). Try again in ${retryAfterSeconds} s; smaller pages (first/last) and fewer nested lists cost less. ` +
    `extensions.cost on every answer shows what is left.`
  );
}

/**
 * Takes the operation's estimated cost from its client's budget before it waits for a slot; a client
 * that cannot pay gets 429 RATE_LIMITED with Retry-After (paced as other refusals). Runs after the
 * validation (the cost is known) and the client's identification (its key).
 */
export function chargeCost(budget: CostBudget | null, pace: (res: Response, key: string, send: () => void) => void): RequestHandler {
  return (_req, res, next) => {
    if (!budget || !res.locals.validated) return next();
    const requested = res.locals.cost as number;
    const key = res.locals.clientKey as string;
    const result = budget.charge(key, requested);
    if (!result.ok) {
      const { retryAfterSeconds, status } = result;
      return pace(res, key, () => {
        if (res.headersSent) return;
        res.locals.errorCode = "RATE_LIMITED";
        res.setHeader("retry-after", String(retryAfterSeconds));
        res
          .status(429)
          .type("application/json")
          .send(
            JSON.stringify({
              // The cost in the error too: over the WebSocket an error is all a refusal has.
              errors: [{ message: overBudgetMessage(requested, status, retryAfterSeconds), extensions: { code: "RATE_LIMITED", retryAfterSeconds, cost: { requested, budget: status } } }],
              extensions: { cost: { requested, budget: status } },
            }),
          );
      });
    }
    res.locals.costRecord = { requested, charge: result.charge } satisfies CostRecord;
    // Given back in full if it never executes; once it executes, the plugin settles it.
    res.once("close", () => {
      if (!res.locals.executing) result.charge.settle(0);
    });
    next();
  };
}

/** Settles the charge on what the answer holds, and reports it in `extensions.cost`. */
export function costPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, document, operation }) {
          const record = (contextValue as Costed | undefined)?.[COST];
          if (!record || response.body.kind !== "single") return;
          const result = response.body.singleResult;
          // The compiled path's answer is text: counted on it, not parsed (compiledCost).
          const resolved = !document || !operation ? 0 : result.data instanceof CompiledData ? compiledCost(result.data.text) : actualCost(document, operation, result.data);
          const actual = payable(record.requested, resolved);
          const budget = record.charge.settle(actual);
          result.extensions = { ...result.extensions, cost: { requested: record.requested, actual, budget } };
        },
      };
    },
  };
}

/**
 * The budget's hook for a subscription being started (websocket.ts, onSubscribe): its estimate is
 * taken when it starts, and not given back. What a subscription resolves depends on events to come
 * (each delivery is bounded where events are delivered, not here), and charging each event would
 * make a client pay for what others do; starting one is what the client decides, and each start
 * costs the server its validation, its context and its first resolution.
 */
export function subscriptionCharge(budget: CostBudget | null, addressOf: ClientAddress) {
  return (subject: string | null, request: IncomingMessage, cost: number): GraphQLError | null => {
    if (!budget) return null;
    const result = budget.charge(subject ? `subject:${subject}` : `address:${addressOf(request)}`, cost);
    if (result.ok) return null;
    return new GraphQLError(overBudgetMessage(cost, result.status, result.retryAfterSeconds), {
      extensions: { code: "RATE_LIMITED", retryAfterSeconds: result.retryAfterSeconds, cost: { requested: cost, budget: result.status } },
    });
  };
}
