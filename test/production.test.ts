/**
 * Production mode: an unexpected failure reaches the client as INTERNAL_SERVER_ERROR with a plain
 * message, no stack trace and no database detail, over HTTP and over the WebSocket alike;
 * deliberate errors keep their code and message. The schema is not advertised (introspection and
 * GraphiQL off) unless INTROSPECTION=on / GRAPHIQL=on.
 */
import { createClient } from "graphql-ws";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import WebSocket from "ws";
import { toGlobalId } from "../src/common/node.js";
import { sqlCounter } from "../src/db/sql-counter.js";
import { publishStatementUpdated } from "../src/modules/statement/statement.subscription.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
let aliceToken: string;
let productionEnv: Record<string, string>;
beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  productionEnv = {
    NODE_ENV: "production",
    AUTH_ISSUER: "https://idp.example",
    AUTH_AUDIENCE: "carm-portal",
    AUTH_PUBLIC_KEY: await exportSPKI(publicKey),
    AUTH_PUBLIC_KEY_ALG: "ES256",
  };
  server = await startTestServer(productionEnv);
  aliceToken = await new SignJWT({}).setProtectedHeader({ alg: "ES256" }).setSubject("demo|alice").setIssuer("https://idp.example")
    .setAudience("carm-portal").setExpirationTime("5m").sign(privateKey);
});
afterAll(() => server?.stop());

