/**
 * Live events for many dashboards: the cost of an event must follow the groups of subscribers, never
 * the subscribers. Guarded here, over real sockets against two API servers on one database (events
 * filed through the other one, as in production):
 * - an event costs this process one SQL statement, with 1 subscriber or with 40 of many people;
 * - subscribers with the same viewer, document and variables share one rendering, and a FULL view is
 *   never handed to a RESTRICTED viewer (nor the reverse) in the same event;
 * - a rendering over MAX_RESPONSE_BYTES is replaced by RESPONSE_TOO_LARGE, as an HTTP answer is;
 * - subscriptions are bounded per socket, per person and per process, and connections per person,
 *   each refusal naming its limit; what a closed socket held is released;
 * - a subscriber that stops reading slows nobody else, and still ends with the latest state.
 */
import { print } from "graphql";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileDeclarationDocument, StatementsUpdatedDocument } from "./generated/graphql.js";
import { waitFor } from "./support/log.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";
import { today } from "./support/dates.js";

let a: TestServer; // the subscribers' server
let b: TestServer; // where changes are made
const clients: Client[] = [];

beforeAll(async () => {
  a = await startTestServer();
  b = await startTestServer({}, { sameDatabaseAs: a });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await b?.stop();
  await a?.stop();
});

const RM1 = "123456782RM0001";
const PRAIRIE = "711223347RM0001";
const FULL_DOC = print(StatementsUpdatedDocument);
// The dashboard's own document (dashboard/src/operations.graphql) with the subtotal: another group for the same viewer.
const ROW_DOC = "subscription Rows { statementsUpdated { id visibleCharges programAccount { id bn15 } } }";

interface Event {
  data: { statementsUpdated: { id: string; view?: string; visibleCharges: string; totalPayable?: string | null; programAccount: { bn15: string } } } | null;
  errors?: unknown[];
  extensions?: { resync?: { reason: string } };
}

