/**
 * What a front-end team plugs into, tried the way their clients do it.
 *
 * Threats and rules guarded here:
 * - CORS: only the origins in CORS_ORIGINS may call the API from a browser page of another origin;
 *   never with credentials (identity is the bearer header, nothing ambient); a preflight from any
 *   other origin is refused, and so is a WebSocket upgrade from one (browsers do not preflight those).
 * - CSRF: Apollo's csrfPrevention is off (see src/http/graphql.ts), so urql's real default client,
 *   which sends queries as GET, works. What keeps cross-site requests harmless is checked instead: a
 *   GET never runs a mutation, a POST that is not JSON (what a cross-site form can send) runs nothing,
 *   and a request without the bearer header is anonymous.
 * - `/metrics`: counters move with the requests, labels stay bounded, METRICS_TOKEN is enforced.
 */
import { Client, fetchExchange, gql } from "@urql/core";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { MAX_OPERATION_NAMES } from "../src/http/metrics.js";
import { startTestServer, type TestServer } from "./support/server.js";

const FRONT_END = "http://localhost:5173";
const METRICS_TOKEN = "scrape-token-0123456789abcdef";
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ CORS_ORIGINS: `${FRONT_END}, https://portal.example`, METRICS_TOKEN });
});
afterAll(async () => {
  await server?.stop();
});

const preflight = (origin: string, headers = "authorization, content-type") =>
  fetch(`${server.url}/graphql`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": headers },
  });

describe("CORS (CORS_ORIGINS set)", () => {
  it("answers a listed origin's preflight for the bearer header and JSON, without credentials", async () => {
    const res = await preflight(FRONT_END, "authorization, content-type, apollographql-client-name");
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(FRONT_END);
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    const allowed = res.headers.get("access-control-allow-headers")!.split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(["authorization", "content-type", "apollographql-client-name", "apollo-require-preflight"]));
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("vary")).toMatch(/origin/i);
  });

  it("lets a listed origin read the answer and its request id", async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { origin: FRONT_END, "content-type": "application/json", authorization: `Bearer ${await server.token("erin")}`, "x-request-id": "fe-1" },
      body: JSON.stringify({ query: "{ viewer { user { username } } }" }),
    });
    expect(res.headers.get("access-control-allow-origin")).toBe(FRONT_END);
    expect(res.headers.get("access-control-expose-headers")).toContain("x-request-id");
    expect(res.headers.get("x-request-id")).toBe("fe-1");
    expect(await res.json()).toEqual({ data: { viewer: { user: { username: "erin" } } }, extensions: expect.anything() });
  });

  it("refuses the preflight of an origin that is not listed, and gives its requests no CORS headers", async () => {
    const res = await preflight("https://evil.example");
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe("FORBIDDEN");
    // A look-alike is not the origin: exact match only.
    expect((await preflight("http://localhost:5174")).status).toBe(403);
    expect((await preflight("http://localhost:5173.evil.example")).status).toBe(403);
    const simple = await fetch(`${server.url}/graphql?query=${encodeURIComponent("{ viewer { user { username } } }")}`, { headers: { origin: "https://evil.example" } });
    expect(simple.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses a WebSocket upgrade from a page of another origin, accepts the listed ones, this origin and non-browser clients", async () => {
    const open = (origin?: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(server.wsUrl, "graphql-transport-ws", origin ? { origin } : {});
        ws.once("open", () => {
          ws.close();
          resolve(101);
        });
        ws.once("unexpected-response", (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.once("error", () => resolve(-1));
      });
    expect(await open("https://evil.example")).toBe(403);
    expect(await open(FRONT_END)).toBe(101);
    expect(await open(server.url)).toBe(101);
    expect(await open()).toBe(101);
  });
});

