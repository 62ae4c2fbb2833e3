/**
 * Finding clients and transactions: a search or a filter narrows the list a person may see, never
 * widens it, and another business's data answers like data that does not exist. Each case is
 * checked against the person's whole unfiltered list, filtered here by the rule the schema states
 * (words of the name in any order, BN9 prefix, BN15, transaction number; status, submitter, amount
 * range, number), and by who finds what. Bad input is BAD_USER_INPUT naming the argument.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_BN } from "../src/seed/demo.js";
import { startTestServer, type GqlResult, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
const { mapleLeaf: MAPLE, northern: NORTHERN, prairie: PRAIRIE, coastal: COASTAL, oldBorder: OLD_BORDER } = DEMO_BN;
/** Numbers of Maple Leaf's transactions: one Northern may see (filed by Maple Leaf), one it may not (filed by Old Border). */
let seenByErin: string;
let hiddenFromErin: string;

beforeAll(async () => {
  server = await startTestServer();
  const one = async (submitter: string) => {
    const [row] = await server.db.query(
      `SELECT t.transaction_number FROM transactions t JOIN program_accounts pa ON pa.id = t.program_account_id JOIN businesses b ON b.id = pa.business_id
        WHERE b.bn9 = $1 AND t.submitted_by_business_id = (SELECT id FROM businesses WHERE bn9 = $2) ORDER BY t.transaction_number LIMIT 1`,
      [MAPLE, submitter],
    );
    return row.transaction_number as string;
  };
  seenByErin = await one(MAPLE);
  hiddenFromErin = await one(OLD_BORDER);
});
afterAll(() => server?.stop());

async function clients(as: Persona, search?: string): Promise<string[]> {
  const res = await server.gql(`query ($s: String) { businesses(first: 100, search: $s) { totalCount edges { node { bn9 legalName } } } }`, { as, variables: { s: search ?? null } });
  expect(res.errors).toBeUndefined();
  const conn = res.data!.businesses;
  expect(conn.totalCount).toBe(conn.edges.length);
  return conn.edges.map((e: any) => e.node.legalName);
}

async function searchError(as: Persona, search: string) {
  const res = await server.gql(`query ($s: String) { businesses(search: $s) { totalCount } }`, { as, variables: { s: search } });
  return res.errors?.[0];
}

const personas: Persona[] = ["alice", "bob", "dave", "erin", "frank", "gina", "ivan", "harry"];

describe("searching clients by words of the name", () => {
  it("finds Maple Leaf by words in any order, case-insensitive (windows leaf, maple inc, DOORS maple)", async () => {
    for (const as of ["alice", "erin"] as const) {
      for (const s of ["windows leaf", "maple inc", "DOORS maple", "  leaf   windows  "]) expect(await clients(as, s)).toEqual(["Maple Leaf Windows & Doors Inc."]);
    }
    // Every word must be there.
    expect(await clients("erin", "maple prairie")).toEqual([]);
  });

  it("narrows each person's list by the stated rule and never widens it", async () => {
    const terms = ["maple", "ltd", "inc", "imports", "leaf windows", "northern brokers", "customs", "tied", "&", "%", "_"];
    for (const as of personas) {
      const everything = await clients(as);
      for (const term of terms) {
        const words = term.toLowerCase().split(/\s+/);
        const expected = everything.filter((name) => words.every((w) => name.toLowerCase().includes(w)));
        expect({ as, term, found: await clients(as, term) }).toEqual({ as, term, found: expected });
      }
    }
  });

  it("another business's name looks like nothing: alice and harry do not find Prairie, ivan and erin do", async () => {
    expect(await clients("alice", "prairie")).toEqual([]);
    expect(await clients("harry", "prairie")).toEqual([]);
    expect(await clients("ivan", "prairie imports")).toEqual(["Prairie Imports Ltd."]);
    expect(await clients("erin", "imports prairie")).toEqual(["Prairie Imports Ltd."]);
  });
});

