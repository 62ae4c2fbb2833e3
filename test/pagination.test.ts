/**
 * Relay cursor pagination: walking forward or backward page by page visits every row once, in
 * order; page sizes are bounded; a cursor that is not ours is a clear BAD_USER_INPUT.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TransactionsPageDocument, type TransactionsPageQuery } from "./generated/graphql.js";
import { startTestServer, type GqlResult, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

async function all(): Promise<string[]> {
  const res = await server.gql(TransactionsPageDocument, { as: "alice", variables: { first: 100 } });
  return res.data!.transactions.edges.map((e) => e.node.transactionNumber);
}

describe("cursor pagination", () => {
  it("forward pages of 5 visit every transaction exactly once, in the same order as one big page", async () => {
    const expected = await all();
    expect(expected.length).toBe(28);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: GqlResult<TransactionsPageQuery> = await server.gql(TransactionsPageDocument, { as: "alice", variables: { first: 5, after } });
      const conn: TransactionsPageQuery["transactions"] = res.data!.transactions;
      expect(conn.totalCount).toBe(28);
      seen.push(...conn.edges.map((e) => e.node.transactionNumber));
      pages++;
      expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!conn.pageInfo.hasNextPage) break;
      expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1)!.cursor);
      after = conn.pageInfo.endCursor;
    }
    expect(pages).toBe(6);
    expect(seen).toEqual(expected);
  });

  it("backward pages (last/before) visit the same rows from the end", async () => {
    const expected = await all();
    const seen: string[] = [];
    let before: string | null = null;
    for (;;) {
      const res: GqlResult<TransactionsPageQuery> = await server.gql(TransactionsPageDocument, { as: "alice", variables: { last: 7, before } });
      const conn: TransactionsPageQuery["transactions"] = res.data!.transactions;
      seen.unshift(...conn.edges.map((e) => e.node.transactionNumber));
      if (!conn.pageInfo.hasPreviousPage) break;
      before = conn.pageInfo.startCursor;
    }
    expect(seen).toEqual(expected);
  });

  it("rows with the same sort key are split across pages without loss (ties broken by id)", async () => {
    // Give every transaction the same release date: ordering then rests on the tie-breaker alone.
    await server.db.query(`UPDATE transactions SET released_on = '2026-11-01'`);
    const expected = await all();
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const res: GqlResult<TransactionsPageQuery> = await server.gql(TransactionsPageDocument, { as: "alice", variables: { first: 3, after } });
      seen.push(...res.data!.transactions.edges.map((e) => e.node.transactionNumber));
      after = res.data!.transactions.pageInfo.hasNextPage ? res.data!.transactions.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(seen).size).toBe(expected.length);
    expect(seen).toEqual(expected);
  });

  it("filters narrow the list and its totalCount", async () => {
    const res = await server.gql(TransactionsPageDocument, {
      as: "alice",
      variables: { first: 100, filter: { bn15: "123456782RM0002", releasedFrom: "2026-01-01" } },
    });
    const conn = res.data!.transactions;
    expect(conn.totalCount).toBe(conn.edges.length);
    expect(new Set(conn.edges.map((e) => e.node.programAccount.bn15))).toEqual(new Set(["123456782RM0002"]));
  });

  it("page size is bounded and arguments are checked", async () => {
    const big = await server.gql(TransactionsPageDocument, { as: "alice", variables: { first: 101 } });
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
    const both = await server.gql(TransactionsPageDocument, { as: "alice", variables: { first: 1, last: 1 } });
    expect(both.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const junk = await server.gql(TransactionsPageDocument, { as: "alice", variables: { first: 1, after: "bm90LWEtY3Vyc29y" } });
    expect(junk.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    const badDate = await server.gql(TransactionsPageDocument, { as: "alice", variables: { filter: { releasedFrom: "2026-13-45" } } });
    expect(badDate.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.releasedFrom" });
    const zero = await server.gql(TransactionsPageDocument, { as: "alice", variables: { first: 0 } });
    expect(zero.data!.transactions.edges).toEqual([]);
    expect(zero.data!.transactions.totalCount).toBe(28);
    expect(zero.data!.transactions.pageInfo.hasNextPage).toBe(true);
  });
});

describe("forged cursors", () => {
  it("a cursor whose sort value does not fit the list is BAD_USER_INPUT, never a 500", async () => {
    const forged = Buffer.from(JSON.stringify(["not-a-date", "3f2b8c1e-5d4a-4b6f-9e7d-0a1b2c3d4e5f"])).toString("base64url");
    const res = await server.gql(TransactionsPageDocument, { as: "alice", variables: { first: 2, after: forged } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });
});

describe("searching businesses", () => {
  const names = async (as: "erin" | "alice", search: string) => {
    const res = await server.gql(`query ($s: String) { businesses(first: 100, search: $s) { totalCount edges { node { bn9 legalName } } } }`, { as, variables: { s: search } });
    expect(res.errors).toBeUndefined();
    return { count: res.data!.businesses.totalCount, names: res.data!.businesses.edges.map((e: any) => e.node.legalName) };
  };
  it("finds by words of the legal name or by BN9 prefix, among what the viewer may see only", async () => {
    expect(await names("erin", "prairie")).toEqual({ count: 1, names: ["Prairie Imports Ltd."] });
    expect(await names("erin", "12345")).toEqual({ count: 1, names: ["Maple Leaf Windows & Doors Inc."] });
    // alice belongs to Maple Leaf only: Prairie exists, but not for her.
    expect(await names("alice", "prairie")).toEqual({ count: 0, names: [] });
    // LIKE's wildcards are plain characters in a search.
    expect(await names("erin", "%")).toEqual({ count: 0, names: [] });
    expect(await names("erin", "_")).toEqual({ count: 0, names: [] });
  });
  it("refuses control characters and over-long terms, naming the argument", async () => {
    for (const s of ["a\u0000b", "x".repeat(101)]) {
      const res = await server.gql(`query ($s: String) { businesses(search: $s) { totalCount } }`, { as: "erin", variables: { s } });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "search" });
    }
  });
});