describe("CORS configuration", () => {
  const base = { NODE_ENV: "development" };
  it("is off by default, takes exact origins, refuses paths and refuses * in production", () => {
    expect(loadConfig(base).corsOrigins).toEqual([]);
    expect(loadConfig({ ...base, CORS_ORIGINS: "http://localhost:5173,https://portal.example" }).corsOrigins).toEqual(["http://localhost:5173", "https://portal.example"]);
    expect(loadConfig({ ...base, CORS_ORIGINS: "*" }).corsOrigins).toBe("*");
    expect(() => loadConfig({ ...base, CORS_ORIGINS: "https://portal.example/app" })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ ...base, CORS_ORIGINS: "portal.example" })).toThrow(/CORS_ORIGINS/);
    const prod = { NODE_ENV: "production", AUTH_ISSUER: "https://idp.example", AUTH_JWKS_URL: "https://idp.example/jwks" };
    expect(() => loadConfig({ ...prod, CORS_ORIGINS: "*" })).toThrow(/refused in production/);
    expect(loadConfig({ ...prod, CORS_ORIGINS: "https://portal.example" }).corsOrigins).toEqual(["https://portal.example"]);
  });

  it("metrics: on by default; in production without a token only for this machine", () => {
    expect(loadConfig({}).metrics).toEqual({ enabled: true, token: undefined, loopbackOnly: false });
    const prod = { NODE_ENV: "production", AUTH_ISSUER: "https://idp.example", AUTH_JWKS_URL: "https://idp.example/jwks" };
    expect(loadConfig(prod).metrics.loopbackOnly).toBe(true);
    expect(loadConfig({ ...prod, METRICS_TOKEN }).metrics).toEqual({ enabled: true, token: METRICS_TOKEN, loopbackOnly: false });
    expect(loadConfig({ METRICS: "off" }).metrics.enabled).toBe(false);
    expect(() => loadConfig({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN must be at least 16 characters$/);
  });
});

describe("urql's default client (queries as GET) and what keeps cross-site requests harmless", () => {
  it("runs a query through urql's real default client, which sends it as GET", async () => {
    const seen: string[] = [];
    const token = await server.token("erin");
    const client = new Client({
      url: `${server.url}/graphql`,
      exchanges: [fetchExchange],
      fetchOptions: { headers: { authorization: `Bearer ${token}` } },
      fetch: (input, init) => {
        seen.push(init?.method ?? "GET");
        return fetch(input, init);
      },
    });
    const result = await client.query(gql`query Me { viewer { user { username } } }`, {}).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data).toMatchObject({ viewer: { user: { username: "erin" } } });
    expect(seen).toEqual(["GET"]);
  });

  it("never runs a mutation over GET (405), with or without a token", async () => {
    const mutation = "mutation { markNotificationsRead(input: {}) }";
    for (const headers of [{}, { authorization: `Bearer ${await server.token("erin")}` }] as Record<string, string>[]) {
      const res = await fetch(`${server.url}/graphql?query=${encodeURIComponent(mutation)}`, { headers });
      expect(res.status).toBe(405);
      expect(JSON.stringify(await res.json())).toMatch(/GET/);
    }
  });

  it("runs nothing for a POST that is not JSON (what a cross-site form or a simple fetch can send)", async () => {
    for (const [type, body] of [
      ["text/plain", JSON.stringify({ query: "{ viewer { user { username } } }" })],
      ["application/x-www-form-urlencoded", `query=${encodeURIComponent("{ viewer { user { username } } }")}`],
      ["multipart/form-data; boundary=x", `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ viewer { id } }\r\n--x--\r\n`],
    ] as const) {
      const res = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": type }, body });
      expect(res.status, type).toBe(400);
      expect(((await res.json()) as { data?: unknown }).data, type).toBeUndefined();
    }
  });

  it("a GET without the bearer header is anonymous: only viewer answers", async () => {
    const res = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ business(bn9: "123456782") { legalName } }')}`);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe("UNAUTHENTICATED");
  });
});