describe("searching clients by number", () => {
  it("a BN9 prefix, a BN15 (or its start) and a transaction number find the business, within reach", async () => {
    expect(await clients("erin", PRAIRIE.slice(0, 5))).toEqual(["Prairie Imports Ltd."]);
    expect(await clients("erin", `${PRAIRIE}RM0001`)).toEqual(["Prairie Imports Ltd."]);
    expect(await clients("erin", `${PRAIRIE}rm`)).toEqual(["Prairie Imports Ltd."]);
    expect(await clients("ivan", "711223347RM0001")).toEqual(["Prairie Imports Ltd."]);
    expect(await clients("alice", `${PRAIRIE}RM0001`)).toEqual([]);
    expect(await clients("alice", `${MAPLE}RM0002`)).toEqual(["Maple Leaf Windows & Doors Inc."]);
    // A program account that does not exist finds nothing, like one out of reach.
    expect(await clients("alice", `${MAPLE}RM0009`)).toEqual([]);
  });

  it("dave (Reader of RM0002 only) finds Maple Leaf by RM0002 but not by RM0001: the account he cannot see is not hinted at", async () => {
    expect(await clients("dave", `${MAPLE}RM0002`)).toEqual(["Maple Leaf Windows & Doors Inc."]);
    expect(await clients("dave", `${MAPLE}RM0001`)).toEqual([]);
  });

  it("a transaction number finds its importer only for people who may see that transaction", async () => {
    expect(await clients("alice", seenByErin)).toEqual(["Maple Leaf Windows & Doors Inc."]);
    expect(await clients("erin", seenByErin)).toEqual(["Maple Leaf Windows & Doors Inc."]);
    expect(await clients("alice", hiddenFromErin)).toEqual(["Maple Leaf Windows & Doors Inc."]);
    // Old Border filed it; Northern's rules let through only its own and the client's: as if it did not exist.
    expect(await clients("erin", hiddenFromErin)).toEqual([]);
    expect(await clients("ivan", seenByErin)).toEqual([]);
  });

  it("refuses what is no identifier nor words, naming the argument", async () => {
    const bad = [
      "1234567890", // 10 digits: neither a BN9 nor a transaction number
      seenByErin.slice(0, 13) + String((Number(seenByErin[13]) + 1) % 10), // a wrong check digit
      `${MAPLE.slice(0, 8)}0RM0001`, // a BN15 whose BN9 fails its check digit
      "a b c d e f g h i", // more than 8 words
      "x".repeat(101),
    ];
    for (const s of bad) expect(await searchError("erin", s)).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "search" } });
  });
});

// ---------------------------------------------------------------------------------------------

interface Txn {
  transactionNumber: string;
  releasedOn: string;
  totalDutiesAndTaxes: string;
  submittedBy: { bn9: string };
  latest: string;
}

const TXN = "transactionNumber releasedOn totalDutiesAndTaxes submittedBy { bn9 } versions(last: 1) { edges { node { status } } }";

async function transactions(as: Persona, filter?: Record<string, unknown>): Promise<Txn[]> {
  const out: Txn[] = [];
  let after: string | null = null;
  for (;;) {
    const res: GqlResult<any> = await server.gql(`query ($f: TransactionFilter, $after: String) { transactions(first: 50, after: $after, filter: $f) { totalCount edges { node { ${TXN} } } pageInfo { hasNextPage endCursor } } }`, {
      as,
      variables: { f: filter ?? null, after },
    });
    expect(res.errors).toBeUndefined();
    const conn: any = res.data!.transactions;
    out.push(...conn.edges.map((e: any) => ({ ...e.node, latest: e.node.versions.edges.at(-1).node.status, versions: undefined })));
    if (!conn.pageInfo.hasNextPage) {
      expect(conn.totalCount).toBe(out.length);
      return out.map(({ versions: _, ...t }: any) => t);
    }
    after = conn.pageInfo.endCursor;
  }
}

async function filterError(as: Persona, filter: Record<string, unknown>) {
  const res = await server.gql(`query ($f: TransactionFilter) { transactions(filter: $f) { totalCount } }`, { as, variables: { f: filter } });
  return res.errors?.[0];
}

const cents = (m: string) => BigInt(m.replace(".", ""));

