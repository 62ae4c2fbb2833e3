/**
 * Client mistakes are the client's: whatever a caller sends (NUL in text, days that do not exist,
 * year 0, forged cursors and ids, out-of-range numbers and instants, malformed or oversized bodies,
 * unsupported charsets, lists far past their bound, objects with nothing in them), the answer is a
 * 4xx with a stable code, never INTERNAL_SERVER_ERROR, never HTML, never a stack trace. Every argument
 * of every query and mutation is driven from the schema itself, so a new field is fuzzed the day it
 * lands; the fuzz runs against a production-mode server, where a stack trace would reach a client.
 */
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
} from "graphql";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { personaSubject } from "../src/auth/personas.js";
import { buildRawSchema } from "../src/schema.js";
import { startTestServer, type GqlResult, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
/** The same API in production mode (a real issuer: its tokens are signed here). */
let production: TestServer;
let productionToken: (p: Persona) => Promise<string>;
beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  [server, production] = await Promise.all([
    startTestServer(),
    startTestServer({ NODE_ENV: "production", AUTH_ISSUER: "https://idp.example", AUTH_AUDIENCE: "carm-portal", AUTH_PUBLIC_KEY: await exportSPKI(publicKey), AUTH_PUBLIC_KEY_ALG: "ES256", REFUSAL_PACING_MAX_MS: "0" }),
  ]);
  const tokens = new Map<Persona, Promise<string>>();
  productionToken = (p) => {
    if (!tokens.has(p)) tokens.set(p, sign(p));
    return tokens.get(p)!;
  };
  const sign = (p: Persona) =>
    new SignJWT({}).setProtectedHeader({ alg: "ES256" }).setSubject(personaSubject(p)).setIssuer("https://idp.example").setAudience("carm-portal").setIssuedAt().setExpirationTime("10m").sign(privateKey);
});
afterAll(async () => {
  await production?.stop();
  await server?.stop();
});

const uuid = "7f0c3c4e-1d2b-4c9a-9e0f-2b3c4d5e6f70";
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");

/** One way of being wrong: a value for each kind of input. */
interface Profile {
  name: string;
  /** Items in every list (default 1). */
  items?: number;
  /** Every input object sent empty. */
  emptyObjects?: boolean;
  string: string;
  int: number;
  id: string;
  money: string;
  instant: string;
}

const profiles: Profile[] = [
  { name: "NUL in text", string: "a\u0000b", int: 1, id: b64(`Business:${uuid}\u0000`), money: "1.00\u0000", instant: "2026-01-01T00:00:00Z\u0000" },
  { name: "a day that does not exist", string: "2025-02-30", int: 0, id: b64("Business:2025-02-30"), money: "2025-02-30", instant: "2025-02-30T00:00:00Z" },
  { name: "year zero", string: "0000-01-01", int: -1, id: b64("Transaction:0000-01-01"), money: "-0.00", instant: "0000-01-01T00:00:00Z" },
  { name: "the far past and future", string: "9999-12-31", int: 2147483647, id: b64(`User:${uuid.toUpperCase()}`), money: "99999999999999999999.99", instant: "-271821-04-20T00:00:00Z" },
  { name: "the far future", string: "x".repeat(5000), int: -2147483648, id: "%%%", money: "1e400", instant: "+275760-09-13T00:00:00Z" },
  { name: "lone surrogates and controls", string: "\ud800\u001b[31m\u202e", int: 100, id: b64("\ud800:\udfff"), money: "NaN", instant: "not a date" },
  { name: "SQL-looking text", string: "'; DROP TABLE users; --", int: 101, id: b64(`Relationship:${uuid}' OR '1'='1`), money: "1;", instant: "2026-13-45T25:61:61Z" },
  { name: "lists far past their bound", items: 500, string: "x", int: 1, id: b64(`Business:${uuid}`), money: "1.00", instant: "2026-01-01T00:00:00Z" },
  { name: "empty objects, many of them", items: 300, emptyObjects: true, string: "", int: 0, id: "", money: "", instant: "" },
  { name: "amounts past any column", string: "1", int: 1, id: b64(`Business:${uuid}`), money: "999999999999.99", instant: "2026-01-01T00:00:00Z" },
];

function valueFor(type: GraphQLInputType, p: Profile, depth = 0): unknown {
  const t = getNullableType(type) as GraphQLInputType;
  if (isListType(t)) return Array.from({ length: p.items ?? 1 }, () => valueFor(t.ofType, p, depth + 1));
  if (isEnumType(t)) return t.getValues()[0]!.value;
  if (isInputObjectType(t)) {
    if (depth > 4 || p.emptyObjects) return depth > 4 ? null : {};
    return Object.fromEntries(Object.values(t.getFields()).map((f) => [f.name, valueFor(f.type, p, depth + 1)]));
  }
  if (isScalarType(t)) {
    switch (t.name) {
      case "String":
        return p.string;
      case "Int":
        return p.int;
      case "Float":
        return p.int;
      case "Boolean":
        return true;
      case "ID":
        return p.id;
      case "Money":
        return p.money;
      case "DateTimeISO":
        return p.instant;
      default:
        return p.string;
    }
  }
  return null;
}

