/**
 * Broker dashboards subscribe to statement updates over graphql-ws. A subscriber must be allowed to
 * view that program account's statements when subscribing and at every event; bad tokens never
 * get a socket.
 *
 * Events go through the PostgreSQL event bus, published in a transaction as a producer will (until
 * the money workflows publish them, these tests do so directly).
 */
import { createClient, type Client } from "graphql-ws";
import { print } from "graphql";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishStatementUpdated } from "../src/modules/statement/statement.subscription.js";
import { StatementUpdatedDocument } from "./generated/graphql.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
const clients: Client[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server?.stop();
});

function client(token: string | null) {
  const c = createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(c);
  return c;
}

/** Subscribes and collects events; resolves `ready` once the server has set the subscription up. */
function subscribe(persona: Persona | null, bn15: string, token?: string) {
  const events: unknown[] = [];
  const errors: unknown[] = [];
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const run = async () => {
    const c = client(token ?? (persona ? await server.token(persona) : null));
    c.subscribe(
      { query: print(StatementUpdatedDocument), variables: { bn15 } },
      { next: (v) => events.push(v), error: (e) => { errors.push(e); resolveDone(); }, complete: () => resolveDone() },
    );
  };
  return { events, errors, done, started: run() };
}

async function statementOf(bn15: string) {
  const rows: { id: string; program_account_id: string }[] = await server.db.query(
    `SELECT s.id, s.program_account_id FROM statements s JOIN program_accounts pa ON pa.id = s.program_account_id WHERE pa.bn15 = $1 AND s.status = 'OPEN'`,
    [bn15],
  );
  return { id: rows[0]!.id, programAccountId: rows[0]!.program_account_id };
}

const waitFor = async (cond: () => boolean | Promise<boolean>, ms = 5000) => {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("statementUpdated", () => {
  it("frank (Northern, Editor for Maple Leaf through a client group) receives updates of Maple Leaf RM0001", async () => {
    const sub = subscribe("frank", "123456782RM0001");
    await sub.started;
    const statement = await statementOf("123456782RM0001");
    // Publish until the subscription is live (setting it up is asynchronous on the server).
    await waitFor(async () => {
      await server.db.transaction((em) => publishStatementUpdated(em, statement));
      return sub.events.length > 0;
    });
    expect(sub.errors).toEqual([]);
    expect(sub.events[0]).toMatchObject({ data: { statementUpdated: { status: "OPEN", cycleEnd: "2026-12-17" } } });
  });

  it("gina (Expired user) cannot subscribe: the account answers NOT_FOUND", async () => {
    const sub = subscribe("gina", "123456782RM0001");
    await sub.started;
    await waitFor(() => sub.events.length > 0 || sub.errors.length > 0);
    const payload = JSON.stringify(sub.events[0] ?? sub.errors[0]);
    expect(payload).toContain("NOT_FOUND");
  });

  it("dave (Reader of RM0002) gets nothing for RM0001, and ivan nothing for Maple Leaf at all", async () => {
    for (const [persona, bn15] of [["dave", "123456782RM0001"], ["ivan", "123456782RM0002"]] as const) {
      const sub = subscribe(persona, bn15);
      await sub.started;
      await waitFor(() => sub.events.length > 0 || sub.errors.length > 0);
      expect(JSON.stringify(sub.events[0] ?? sub.errors[0])).toContain("NOT_FOUND");
    }
  });

  it("a bad token is refused at connection (4403)", async () => {
    const sub = subscribe(null, "123456782RM0001", "garbage");
    await sub.started;
    await waitFor(() => sub.errors.length > 0);
    expect((sub.errors[0] as { code?: number }).code).toBe(4403);
  });

  it("access is re-checked per event: a revoked relationship stops the stream's data", async () => {
    const sub = subscribe("frank", "123456782RM0002");
    await sub.started;
    const statement = await statementOf("123456782RM0002");
    await waitFor(async () => {
      await server.db.transaction((em) => publishStatementUpdated(em, statement));
      return sub.events.length > 0;
    });
    const northernMaple = `provider_business_id = (SELECT id FROM businesses WHERE legal_name LIKE 'Northern%') AND client_business_id = (SELECT id FROM businesses WHERE bn9 = '123456782')`;
    const [{ id }] = await server.db.query(`SELECT id FROM relationships WHERE ${northernMaple} AND status = 'ACTIVE'`);
    await server.db.query(`UPDATE relationships SET status = 'REVOKED', ended_at = now() WHERE id = $1`, [id]);
    try {
      const before = sub.events.length;
      await server.db.transaction((em) => publishStatementUpdated(em, statement));
      // Events published while waiting for the first one may still be arriving: wait for the last
      // event to be this one (delivered in commit order), then look at it.
      await waitFor(() => sub.events.length > before && JSON.stringify(sub.events.at(-1)).includes("FORBIDDEN"), 10_000);
      expect(JSON.stringify(sub.events.at(-1))).toContain("FORBIDDEN");
      expect(JSON.stringify(sub.events.at(-1))).not.toContain("totalPayable");
    } finally {
      // The relationship as seeded: frank's other test in this file reads through it.
      await server.db.query(`UPDATE relationships SET status = 'ACTIVE', ended_at = NULL WHERE id = $1`, [id]);
    }
  });
});
