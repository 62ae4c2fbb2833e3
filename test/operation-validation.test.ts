/**
 * Bounded work per request: whatever an operation asks, the server does a bounded amount of work
 * before refusing it, the same over HTTP and over the WebSocket (src/http/operation.ts). The threats,
 * each once measured: 20,000 empty objects in a list input (60 KB) made 80,000 coercion errors, a
 * 95 MB answer and a 14 s blocked event loop on the compiled path, and INTERNAL_SERVER_ERROR on
 * graphql-js's; an answer of any size was sent; a persisted query whose hash did not match its text
 * answered INTERNAL_SERVER_ERROR.
 */
import crypto from "node:crypto";
import { getNamedType, getNullableType, isEnumType, isInputObjectType, isListType, type GraphQLInputType } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_LIST_ITEMS, LIST_LIMITS } from "../src/limits/list-limits.js";
import { MAX_COERCION_ERRORS } from "../src/http/operation.js";
import { buildRawSchema } from "../src/schema.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const post = async (body: unknown, token?: string) => {
  const res = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, bytes: text.length, body: JSON.parse(text) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[]; extensions?: any } };
};

const ESTIMATE = `query ($l: [EstimateLineInput!]!) { estimateDutiesAndTaxes(lines: $l) { total } }`;
const line = { classificationCode: "7610100000", valueForDuty: "1000.00", tariffTreatment: "2", customsDutyRate: "6.5" };

describe("list inputs are bounded by the schema's own limits, before coercion", () => {
  it("anonymous, 20,000 empty objects: one BAD_USER_INPUT naming the list and its bound, nothing coerced, nothing run", async () => {
    for (let run = 0; run < 2; run++) {
      // Twice: the second time the operation is known (and, were it run, compiled).
      const res = await post({ query: ESTIMATE, variables: { l: Array.from({ length: 20_000 }, () => ({})) } });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ message: "lines holds at most 100 items (got 20000).", extensions: { code: "BAD_USER_INPUT", field: "lines" } }]);
      expect(res.body.extensions.sqlStatements).toBe(0);
      expect(res.bytes).toBeLessThan(500);
    }
  });

  it("the same list written in the document is refused the same way, and one within the bound runs", async () => {
    const literal = `{ estimateDutiesAndTaxes(lines: [${Array.from({ length: 101 }, () => `{ classificationCode: "7610100000", valueForDuty: "1", tariffTreatment: "2", customsDutyRate: "1" }`).join(" ")}]) { total } }`;
    const refused = await server.gql(literal, { as: "alice" });
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]).toMatchObject({ message: "lines holds at most 100 items (got 101).", extensions: { code: "BAD_USER_INPUT", field: "lines" } });
    const fine = await server.gql(ESTIMATE, { as: "alice", variables: { l: Array.from({ length: 100 }, () => line) } });
    expect(fine.errors).toBeUndefined();
    // 100 x (1000.00 x 6.5 % = 65.00 duty; GST 5 % of 1065.00 = 53.25) = 100 x 118.25
    expect(fine.data!.estimateDutiesAndTaxes.total).toBe("11825.00");
  });

  it("a list inside an input object is bounded by that field's limit (a declaration's 200 lines)", async () => {
    const res = await server.gql(`mutation ($i: FileDeclarationInput!) { fileDeclaration(input: $i) { transactionNumber } }`, {
      as: "alice",
      variables: { i: { bn15: "123456782RM0001", releasedOn: "2026-01-01", lines: Array.from({ length: 201 }, () => ({})) } },
    });
    expect(res.status).toBe(400);
    expect(res.errors).toEqual([{ message: "lines holds at most 200 items (got 201).", extensions: { code: "BAD_USER_INPUT", field: "lines" } }]);
  });

  it("names every list input of the schema with its bound (none falls back to the default unnoticed)", async () => {
    const schema = await buildRawSchema();
    const unnamed: string[] = [];
    const lists: [string, GraphQLInputType][] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__")) continue;
      if (isInputObjectType(type)) {
        for (const f of Object.values(type.getFields())) if (isListType(getNullableType(f.type))) lists.push([`${type.name}.${f.name}`, f.type]);
      } else if ("getFields" in type) {
        for (const f of Object.values(type.getFields())) {
          for (const a of (f as { args?: readonly { name: string; type: GraphQLInputType }[] }).args ?? []) {
            if (isListType(getNullableType(a.type))) lists.push([`${type.name}.${f.name}(${a.name})`, a.type]);
          }
        }
      }
    }
    expect(lists.length).toBeGreaterThan(10);
    for (const [coordinate, type] of lists) {
      if (!isEnumType(getNamedType(type)) && LIST_LIMITS[coordinate] === undefined) unnamed.push(coordinate);
    }
    expect(unnamed).toEqual([]);
    // And every name in the table is a list of the schema (no stale entry).
    expect(Object.keys(LIST_LIMITS).filter((c) => !lists.some(([l]) => l === c))).toEqual([]);
    expect(DEFAULT_MAX_LIST_ITEMS).toBe(100);
  });

  it("a list of an enum holds at most as many items as the enum has values", async () => {
    const res = await server.gql(`query ($s: [RulingStatus!]) { rulingRequests(filter: { status: $s }) { totalCount } }`, {
      as: "alice",
      variables: { s: Array.from({ length: 50 }, () => "SUBMITTED") },
    });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT", field: "filter.status" });
    expect(res.errors?.[0]?.message).toMatch(/^filter\.status holds at most \d+ items \(got 50\)\.$/);
  });
});

