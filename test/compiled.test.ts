/**
 * The planner's one statement (GRAPHQL_COMPILED, src/planner) answers exactly what the resolvers
 * answer. The threat: a second reading of the policy that disagrees with the first on who sees what
 * (a client of another broker in the list, a transaction whose submitter the grant hides, a money
 * amount written another way, a page that skips or repeats a row after a cursor), unseen because the
 * general path's tests still pass. Two API servers share one database, one with the planner on and
 * one with it off; every persona of the demo world (and nobody) sends every operation of the
 * catalogue (test/support/catalogue.ts: the bench's three pages, the front end's documents, shapes
 * generated around the planner's coverage) to both, and the two HTTP responses must be identical,
 * status and body, byte for byte. Then again on a broker's book at two sizes, with the small-book
 * threshold lowered so that one is read from its accounts and the other in list order (both list
 * strategies; the books' verdicts are recorded to show each ran).
 *
 * Coverage is part of the proof: the planner's metric (`carm_graphql_execution_path_total` on
 * /metrics) must show every operation the catalogue marks "compiled" answered by the planner and
 * every other by the general path; a planner that fell back for everything would make the byte
 * comparison vacuous.
 */
import { parse, validate, buildSchema } from "graphql";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBrokerBook } from "../bench/world.js";
import { AccessLoader } from "../src/auth/access-loader.js";
import { BooksBySize, type BookOfBusiness } from "../src/auth/books.js";
import type { Queryable } from "../src/db/sql.js";
import { catalogue, NORTHERN, type CatalogueOperation } from "./support/catalogue.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const personas: (Persona | null)[] = [null, "alice", "bob", "carol", "dave", "erin", "frank", "gina", "ivan", "harry", "olga"];
const operations = catalogue();

/** A book strategy that records its verdicts: small (read from the accounts) or large (in list order). */
class RecordingBooks implements BookOfBusiness {
  readonly verdicts = { small: 0, large: 0 };
  constructor(private readonly inner: BookOfBusiness) {}
  async smallBook(db: Queryable, person: string, now: Date) {
    const book = await this.inner.smallBook(db, person, now);
    this.verdicts[book ? "small" : "large"]++;
    return book;
  }
}

/**
 * The bench's book delegates every client alike; a real book does not. Every third client delegates
 * one account only (program-account level), every fifth as Reader, every seventh's delegation has
 * expired (Northern's people keep, as Expired users, what Northern filed); and half the book is in a
 * client group assigned to frank as Reader, so that he too reads a book of its size through groups.
 */
async function varyBook(db: TestServer["db"]) {
  const bench = (every: number) => `SELECT b.id FROM businesses b WHERE b.legal_name LIKE 'Bench Client %' AND substring(b.legal_name FROM 14 FOR 5)::int % ${every} = 0`;
  await db.query(`UPDATE relationships SET level = 'PROGRAM_ACCOUNT' WHERE client_business_id IN (${bench(3)})`);
  await db.query(
    `INSERT INTO relationship_program_accounts (relationship_id, program_account_id)
     SELECT r.id, pa.id FROM relationships r JOIN program_accounts pa ON pa.business_id = r.client_business_id AND pa.rm = 'RM0001' WHERE r.client_business_id IN (${bench(3)})`,
  );
  await db.query(`UPDATE relationships SET role = 'READER' WHERE client_business_id IN (${bench(5)})`);
  await db.query(`UPDATE relationships SET expires_at = now() - interval '1 day' WHERE client_business_id IN (${bench(7)})`);
  const [group] = await db.query(
    `INSERT INTO client_groups (provider_business_id, name, normalized_name) SELECT id, 'Bench clients', 'bench clients' FROM businesses WHERE bn9 = $1 RETURNING id`,
    [NORTHERN],
  );
  await db.query(`INSERT INTO client_group_clients (group_id, client_business_id) SELECT $1, id FROM (${bench(2)}) c`, [group.id]);
  await db.query(`INSERT INTO client_group_assignments (group_id, user_id, role) SELECT $1, id, 'READER' FROM users WHERE username = 'frank'`, [group.id]);
  // Names that JSON, base64 and the list's order must carry exactly (they sort among the others, and are in cursors).
  const names = ['"Quoted" \\ back\\slash & <b>', "Énergie – Québec ☃ 😀", "line\u2028separator\u0007bell", "tab\there"];
  for (const [i, name] of names.entries()) {
    await db.query(`UPDATE businesses SET legal_name = legal_name || ' ' || $2 WHERE legal_name LIKE $1`, [`Bench Client ${String(i + 1).padStart(5, "0")} %`, name]);
  }
  await db.query("VACUUM (ANALYZE)");
}

interface Pair {
  compiled: TestServer;
  general: TestServer;
  books: RecordingBooks[];
}