describe("filtering transactions", () => {
  beforeAll(async () => {
    // Adjustments waiting for the agency: one filed by Northern (erin sees it), one by Coastal (erin's rules hide it).
    for (const [submitter, index] of [[NORTHERN, 1], [COASTAL, 2]] as const) {
      await server.db.query(
        `WITH t AS (SELECT t.id FROM transactions t JOIN program_accounts pa ON pa.id = t.program_account_id JOIN businesses b ON b.id = pa.business_id
                     WHERE b.bn9 = $1 AND t.submitted_by_business_id = b.id
                       AND NOT EXISTS (SELECT 1 FROM transaction_versions v WHERE v.transaction_id = t.id AND v.status <> 'ACCEPTED')
                     ORDER BY t.transaction_number OFFSET $3 LIMIT 1)
         INSERT INTO transaction_versions (transaction_id, version_no, kind, status, submitted_by_business_id, customs_duty, sima, excise, gst, total_duties_and_taxes)
         SELECT t.id, (SELECT max(version_no) + 1 FROM transaction_versions WHERE transaction_id = t.id), 'ADJUSTMENT', 'UNDER_REVIEW', (SELECT id FROM businesses WHERE bn9 = $2),
                0, 0, 0, 1.00, 1.00 FROM t`,
        [MAPLE, submitter, index],
      );
    }
    // As filing does: the row counts its versions (an adjustment under review included).
    await server.db.query(`UPDATE transactions t SET current_version_no = (SELECT max(version_no) FROM transaction_versions v WHERE v.transaction_id = t.id)`);
  });

  it("each filter narrows each person's list exactly by its rule", async () => {
    for (const as of ["alice", "dave", "erin", "frank", "gina", "ivan"] as const) {
      const all = await transactions(as);
      expect(all.length).toBeGreaterThan(0);
      const amounts = all.map((t) => t.totalDutiesAndTaxes).sort((a, b) => (cents(a) < cents(b) ? -1 : 1));
      const low = amounts[Math.floor(amounts.length / 4)]!;
      const high = amounts[Math.floor((amounts.length * 3) / 4)]!;
      const cases: [Record<string, unknown>, (t: Txn) => boolean][] = [
        [{ status: "UNDER_REVIEW" }, (t) => t.latest === "UNDER_REVIEW"],
        [{ status: "ACCEPTED" }, (t) => t.latest === "ACCEPTED"],
        [{ submitterBn9: NORTHERN }, (t) => t.submittedBy.bn9 === NORTHERN],
        [{ submitterBn9: MAPLE }, (t) => t.submittedBy.bn9 === MAPLE],
        [{ amountMin: low }, (t) => cents(t.totalDutiesAndTaxes) >= cents(low)],
        [{ amountMax: high }, (t) => cents(t.totalDutiesAndTaxes) <= cents(high)],
        [{ amountMin: low, amountMax: high }, (t) => cents(t.totalDutiesAndTaxes) >= cents(low) && cents(t.totalDutiesAndTaxes) <= cents(high)],
        [{ amountMin: low, amountMax: low }, (t) => t.totalDutiesAndTaxes === low],
        [{ transactionNumber: all[0]!.transactionNumber }, (t) => t.transactionNumber === all[0]!.transactionNumber],
        [{ transactionNumber: all[0]!.transactionNumber.slice(0, 5) }, (t) => t.transactionNumber.startsWith(all[0]!.transactionNumber.slice(0, 5))],
        [{ submitterBn9: MAPLE, amountMin: low, status: "ACCEPTED" }, (t) => t.submittedBy.bn9 === MAPLE && cents(t.totalDutiesAndTaxes) >= cents(low) && t.latest === "ACCEPTED"],
      ];
      for (const [filter, rule] of cases) {
        const expected = all.filter(rule).map((t) => t.transactionNumber);
        expect({ as, filter, found: (await transactions(as, filter)).map((t) => t.transactionNumber) }).toEqual({ as, filter, found: expected });
      }
    }
  });

  it("status is judged on the versions the person may see: Coastal's adjustment waits for alice, not for erin", async () => {
    const waiting = async (as: Persona) => (await transactions(as, { status: "UNDER_REVIEW" })).length;
    const alice = await waiting("alice");
    const erin = await waiting("erin");
    // The demo's own adjustment under review, Northern's and Coastal's: alice sees all; erin not Coastal's.
    expect(alice).toBe(erin + 1);
    expect(erin).toBeGreaterThanOrEqual(1);
  });

  it("a number out of reach finds nothing, like one that does not exist", async () => {
    expect(await transactions("erin", { transactionNumber: hiddenFromErin })).toEqual([]);
    expect((await transactions("alice", { transactionNumber: hiddenFromErin })).map((t) => t.transactionNumber)).toEqual([hiddenFromErin]);
    expect(await transactions("ivan", { transactionNumber: seenByErin })).toEqual([]);
  });

  it("refuses a bad range or identifier with BAD_USER_INPUT naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ amountMin: "100.00", amountMax: "99.99" }, "filter.amountMin"],
      [{ releasedFrom: "2026-11-02", releasedTo: "2026-11-01" }, "filter.releasedFrom"],
      [{ submitterBn9: "123456789" }, "filter.submitterBn9"],
      [{ transactionNumber: seenByErin.slice(0, 13) + String((Number(seenByErin[13]) + 1) % 10) }, "filter.transactionNumber"],
      [{ transactionNumber: "12a" }, "filter.transactionNumber"],
    ];
    for (const [filter, field] of cases) expect(await filterError("erin", filter)).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field } });
    // Amounts are exact decimals: a third decimal place or a float is refused before any query.
    for (const amountMin of ["1.005", 12.5]) expect(await filterError("erin", { amountMin })).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
  });
});