/** A socket with one subscription; resolves once the server runs it. */
async function subscriber(server: TestServer, persona: Persona, query: string, opts: { closeCodes?: number[] } = {}) {
  const events: Event[] = [];
  const errors: unknown[] = [];
  const before = server.hub.openSubscriptions;
  const client = createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${await server.token(persona)}` },
    retryAttempts: 0,
    lazy: true,
    on: { closed: (e) => opts.closeCodes?.push((e as { code: number }).code) },
  });
  clients.push(client);
  const unsubscribe = client.subscribe({ query }, { next: (v) => void events.push(v as Event), error: (e) => void errors.push(e), complete: () => undefined });
  return { client, events, errors, unsubscribe, running: () => server.hub.openSubscriptions > before };
}

async function many(server: TestServer, spec: [Persona, string, number][]) {
  const subs = [];
  for (const [persona, query, n] of spec) for (let i = 0; i < n; i++) subs.push(await subscriber(server, persona, query));
  return subs;
}

// VFD 1,000.00 x 6.5 % = 65.00 duty; VFT 1,065.00; GST 53.25; total 118.25.
const CAD = [{ classificationCode: "7610100000", description: "Window frame", valueForDuty: "1000.00", tariffTreatment: "2", customsDutyRate: "6.5" }];
async function fileCad(as: Persona, bn15: string) {
  const res = await b.gql(FileDeclarationDocument, { as, variables: { input: { bn15, releasedOn: today(), lines: CAD } as never } });
  expect(res.errors).toBeUndefined();
}

const accounts = (events: Event[]) => events.map((e) => e.data?.statementsUpdated.programAccount.bn15 ?? JSON.stringify(e));

describe("an event's cost follows groups, not subscribers", () => {
  it("one SQL statement per event for 1 subscriber and for 40 (7 people, 2 documents); one rendering per group", async () => {
    const one = await subscriber(a, "alice", FULL_DOC);
    await waitFor(one.running, 10_000, "alice's subscription to run");

    // Measured from the filing (made on b) to the last delivery on a: everything a sent meanwhile.
    const measure = async (subs: { events: Event[] }[], expectAll: typeof subs) => {
      const counts = subs.map((s) => s.events.length);
      const sqlBefore = a.sqlStatements();
      const statsBefore = { ...a.hub.stats };
      await fileCad("carol", RM1);
      await waitFor(() => expectAll.every((s) => s.events.length > counts[subs.indexOf(s)]!), 15_000, "every subscriber who may see it to hear of carol's CAD");
      return { sql: a.sqlStatements() - sqlBefore, renders: a.hub.stats.renders - statsBefore.renders, deliveries: a.hub.stats.deliveries - statsBefore.deliveries };
    };
    expect(await measure([one], [one])).toEqual({ sql: 1, renders: 1, deliveries: 1 });

    const crowd = await many(a, [
      ["alice", FULL_DOC, 4],
      ["alice", ROW_DOC, 5],
      ["bob", FULL_DOC, 5],
      ["carol", ROW_DOC, 5],
      ["erin", FULL_DOC, 10],
      ["frank", FULL_DOC, 5],
      ["dave", FULL_DOC, 3], // Reader of RM0002: may not view RM0001's statements
      ["ivan", FULL_DOC, 2], // Prairie's: nothing of Maple Leaf
    ]);
    await waitFor(() => a.hub.openSubscriptions === 40, 20_000, "40 subscriptions to run");
    const seeing = [one, ...crowd.slice(0, 34)];
    const cost = await measure([one, ...crowd], seeing);
    // Groups that may see it: alice x 2 documents, bob, carol, erin, frank. 35 subscribers.
    expect(cost).toEqual({ sql: 1, renders: 6, deliveries: 35 });

    // A FULL view and a RESTRICTED one of the same event: each viewer gets exactly their own.
    const last = (s: { events: Event[] }) => s.events.at(-1)!.data!.statementsUpdated;
    expect(last(one)).toMatchObject({ view: "FULL", programAccount: { bn15: RM1 } });
    expect(last(one).totalPayable).toMatch(/^\d+\.\d{2}$/);
    const erin = crowd.slice(19, 29);
    for (const s of erin) expect(last(s)).toMatchObject({ view: "RESTRICTED", totalPayable: null, programAccount: { bn15: RM1 } });
    // Every subscriber of a group received the same rendering.
    expect(new Set(erin.map((s) => JSON.stringify(last(s)))).size).toBe(1);
    // dave and ivan heard nothing: Prairie's CAD, filed after, reaches ivan first (commit order).
    await fileCad("ivan", PRAIRIE);
    const ivans = crowd.slice(37);
    await waitFor(() => ivans.every((s) => accounts(s.events).includes(PRAIRIE)));
    for (const s of ivans) expect(accounts(s.events)).toEqual([PRAIRIE]);
    for (const s of crowd.slice(34, 37)) expect(s.events).toEqual([]);

    for (const s of [one, ...crowd]) s.unsubscribe();
    await waitFor(() => a.hub.openSubscriptions === 0 && a.hub.openGroups === 0, 10_000, "every subscription to be let go");
  });
});

describe("a rendered event is bounded like an HTTP answer", () => {
  it("over MAX_RESPONSE_BYTES, the group's rendering is replaced by RESPONSE_TOO_LARGE for each of its subscribers; a small one beside it is sent", async () => {
    // Limits raised so that one subscription can ask for well over 64 KiB (30 x the account's transactions).
    const d = await startTestServer({ MAX_RESPONSE_BYTES: "65536", MAX_QUERY_COST: "100000", MAX_QUERY_ALIASES: "40" }, { sameDatabaseAs: a });
    try {
      const page = (n: number) => `t${n}: transactions(first: 100) { edges { node { id transactionNumber accountedOn createdAt dueDate late currentVersionNo } } }`;
      const BIG = `subscription { statementsUpdated { id programAccount { ${Array.from({ length: 30 }, (_, i) => page(i)).join(" ")} } } }`;
      const bigs = [await subscriber(d, "alice", BIG), await subscriber(d, "alice", BIG)];
      const small = await subscriber(d, "alice", ROW_DOC);
      await waitFor(() => d.hub.openSubscriptions === 3, 10_000, "the three subscriptions to run");
      const groups = d.hub.openGroups;
      await fileCad("carol", RM1);
      await waitFor(() => [...bigs, small].every((s) => s.events.length > 0), 10_000, "every subscriber to hear of carol's CAD");
      expect(groups).toBe(2);
      for (const s of bigs) {
        expect(s.events).toHaveLength(1);
        const [event] = s.events as { data: unknown; errors: { message: string; extensions: { code: string } }[] }[];
        expect(event!.data).toBeNull();
        expect(event!.errors.map((e) => e.extensions.code)).toEqual(["RESPONSE_TOO_LARGE"]);
        expect(event!.errors[0]!.message).toMatch(/^This event would be \d{5,} bytes, over the limit of 65536: subscribe to fewer items or fields\.$/);
      }
      expect(small.events.at(-1)!.data!.statementsUpdated.programAccount.bn15).toBe(RM1);
      for (const s of [...bigs, small]) s.unsubscribe();
    } finally {
      await d.stop();
    }
  });
});

describe("bounded subscriptions", () => {
  let c: TestServer;
  beforeAll(async () => {
    c = await startTestServer(
      { WS_MAX_SUBSCRIPTIONS_PER_SOCKET: "3", WS_MAX_SUBSCRIPTIONS_PER_PERSON: "5", WS_MAX_SUBSCRIPTIONS: "8", WS_MAX_CONNECTIONS_PER_PERSON: "3" },
      { sameDatabaseAs: a },
    );
  });
  afterAll(() => c?.stop());

  /** One socket for `persona`; `open(n)` starts n subscriptions on it and waits for each to run or be refused. */
  async function socket(persona: Persona) {
    const closeCodes: number[] = [];
    const client = createClient({
      url: c.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${await c.token(persona)}` },
      retryAttempts: 0,
      // Connected at once and kept open whatever happens to its subscriptions (a lazy client would close when none runs).
      lazy: false,
      onNonLazyError: () => undefined, // a refused connection is what some cases expect
      on: { connected: () => void (connected = true), closed: (e) => void closeCodes.push((e as { code: number }).code) },
    });
    let connected = false;
    clients.push(client);
    await waitFor(() => connected || closeCodes.length > 0, 10_000, `${persona}'s socket to be accepted or refused`);
    const refusals: { extensions?: { code?: string; limit?: string; max?: number } }[] = [];
    const open = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const running = c.hub.openSubscriptions;
        const refused = refusals.length;
        const closed = closeCodes.length;
        client.subscribe({ query: ROW_DOC }, { next: () => undefined, error: (e) => void refusals.push(...((Array.isArray(e) ? e : [e]) as never[])), complete: () => undefined });
        await waitFor(() => c.hub.openSubscriptions > running || refusals.length > refused || closeCodes.length > closed, 10_000, `${persona}'s subscription to run or be refused`);
      }
    };
    return { client, open, refusals, closeCodes };
  }
  const limit = (r: { extensions?: Record<string, unknown> }) => [r.extensions?.code, r.extensions?.limit, r.extensions?.max];

  it("per socket, per person, per process, and connections per person; a closed socket's subscriptions are released", async () => {
    const alice1 = await socket("alice");
    await alice1.open(4);
    expect(c.hub.openSubscriptions).toBe(3);
    expect(alice1.refusals.map(limit)).toEqual([["TOO_MANY_SUBSCRIPTIONS", "PER_SOCKET", 3]]);

    const alice2 = await socket("alice");
    await alice2.open(3);
    expect(c.hub.openSubscriptions).toBe(5);
    expect(alice2.refusals.map(limit)).toEqual([["TOO_MANY_SUBSCRIPTIONS", "PER_PERSON", 5]]);

    // A third connection is alice's last; the fourth is refused with a close code that names the limit.
    const alice3 = await socket("alice");
    await alice3.open(1);
    expect(alice3.refusals.map(limit)).toEqual([["TOO_MANY_SUBSCRIPTIONS", "PER_PERSON", 5]]);
    const alice4 = await socket("alice");
    expect(alice4.closeCodes).toEqual([4029]);

    const bob = await socket("bob");
    await bob.open(3);
    expect(c.hub.openSubscriptions).toBe(8);
    const carol = await socket("carol");
    await carol.open(1);
    expect(carol.refusals.map(limit)).toEqual([["TOO_MANY_SUBSCRIPTIONS", "PER_PROCESS", 8]]);

    // alice's first socket goes: its three subscriptions and its connection are released.
    await alice1.client.dispose();
    await waitFor(() => c.hub.openSubscriptions === 5, 10_000, "alice's first socket's subscriptions to be released");
    await carol.open(1);
    expect(c.hub.openSubscriptions).toBe(6);
    const alice5 = await socket("alice");
    await alice5.open(1);
    expect(alice5.closeCodes).toEqual([]);
    expect(c.hub.openSubscriptions).toBe(7);

    for (const s of [alice2, alice3, alice5, bob, carol]) await s.client.dispose();
    await waitFor(() => c.hub.openSubscriptions === 0 && c.hub.openGroups === 0, 10_000, "everything to be released");
  });
});

