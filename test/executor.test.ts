/**
 * Compiled execution (graphql-jit, src/http/executor.ts) answers exactly what graphql-js answers.
 * The threat: a second executor that disagrees with the first on who sees what (a field that should
 * be null with FORBIDDEN comes back filled, an error loses its code or path, a bad variable becomes a
 * 500). Two API servers share one database, one compiling every operation when first seen, the
 * other executing with graphql-js; every persona (and nobody) sends the same operations to both,
 * and the responses must be identical byte for byte, status included. The rest of the suite runs
 * compiled too (tests compile on first sight), so every persona test checks the compiled path.
 */
import { buildSchema, parse, validate } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jitGateway } from "../src/http/executor.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let compiled: TestServer;
let interpreted: TestServer;
beforeAll(async () => {
  // Both without the planner (src/planner: test/planner.test.ts), so that graphql-jit runs what it covers too.
  compiled = await startTestServer({ GRAPHQL_JIT: "on", GRAPHQL_JIT_AFTER: "0", GRAPHQL_COMPILED: "off" });
  interpreted = await startTestServer({ GRAPHQL_JIT: "off", GRAPHQL_COMPILED: "off" }, { sameDatabaseAs: compiled });
});
afterAll(async () => {
  await interpreted?.stop();
  await compiled?.stop();
});

const personas: (Persona | null)[] = [null, "alice", "bob", "carol", "dave", "erin", "frank", "gina", "ivan", "harry", "olga"];

/** Operations covering what execution does: nesting, lists, connections, interfaces, fragments, directives, variables, errors. */
const corpus: { name: string; query: string; variables?: Record<string, unknown> }[] = [
  { name: "viewer", query: `query Viewer { viewer { id needsProfile roles user { username } notifications(first: 3) { totalCount edges { node { id } } } } }` },
  {
    name: "broker page",
    query: `query Clients { businesses(first: 20) { totalCount edges { cursor node { bn9 legalName myRole isServiceProvider
      programAccounts(first: 5) { edges { node { bn15 name myRole hasRppPrivilege overdue } } } } } pageInfo { hasNextPage endCursor } } }`,
  },
  {
    name: "importer page with nested transactions and their submitters",
    query: `query Importer($bn9: String!) { business(bn9: $bn9) { bn9 legalName programAccounts { edges { node { bn15
      transactions(first: 5) { edges { node { transactionNumber releasedOn totalDutiesAndTaxes late dueDate submittedBy { legalName } } } } } } } } }`,
    variables: { bn9: "123456782" },
  },
  {
    name: "another business (not found for most)",
    query: `query Other { business(bn9: "987654321") { bn9 legalName myRole relationships(first: 5) { totalCount } } }`,
  },
  {
    name: "transactions with a filter, aliases and fragments",
    query: `query Recent($f: TransactionFilter) { recent: transactions(first: 10, filter: $f) { ...Page }
      older: transactions(last: 3) { ...Page } }
      fragment Page on TransactionConnection { totalCount edges { node { ...Tx } } pageInfo { hasPreviousPage hasNextPage startCursor endCursor } }
      fragment Tx on Transaction { id transactionNumber totalDutiesAndTaxes programAccount { bn15 myRole } submittedByUser { username } }`,
    variables: { f: {} },
  },
  {
    name: "skip and include",
    query: `query Flags($withAccounts: Boolean!, $skipName: Boolean!) { businesses(first: 5) { edges { node { bn9
      legalName @skip(if: $skipName) programAccounts @include(if: $withAccounts) { totalCount } } } } }`,
    variables: { withAccounts: true, skipName: true },
  },
  {
    name: "node by global id, through an interface",
    query: `query Nodes { businesses(first: 3) { edges { node { id } } } viewer { id } }`,
  },
  {
    name: "relationships",
    query: `query Rels { relationships(first: 10) { totalCount edges { node { id status level role expiresAt seeSubmittedByClient
      client { bn9 legalName } provider { bn9 } programAccounts { edges { node { bn15 } } } } } } }`,
  },
  {
    name: "statements and payments of an account",
    query: `query Money($bn15: String!) { programAccount(bn15: $bn15) { bn15 myRole myAccessExpiresAt securityRequirement { hasRppPrivilege requiredBond postedCash reviewFrom }
      statements(first: 2) { edges { node { id status cycleStart cycleEnd dueDate totalPayable amountOutstanding } } }
      payments(first: 2) { totalCount } financialSecurities(first: 2) { totalCount } } }`,
    variables: { bn15: "123456782RM0001" },
  },
  { name: "why can I see this", query: `query Why($id: ID!) { accessExplanation(id: $id) { targetType effectiveRole allowedActions matchedVisibilityRule } }`, variables: { id: "not-a-global-id" } },
  { name: "a missing required variable", query: `query Missing($bn9: String!) { business(bn9: $bn9) { bn9 } }`, variables: {} },
  { name: "a variable of the wrong type", query: `query Wrong($n: Int) { transactions(first: $n) { totalCount } }`, variables: { n: "ten" } },
  { name: "a scalar's own refusal", query: `query Since($s: DateTimeISO) { business(bn9: "123456782") { auditEvents(since: $s) { totalCount } } }`, variables: { s: "2026-02-30T00:00:00Z" } },
  { name: "an argument out of range", query: `query Big { transactions(first: 100000) { totalCount } }` },
  { name: "an invalid BN9", query: `query Bad { business(bn9: "123456789") { bn9 } }` },
  { name: "agency work (officers only)", query: `query Agency { agencyQueue { __typename } }` },
  { name: "typename and public data", query: `query Rates { __typename prescribedInterestRates { __typename } }` },
];