describe("coercion errors are bounded, and the client's", () => {
  it(`100 wrong items within the bound: ${MAX_COERCION_ERRORS} errors and a last one saying so, each BAD_USER_INPUT, HTTP 400`, async () => {
    for (let run = 0; run < 2; run++) {
      const res = await post({ query: ESTIMATE, variables: { l: Array.from({ length: 100 }, () => ({})) } }, await server.token("alice"));
      expect(res.status).toBe(400);
      expect(res.body.errors!.length).toBe(MAX_COERCION_ERRORS + 1);
      expect(res.body.errors!.at(-1)!.message).toBe("Too many errors processing variables, error limit reached. Execution aborted.");
      expect(new Set(res.body.errors!.map((e) => e.extensions?.code))).toEqual(new Set(["BAD_USER_INPUT"]));
      expect(res.body.extensions.sqlStatements).toBe(0);
    }
  });

  it("over the WebSocket, by the same validation: bounded coercion errors, BAD_USER_INPUT", async () => {
    const n = 30;
    const defs = Array.from({ length: n }, (_, i) => `$b${i}: Boolean!`).join(", ");
    const uses = Array.from({ length: n }, (_, i) => `id @include(if: $b${i})`).join(" ");
    const variables = Object.fromEntries(Array.from({ length: n }, (_, i) => [`b${i}`, "yes"]));
    const client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${await server.token("alice")}` }, retryAttempts: 0 });
    try {
      const outcome = await new Promise<any>((resolve) => {
        client.subscribe(
          { query: `subscription (${defs}) { statementUpdated(bn15: "123456782RM0001") { ${uses} } }`, variables },
          { next: (v) => resolve({ next: v }), error: (e) => resolve({ error: e }), complete: () => resolve({ complete: true }) },
        );
      });
      expect(outcome.error).toHaveLength(MAX_COERCION_ERRORS + 1);
      expect(new Set(outcome.error.map((e: any) => e.extensions.code))).toEqual(new Set(["BAD_USER_INPUT"]));
    } finally {
      await client.dispose();
    }
  });
});

describe("validation errors are bounded", () => {
  it("a document with 200 unknown fields gets at most 20 errors", async () => {
    const fields = Array.from({ length: 200 }, (_, i) => `f${i}`).join(" ");
    const res = await post({ query: `{ ${fields} }` });
    expect(res.status).toBe(400);
    expect(res.body.errors!.length).toBeLessThanOrEqual(21); // 20, and graphql-js's "Too many validation errors"
    expect(new Set(res.body.errors!.map((e) => e.extensions?.code))).toEqual(new Set(["GRAPHQL_VALIDATION_FAILED"]));
  });
});

describe("responses are bounded", () => {
  it("an answer over MAX_RESPONSE_BYTES is replaced by 400 RESPONSE_TOO_LARGE", async () => {
    const small = await startTestServer({ MAX_RESPONSE_BYTES: "65536" });
    try {
      // 5 x 100 estimated lines of about 250 bytes: some 125 KB.
      const estimate = (alias: string) => `${alias}: estimateDutiesAndTaxes(lines: $l) { lines { lineNo classificationCode tariffTreatment valueForDuty customsDuty sima excise valueForTax gst total } }`;
      const big = `query ($l: [EstimateLineInput!]!) { ${["a", "b", "c", "d", "e"].map(estimate).join(" ")} }`;
      const lines = Array.from({ length: 100 }, () => line);
      const res = await fetch(`${small.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await small.token("erin")}` },
        body: JSON.stringify({ query: big, variables: { l: lines } }),
      });
      const text = await res.text();
      expect(res.status).toBe(400);
      expect(text.length).toBeLessThan(1000);
      expect(JSON.parse(text).errors[0].extensions.code).toBe("RESPONSE_TOO_LARGE");
      // The same with fewer lines passes.
      const ok = await small.gql(big, { as: "erin", variables: { l: lines.slice(0, 10) } });
      expect(ok.errors).toBeUndefined();
      expect(ok.data!.e.lines).toHaveLength(10);
    } finally {
      await small.stop();
    }
  });
});

describe("persisted queries (APQ) answer with their own codes", () => {
  const sha = (q: string) => crypto.createHash("sha256").update(q).digest("hex");
  const QUERY = `query Persisted { viewer { roles } }`;

  it("a hash that is not the query's is 400 PERSISTED_QUERY_HASH_MISMATCH, never an internal error", async () => {
    const res = await post({ query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash: sha("something else") } } });
    expect(res.status).toBe(400);
    expect(res.body.errors![0]!.extensions).toEqual({ code: "PERSISTED_QUERY_HASH_MISMATCH" });
  });

  it("an unknown hash is PERSISTED_QUERY_NOT_FOUND; once sent with its text, the hash alone is enough (over GET too)", async () => {
    const hash = sha(QUERY);
    const unknown = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(unknown.body.errors![0]!.extensions).toEqual({ code: "PERSISTED_QUERY_NOT_FOUND" });
    const registered = await post({ query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, await server.token("alice"));
    expect(registered.body.data).toEqual({ viewer: { roles: ["BAM"] } });
    const byHash = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, await server.token("alice"));
    expect(byHash.body.data).toEqual({ viewer: { roles: ["BAM"] } });
    const extensions = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }));
    const get = await fetch(`${server.url}/graphql?extensions=${extensions}`, { headers: { authorization: `Bearer ${await server.token("alice")}` } });
    expect(await get.json()).toEqual({ data: { viewer: { roles: ["BAM"] } }, extensions: { sqlStatements: expect.any(Number) } });
  });

  it("another version, or a hash that is not one, is a 400 with a code", async () => {
    const version = await post({ extensions: { persistedQuery: { version: 2, sha256Hash: sha(QUERY) } } });
    expect(version.status).toBe(400);
    expect(version.body.errors![0]!.extensions).toEqual({ code: "PERSISTED_QUERY_NOT_SUPPORTED" });
    const malformed = await post({ query: QUERY, extensions: { persistedQuery: { version: 1, sha256Hash: 42 } } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors![0]!.extensions).toEqual({ code: "PERSISTED_QUERY_HASH_MISMATCH" });
  });

  it("an operation sent with its hash is validated like any other before it is remembered", async () => {
    const bad = `{ estimateDutiesAndTaxes(lines: [${Array.from({ length: 101 }, () => "{}").join(",")}]) { total } }`;
    const res = await post({ query: bad, extensions: { persistedQuery: { version: 1, sha256Hash: sha(bad) } } });
    expect(res.status).toBe(400);
    const again = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha(bad) } } });
    expect(again.body.errors![0]!.extensions).toEqual({ code: "PERSISTED_QUERY_NOT_FOUND" });
  });
});