describe("a slow subscriber", () => {
  /** A bare graphql-ws socket whose reading can be paused, as a client that stops reading (a frozen tab, a saturated link). */
  async function rawSubscriber(persona: Persona, query: string) {
    const ws = new WebSocket(a.wsUrl, "graphql-transport-ws");
    const events: Event[] = [];
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data)) as { type: string; payload?: Event };
      if (msg.type === "connection_ack") ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query } }));
      if (msg.type === "next") events.push(msg.payload!);
      if (msg.type === "ping") ws.send(JSON.stringify({ type: "pong" }));
    });
    const before = a.hub.openSubscriptions;
    await new Promise((resolve) => ws.once("open", resolve));
    ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${await a.token(persona)}` } }));
    await waitFor(() => a.hub.openSubscriptions > before, 10_000, "the raw subscription to run");
    return { ws, events };
  }

  // Whether a send waits for the socket is decided by the kernel's buffers; the bounds applied to a
  // socket that is really full (coalescing, resync) are proven in test/unit/live-hub.test.ts.
  it("slows nobody else, and once it reads again ends with the latest state of the statement", async () => {
    const slow = await rawSubscriber("erin", ROW_DOC);
    const other = await subscriber(a, "erin", ROW_DOC); // same group: the same rendering goes to both
    await waitFor(other.running);
    slow.ws.pause();
    const filings = 5;
    for (let i = 0; i < filings; i++) {
      const heard = other.events.length;
      await fileCad("carol", RM1);
      await waitFor(() => other.events.length > heard, 10_000, "the other subscriber to hear each filing while one does not read");
    }
    const latest = other.events.at(-1)!.data!.statementsUpdated.visibleCharges;
    slow.ws.resume();
    await waitFor(() => slow.events.at(-1)?.data?.statementsUpdated.visibleCharges === latest, 10_000, "the slow subscriber to catch up with the latest state");
    slow.ws.close();
    other.unsubscribe();
  });
});