describe("compiled execution answers as graphql-js does", () => {
  it("has a corpus that is valid against the schema (each operation runs, none is refused before execution)", async () => {
    const sdl = (await import("node:fs")).readFileSync(new URL("../schema.graphql", import.meta.url), "utf8");
    const schema = buildSchema(sdl);
    for (const op of corpus) expect(validate(schema, parse(op.query)), op.name).toEqual([]);
  });

  for (const persona of personas) {
    it(`as ${persona ?? "nobody"}: every operation, twice (the second run reuses the compiled operation)`, async () => {
      let withData = 0;
      for (const op of corpus) {
        for (let run = 0; run < 2; run++) {
          const opts = { ...(persona ? { as: persona } : {}), variables: op.variables };
          const [a, b] = await Promise.all([compiled.gql(op.query, opts), interpreted.gql(op.query, opts)]);
          const strip = ({ extensions: _sql, ...rest }: typeof a) => rest; // the SQL count is each server's own
          expect(strip(a), `${op.name} as ${persona ?? "nobody"}`).toEqual(strip(b));
          expect(JSON.stringify(strip(a))).toBe(JSON.stringify(strip(b)));
          if (a.data && Object.values(a.data).some((v) => v !== null)) withData++;
        }
      }
      // The comparison is not of two empty answers: signed-in personas see data.
      if (persona) expect(withData).toBeGreaterThan(4);
    });
  }
});