/**
 * Two servers on one database. Both execute as production does (graphql-jit on), with the SQL count
 * off (it is each server's own, and would make equal answers differ).
 */
async function startPair(clients: number, smallAtMost?: number): Promise<Pair> {
  const books = [new RecordingBooks(new BooksBySize(smallAtMost)), new RecordingBooks(new BooksBySize(smallAtMost))];
  const env = { EXPOSE_SQL_COUNT: "off" };
  const compiled = await startTestServer({ ...env, GRAPHQL_COMPILED: "on" }, { accessLoader: new AccessLoader({ books: books[0] }) });
  if (clients > 0) {
    await seedBrokerBook(compiled.db, clients);
    await varyBook(compiled.db);
  }
  const general = await startTestServer({ ...env, GRAPHQL_COMPILED: "off" }, { sameDatabaseAs: compiled, accessLoader: new AccessLoader({ books: books[1] }) });
  return { compiled, general, books };
}

async function stopPair(pair: Pair | undefined) {
  await pair?.general.stop();
  await pair?.compiled.stop();
}

/** A response as the client receives it: status and the body's bytes. */
async function post(server: TestServer, persona: Persona | null, body: { query: string; variables?: Record<string, unknown> }) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (persona) headers.authorization = `Bearer ${await server.token(persona)}`;
  const res = await fetch(`${server.url}/graphql`, { method: "POST", headers, body: JSON.stringify({ query: body.query, variables: body.variables ?? {} }) });
  return { status: res.status, text: await res.text() };
}

/** Requests answered so far, by operation and path, from the server's /metrics ("operation|path": count). */
async function pathCounts(server: TestServer): Promise<Map<string, number>> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/^carm_graphql_execution_path_total\{([^}]*)\} (\S+)$/gm)) {
    const label = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(m[1]!)?.[1];
    counts.set(`${label("operation")}|${label("path")}`, Number(m[2]));
  }
  return counts;
}

/** What moved between two readings of pathCounts (zeros left out). */
function moved(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of after) if (n !== (before.get(key) ?? 0)) out[key] = n - (before.get(key) ?? 0);
  return out;
}

/** Where two texts first differ, with some context on each side. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 80);
  return `at byte ${i}:\n  planner: …${a.slice(from, i + 120)}\n  general: …${b.slice(from, i + 120)}`;
}

interface Finding {
  operation: string;
  request: string;
  persona: string;
  detail: string;
  size: number;
}

/**
 * Runs every operation (and the follow-ups its answer leads to) as one persona on both servers:
 * the answers that differ, the requests that took another path than the catalogue says, and how
 * many answers carried data (so that two empty answers are not taken for a proof).
 */
async function runCatalogue(pair: Pair, persona: Persona | null, ops: CatalogueOperation[], repeat: number) {
  const differences: Finding[] = [];
  let withData = 0;
  let compared = 0;
  const who = persona ?? "nobody";
  // The path each request must take, counted per operation as the metric counts them.
  const expected: Record<string, number> = {};
  const before = [await pathCounts(pair.compiled), await pathCounts(pair.general)] as const;
  /** One request on both servers (`repeat` times); the general path's answer, from which follow-ups are built. */
  const one = async (op: CatalogueOperation, label: string, body: { query: string; variables?: Record<string, unknown> }) => {
    let reference = "";
    for (let run = 0; run < repeat; run++) {
      const [a, b] = await Promise.all([post(pair.compiled, persona, body), post(pair.general, persona, body)]);
      compared++;
      // The planner answers a covered operation's request when the answer is data without errors
      // (an error is the general path's to give, and nobody signed in passes the root fields' rule).
      const errors = "errors" in (JSON.parse(b.text) as object);
      const path = op.covered && persona !== null && !errors ? "compiled" : "general";
      expected[`${op.name}|${path}`] = (expected[`${op.name}|${path}`] ?? 0) + 1;
      if (a.status !== b.status || a.text !== b.text) {
        differences.push({
          operation: op.name,
          request: `${label}: ${JSON.stringify(body)}`,
          persona: who,
          detail: `status ${a.status} / ${b.status}; ${firstDifference(a.text, b.text)}`,
          size: body.query.length + a.text.length + b.text.length,
        });
      }
      const data = (JSON.parse(b.text) as { data?: Json }).data;
      if (data && Object.values(data).some((v) => v !== null)) withData++;
      reference = b.text;
    }
    return (JSON.parse(reference) as { data?: Json }).data ?? null;
  };
  for (const op of ops) {
    const data = await one(op, "first request", { query: op.query, variables: op.variables });
    for (const f of data && op.next ? op.next(data) : []) await one(op, f.label, { query: f.query ?? op.query, variables: f.variables ?? op.variables });
  }
  const took = moved(before[0], await pathCounts(pair.compiled));
  const tookWhenOff = moved(before[1], await pathCounts(pair.general));
  const planned = Object.entries(took).filter(([k]) => k.endsWith("|compiled")).reduce((n, [, v]) => n + v, 0);
  return { differences, took, expected, tookWhenOff, withData, compared, planned };
}

