/**
 * Each client's budget of cost points over time (src/limits/cost-budget.ts, src/http/cost.ts). The
 * threat, measured before it existed: one person sending the heaviest allowed queries back to back,
 * one at a time (within its fair share), kept the one event loop busy and doubled everyone else's
 * latency. Here, over real HTTP and WebSocket: what an operation costs is charged (its estimate before
 * it runs, what its answer holds after), a client whose budget is spent is refused with 429
 * RATE_LIMITED, Retry-After and its budget, nothing of the refused request is charged, another person
 * is served meanwhile, subscriptions pay to start, and anonymous clients behind a trusted proxy each
 * have their own budget (by the address the proxy relays; IPv6 by its /64).
 *
 * The budget refills at 0.001 points a second, so that what a client has left is exact in a test
 * run (less than a point comes back in its duration).
 */
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

const MAX = 1000;
const REFILL = 0.001;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ MAX_QUERY_COST: String(MAX), COST_BUDGET_MAX: String(MAX), COST_BUDGET_REFILL_PER_SECOND: String(REFILL), TRUST_PROXY: "loopback" });
});
afterAll(() => server?.stop());

interface Budget {
  spent: number;
  available: number;
  max: number;
  refillPerSecond: number;
}
interface Answer {
  status: number;
  retryAfter: string | null;
  body: {
    data?: unknown;
    errors?: { message: string; extensions: { code: string; retryAfterSeconds?: number; cost?: { requested: number; budget: Budget } } }[];
    extensions?: { cost?: { requested: number; actual?: number; budget: Budget } };
  };
}

async function post(query: string, opts: { as?: Persona; forwardedFor?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.as) headers.authorization = `Bearer ${await server.token(opts.as)}`;
  if (opts.forwardedFor) headers["x-forwarded-for"] = opts.forwardedFor;
  const res = await fetch(`${server.url}/graphql`, { method: "POST", headers, body: JSON.stringify({ query }) });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as Answer["body"] };
}

const budget = (available: number): Budget => ({ spent: MAX - available, available, max: MAX, refillPerSecond: REFILL });

// Estimated 301, a full page: transactions 1 + 100 items x (edges 1 + node 1 + transactionNumber 1);
// it costs what came back.
const PAGE = `{ transactions(first: 100) { edges { node { transactionNumber } } } }`;

describe("over HTTP", () => {
  it("charges the estimate before it runs and what the answer holds after, reporting both with what is left", async () => {
    const first = await post(PAGE, { as: "alice" });
    expect(first.status).toBe(200);
    const edges = (first.body.data as { transactions: { edges: unknown[] } }).transactions.edges;
    expect(edges.length).toBeGreaterThan(0);
    // transactions 1 + edges 1 + each item: node 1 + transactionNumber 1
    const actual = 2 + 2 * edges.length;
    expect(first.body.extensions?.cost).toEqual({ requested: 301, actual, budget: budget(MAX - actual) });
    const second = await post(`{ viewer { roles } }`, { as: "alice" });
    expect(second.body.extensions?.cost).toEqual({ requested: 2, actual: 2, budget: budget(MAX - actual - 2) });
  });

  it("refuses a client whose budget cannot pay the estimate (429, Retry-After, extensions.cost), charges nothing for it, and serves another person meanwhile", async () => {
    // bob spends his budget on pages until one is refused.
    let available = MAX;
    let refused: Answer | undefined;
    for (let i = 0; i < 50 && !refused; i++) {
      const res = await post(PAGE, { as: "bob" });
      if (res.status === 429) refused = res;
      else {
        expect(res.status).toBe(200);
        const cost = res.body.extensions!.cost!;
        expect(cost.budget.available).toBe(available - cost.actual!);
        available = cost.budget.available;
      }
    }
    expect(refused).toBeDefined();
    // Refused because what is left is less than the estimate, not before.
    expect(available).toBeLessThan(301);
    const error = refused!.body.errors![0]!;
    expect(error.extensions.code).toBe("RATE_LIMITED");
    expect(refused!.body.data ?? null).toBeNull();
    expect(error.extensions.cost).toEqual({ requested: 301, budget: budget(available) });
    expect(refused!.body.extensions?.cost).toEqual({ requested: 301, budget: budget(available) });
    // The seconds until the bucket holds the estimate at this refill rate (less what came back meanwhile).
    const wait = (301 - available) / REFILL;
    expect(Number(refused!.retryAfter)).toBe(error.extensions.retryAfterSeconds);
    expect(Number(refused!.retryAfter)).toBeGreaterThan(wait - 120);
    expect(Number(refused!.retryAfter)).toBeLessThanOrEqual(Math.ceil(wait));
    expect(error.message).toMatch(new RegExp(`estimated at 301 points and ${available} of your ${MAX} are left .* Try again in ${refused!.retryAfter} s`));
    // Refused again: still nothing charged, and what bob can pay he is served.
    expect((await post(PAGE, { as: "bob" })).body.errors![0]!.extensions.cost!.budget).toEqual(budget(available));
    expect((await post(`{ viewer { roles } }`, { as: "bob" })).body.extensions?.cost).toEqual({ requested: 2, actual: 2, budget: budget(available - 2) });
    // Another person's budget is whole.
    const carol = await post(`{ viewer { roles } }`, { as: "carol" });
    expect(carol.status).toBe(200);
    expect(carol.body.extensions?.cost?.budget).toEqual(budget(MAX - 2));
  });
});

