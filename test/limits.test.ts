/**
 * Operation limits: one small request must not make the server resolve millions of fields or spend
 * its CPU parsing. Over HTTP and over the WebSocket alike, an operation over a limit (tokens, depth,
 * aliases, directives, estimated cost) is refused before it runs, with QUERY_TOO_COMPLEX naming the
 * limit and its value; ordinary screens and GraphiQL's introspection pass.
 */
import fs from "node:fs";
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

  it("a page of 100 transactions with their versions", async () => {
    const page = await server.gql(`{ transactions(first: 100) { edges { node { transactionNumber versions(first: 5) { edges { node { versionNo } } } } } } }`, { as: "alice" });
    expect(page.errors).toBeUndefined();
  });
});

describe("the README's first query", () => {
  // As the README has it (its section "Your first query"), so that the example a newcomer runs first is the one tested.
  const readme = fs.readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const first = /### Your first query[\s\S]*?```graphql\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";

  it("runs, and still runs grown to pages of 100 transactions under the default page of accounts", async () => {
    expect(first).toMatch(/programAccounts \{/); // the accounts list has no page size: its default counts
    expect(first).toMatch(/transactions\(first: 5\)/);
    const asWritten = await server.gql(first, { as: "alice" });
    expect(asWritten.errors).toBeUndefined();
    const grown = await server.gql(first.replace("transactions(first: 5)", "transactions(first: 100)"), { as: "alice" });
    expect(grown.errors).toBeUndefined();
    // Maple Leaf's two accounts (at most 10 by default), each with its transactions, up to 100.
    const accounts = grown.data!.business.programAccounts.edges;
    expect(accounts.map((e: { node: { bn15: string } }) => e.node.bn15)).toEqual(["123456782RM0001", "123456782RM0002"]);
    for (const a of accounts) expect(a.node.transactions.edges.length).toBe(Math.min(100, a.node.transactions.totalCount));
  });

  it("grown past the limit, its refusal names the list that weighs most, its page size and cost", async () => {
    const res = await server.gql(first.replace("programAccounts {", "programAccounts(first: 30) {").replace("transactions(first: 5)", "transactions(first: 100)"), { as: "alice" });
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions).toMatchObject({
      code: "QUERY_TOO_COMPLEX",
      limit: DEFAULT_LIMITS.maxCost,
      heaviestList: { list: "Business.programAccounts", pageSize: 30, byDefault: false },
    });
    const { cost, heaviestList } = res.errors![0]!.extensions as unknown as { cost: number; heaviestList: { itemCost: number; cost: number } };
    expect(heaviestList.cost).toBe(1 + 30 * heaviestList.itemCost);
    expect(cost).toBeGreaterThan(DEFAULT_LIMITS.maxCost);
    expect(res.errors![0]!.message).toContain(`The heaviest list is Business.programAccounts: 30 items of ${heaviestList.itemCost} each, ${heaviestList.cost}.`);
  });

  it("the accounts' default page is 10, for the cost and for the answer alike", async () => {
    // 12 accounts on a business: without a page size, the first 10 come back and the next page is announced.
    const maple = (await server.db.query(`SELECT id FROM businesses WHERE bn9 = '123456782'`))[0].id as string;
    await server.db.query(
      `INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT $1, 'RM' || lpad(k::text, 4, '0'), '123456782RM' || lpad(k::text, 4, '0'), 'Extra ' || k FROM generate_series(3, 12) k`,
      [maple],
    );
    try {
      const nested = await server.gql(`{ business(bn9: "123456782") { programAccounts { totalCount edges { node { rm } } pageInfo { hasNextPage } } } }`, { as: "alice" });
      expect(nested.data!.business.programAccounts).toMatchObject({ totalCount: 12, pageInfo: { hasNextPage: true } });
      expect(nested.data!.business.programAccounts.edges).toHaveLength(10);
      // Read with the client list (the businesses root reads nested accounts in its own statement): the same 10.
      const listed = await server.gql(`{ businesses(search: "Maple") { edges { node { programAccounts { edges { node { rm } } pageInfo { hasNextPage } } } } } }`, { as: "alice" });
      expect(listed.data!.businesses.edges[0].node.programAccounts.edges).toHaveLength(10);
      expect(listed.data!.businesses.edges[0].node.programAccounts.pageInfo.hasNextPage).toBe(true);
      // Backward from a cursor without a size: as many.
      const end = (await server.gql(`{ business(bn9: "123456782") { programAccounts(first: 12) { pageInfo { endCursor } } } }`, { as: "alice" })).data!.business.programAccounts.pageInfo.endCursor;
      const back = await server.gql(`query ($c: String) { business(bn9: "123456782") { programAccounts(before: $c) { edges { node { rm } } } } }`, { as: "alice", variables: { c: end } });
      expect(back.data!.business.programAccounts.edges).toHaveLength(10);
    } finally {
      await server.db.query(`DELETE FROM program_accounts WHERE business_id = $1 AND rm <> ALL('{RM0001,RM0002}')`, [maple]);
    }
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