/** `field(arg: $arg ...) { __typename }` with every argument as a variable. */
function operationFor(kind: "query" | "mutation", field: GraphQLField<unknown, unknown>): string {
  const args = field.args as readonly GraphQLArgument[];
  const defs = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(", ");
  const uses = args.map((a) => `${a.name}: $${a.name}`).join(", ");
  const named = getNamedType(field.type);
  const selection = isObjectType(named) || !isScalarType(named) && !isEnumType(named) ? " { __typename }" : "";
  return `${kind}${defs ? ` (${defs})` : ""} { ${field.name}${uses ? `(${uses})` : ""}${selection} }`;
}

function assertClientError(res: GqlResult<unknown>, what: string) {
  const codes = (res.errors ?? []).map((e) => e.extensions?.code);
  expect(codes, `${what}: ${JSON.stringify(res.errors?.map((e) => e.message))}`).not.toContain("INTERNAL_SERVER_ERROR");
  expect(codes, what).not.toContain(undefined);
  expect(res.status, `${what}: ${JSON.stringify(res.errors)}`).toBeLessThan(500);
  // Meaningful against the production-mode server, where nothing may carry a trace (the test-mode
  // server never adds one, so there this line could not fail).
  expect(JSON.stringify(res.errors ?? [])).not.toMatch(/stacktrace|\bat .*\.(ts|js):\d+/);
  // Bounded: however wrong the input, the answer is a few errors, not one per item.
  expect((res.errors ?? []).length, what).toBeLessThanOrEqual(21);
}

describe("every argument of every operation, wrong in every way", () => {
  it("answers a client error, never INTERNAL_SERVER_ERROR", { timeout: 120_000 }, async () => {
    const schema = await buildRawSchema();
    const fields = [
      ...Object.values(schema.getQueryType()!.getFields()).map((f) => ["query", f] as const),
      ...Object.values(schema.getMutationType()!.getFields()).map((f) => ["mutation", f] as const),
    ].filter(([, f]) => f.args.length > 0);
    expect(fields.length).toBeGreaterThan(20);
    const personas: Persona[] = ["alice", "erin"];
    let sent = 0;
    for (const [kind, field] of fields) {
      const query = operationFor(kind, field);
      for (const p of profiles) {
        const variables = Object.fromEntries(field.args.map((a) => [a.name, valueFor(a.type, p)]));
        for (const as of personas) {
          const res = await production.gql(query, { token: await productionToken(as), variables });
          assertClientError(res, `${field.name} with ${p.name} as ${as}`);
          sent++;
        }
      }
    }
    expect(sent).toBeGreaterThan(400);
  });

  it("NUL in a literal argument is BAD_USER_INPUT naming the field, before anything runs", async () => {
    const res = await server.gql(`mutation { requestEmployeeAccess(input: { bn9: "123456782", note: "a\\u0000b" }) { id } }`, { as: "harry" });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "note" });
    // Not even signed in: refused by the operation validation, before the profile is looked up.
    expect(res.extensions?.sqlStatements).toBe(0);
  });

  it("NUL in a variable nested in an input object names the path inside the input", async () => {
    const res = await server.gql(`mutation ($input: RegisterBusinessInput!) { registerBusiness(input: $input) { bn9 } }`, {
      as: "harry",
      variables: { input: { bn9: "123456782", rm: "RM0001", legalName: "x", acceptTerms: true, address: { addressLine: "a", city: "b\u0000", province: "ON", postalCode: "c" }, affinity: {} } },
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "address.city" });
  });
});