describe("over the WebSocket", () => {
  // Estimated 302: statementsUpdated 1 + postings 1 + 100 items x (edges 1 + node 1 + id 1).
  const HEAVY = `subscription { statementsUpdated { postings(first: 100) { edges { node { id } } } } }`;

  it("a subscription's start is charged to its client, and refused with RATE_LIMITED and its cost once the budget cannot pay it", async () => {
    const client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${await server.token("dave")}` }, retryAttempts: 0 });
    try {
      const outcomes: unknown[] = [];
      const unsubscribes: (() => void)[] = [];
      const refusal = new Promise<any>((resolve) => {
        for (let i = 0; i < 4; i++) {
          unsubscribes.push(client.subscribe({ query: HEAVY }, { next: () => undefined, error: (e) => (outcomes.push(e), resolve(e)), complete: () => undefined }));
        }
      });
      const [error] = await refusal;
      // Three starts fit in 1,000 points; the fourth does not, and the refusal says what is left.
      expect(error.extensions.code).toBe("RATE_LIMITED");
      const requested = 302;
      expect(error.extensions.cost).toEqual({ requested, budget: budget(MAX - 3 * requested) });
      expect(error.extensions.retryAfterSeconds).toBeGreaterThan(0);
      expect(outcomes).toHaveLength(1);
      // Over HTTP, dave's budget is the one his subscriptions spent.
      const res = await post(`{ viewer { roles } }`, { as: "dave" });
      expect(res.body.extensions?.cost?.budget).toEqual(budget(MAX - 3 * requested - 2));
      for (const u of unsubscribes) u();
    } finally {
      await client.dispose();
    }
  });
});

describe("anonymous clients behind a trusted proxy (TRUST_PROXY)", () => {
  // 15 aliases of the viewer's roles: 30 points, anonymous.
  const ANON = `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: viewer { roles }`).join(" ")} }`;

  async function spend(forwardedFor: string): Promise<Answer> {
    for (let i = 0; i < 40; i++) {
      const res = await post(ANON, { forwardedFor });
      if (res.status === 429) return res;
      expect(res.status).toBe(200);
    }
    throw new Error("never refused");
  }

  it("are told apart by the address the proxy relays, not by what the client wrote before it", async () => {
    const refused = await spend("203.0.113.1");
    expect(refused.body.errors![0]!.extensions.code).toBe("RATE_LIMITED");
    // What the client wrote itself is left of what the proxy appended: the same client.
    expect((await post(ANON, { forwardedFor: "198.51.100.77, 203.0.113.1" })).status).toBe(429);
    // Another client behind the same proxy, and the proxy's own requests, have whole budgets.
    expect((await post(ANON, { forwardedFor: "203.0.113.2" })).body.extensions?.cost?.budget).toEqual(budget(MAX - 30));
    expect((await post(ANON)).body.extensions?.cost?.budget).toEqual(budget(MAX - 30));
  });

  it("an IPv6 client counts by its /64: another address of it shares the budget, another /64 does not", async () => {
    await spend("2001:db8:1:2::1");
    expect((await post(ANON, { forwardedFor: "2001:db8:1:2:ffff::9" })).status).toBe(429);
    expect((await post(ANON, { forwardedFor: "2001:db8:1:3::1" })).body.extensions?.cost?.budget).toEqual(budget(MAX - 30));
  });
});
