/**
 * docs/errors.md is the one table of every `extensions.code` the API sends, with its HTTP status and
 * what to do. The threat: a code added in the source (or passed on from Apollo Server) that clients
 * meet with no word of what it means. The codes are read from the source itself (every place that
 * writes one: an `extensions.code`, `appError`, a response written before Apollo, the ErrorCode
 * type) and from Apollo Server's own list; the table must name each, and name nothing else. The
 * statuses the table gives are checked against the running server for the codes a request can
 * provoke without a fault.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { ApolloServerErrorCode } from "@apollo/server/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/server.js";

const root = path.join(import.meta.dirname, "..");
const table = fs.readFileSync(path.join(root, "docs", "errors.md"), "utf8");

/** The first table's rows: code -> its HTTP column. */
function documented(): Map<string, string> {
  const codes = table.slice(table.indexOf("## Codes"), table.indexOf("## ", table.indexOf("## Codes") + 3));
  return new Map([...codes.matchAll(/^\| `([A-Z][A-Z_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim()]));
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Every code the source writes into an error. */
function emittedBySource(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (code: string, where: string) => found.set(code, [...(found.get(code) ?? []), where]);
  const patterns = [
    // extensions: { code: "X" } (GraphQLError, graphql-ws errors)
    /\bcode:\s*"([A-Z][A-Z_]+)"/g,
    // appError("X", ...) and its helpers
    /\bappError\(\s*"([A-Z][A-Z_]+)"/g,
    // responses written before Apollo: sendGraphQLError(res, status, "X", ...) and the like
    /\w+\(\s*res,\s*[^,()]+,\s*"([A-Z][A-Z_]+)"/g,
  ];
  for (const file of sourceFiles(path.join(root, "src"))) {
    const text = fs.readFileSync(file, "utf8");
    const where = path.relative(root, file);
    for (const re of patterns) for (const m of text.matchAll(re)) add(m[1]!, where);
    // A code kept in a constant and written as `code: NAME`.
    for (const m of text.matchAll(/\bconst ([A-Z][A-Z_]+) = "([A-Z][A-Z_]+)"/g)) {
      if (new RegExp(`\\bcode:\\s*${m[1]}\\b`).test(text)) add(m[2]!, where);
    }
  }
  // The ErrorCode type: the codes the API's own errors may carry.
  const errors = fs.readFileSync(path.join(root, "src", "common", "errors.ts"), "utf8");
  const union = /export type ErrorCode =([\s\S]*?);/.exec(errors)![1]!;
  for (const m of union.matchAll(/"([A-Z][A-Z_]+)"/g)) add(m[1]!, "src/common/errors.ts (ErrorCode)");
  return found;
}

describe("docs/errors.md", () => {
  it("lists every code the source writes and Apollo Server sends, and no other", () => {
    const fromSource = emittedBySource();
    // The scan finds what it must (a scan that found nothing would pass vacuously).
    for (const code of ["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "BAD_USER_INPUT", "CONFLICT", "RATE_LIMITED", "QUERY_TOO_COMPLEX", "SERVICE_UNAVAILABLE"]) {
      expect(fromSource.has(code), code).toBe(true);
    }
    const sent = new Set([...fromSource.keys(), ...Object.values(ApolloServerErrorCode)]);
    const listed = new Set(documented().keys());
    const missing = [...sent].filter((c) => !listed.has(c)).map((c) => `${c} (${fromSource.get(c)?.join(", ") ?? "Apollo Server"})`);
    expect(missing, "codes sent but not in docs/errors.md").toEqual([]);
    expect([...listed].filter((c) => !sent.has(c)), "codes in docs/errors.md that nothing sends").toEqual([]);
  });

  it("is linked from the README and from the manuals that describe the errors", () => {
    expect(fs.readFileSync(path.join(root, "README.md"), "utf8")).toContain("(docs/errors.md)");
    // The front-end manual ("The API in brief", "For front-end teams") and the operators' ("Identity").
    for (const manual of ["front-end.md", "operators.md"]) {
      expect(fs.readFileSync(path.join(root, "docs", manual), "utf8"), manual).toContain("(errors.md)");
    }
  });
});

describe("the statuses it gives", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    const json = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    return { status: res.status, code: json.errors?.[0]?.extensions?.code };
  };
  const postRaw = async (body: string, url = server.url) => {
    const res = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const json = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    return { status: res.status, code: json.errors?.[0]?.extensions?.code };
  };
  /** The table's HTTP column says this status for this code. */
  const says = (code: string, status: number) => expect(documented().get(code), code).toMatch(new RegExp(`(^|\\D)${status}(\\D|$)`));

  it("each code a request can provoke comes with the status the table gives", async () => {
    const q = "{ __typename }";
    const sha = crypto.createHash("sha256").update(q).digest("hex");
    const alice = `Bearer ${await server.token("alice")}`;
    const cases: [string, Promise<{ status: number; code?: string }>][] = [
      ["UNAUTHENTICATED", post({ query: `{ business(bn9: "123456782") { legalName } }` })],
      ["FORBIDDEN", post({ query: `{ programAccount(bn15: "123456782RM0001") { statements { totalCount } } }` }, { authorization: `Bearer ${await server.token("gina")}` })],
      ["NOT_FOUND", post({ query: `{ business(bn9: "711223347") { legalName } }` }, { authorization: alice })],
      ["BAD_USER_INPUT", post({ query: `{ business(bn9: "123456789") { legalName } }` }, { authorization: alice })],
      ["QUERY_TOO_COMPLEX", post({ query: `{ transactions(first: 100) { edges { node { versions(first: 100) { edges { node { versionNo } } } } } } }` }, { authorization: alice })],
      ["BAD_REQUEST", postRaw("{ not json")],
      ["PERSISTED_QUERY_HASH_MISMATCH", post({ query: q, extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } })],
      ["PERSISTED_QUERY_NOT_SUPPORTED", post({ query: q, extensions: { persistedQuery: { version: 2, sha256Hash: sha } } })],
      ["GRAPHQL_PARSE_FAILED", post({ query: "{ viewer " })],
      ["GRAPHQL_VALIDATION_FAILED", post({ query: "{ nope }" })],
      ["OPERATION_RESOLUTION_FAILURE", post({ query: "query A { __typename }", operationName: "B" })],
      ["PERSISTED_QUERY_NOT_FOUND", post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha } } })],
    ];
    for (const [code, pending] of cases) {
      const { status, code: got } = await pending;
      expect(got, code).toBe(code);
      says(code, status);
    }
    // After it ran, an answer too big to send; before, a body that does not arrive in time (a server
    // with small bounds, so that neither takes long).
    const small = await startTestServer({ MAX_RESPONSE_BYTES: "65536", BODY_TIMEOUT_SECONDS: "1" });
    try {
      const estimate = (alias: string) => `${alias}: estimateDutiesAndTaxes(lines: $l) { lines { lineNo classificationCode valueForDuty customsDuty gst total } }`;
      const line = { classificationCode: "7610100000", valueForDuty: "1000.00", tariffTreatment: "2", customsDutyRate: "6.5" };
      const big = await fetch(`${small.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await small.token("erin")}` },
        body: JSON.stringify({ query: `query ($l: [EstimateLineInput!]!) { ${["a", "b", "c", "d", "e", "f"].map(estimate).join(" ")} }`, variables: { l: Array(100).fill(line) } }),
      });
      const tooLarge = (await big.json()) as { errors: { extensions: { code: string } }[] };
      expect(tooLarge.errors[0]!.extensions.code).toBe("RESPONSE_TOO_LARGE");
      says("RESPONSE_TOO_LARGE", big.status);
      const slow = await new Promise<string>((resolve) => {
        let received = "";
        const socket = net.connect(Number(new URL(small.url).port), "127.0.0.1", () =>
          socket.write(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`),
        );
        socket.on("data", (d) => (received += d.toString()));
        socket.on("error", () => undefined);
        socket.on("close", () => resolve(received));
      });
      expect(slow).toMatch(/"code":"REQUEST_TIMEOUT"/);
      says("REQUEST_TIMEOUT", Number(/^HTTP\/1\.1 (\d{3}) /.exec(slow)![1]));
    } finally {
      await small.stop();
    }
    // RATE_LIMITED's 429 (a client past its share and queue) is provoked in test/slots.test.ts, the
    // export's in test/export.test.ts: both check the status this table gives.
    says("RATE_LIMITED", 429);
    // Outside GraphQL: an unknown path.
    const lost = await fetch(`${server.url}/nowhere`);
    expect(lost.status).toBe(404);
    says("NOT_FOUND", 404);
  });
});