describe("production mode", () => {
  it("masks an unexpected failure: no message internals, no stack trace", async () => {
    // Break the database under the API: the notifications table disappears.
    await server.db.query(`ALTER TABLE notifications RENAME TO notifications_gone`);
    try {
      const res = await server.gql(`{ viewer { notifications { totalCount } } }`, { token: aliceToken });
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]).toMatchObject({ message: "Internal server error.", extensions: { code: "INTERNAL_SERVER_ERROR" } });
      const { path, ...rest } = res.errors![0] as { path?: unknown };
      expect(path).toEqual(["viewer", "notifications"]);
      expect(JSON.stringify(rest)).not.toMatch(/notifications|relation|does not exist|stacktrace|\.ts|\.js/);
    } finally {
      await server.db.query(`ALTER TABLE notifications_gone RENAME TO notifications`);
    }
  });

  it("keeps deliberate errors as they are, and exposes no SQL counts", async () => {
    const res = await server.gql(`{ business(bn9: "123456789") { legalName } }`, { token: aliceToken });
    expect(res.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT", field: "bn9" });
    // No SQL counts; the cost of the operation, as everywhere the cost budget is on (outside the tests, by default).
    expect(Object.keys(res.extensions ?? {})).toEqual(["cost"]);
    expect(res.extensions).toMatchObject({ cost: { requested: 2, actual: 1 } });
    expect((await fetch(`${server.url}/dev/personas`)).status).toBe(404);
  });

  it("masks an unexpected failure during a subscription event the same way", async () => {
    const [statement] = await server.db.query(
      `SELECT s.id, s.program_account_id FROM statements s JOIN program_accounts pa ON pa.id = s.program_account_id WHERE pa.bn15 = '123456782RM0001' AND s.status = 'OPEN'`,
    );
    const client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${aliceToken}` }, retryAttempts: 0 });
    const events: any[] = [];
    // The business's name is read only by the rendering (the event's decision reads grants, not
    // businesses): breaking that table fails the rendering, not the decision.
    const stop = client.subscribe({ query: `subscription { statementUpdated(bn15: "123456782RM0001") { id cycleEnd programAccount { business { legalName } } } }` }, {
      next: (v) => events.push(v),
      error: (e) => events.push({ error: e }),
      complete: () => undefined,
    });
    try {
      // Once subscribed (an event arrives), break the table the event reads.
      const until = Date.now() + 10_000;
      while (events.length === 0 && Date.now() < until) {
        await server.db.transaction((em) => publishStatementUpdated(em, { id: statement.id, programAccountId: statement.program_account_id }));
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(events[0].data.statementUpdated.id).toBe(toGlobalId("Statement", statement.id));
      await server.db.query(`ALTER TABLE businesses RENAME TO businesses_gone`);
      try {
        const seen = events.length;
        const deadline = Date.now() + 10_000;
        while (events.length === seen && Date.now() < deadline) {
          await server.db.transaction((em) => publishStatementUpdated(em, { id: statement.id, programAccountId: statement.program_account_id }));
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        await server.db.query(`ALTER TABLE businesses_gone RENAME TO businesses`);
      }
      const failed = events.find((e) => e.errors);
      expect(failed.errors).toEqual([{ message: "Internal server error.", path: ["statementUpdated", "programAccount", "business"], locations: [{ line: 1, column: 89 }], extensions: { code: "INTERNAL_SERVER_ERROR" } }]);
      expect(JSON.stringify(failed)).not.toMatch(/businesses|relation|does not exist|stack/);
    } finally {
      stop();
      await client.dispose();
    }
  });

  it("counts SQL statements in total, not per request: no request runs in an AsyncLocalStorage", async () => {
    const total = async () => Number((await (await fetch(`${server.url}/metrics`)).text()).match(/^carm_sql_statements_total (\d+)/m)?.[1]);
    const before = await total();
    // On Node 20 and 22 an AsyncLocalStorage in use puts hooks on every promise of the process (the
    // per-request count of development and tests); production never enters one. Watched on the store
    // itself (this test runs in the server's process), whatever the Node version.
    const run = sqlCounter.run;
    let entered = 0;
    sqlCounter.run = ((...args: Parameters<typeof run>) => {
      entered++;
      return run.apply(sqlCounter, args);
    }) as typeof run;
    try {
      const res = await server.gql(`{ viewer { user { username } } businesses(first: 5) { totalCount } }`, { token: aliceToken });
      expect(res.errors).toBeUndefined();
      // The watch itself works: entering the store directly is seen.
      sqlCounter.run({ count: 0 }, () => undefined);
    } finally {
      sqlCounter.run = run;
    }
    expect(entered).toBe(1);
    expect(await total()).toBeGreaterThan(before);
  });

  it("with introspection off, validation errors teach nothing of the schema: no suggestions, no missing field names", async () => {
    const cases: [string, string][] = [
      [`{ busines(bn9: "123456782") { legalName } }`, 'Cannot query field "busines" on type "Query".'],
      [`mutation { makePaymen }`, 'Cannot query field "makePaymen" on type "Mutation".'],
      [`mutation { makePayment(input: {}) { __typename } }`, "A required input field was not provided."],
      [`mutation { makePayment { __typename } }`, 'Field "makePayment" is missing a required argument.'],
      [`{ viewer { rolez } }`, 'Cannot query field "rolez" on type "Viewer".'],
    ];
    for (const [query, message] of cases) {
      const res = await server.gql(query, { token: aliceToken });
      expect(res.status, query).toBe(400);
      expect(res.errors?.[0]?.extensions?.code, query).toBe("GRAPHQL_VALIDATION_FAILED");
      expect(res.errors?.[0]?.message, query).toBe(message);
      expect(JSON.stringify(res.errors), query).not.toMatch(/Did you mean|bn15|amount|MakePaymentInput|roles/);
    }
    // The same in variables: coercion names no field the client did not send.
    const vars = await server.gql(`mutation ($i: MakePaymentInput!) { makePayment(input: $i) { __typename } }`, { token: aliceToken, variables: { i: { amont: "1.00" } } });
    expect(vars.status).toBe(400);
    expect(JSON.stringify(vars.errors)).not.toMatch(/Did you mean|bn15|"amount"|method/);
    expect(vars.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("does not answer introspection, and serves no GraphiQL page", async () => {
    const res = await server.gql(`{ __schema { queryType { name } } }`, { token: aliceToken });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(res.errors?.[0]?.message).toMatch(/introspection/i);
    expect((await fetch(`${server.url}/graphiql/`)).status).toBe(404);
  });

  it("answers introspection and serves GraphiQL with INTROSPECTION=on and GRAPHIQL=on", async () => {
    const open = await startTestServer({ ...productionEnv, INTROSPECTION: "on", GRAPHIQL: "on" });
    try {
      const res = await open.gql(`{ __schema { queryType { name } } }`, { token: aliceToken });
      expect(res.data).toEqual({ __schema: { queryType: { name: "Query" } } });
      expect((await fetch(`${open.url}/graphiql/`)).status).toBe(200);
    } finally {
      await open.stop();
    }
  });
});
