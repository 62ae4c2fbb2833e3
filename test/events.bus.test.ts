/**
 * Several API processes share one database, and a dashboard connected to any of them must hear of
 * a change made through any other. Threats guarded here: a subscriber on one process missing what
 * another published; an event announcing a change that then rolled back; a dropped LISTEN
 * connection silently ending every live update, or silently losing what was published while it was
 * down (its subscribers are told to read again); a stray NOTIFY on the channel breaking a process.
 *
 * Two API servers run here, each with its own pool, its own event bus (its own LISTEN connection)
 * and its own in-process pubsub, on one database: what reaches the subscriber of one went through
 * PostgreSQL. This file tests the bus itself, so it publishes STATEMENT_UPDATED directly (inside a
 * transaction, as the ledger does), including for changes that roll back; the workflows that produce
 * the events are tested end to end in subscription.test.ts and money.live.process.test.ts.
 */
import { print } from "graphql";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_CHANNEL, publish } from "../src/events/bus.js";
import { publishStatementUpdated } from "../src/modules/statement/statement.subscription.js";
import { StatementUpdatedDocument } from "./generated/graphql.js";
import { captureLogger, waitFor } from "./support/log.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let a: TestServer;
let b: TestServer;
const logsA = captureLogger({ process: "A" });
const clients: Client[] = [];

beforeAll(async () => {
  // A's bus waits at least 1 s before reconnecting: long enough to publish while it is away.
  a = await startTestServer({}, { logger: logsA.logger, bus: { minBackoffMs: 2000 } });
  b = await startTestServer({}, { sameDatabaseAs: a });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await b?.stop();
  await a?.stop();
});