const report = (differences: Finding[]) =>
  differences
    .sort((x, y) => x.size - y.size)
    .map((d) => `${d.operation} as ${d.persona} (${d.request.slice(0, 300)}): ${d.detail}`)
    .join("\n\n");

describe("the catalogue", () => {
  it("is valid against the schema: every operation and follow-up runs, none is refused before execution", () => {
    const schema = buildSchema(fs.readFileSync(new URL("../schema.graphql", import.meta.url), "utf8"));
    for (const op of operations) expect(validate(schema, parse(op.query)), op.name).toEqual([]);
    // Both paths are exercised, and each source contributes operations the planner covers.
    for (const source of ["bench", "operations", "generated"] as const) expect(operations.filter((o) => o.source === source).length, source).toBeGreaterThan(0);
    expect(operations.filter((o) => o.covered).length).toBeGreaterThan(15);
    expect(operations.filter((o) => !o.covered).length).toBeGreaterThan(10);
  });
});

/** The worlds: the demo's, and a broker's book at two sizes on either side of a lowered threshold. */
const SMALL_AT_MOST = 100;
const worlds = [
  { name: "the demo world", clients: 0, smallAtMost: undefined, repeat: 2, erinBook: "small" as const },
  { name: `a broker's book of 20 clients (up to 60 accounts: read from its accounts, at most ${SMALL_AT_MOST})`, clients: 20, smallAtMost: SMALL_AT_MOST, repeat: 1, erinBook: "small" as const },
  { name: `a broker's book of 150 clients (over 300 accounts: read in list order, above ${SMALL_AT_MOST})`, clients: 150, smallAtMost: SMALL_AT_MOST, repeat: 1, erinBook: "large" as const },
];

for (const world of worlds) {
  describe(`planner and general path answer byte for byte alike: ${world.name}`, () => {
    let pair: Pair;
    beforeAll(async () => {
      pair = await startPair(world.clients, world.smallAtMost);
    }, 120_000);
    afterAll(async () => {
      await stopPair(pair);
    });

    for (const persona of personas) {
      it(`as ${persona ?? "nobody"}: every operation of the catalogue${world.repeat > 1 ? ", twice (the second from the kept plan)" : ""}`, async () => {
        const verdicts = pair.books.map((b) => ({ ...b.verdicts }));
        const { differences, took, expected, tookWhenOff, withData, compared, planned } = await runCatalogue(pair, persona, operations, world.repeat);
        expect(report(differences), `answers that differ`).toBe("");
        // Per operation, the requests each path answered ("name|path": count) are those the catalogue says.
        expect(took, "the paths that answered (the planner on)").toEqual(expected);
        // With the planner off, it answers nothing.
        expect(Object.keys(tookWhenOff).filter((k) => k.endsWith("|compiled")), "the planner answered with GRAPHQL_COMPILED=off").toEqual([]);
        expect(compared).toBeGreaterThanOrEqual(operations.length * world.repeat);
        // The comparison is not of two empty answers: signed-in personas see data, much of it planned.
        if (persona && persona !== "harry") expect(withData).toBeGreaterThan(operations.length / 3);
        if (persona) expect(planned).toBeGreaterThanOrEqual(10 * world.repeat);
        // erin's and frank's books were read with the strategy this world is for, on both servers.
        if (persona === "erin" || persona === "frank") for (const [i, b] of pair.books.entries()) expect(b.verdicts[world.erinBook], `server ${i}`).toBeGreaterThan(verdicts[i]![world.erinBook]);
      }, 180_000);
    }

    if (world.clients > 0) {
      it("the broker pages hold the book: erin's dashboard shows her clients (50 at most) with their accounts and transactions", async () => {
        const dashboard = operations.find((o) => o.name === "Dashboard")!;
        const { text } = await post(pair.compiled, "erin", { query: dashboard.query });
        const edges = (JSON.parse(text) as Json).data.businesses.edges;
        // Northern, Maple Leaf, Prairie and every client but those whose delegation expired (every seventh), 50 at most.
        expect(edges).toHaveLength(Math.min(50, world.clients - Math.floor(world.clients / 7) + 3));
        const transactions = edges.flatMap((e: Json) => e.node.programAccounts.edges.flatMap((a: Json) => a.node.transactions.edges));
        expect(transactions.length).toBeGreaterThan(100);
      }, 60_000);
    }
  });
}