// Unshuffled: the last test fills the process-wide set of operation names on purpose (every later name is "other").
describe("/metrics", { shuffle: false }, () => {
  const scrape = async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    return res.text();
  };
  const value = (text: string, series: string) => {
    const line = text.split("\n").find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };

  it("needs METRICS_TOKEN when it is set", async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer wrong-token-0123456789" } })).status).toBe(401);
  });

  it("counts requests and latency by operation, errors by code, SQL statements sent, and shows the pool, subscriptions, events and outbox", async () => {
    const before = await scrape();
    const series = 'carm_graphql_requests_total{operation="MetricsProbe",type="query"}';
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await server.gql("query MetricsProbe { viewer { user { username } } }", { as: "alice" }));
    answers.push(await server.gql('query MetricsMissing { programAccount(bn15: "711223347RM0001") { bn15 } }', { as: "alice" })); // NOT_FOUND
    answers.push(await server.gql("{ viewer { id } }"));
    const after = await scrape();
    expect(value(after, series) - value(before, series)).toBe(3);
    expect(value(after, 'carm_graphql_request_duration_seconds_count{operation="MetricsProbe",type="query"}')).toBe(value(after, series));
    expect(value(after, 'carm_graphql_requests_total{operation="anonymous",type="query"}') - value(before, 'carm_graphql_requests_total{operation="anonymous",type="query"}')).toBe(1);
    expect(value(after, 'carm_graphql_errors_total{code="NOT_FOUND"}') - value(before, 'carm_graphql_errors_total{code="NOT_FOUND"}')).toBe(1);
    // The total holds at least the statements of these requests (the tests count them per request).
    const sent = answers.reduce((n, a) => n + (a.extensions?.sqlStatements as number), 0);
    expect(sent).toBeGreaterThan(0);
    expect(value(after, "carm_sql_statements_total") - value(before, "carm_sql_statements_total")).toBeGreaterThanOrEqual(sent);
    expect(after).toMatch(/^carm_db_pool_connections\{state="total"\} [1-9]/m);
    expect(after).toMatch(/^carm_db_pool_connections\{state="waiting"\} 0/m);
    expect(after).toMatch(/^carm_email_outbox\{status="PENDING"\} \d+/m);
    expect(after).toMatch(/^carm_subscriptions_open 0/m);
    expect(after).toMatch(/^process_cpu_user_seconds_total /m);
    expect(after).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it("counts requests refused before Apollo (a token limit, malformed JSON) by their code", async () => {
    const before = await scrape();
    await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    const after = await scrape();
    expect(value(after, 'carm_graphql_errors_total{code="BAD_REQUEST"}') - value(before, 'carm_graphql_errors_total{code="BAD_REQUEST"}')).toBe(1);
    expect(value(after, 'carm_graphql_requests_total{operation="unresolved",type="unknown"}')).toBeGreaterThan(value(before, 'carm_graphql_requests_total{operation="unresolved",type="unknown"}'));
  });

  it("counts open subscriptions and the events delivered to them", async () => {
    const ws = new WebSocket(server.wsUrl, "graphql-transport-ws");
    const messages: { type: string }[] = [];
    ws.on("message", (m) => messages.push(JSON.parse(String(m))));
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${await server.token("carol")}` } }));
    await waitUntil(() => messages.some((m) => m.type === "connection_ack"));
    ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: 'subscription { statementUpdated(bn15: "123456782RM0001") { status } }' } }));
    await waitUntil(async () => /^carm_subscriptions_open 1/m.test(await scrape()));
    const delivered = 'carm_subscription_events_delivered_total{subscription="statementUpdated"}';
    const before = value(await scrape(), delivered);
    const today = new Date().toLocaleDateString("en-CA", { timeZone: "America/Toronto" });
    const cad = { bn15: "123456782RM0001", releasedOn: today, lines: [{ classificationCode: "7610100000", description: "Frame", valueForDuty: "100.00", tariffTreatment: "2", customsDutyRate: "6.5" }] };
    const filed = await server.gql("mutation ($input: FileDeclarationInput!) { fileDeclaration(input: $input) { id } }", { as: "carol", variables: { input: cad } });
    expect(filed.errors).toBeUndefined();
    await waitUntil(() => messages.some((m) => m.type === "next"));
    expect(value(await scrape(), delivered)).toBeGreaterThan(before);
    ws.close();
    await waitUntil(async () => /^carm_subscriptions_open 0/m.test(await scrape()));
  });

  it("keeps operation names bounded: past the cap, new names are counted as other", async () => {
    for (let i = 0; i < MAX_OPERATION_NAMES + 5; i++) await fetch(`${server.url}/graphql?query=${encodeURIComponent(`query N${i} { viewer { id } }`)}`);
    const text = await scrape();
    const names = new Set([...text.matchAll(/^carm_graphql_requests_total\{operation="([^"]+)"/gm)].map((m) => m[1]));
    expect(names.size).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 3); // + anonymous, unresolved, other
    expect(names.has("other")).toBe(true);
  });
});

async function waitUntil(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}
