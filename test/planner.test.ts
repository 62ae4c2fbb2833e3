/**
 * The compiled path (src/planner) answers byte for byte what the general path answers. The threat:
 * a second reading of the rules that disagrees with the first (a row another business owns, a role
 * the viewer does not hold, a total from a version they may not see). Two API servers share one
 * database, one planning query operations into one statement (GRAPHQL_COMPILED on), the other
 * answering everything through resolvers (off); every demo persona sends the benchmark's pages and
 * the other covered shapes to both, and the response bodies must be the same text, status included.
 * The compiled server must also have answered the covered operations in one statement besides
 * sign-in, whatever the page's size.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getOperationAST, parse } from "graphql";
import { pages } from "../bench/pages.js";
import { actualCost, compiledCost } from "../src/limits/actual-cost.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let compiled: TestServer;
let general: TestServer;
beforeAll(async () => {
  compiled = await startTestServer({ GRAPHQL_COMPILED: "on", EXPOSE_SQL_COUNT: "0" });
  general = await startTestServer({ GRAPHQL_COMPILED: "off", EXPOSE_SQL_COUNT: "0" }, { sameDatabaseAs: compiled });
});
afterAll(async () => {
  await general?.stop();
  await compiled?.stop();
});

const personas: (Persona | null)[] = [null, "alice", "bob", "carol", "dave", "erin", "frank", "gina", "ivan", "harry", "olga"];

/** Operations the planner covers (and a few it must hand back), as front ends send them. */
const corpus: { name: string; query: string; variables?: Record<string, unknown>; covered: boolean }[] = [
  ...pages.map((p) => ({ name: p.name, query: p.query, covered: true })),
  {
    name: "aliases, fragments, typenames, cursors, page info",
    query: `query Shapes($n: Int, $after: String) { first: businesses(first: $n, after: $after) { __typename ...Page } again: businesses(first: 2) { pageInfo { startCursor hasPreviousPage } } }
      fragment Page on BusinessConnection { edges { __typename cursor node { __typename id bn9 ... on Business { legalName isServiceProvider } accounts: programAccounts(first: 2) { edges { cursor node { id rm myRole } } pageInfo { hasNextPage endCursor } } } }
        pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor } }`,
    variables: { n: 3 },
    covered: true,
  },
  {
    name: "skip and include with literals",
    query: `query Flags { businesses(first: 4) { edges { node { bn9 legalName @skip(if: true) programAccounts @include(if: true) { edges { node { bn15 @include(if: false) name } } } } } } }`,
    covered: true,
  },
  {
    name: "transactions, root list",
    query: `query Recent { transactions(first: 7) { edges { cursor node { id transactionNumber releasedOn accountedOn totalDutiesAndTaxes submittedBy { bn9 legalName } } } pageInfo { hasNextPage endCursor } } }`,
    covered: true,
  },
  { name: "zero-size page", query: `query Zero { businesses(first: 0) { edges { cursor } pageInfo { hasNextPage startCursor endCursor } } }`, covered: true },
  { name: "not found", query: `query Other { business(bn9: "987654321") { bn9 legalName } }`, covered: true },
  { name: "bad page size (general path's error)", query: `query Big { businesses(first: 1000) { edges { cursor } } }`, covered: true },
  { name: "a forged cursor", query: `query Forged { businesses(first: 2, after: "bm9wZQ") { edges { cursor } } }`, covered: true },
  { name: "backward (general path)", query: `query Back { businesses(last: 2) { edges { cursor node { bn9 } } } }`, covered: false },
  { name: "a field not covered", query: `query Addr { businesses(first: 2) { edges { node { bn9 city } } } }`, covered: false },
  { name: "totalCount (general path)", query: `query Count { businesses(first: 2) { totalCount } }`, covered: false },
];

