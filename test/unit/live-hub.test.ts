/**
 * The live hub's promises, with a schema of its own and a decision that counts its calls (no
 * database) and sockets that record what is written to them, one of which never finishes a write
 * (a client that stopped reading): one decision per event for every viewer, one rendering per group,
 * a feed that filters skips the viewers its decision refuses; nothing waits for the stuck socket,
 * whose backlog stays bounded (coalesced by key, the latest kept; beyond the bound, or with its
 * buffer full, one "read again" instead); a failed decision sends no data, only "read again"; a
 * subscriber that leaves is let go with its group.
 */
import { makeExecutableSchema } from "@graphql-tools/schema";
import { parse, type ExecutionResult } from "graphql";
import type { DataSource } from "typeorm";
import { describe, expect, it } from "vitest";
import type { Access, Principal } from "../../src/auth/access.js";
import type { Context } from "../../src/context.js";
import { feedTicket, LiveHub, type Feed, type Verdict } from "../../src/events/live.js";
import type { Sink } from "../../src/events/sink.js";
import { createLogger } from "../../src/logger.js";
import type { User } from "../../src/modules/user/user.entity.js";

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const ACCOUNT = uuid(0);
const event = (n: number) => ({ kind: "STATEMENT_UPDATED" as const, statementId: uuid(n), programAccountId: ACCOUNT });
// The hub of the test at hand: `tick` lets it finish what it was given (however slow the machine), and the sockets their writes.
let current: LiveHub | null = null;
const tick = async () => {
  do await new Promise((r) => setTimeout(r, 5));
  while (current && !current.idle);
};

function setup(opts: { refuse?: string[]; unconcerned?: string[]; filtered?: boolean; fail?: () => boolean; maxPending?: number } = {}) {
  const decisions: string[][] = [];
  const decided: unknown[] = [];
  let renders = 0;
  const feed: Feed<"STATEMENT_UPDATED"> = {
    name: "test",
    kind: "STATEMENT_UPDATED",
    routed: false,
    filtered: opts.filtered ?? true,
    decide: async (_db, event, viewers: readonly Principal[]) => {
      decisions.push(viewers.map((v) => v.id).sort());
      decided.push(event);
      if (opts.fail?.()) throw new Error("the database went away");
      return new Map(
        viewers.map((v): [string, Verdict] => [v.id, { access: {} as Access, allowed: !opts.refuse?.includes(v.id), concerned: !opts.unconcerned?.includes(v.id) }]),
      );
    },
  };
  const schema = makeExecutableSchema({
    typeDefs: "type Query { ok: Boolean } type Subscription { changed(style: String): String }",
    resolvers: {
      Subscription: {
        changed: {
          subscribe: () => feedTicket(feed),
          resolve: (payload: { statementId: string }, args: { style?: string }, ctx: Context) => {
            renders++;
            return `${payload.statementId} for ${ctx.viewer!.id}${args.style ? ` (${args.style})` : ""}`;
          },
        },
      },
    },
  });
  const hub = new LiveHub({} as DataSource, createLogger("silent"), { feed: () => feedTicket(feed) }, { maxPending: opts.maxPending ?? 64, maxBufferedBytes: 1000, maxQueuedEvents: 100 });
  current = hub;
  const subscribe = async (viewer: string, style?: string, socket = outlet()) => {
    const document = parse(`subscription ${style ? `{ changed(style: "${style}") }` : "{ changed }"}`);
    const context = { viewer: { id: viewer, platformRole: null } as unknown as User, subject: viewer } as Context;
    const sink = (await hub.subscribe({ schema, document }, context, socket, "7")) as Sink;
    return Object.assign(socket, { sink });
  };
  return { hub, subscribe, decisions, decided, renders: () => renders };
}

/**
 * A socket that records the `next` payloads written to it. A stuck one never finishes a write (its
 * reader stopped) until `release()` lets the one in flight finish.
 */
function outlet(opts: { stuck?: boolean } = {}) {
  const sent: ExecutionResult[] = [];
  let inFlight: (() => void) | null = null;
  const socket = {
    bufferedAmount: 0,
    sent,
    send(data: string, done: (err?: Error) => void) {
      const message = JSON.parse(data) as { id: string; type: string; payload: ExecutionResult };
      expect([message.id, message.type]).toEqual(["7", "next"]);
      sent.push(message.payload);
      if (opts.stuck) inFlight = () => done();
      else queueMicrotask(() => done());
    },
    release() {
      const finish = inFlight;
      inFlight = null;
      finish?.();
    },
  };
  return socket;
}

