/**
 * Operation limits: one small request must not make the server resolve millions of fields or spend
 * its CPU parsing. Over HTTP and over the WebSocket alike, an operation over a limit (tokens, depth,
 * aliases, directives, estimated cost) is refused before it runs, with QUERY_TOO_COMPLEX naming the
 * limit and its value; ordinary screens and GraphiQL's introspection pass.
 */
import { getIntrospectionQuery } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../src/config.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? "ok";

async function refusedBeforeExecution(query: string, variables?: Record<string, unknown>) {
  const res = await server.gql(query, { as: "alice", variables });
  expect(res.status).toBe(400);
  expect(code(res)).toBe("QUERY_TOO_COMPLEX");
  expect(res.data ?? null).toBeNull();
  // Nothing ran, not even the sign-in's profile lookup: refused before the request took a slot.
  expect(res.extensions?.sqlStatements).toBe(0);
  return res.errors![0]!.message;
}

const deepLists = (n: string) => `{ transactions(first: ${n}) { edges { node { transactionNumber
  versions(first: ${n}) { edges { node { versionNo lines(first: ${n}) { edges { node { lineNo valueForDuty } } } } } } } } } }`;

describe("what passes", () => {
  it("the standard introspection query, and GraphiQL's fuller one", async () => {
    const plain = await server.gql(getIntrospectionQuery());
    expect(plain.errors).toBeUndefined();
    expect(plain.data!.__schema.queryType.name).toBe("Query");
    const full = await server.gql(
      getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }),
    );
    expect(full.errors).toBeUndefined();
  });

  it("the README's first query and a page of 100 transactions with their versions", async () => {
    const readme = await server.gql(
      `query { viewer { user { username displayName } roles } business(bn9: "123456782") { legalName programAccounts { edges { node { bn15 myRole
        transactions(first: 5) { totalCount edges { node { transactionNumber releasedOn totalDutiesAndTaxes submittedBy { legalName } } } pageInfo { hasNextPage endCursor } } } } } } }`,
      { as: "alice" },
    );
    expect(readme.errors).toBeUndefined();
    const page = await server.gql(`{ transactions(first: 100) { edges { node { transactionNumber versions(first: 5) { edges { node { versionNo } } } } } } }`, { as: "alice" });
    expect(page.errors).toBeUndefined();
  });
});

describe("a repeated operation", () => {
  it("is judged once when nothing can change its cost, and still by its variables when they can", async () => {
    const query = `query Page($n: Int) { transactions(first: $n) { edges { node { transactionNumber
      versions(first: $n) { edges { node { versionNo lines(first: $n) { edges { node { lineNo } } } } } } } } } }`;
    // Small pages pass, again and again; the same document with page sizes over the cost is refused.
    for (let i = 0; i < 3; i++) expect(code(await server.gql(query, { as: "alice", variables: { n: 2 } }))).toBe("ok");
    await refusedBeforeExecution(query, { n: 100 });
    // Without variables: remembered as passing it passes; one over a limit is refused every time.
    for (let i = 0; i < 3; i++) expect(code(await server.gql(deepLists("2"), { as: "alice" }))).toBe("ok");
    for (let i = 0; i < 3; i++) await refusedBeforeExecution(deepLists("100"));
  });
});