async function subscribe(server: TestServer, persona: Persona, bn15: string) {
  const client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${await server.token(persona)}` }, retryAttempts: 0 });
  clients.push(client);
  const events: { data?: { statementUpdated?: { id: string; cycleEnd: string } } | null; errors?: unknown[]; extensions?: { resync?: { reason: string } } }[] = [];
  const errors: unknown[] = [];
  client.subscribe({ query: print(StatementUpdatedDocument), variables: { bn15 } }, {
    next: (v) => void events.push(v as never),
    error: (e) => void errors.push(e),
    complete: () => undefined,
  });
  return { events, errors };
}

async function statements(bn15: string) {
  const rows: { id: string; program_account_id: string; status: string; cycle_end: string }[] = await a.db.query(
    `SELECT s.id, s.program_account_id, s.status, s.cycle_end::text FROM statements s JOIN program_accounts pa ON pa.id = s.program_account_id WHERE pa.bn15 = $1 ORDER BY s.cycle_end DESC`,
    [bn15],
  );
  const toEvent = (r: (typeof rows)[number]) => ({ id: r.id, programAccountId: r.program_account_id, cycleEnd: r.cycle_end });
  const issued = rows.filter((r) => r.status === "ISSUED");
  return { open: toEvent(rows.find((r) => r.status === "OPEN")!), issued: toEvent(issued[0]!), older: toEvent(issued[1]!) };
}

/** Publishes through `server` (committed) until the subscriber has one more event than before. */
async function publishUntilHeard(server: TestServer, sub: { events: unknown[] }, statement: { id: string; programAccountId: string }) {
  const before = sub.events.length;
  await waitFor(async () => {
    await server.db.transaction((em) => publishStatementUpdated(em, statement));
    return sub.events.length > before;
  }, 10_000, "the event to reach the subscriber");
}

describe("the event bus", () => {
  it("delivers to a subscriber on process A what was published through process B", async () => {
    expect(a.events.backendPid).not.toBe(b.events.backendPid);
    const { open } = await statements("123456782RM0001");
    const sub = await subscribe(a, "frank", "123456782RM0001");
    await publishUntilHeard(b, sub, open);
    expect(sub.errors).toEqual([]);
    expect(sub.events.at(-1)).toMatchObject({ data: { statementUpdated: { cycleEnd: open.cycleEnd, status: "OPEN" } } });
  });

  it("never delivers the event of a change that rolled back", async () => {
    const { open, issued, older } = await statements("123456782RM0001");
    const sub = await subscribe(a, "alice", "123456782RM0001");
    await publishUntilHeard(b, sub, open);
    await expect(
      b.db.transaction(async (em) => {
        await publishStatementUpdated(em, issued);
        throw new Error("the change fails after publishing");
      }),
    ).rejects.toThrow("the change fails");
    // NOTIFYs arrive in commit order: once a later, committed event (for another statement) is
    // here, the rolled-back one would have been too.
    await b.db.transaction((em) => publishStatementUpdated(em, older));
    const cycleEnds = () => sub.events.map((e) => e.data?.statementUpdated?.cycleEnd);
    await waitFor(() => cycleEnds().includes(older.cycleEnd));
    expect(cycleEnds()).not.toContain(issued.cycleEnd);
  });

  it("publishes only inside a transaction, and only small id payloads", async () => {
    const { open } = await statements("123456782RM0001");
    await expect(publishStatementUpdated(a.db.manager, open)).rejects.toThrow(/inside the transaction/);
    const bloated = { kind: "STATEMENT_UPDATED", statementId: open.id, programAccountId: "x".repeat(2000) } as const;
    await expect(a.db.transaction((em) => publish(em, bloated))).rejects.toThrow(/ids only/);
  });

  it("ignores payloads on its channel that are not events, and keeps delivering", async () => {
    const { open } = await statements("123456782RM0002");
    const sub = await subscribe(a, "alice", "123456782RM0002");
    await publishUntilHeard(b, sub, open);
    for (const junk of ["not json", `{"kind":"STATEMENT_UPDATED","statementId":"1"}`, `{"kind":"UNKNOWN"}`]) {
      await b.db.query(`SELECT pg_notify($1, $2)`, [EVENT_CHANNEL, junk]);
    }
    await publishUntilHeard(b, sub, open);
    await waitFor(() => logsA.lines.filter((l) => l.msg.includes("ignored a payload")).length >= 3);
    expect(sub.errors).toEqual([]);
  });

  it("reconnects when its LISTEN connection is killed, logging the loss and the return once each, and tells its subscribers to read again", async () => {
    const { open, issued } = await statements("123456782RM0001");
    const sub = await subscribe(a, "frank", "123456782RM0001");
    await publishUntilHeard(b, sub, open);
    // A fence: once this later event is here, every earlier one is (commit order).
    await b.db.transaction((em) => publishStatementUpdated(em, issued));
    await waitFor(() => sub.events.at(-1)?.data?.statementUpdated?.cycleEnd === issued.cycleEnd);
    const heard = sub.events.length;
    const pid = a.events.backendPid;
    const [{ terminated }] = await b.db.query(`SELECT pg_terminate_backend($1) AS terminated`, [pid]);
    expect(terminated).toBe(true);
    await waitFor(() => !a.events.listening, 5_000, "A to notice the loss");
    // Published (and committed) while A does not listen: A never hears of it.
    await b.db.transaction((em) => publishStatementUpdated(em, open));
    expect(a.events.listening).toBe(false);
    await waitFor(() => a.events.listening && a.events.backendPid !== pid, 15_000, "the bus to reconnect");
    // So its subscriber is told to read again: a message with no data, only the reason.
    const resyncs = () => sub.events.filter((e) => e.extensions?.resync);
    await waitFor(() => resyncs().length > 0, 10_000, "the resync message");
    expect(resyncs()).toEqual([{ data: null, extensions: { resync: { reason: "RECONNECTED", at: expect.any(String) } } }]);
    // Nothing of what was published while A was away reached the subscriber as data.
    expect(sub.events.slice(heard).filter((e) => e.data)).toEqual([]);
    // The subscription opened before the loss keeps receiving: only the listener was replaced.
    await publishUntilHeard(b, sub, open);
    expect(sub.events.at(-1)).toMatchObject({ data: { statementUpdated: { cycleEnd: open.cycleEnd } } });
    const states = logsA.lines.filter((l) => /^event bus (lost|reconnected|listening)/.test(l.msg)).map((l) => l.msg);
    expect(states).toEqual(["event bus listening", "event bus lost its connection; reconnecting", "event bus reconnected"]);
  });
});