describe("dates", () => {
  it.each(["2025-02-30", "0000-01-01", "2025-13-01", "2025-1-01", "2023-02-29", "99999-01-01"])("releasedFrom %s is BAD_USER_INPUT", async (date) => {
    const res = await server.gql(`query ($d: String) { transactions(filter: { releasedFrom: $d }) { totalCount } }`, { as: "alice", variables: { d: date } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.releasedFrom" });
  });

  it("a real leap day passes", async () => {
    const res = await server.gql(`{ transactions(filter: { releasedFrom: "2024-02-29", releasedTo: "9999-12-31" }) { totalCount } }`, { as: "alice" });
    expect(res.errors).toBeUndefined();
  });
});

describe("instants", () => {
  it("year 0 is an instant like any other (ISO 8601: 1 BC): everything since then", async () => {
    const res = await server.gql(`{ business(bn9: "123456782") { auditEvents(since: "0000-01-01T00:00:00Z") { totalCount } } }`, { as: "alice" });
    expect(res.errors).toBeUndefined();
  });

  it.each(["-271821-04-20T00:00:00Z", "+275760-09-13T00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-01T24:00:01Z", "2026-01-01"])(
    "auditEvents(since: %s) is a client error",
    async (since) => {
      const res = await server.gql(`query ($s: DateTimeISO) { business(bn9: "123456782") { auditEvents(since: $s) { totalCount } } }`, {
        as: "alice",
        variables: { s: since },
      });
      assertClientError(res, since);
      expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    },
  );
});

describe("cursors", () => {
  const page = (after: string) => server.gql(`query ($a: String) { transactions(first: 2, after: $a) { totalCount } }`, { as: "alice", variables: { a: after } });
  const forged = (sort: unknown) => b64(JSON.stringify([sort, uuid]));

  it.each([
    ["garbage", "%%%"],
    ["a day that does not exist", forged("2025-02-30")],
    ["year zero", forged("0000-01-01")],
    ["a number", forged(5)],
    ["NUL", forged("2026-01-01\u0000")],
    ["a non-uuid id", b64(JSON.stringify(["2026-01-01", "1; DROP"]))],
  ])("a forged cursor (%s) is BAD_USER_INPUT", async (_what, cursor) => {
    const res = await page(cursor);
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("an out-of-range integer sort value in a version cursor is BAD_USER_INPUT", async () => {
    const t = await server.gql(`{ transactions(first: 1) { edges { node { transactionNumber } } } }`, { as: "alice" });
    const n = t.data!.transactions.edges[0].node.transactionNumber;
    for (const sort of ["9999999999", "-9999999999", "1.5"]) {
      const res = await server.gql(`query ($n: String!, $a: String) { transaction(transactionNumber: $n) { versions(after: $a) { totalCount } } }`, {
        as: "alice",
        variables: { n, a: forged(sort) },
      });
      expect(res.errors?.[0]?.extensions?.code, sort).toBe("BAD_USER_INPUT");
    }
  });
});

describe("the request itself", () => {
  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

  async function expectJsonError(res: Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const text = await res.text();
    expect(text).not.toMatch(/<html|<pre|stack|\.js:\d+/i);
    expect(JSON.parse(text).errors[0].extensions.code).toBe(code);
  }

  it("malformed JSON is BAD_REQUEST (400), as JSON", async () => {
    await expectJsonError(await post('{"query": "{ viewer { roles } }"'), 400, "BAD_REQUEST");
  });

  it("an unsupported charset is BAD_REQUEST (415)", async () => {
    await expectJsonError(await post('{"query":"{ viewer { roles } }"}', { "content-type": "application/json; charset=latin1" }), 415, "BAD_REQUEST");
  });

  it("an unsupported content encoding is BAD_REQUEST (415)", async () => {
    await expectJsonError(await post('{"query":"{ viewer { roles } }"}', { "content-encoding": "bogus" }), 415, "BAD_REQUEST");
  });

  it("a body over the limit is BAD_REQUEST (413)", async () => {
    await expectJsonError(await post(JSON.stringify({ query: "{ viewer { roles } }", variables: { pad: "x".repeat(1024 * 1024 + 10) } })), 413, "BAD_REQUEST");
  });

  it("another content type, or no body, is a 400 with a code", async () => {
    await expectJsonError(await post("{ viewer { roles } }", { "content-type": "text/plain" }), 400, "BAD_REQUEST");
    await expectJsonError(await fetch(`${server.url}/graphql`, { method: "POST" }), 400, "BAD_REQUEST");
  });

  it("a JSON body that is not an operation is a 400 with a code", async () => {
    for (const body of ["[]", "null", '"x"', '{"query": 5}', '{"query": "{ viewer { roles } }", "variables": "x"}']) {
      const res = await post(body);
      expect(res.status, body).toBe(400);
      const json = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(json.errors[0]!.extensions.code, body).toMatch(/^BAD_REQUEST|BAD_USER_INPUT$/);
    }
  });

  it("an unknown path is a JSON 404", async () => {
    await expectJsonError(await fetch(`${server.url}/nowhere`), 404, "NOT_FOUND");
  });
});

describe("x-request-id", () => {
  it("a sane id is echoed on every response; anything else is replaced by a fresh uuid", async () => {
    const sane = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": "edge-42.abc:1" } });
    expect(sane.headers.get("x-request-id")).toBe("edge-42.abc:1");
    for (const bad of ["x".repeat(129), "a b", "line\tbreak", "<script>", "é"]) {
      const res = await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": encodeURI(bad) === bad ? bad : bad.replace(/[^\x20-\x7e]/g, "?") },
        body: JSON.stringify({ query: "{ viewer { roles } }" }),
      });
      expect(res.headers.get("x-request-id"), bad).toMatch(/^[0-9a-f-]{36}$/);
    }
    const none = await fetch(`${server.url}/nowhere`);
    expect(none.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