describe("what is refused before it runs", () => {
  it("nested lists whose pages multiply past the cost limit, page sizes from variables included", async () => {
    const message = await refusedBeforeExecution(deepLists("100"));
    expect(message).toMatch(new RegExp(`estimated cost is \\d+; the limit is ${DEFAULT_LIMITS.maxCost}`));
    await refusedBeforeExecution(
      `query ($n: Int!) { transactions(first: $n) { edges { node { versions(first: $n) { edges { node { lines(first: $n) { edges { node { lineNo } } } } } } } } } }`,
      { n: 100 },
    );
    // The same shape with small pages is fine.
    expect((await server.gql(deepLists("5"), { as: "alice" })).errors).toBeUndefined();
  });

  it("a list without first/last counts as the default page of 20", async () => {
    // 20 x 20 x 20 x ... with no page size anywhere.
    const message = await refusedBeforeExecution(
      `{ transactions { edges { node { versions { edges { node { lines { edges { node { lineNo valueForDuty customsDuty gst } } } } } } } } } }`,
    );
    expect(message).toMatch(/default 20/);
  });

  it("too many aliases (the same list asked for many times)", async () => {
    const aliases = Array.from({ length: DEFAULT_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: viewer { roles }`).join(" ");
    expect(await refusedBeforeExecution(`{ ${aliases} }`)).toMatch(new RegExp(`Aliases limit of ${DEFAULT_LIMITS.maxAliases} exceeded`));
  });

  it("too deep, fragments included", async () => {
    const deep = `{ business(bn9: "123456782") { programAccounts { edges { node { business { programAccounts { edges { node { business { programAccounts { edges { node { bn15 } } } } } } } } } } } } }`;
    expect(await refusedBeforeExecution(deep)).toMatch(new RegExp(`depth limit of ${DEFAULT_LIMITS.maxDepth} exceeded`));
  });

  it("too many directives", async () => {
    const directives = Array.from({ length: DEFAULT_LIMITS.maxDirectives + 1 }, () => "... @include(if: true) { __typename }").join(" ");
    expect(await refusedBeforeExecution(`{ ${directives} }`)).toMatch(new RegExp(`Directives limit of ${DEFAULT_LIMITS.maxDirectives} exceeded`));
  });

  it("too many tokens: refused while parsing", async () => {
    const fields = Array.from({ length: DEFAULT_LIMITS.maxTokens }, () => "__typename").join(" ");
    const res = await server.gql(`{ ${fields} }`, { as: "alice" });
    expect(res.status).toBe(400);
    expect(code(res)).toBe("QUERY_TOO_COMPLEX");
    expect(res.errors![0]!.message).toContain(`token limit is ${DEFAULT_LIMITS.maxTokens}`);
  });

  it("an anonymous document of about 1 KB whose fragments fan out 2^22 ways is refused, not expanded", async () => {
    // F0 spreads F1 twice, F1 spreads F2 twice, ... : 2^22 paths to one field. It used to block the
    // whole server for seconds while the old depth rule walked every path.
    const fragments = Array.from({ length: 22 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(" ");
    const res = await server.gql(`query { ...F0 } ${fragments} fragment F22 on Query { viewer { id } }`);
    expect(res.status).toBe(400);
    expect(code(res)).toBe("QUERY_TOO_COMPLEX");
  });

  it("a 5,000-deep chain of fragments is a 400 while parsing, not a stack overflow", async () => {
    const chain = Array.from({ length: 5000 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} }`).join(" ");
    const res = await server.gql(`query { ...F0 } ${chain} fragment F5000 on Query { viewer { id } }`);
    expect(res.status).toBe(400);
    expect(code(res)).toBe("QUERY_TOO_COMPLEX");
  });

  it("a fragment spread many times inside itself's siblings (fan-out) is over the cost", async () => {
    const q = `{ ...A ...A } fragment A on Query { transactions(first: 100) { edges { node { ...B } } } } fragment B on Transaction { versions(first: 100) { edges { node { versionNo } } } }`;
    await refusedBeforeExecution(q);
  });
});

describe("the same limits over the WebSocket", () => {
  async function subscribe(query: string): Promise<any[]> {
    const client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${await server.token("alice")}` }, retryAttempts: 0 });
    const events: any[] = [];
    await new Promise<void>((resolve) => {
      client.subscribe({ query }, { next: (v) => events.push(v), error: (e) => (events.push({ error: e }), resolve()), complete: () => resolve() });
    });
    await client.dispose();
    return events;
  }

  it("an over-limit subscription is refused with the same code and message, without an http field", async () => {
    const aliases = Array.from({ length: DEFAULT_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: id`).join(" ");
    const [event] = await subscribe(`subscription { statementUpdated(bn15: "123456782RM0001") { ${aliases} } }`);
    expect(event.error[0].extensions).toEqual({ code: "QUERY_TOO_COMPLEX" });
    expect(event.error[0].message).toMatch(/Aliases limit of 15 exceeded/);
    const tokens = Array.from({ length: DEFAULT_LIMITS.maxTokens }, () => "id").join(" ");
    const [tooLong] = await subscribe(`subscription { statementUpdated(bn15: "123456782RM0001") { ${tokens} } }`);
    expect(tooLong.error[0].extensions.code).toBe("QUERY_TOO_COMPLEX");
  });
});

describe("subscriptions belong to the WebSocket", () => {
  it("a subscription sent over HTTP is BAD_USER_INPUT with HTTP 400", async () => {
    const res = await server.gql(`subscription { statementUpdated(bn15: "123456782RM0001") { id } }`, { as: "alice" });
    expect(res.status).toBe(400);
    expect(code(res)).toBe("BAD_USER_INPUT");
    expect(res.errors![0]!.message).toMatch(/WebSocket/);
  });
});