async function post(server: TestServer, query: string, variables: Record<string, unknown> | undefined, persona: Persona | null) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (persona) headers.authorization = `Bearer ${await server.token(persona)}`;
  const res = await fetch(`${server.url}/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables: variables ?? {} }) });
  return { status: res.status, body: await res.text() };
}

describe("the compiled path answers as the general path does", () => {
  for (const persona of personas) {
    it(`as ${persona ?? "nobody"}: every operation, byte for byte`, async () => {
      let withData = 0;
      for (const op of corpus) {
        for (let run = 0; run < 2; run++) {
          const b = await post(general, op.query, op.variables, persona);
          const before = compiled.sqlStatements();
          const a = await post(compiled, op.query, op.variables, persona);
          const statements = compiled.sqlStatements() - before;
          expect(a, `${op.name} as ${persona ?? "nobody"}`).toEqual(b);
          const body = JSON.parse(a.body) as { data?: Record<string, unknown> | null; errors?: unknown };
          if (body.data && !body.errors && Object.values(body.data).some((v) => v !== null)) {
            withData++;
            // The cost budget counts a compiled answer on its text (compiledCost): the same figure
            // as actualCost on the parsed data, for every answer here.
            const document = parse(op.query);
            const text = a.body.slice('{"data":'.length, a.body.lastIndexOf("}"));
            expect(JSON.parse(text), `${op.name}: the data's text`).toEqual(body.data);
            expect(compiledCost(text), `${op.name} as ${persona}: cost`).toBe(actualCost(document, getOperationAST(document)!, body.data));
            // Sign-in, the one statement, and for a provider's root list the probe of a small book
            // (auth/books.ts: how to read it, remembered when large), whatever the page holds.
            if (op.covered && persona) expect(statements, `${op.name} as ${persona}: statements`).toBeLessThanOrEqual(3);
          }
        }
      }
      if (persona) expect(withData).toBeGreaterThan(4);
    });
  }

  it("counts a compiled answer's cost on its text: keys, not quotes or colons inside strings", () => {
    const data = { a: "x\":y", b: ":\"", c: [{ d: "\\", e: null, f: 1.5 }, { d: "\\\":", e: true, f: "" }], _g2: { h: "{\"i\":0}" } };
    const document = parse(`{ a b c { d e f } _g2 { h } }`);
    const text = JSON.stringify(data);
    expect(compiledCost(text)).toBe(actualCost(document, getOperationAST(document)!, data));
    expect(compiledCost(text)).toBe(11);
  });

  it("counts each operation by the path that answered it (carm_graphql_execution_path_total)", async () => {
    const metrics = async () => (await fetch(`${compiled.url}/metrics`)).text();
    const count = (text: string, operation: string, path: string) =>
      Number(new RegExp(`carm_graphql_execution_path_total\\{operation="${operation}",path="${path}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    const before = await metrics();
    for (const op of ["ClientPage", "Dashboard", "ImporterPage", "Addr"]) {
      const query = op === "Addr" ? corpus.find((c) => c.name === "a field not covered")!.query : pages.find((p) => p.query.includes(`query ${op} `))!.query;
      await post(compiled, query, {}, op === "ImporterPage" ? "alice" : "erin");
    }
    const after = await metrics();
    for (const op of ["ClientPage", "Dashboard", "ImporterPage"]) expect(count(after, op, "compiled") - count(before, op, "compiled"), op).toBe(1);
    expect(count(after, "Addr", "general") - count(before, "Addr", "general")).toBe(1);
    expect(count(after, "Addr", "compiled")).toBe(0);
  });

  it("the cursors it writes page on as the general path's do", async () => {
    const query = `query P($after: String) { businesses(first: 2, after: $after) { edges { cursor node { bn9 } } pageInfo { hasNextPage endCursor } } }`;
    let after: string | null = null;
    for (let i = 0; i < 4; i++) {
      const a = await post(compiled, query, { after }, "erin");
      const b = await post(general, query, { after }, "erin");
      expect(a).toEqual(b);
      const page = JSON.parse(a.body).data.businesses;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(after).not.toBeNull();
  });
});
