/**
 * A subscription's events must not share a context: the one given when subscribing lives as long
 * as the socket, and renewing its scope or loaders in place lets one event's resolution see (and
 * overwrite) another's. Each event gets a new context object; unsubscribing ends the source at once.
 */
import { makeExecutableSchema } from "@graphql-tools/schema";
import { parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { subscribeWithContextPerEvent } from "../../src/events/per-event-context.js";

interface Ctx {
  id: number;
  seen: number[];
}

function setup(source: () => AsyncGenerator<{ n: number }>) {
  const schema = makeExecutableSchema({
    typeDefs: "type Query { ok: Boolean } type Subscription { tick: String }",
    resolvers: {
      Subscription: {
        tick: {
          subscribe: (_root: unknown, _args: unknown, ctx: Ctx) => {
            ctx.seen.push(-1);
            return source();
          },
          resolve: async (payload: { n: number }, _args: unknown, ctx: Ctx) => {
            ctx.seen.push(payload.n);
            return `event ${payload.n} in context ${ctx.id}`;
          },
        },
      },
    },
  });
  let next = 1;
  const renewed: Ctx[] = [];
  const subscribe = subscribeWithContextPerEvent(async (sub: Ctx) => {
    const ctx = { id: sub.id * 100 + next++, seen: [] };
    renewed.push(ctx);
    return ctx;
  });
  const subscriptionContext: Ctx = { id: 7, seen: [] };
  return { schema, subscribe, subscriptionContext, renewed };
}

describe("subscribeWithContextPerEvent", () => {
  it("subscribes with the subscription's context and resolves every event in a new one", async () => {
    const { schema, subscribe, subscriptionContext, renewed } = setup(async function* () {
      yield { n: 1 };
      yield { n: 2 };
    });
    const stream = (await subscribe({ schema, document: parse("subscription { tick }"), contextValue: subscriptionContext })) as AsyncIterableIterator<ExecutionResult>;
    const results = [];
    for await (const r of stream) results.push(r.data?.tick);
    expect(results).toEqual(["event 1 in context 701", "event 2 in context 702"]);
    expect(subscriptionContext.seen).toEqual([-1]); // authorized once when subscribing, never touched again
    expect(renewed.map((c) => c.seen)).toEqual([[1], [2]]);
    expect(renewed[0]).not.toBe(renewed[1]);
  });

  it("ends the source as soon as the client unsubscribes, without waiting for another event", async () => {
    let closed = false;
    const { schema, subscribe, subscriptionContext } = setup(async function* () {
      try {
        yield { n: 1 };
        await new Promise(() => undefined); // no further event, ever
      } finally {
        closed = true;
      }
    });
    const stream = (await subscribe({ schema, document: parse("subscription { tick }"), contextValue: subscriptionContext })) as AsyncIterableIterator<ExecutionResult>;
    expect((await stream.next()).value?.data?.tick).toBe("event 1 in context 701");
    // The source is suspended at its yield; return() must reach it directly.
    await stream.return!();
    expect(closed).toBe(true);
  });

  it("returns subscribe-time errors as a result, like graphql's subscribe", async () => {
    const { schema, subscribe } = setup(async function* () {
      yield { n: 1 };
    });
    const res = await subscribe({ schema, document: parse("subscription { tick }"), contextValue: null as never });
    expect((res as ExecutionResult).errors?.length).toBe(1);
  });
});