const data = (r: ExecutionResult | undefined) => (r?.data as { changed?: string } | null | undefined)?.changed ?? (r?.extensions as { resync?: { reason: string } })?.resync?.reason;
const texts = (s: { sent: ExecutionResult[] }) => s.sent.map(data);

describe("the live hub", () => {
  it("decides each event once for every viewer and renders it once per group, for every subscriber of the group", async () => {
    const { hub, subscribe, decisions, renders } = setup();
    const alice = [await subscribe("alice"), await subscribe("alice"), await subscribe("alice")];
    const aliceStyled = await subscribe("alice", "short");
    const erin = await subscribe("erin");
    expect(hub.openGroups).toBe(3);
    hub.enqueue(event(1));
    await tick();
    expect(decisions).toEqual([["alice", "erin"]]);
    expect(renders()).toBe(3);
    for (const s of alice) expect(texts(s)).toEqual([`${uuid(1)} for alice`]);
    expect(texts(aliceStyled)).toEqual([`${uuid(1)} for alice (short)`]);
    expect(texts(erin)).toEqual([`${uuid(1)} for erin`]);
    expect(hub.stats).toMatchObject({ events: 1, decisions: 1, renders: 3, deliveries: 5 });
  });

  it("a filtering feed skips the viewers its decision refuses; a feed that does not filter answers them once, and ends their subscription", async () => {
    const filtered = setup({ refuse: ["ivan"] });
    const ivan = await filtered.subscribe("ivan");
    const erin = await filtered.subscribe("erin");
    filtered.hub.enqueue(event(1));
    await tick();
    expect(texts(ivan)).toEqual([]);
    expect(texts(erin)).toEqual([`${uuid(1)} for erin`]);

    const unfiltered = setup({ refuse: ["ivan"], filtered: false });
    const ivan2 = await unfiltered.subscribe("ivan");
    const erin2 = await unfiltered.subscribe("erin");
    unfiltered.hub.enqueue(event(1));
    await tick();
    expect(texts(ivan2)).toEqual([`${uuid(1)} for ivan`]);
    // That answer is ivan's last: his subscription ends (graphql-ws completes it), erin's goes on.
    expect(await ivan2.sink.next()).toEqual({ done: true, value: undefined });
    expect([unfiltered.hub.openSubscriptions, unfiltered.hub.openGroups]).toEqual([1, 1]);
    unfiltered.hub.enqueue(event(2));
    await tick();
    expect([texts(ivan2), texts(erin2)]).toEqual([[`${uuid(1)} for ivan`], [1, 2].map((n) => `${uuid(n)} for erin`)]);
  });

  it("never waits for a socket that does not take its writes: the others get every event, its backlog keeps the latest per key", async () => {
    const { hub, subscribe } = setup();
    const stuck = await subscribe("erin", undefined, outlet({ stuck: true }));
    const reader = await subscribe("erin", "live");
    for (const n of [1, 2, 1, 1, 2, 3]) {
      hub.enqueue(event(n));
      await tick();
    }
    expect(texts(reader)).toEqual([1, 2, 1, 1, 2, 3].map((n) => `${uuid(n)} for erin (live)`));
    // One write in flight; the rest wait, one per statement, in order of first arrival.
    expect(texts(stuck)).toEqual([`${uuid(1)} for erin`]);
    expect(stuck.sink.backlog).toBe(3);
    for (let i = 0; i < 3; i++) stuck.release();
    expect(texts(stuck)).toEqual([1, 2, 1, 3].map((n) => `${uuid(n)} for erin`));
  });

  it("beyond its bound, a subscriber's backlog is dropped for one 'read again', and what comes after follows it", async () => {
    const { hub, subscribe } = setup({ maxPending: 2 });
    const stuck = await subscribe("erin", undefined, outlet({ stuck: true }));
    for (const n of [1, 2, 3, 4]) {
      hub.enqueue(event(n));
      await tick();
    }
    expect(stuck.sink.backlog).toBe(1);
    stuck.release();
    stuck.release();
    hub.enqueue(event(5));
    await tick();
    expect(texts(stuck)).toEqual([`${uuid(1)} for erin`, "BEHIND", `${uuid(5)} for erin`]);
  });

  it("a socket whose unsent bytes are over the limit gets one 'read again' instead of more data until it drains", async () => {
    const { hub, subscribe } = setup();
    const socket = await subscribe("erin", undefined, outlet({ stuck: true }));
    hub.enqueue(event(1));
    await tick();
    socket.bufferedAmount = 5000;
    hub.enqueue(event(2));
    await tick();
    hub.enqueue(event(3));
    await tick();
    expect(socket.sink.backlog).toBe(1);
    socket.bufferedAmount = 0;
    socket.release();
    socket.release();
    hub.enqueue(event(4));
    await tick();
    expect(texts(socket)).toEqual([`${uuid(1)} for erin`, "BEHIND", `${uuid(4)} for erin`]);
  });

  it("events waiting for the hub coalesce: the same event queued again while one is decided is decided once more, not once per repetition", async () => {
    const { hub, subscribe, decisions } = setup();
    await subscribe("erin");
    hub.enqueue(event(1)); // being decided
    hub.enqueue(event(1)); // waits
    hub.enqueue(event(1)); // the same as the one waiting
    await tick();
    expect(decisions).toHaveLength(2);
  });

  it("events about one statement naming different journal lines coalesce while they wait: one decision of all the lines; one naming none absorbs them", async () => {
    const { hub, subscribe, decided } = setup();
    await subscribe("erin");
    // As the decision is given it: the event's ids, without its kind.
    const decidedAs = (n: number, lines?: number[]) => ({ statementId: uuid(n), programAccountId: ACCOUNT, ...(lines ? { postingIds: lines.map((l) => uuid(100 + l)) } : {}) });
    const naming = (n: number, lines?: number[]) => ({ kind: "STATEMENT_UPDATED" as const, ...decidedAs(n, lines) });
    hub.enqueue(naming(1, [1])); // being decided
    hub.enqueue(naming(1, [2])); // waits
    hub.enqueue(naming(1, [3, 2])); // joins it
    hub.enqueue(naming(2, [4])); // another statement: waits apart
    await tick();
    expect(decided).toEqual([decidedAs(1, [1]), decidedAs(1, [2, 3]), decidedAs(2, [4])]);
    hub.enqueue(naming(1, [5])); // being decided
    hub.enqueue(naming(1, [6]));
    hub.enqueue(naming(1)); // the statement itself changed: everyone who may see it is concerned
    hub.enqueue(naming(1, [7]));
    await tick();
    expect(decided.slice(3)).toEqual([decidedAs(1, [5]), decidedAs(1)]);
  });

  it("a viewer allowed to see the statement but not the change is sent nothing, even by a feed that does not filter; one refused still gets its answer there", async () => {
    for (const filtered of [true, false]) {
      const { hub, subscribe } = setup({ unconcerned: ["erin", "ivan"], refuse: ["ivan"], filtered });
      const erin = await subscribe("erin");
      const ivan = await subscribe("ivan");
      const alice = await subscribe("alice");
      hub.enqueue(event(1));
      await tick();
      expect([texts(alice), texts(erin), texts(ivan)]).toEqual([[`${uuid(1)} for alice`], [], filtered ? [] : [`${uuid(1)} for ivan`]]);
    }
  });

  it("without a decision (the database failed) no data leaves, only 'read again', and only to the subscribers the event concerned", async () => {
    let failing = true;
    const { hub, subscribe } = setup({ fail: () => failing });
    const erin = await subscribe("erin");
    hub.enqueue(event(1));
    await tick();
    expect(erin.sent).toEqual([{ data: null, extensions: { resync: { reason: "EVENTS_MISSED", at: expect.any(String) } } }]);
    failing = false;
    hub.enqueue(event(2));
    await tick();
    hub.resyncAll("RECONNECTED");
    await tick();
    expect(texts(erin)).toEqual(["EVENTS_MISSED", `${uuid(2)} for erin`, "RECONNECTED"]);
  });

  it("lets a subscriber go when it leaves, and its group with its last subscriber; nothing is decided for nobody", async () => {
    const { hub, subscribe, decisions } = setup();
    const one = await subscribe("erin");
    const two = await subscribe("erin");
    await one.sink.return();
    expect([hub.openSubscriptions, hub.openGroups]).toEqual([1, 1]);
    await two.sink.return();
    expect([hub.openSubscriptions, hub.openGroups]).toEqual([0, 0]);
    hub.enqueue(event(1));
    await tick();
    expect(decisions).toEqual([]);
    expect(await two.sink.next()).toEqual({ done: true, value: undefined });
    expect(two.sent).toEqual([]);
  });
});