describe("compiled execution, where graphql-jit's own behaviour differs from graphql-js's", () => {
  const post = async (server: TestServer, body: unknown) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await server.token("alice")}` },
      body: JSON.stringify(body),
    });
    const { extensions: _sql, ...rest } = (await res.json()) as Record<string, unknown>;
    return { status: res.status, body: rest };
  };

  it("an operation name that matches none is refused, not run (twice: compiled once known)", async () => {
    // What the mutation would write, were it run.
    const count = async () => Number((await compiled.db.query(`SELECT count(*)::int AS n FROM notification_preferences`))[0].n);
    const before = await count();
    for (const body of [
      { query: `mutation A { setNotificationPreferences(input: [{ kind: ACCESS_REQUESTED, email: true }]) { kind email } }`, operationName: "B" },
      { query: `{ viewer { id } }`, operationName: "Named" },
      { query: `query A { viewer { id } } query B { viewer { id } }` },
    ]) {
      for (let run = 0; run < 2; run++) {
        const [a, b] = await Promise.all([post(compiled, body), post(interpreted, body)]);
        expect(a, JSON.stringify(body)).toEqual(b);
        expect(a.status).toBe(400);
      }
    }
    expect(await count()).toBe(before);
  });

  it("an unexpected failure in a resolver is reported as graphql-js reports it: code, path, locations", async () => {
    const query = `query Broken { viewer { id notifications(first: 2) { totalCount } } }`;
    for (let run = 0; run < 2; run++) await post(compiled, { query }); // compiled from now on
    await compiled.db.query(`ALTER TABLE notifications RENAME TO notifications_gone`);
    try {
      const [a, b] = await Promise.all([post(compiled, { query }), post(interpreted, { query })]);
      expect(a).toEqual(b);
      // viewer is non-null: the failure nulls the whole answer.
      expect(a.body).toMatchObject({ data: null, errors: [{ path: ["viewer", "notifications"], locations: [{ line: 1, column: 28 }], extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
    } finally {
      await compiled.db.query(`ALTER TABLE notifications_gone RENAME TO notifications`);
    }
  });
});

describe("which operations are compiled", () => {
  const schema = buildSchema(`type Query { hello(name: String): String }`);
  const run = async (gateway: ReturnType<typeof jitGateway>, query: string) => {
    const { executor } = await gateway.load({ apollo: {} });
    const document = parse(query);
    const operation = document.definitions[0] as never;
    return executor!({ document, operation, operationName: null, queryHash: query, request: { query }, context: {} } as never);
  };

  it("compiles an operation once graphql-js has run it compileAfter times", async () => {
    const gateway = jitGateway(schema, { compileAfter: 2, maxOperations: 10 });
    await run(gateway, "{ hello }");
    await run(gateway, "{ hello }");
    expect(gateway.stats()).toEqual({ compiled: 0, seen: 1 });
    expect(await run(gateway, "{ hello }")).toEqual({ data: { hello: null } });
    expect(gateway.stats()).toEqual({ compiled: 1, seen: 0 });
  });

  it("leaves to graphql-js what graphql-jit refuses to compile", async () => {
    const gateway = jitGateway(schema, { compileAfter: 0, maxOperations: 10 });
    // Two operations and no name to choose one: graphql-jit refuses, graphql-js answers why.
    const result = await run(gateway, "query A { hello } query B { hello }");
    expect(result.errors?.[0]?.message).toBe("Must provide operation name if query contains multiple operations.");
    expect(gateway.stats()).toEqual({ compiled: 0, seen: 1 });
  });

  it("keeps at most maxOperations compiled, and a bounded record of the others (endless distinct documents)", async () => {
    const gateway = jitGateway(schema, { compileAfter: 0, maxOperations: 3 });
    for (let i = 0; i < 10; i++) await run(gateway, `{ a${i}: hello }`);
    expect(gateway.stats().compiled).toBe(3);
    const counting = jitGateway(schema, { compileAfter: 5, maxOperations: 2 });
    for (let i = 0; i < 20; i++) await run(counting, `{ b${i}: hello }`);
    expect(counting.stats()).toEqual({ compiled: 0, seen: 8 });
  });
});

describe("variable coercion is bounded on both paths, and the client's", () => {
  // 20,000 empty objects for a list of inputs with two required fields: 40,000 errors unbounded.
  const schema = buildSchema(`type Query { estimate(lines: [Line!]!): Int } input Line { a: String! b: String! }`);
  const query = `query ($l: [Line!]!) { estimate(lines: $l) }`;
  const run = async (gateway: ReturnType<typeof jitGateway>) => {
    const { executor } = await gateway.load({ apollo: {} });
    const document = parse(query);
    const request = { query, variables: { l: Array.from({ length: 20_000 }, () => ({})) } };
    return executor!({ document, operation: document.definitions[0] as never, operationName: null, queryHash: query, request, context: {} } as never);
  };

  it.each([
    ["compiled (graphql-jit)", { compileAfter: 0, maxOperations: 10 }],
    ["interpreted (graphql-js)", { compileAfter: 1000, maxOperations: 10 }],
  ])("%s: 20 errors and one saying the limit was reached, each BAD_USER_INPUT with HTTP 400", async (_path, opts) => {
    const gateway = jitGateway(schema, opts);
    for (let i = 0; i < 2; i++) {
      const result = await run(gateway);
      expect(result.data).toBeUndefined();
      expect(result.errors).toHaveLength(21);
      expect(result.errors!.at(-1)!.message).toBe("Too many errors processing variables, error limit reached. Execution aborted.");
      for (const e of result.errors!) expect(e.extensions).toMatchObject({ code: "BAD_USER_INPUT", http: { status: 400 } });
    }
  });
});
