/**
 * Execution slots are spent on execution, fairly. The threats, each once measured on this stack:
 * 8 anonymous sockets announcing a 100 KB body and sending a byte every 5 s took every slot (the slot
 * was taken before the body was read) and every other request got 503 for as long as they stayed;
 * one person's burst of 64 heavy queries took the slots first come, first served, so others' requests
 * were the ones shed. Here, over real sockets: slow bodies hold no slot and are cut off with 408,
 * headers that never end and connections past the cap are refused, and one person's burst is refused
 * (429) while another person is served.
 */
import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_BN, LAURENTIAN_AFFINITY } from "../src/seed/demo.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    MAX_CONCURRENT_REQUESTS: "3",
    MAX_CONCURRENT_PER_CLIENT: "2",
    BODY_TIMEOUT_SECONDS: "2",
    HEADERS_TIMEOUT_SECONDS: "1",
    MAX_CONNECTIONS: "40",
  });
});
afterAll(() => server?.stop());

const port = () => Number(new URL(server.url).port);

/** A raw socket on the server, with what it received and whether it was closed. */
async function rawSocket(first: string): Promise<{ socket: net.Socket; received: () => string; closed: Promise<void> }> {
  const socket = net.connect(port(), "127.0.0.1");
  let data = "";
  socket.on("data", (d) => (data += d.toString()));
  socket.on("error", () => undefined);
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  socket.write(first);
  return { socket, received: () => data, closed };
}

const slowBody = () =>
  rawSocket(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`);

describe("a slow body holds no slot", () => {
  it("while 6 anonymous sockets trickle their bodies (twice the slots), another person is served; the sockets then get 408 and are closed", async () => {
    const slow = await Promise.all(Array.from({ length: 6 }, slowBody));
    try {
      const res = await server.gql(`{ viewer { roles } }`, { as: "bob" });
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ viewer: { roles: ["PAM"] } });
      await Promise.all(slow.map((s) => s.closed));
      for (const s of slow) {
        expect(s.received()).toMatch(/^HTTP\/1\.1 408 /);
        expect(s.received()).toMatch(/"code":"REQUEST_TIMEOUT"/);
      }
    } finally {
      for (const s of slow) s.socket.destroy();
    }
  });

  it("headers that never end are cut off (headersTimeout), answered 408 by Node", async () => {
    const s = await rawSocket(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
    await s.closed;
    expect(s.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("connections past MAX_CONNECTIONS are closed at once, and the server serves again once they go", async () => {
    const held = await Promise.all(Array.from({ length: 40 }, () => rawSocket("")));
    try {
      const extra = await rawSocket("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      await extra.closed;
      expect(extra.received()).toBe("");
    } finally {
      for (const h of held) h.socket.destroy();
      await Promise.all(held.map((h) => h.closed));
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe("fair shares: one person's burst is refused before anyone else's request", () => {
  const REGISTER = `mutation ($input: RegisterBusinessInput!) { registerBusiness(input: $input) { bn9 } }`;
  const input = {
    bn9: DEMO_BN.laurentian,
    rm: "RM0001",
    legalName: "Laurentian Timber Supply Inc.",
    address: { addressLine: "75 Rue du Port", city: "Trois-Rivières", province: "QC", postalCode: "G9A 2N4" },
    acceptTerms: true,
    affinity: { lastPaymentAmount: LAURENTIAN_AFFINITY.lastPaymentAmount, lastStatementBalance: LAURENTIAN_AFFINITY.lastStatementBalance },
  };

  it("harry's 10 requests at once: 2 execute (his share of 3 slots), 6 wait, 2 are refused at once with 429 RATE_LIMITED; bob is served meanwhile", async () => {
    // Harry's registrations wait on the business's row lock, held here: they stay executing, holding slots.
    const locker = new pg.Client({ connectionString: server.dbUrl });
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query(`SELECT id FROM businesses WHERE bn9 = $1 FOR UPDATE`, [DEMO_BN.laurentian]);
    // Watched from a connection of its own: inside the locker's transaction the statistics would be a snapshot.
    const watcher = new pg.Client({ connectionString: server.dbUrl });
    await watcher.connect();
    const waitingOnLock = async () =>
      Number((await watcher.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`)).rows[0].n);
    const token = await server.token("harry");
    const burst = Array.from({ length: 10 }, () =>
      fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: REGISTER, variables: { input } }),
      }),
    );
    try {
      const deadline = Date.now() + 15_000;
      while ((await waitingOnLock()) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await waitingOnLock()).toBe(2);
      // A slot is free for anybody else.
      const bob = await server.gql(`{ viewer { roles } }`, { as: "bob" });
      expect(bob.status).toBe(200);
      expect(bob.data).toEqual({ viewer: { roles: ["PAM"] } });
    } finally {
      await locker.query("ROLLBACK");
      await locker.end();
      await watcher.end();
    }
    const answers = await Promise.all(
      burst.map(async (pending) => {
        const r = await pending;
        return { status: r.status, retryAfter: r.headers.get("retry-after"), body: (await r.json()) as any };
      }),
    );
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(2);
    for (const a of refused) {
      expect(a.retryAfter).toBe("1");
      expect(a.body.errors[0].extensions.code).toBe("RATE_LIMITED");
      expect(a.body.errors[0].message).toBe("You have 8 requests in progress (2 executing, 6 waiting at most); wait for some to finish, then try again.");
    }
    // The eight served in turn: one registered the business, the others found it registered.
    const served = answers.filter((a) => a.status === 200).map((a) => a.body.errors?.[0]?.extensions?.code ?? "registered");
    expect(served.sort()).toEqual([...Array(7).fill("CONFLICT"), "registered"]);
  });
});
