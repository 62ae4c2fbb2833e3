/**
 * No N+1: the number of SQL statements for a nested list query does not grow with the rows it
 * returns. Counted by the server itself (extensions.sqlStatements, test mode only), and told apart by
 * what each statement is (its label, QueryOptions.label in db/sql.ts), never by how its SQL is written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TransactionsDeepDocument } from "./generated/graphql.js";
import { columnNamesOf, columnsOf, hydrate, hydrateArrays, jsonColumnsOf, rowsAsArrays } from "../src/db/rows.js";
import { labelOfStatement, raw, sql } from "../src/db/sql.js";
import { testAccess } from "./support/access.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
const { accessLoader, books } = testAccess();
beforeAll(async () => {
  // The deep query below asks for up to 100 x 10 x 10 rows: over the default cost limit, which is
  // not what this file is about. The general path's statements (the loaders, the keyset engine) are:
  // the planner, which answers the pages it covers in one statement, is off here (its own count of
  // statements: test/planner.test.ts).
  server = await startTestServer({ MAX_QUERY_COST: "200000", GRAPHQL_COMPILED: "off" }, { accessLoader });
  // 100 more transactions on Maple Leaf RM0001, each with 5 lines and 2 versions: 500+ nested rows.
  await server.db.query(`
    WITH pa AS (SELECT id, business_id FROM program_accounts WHERE bn15 = '123456782RM0001'),
    t AS (
      INSERT INTO transactions (transaction_number, program_account_id, submitted_by_business_id, released_on, current_version_no, total_duties_and_taxes)
      SELECT lpad((90000000000000 + g)::text, 14, '0'), pa.id, pa.business_id, DATE '2026-12-01' + (g % 10), 2, 100.00 FROM pa, generate_series(1, 100) g
      RETURNING id, submitted_by_business_id
    ),
    v AS (
      INSERT INTO transaction_versions (transaction_id, version_no, kind, status, submitted_by_business_id, customs_duty, sima, excise, gst, total_duties_and_taxes)
      SELECT t.id, n, CASE WHEN n = 1 THEN 'ORIGINAL'::transaction_version_kind ELSE 'CORRECTION'::transaction_version_kind END, 'ACCEPTED', t.submitted_by_business_id, 60, 0, 0, 40, 100
      FROM t, generate_series(1, 2) n RETURNING id
    )
    INSERT INTO transaction_lines (version_id, line_no, classification_code, description, value_for_duty, tariff_treatment, customs_duty_rate, sima, excise, customs_duty, value_for_tax, gst)
    SELECT v.id, l, '7610100000', 'Aluminium window frames', 1000, '2', 6.5, 0, 0, 65, 1065, 53.25 FROM v, generate_series(1, 5) l`);
});
afterAll(() => server?.stop());

async function run(first: number) {
  const res = await server.gql(TransactionsDeepDocument, { as: "alice", variables: { first } });
  expect(res.errors).toBeUndefined();
  const edges = res.data!.transactions.edges;
  const lines = edges.flatMap((e) => e.node.versions!.edges.flatMap((v) => v.node.lines!.edges));
  return { statements: res.extensions!.sqlStatements!, transactions: edges.length, lines: lines.length };
}

describe("SQL statements per request", () => {
  it("stay the same from 10 to 500+ nested rows", async () => {
    const small = await run(2); // 2 transactions x 2 versions x 5 lines = 20 line rows
    const large = await run(100); // 100 x 2 x 5 = 1000 line rows
    expect(small.lines).toBe(20);
    expect(large.transactions).toBe(100);
    expect(large.lines).toBe(1000);
    expect(large.statements).toBe(small.statements);
    // And the number is small in absolute terms: scope (6) + list (2) + versions (2) + lines (2) + loaders.
    expect(large.statements).toBeLessThanOrEqual(20);
  });

  it("stay the same for one statement or all of them, with their money as the viewer may see it and their journals", async () => {
    const q = `query ($first: Int) { programAccount(bn15: "123456782RM0001") { statements(first: $first) { edges { node {
        cycleEnd view visibleCharges totalPayable amountOutstanding
        postings(first: 100) { edges { node { lineNo kind amount transaction { transactionNumber } payment { amount } } } } } } } } }`;
    for (const who of ["alice", "erin"] as const) {
      const one = await server.gql(q, { as: who, variables: { first: 1 } });
      const all = await server.gql(q, { as: who, variables: { first: 4 } });
      expect(one.errors).toBeUndefined();
      expect(all.errors).toBeUndefined();
      const lines = (r: typeof all) => r.data!.programAccount.statements.edges.flatMap((e: any) => e.node.postings.edges).length;
      expect(lines(all)).toBeGreaterThan(lines(one));
      expect(`${who} ${all.extensions!.sqlStatements}`).toBe(`${who} ${one.extensions!.sqlStatements}`);
    }
  });
});

describe("Dashboard rows' standing", () => {
  it("costs the same statements for one program account as for all of them (RPP privilege and overdue amounts in one query each)", async () => {
    const q = `query ($first: Int) { business(bn9: "123456782") { programAccounts(first: $first) { edges { node { bn15 hasRppPrivilege overdue } } } } }`;
    const one = await server.gql(q, { as: "alice", variables: { first: 1 } });
    const all = await server.gql(q, { as: "alice", variables: { first: 20 } });
    expect(one.errors).toBeUndefined();
    expect(all.errors).toBeUndefined();
    const rows = (r: typeof all) => r.data!.business.programAccounts.edges.map((e: any) => e.node);
    expect(rows(one)).toHaveLength(1);
    expect(rows(all).length).toBeGreaterThan(1);
    expect(all.extensions!.sqlStatements).toBe(one.extensions!.sqlStatements);
    // alice is the BAM: she sees every row's RPP privilege, the one its account's security requirement
    // works out (asked account by account, through another path).
    const requirement = await Promise.all(
      rows(all).map(async (row: any) => {
        const res = await server.gql(`query ($b: String!) { programAccount(bn15: $b) { securityRequirement { hasRppPrivilege } } }`, { as: "alice", variables: { b: row.bn15 } });
        return [row.bn15, res.data!.programAccount.securityRequirement.hasRppPrivilege];
      }),
    );
    expect(rows(all).map((row: any) => [row.bn15, row.hasRppPrivilege])).toEqual(requirement);
    expect(requirement.map(([, rpp]) => typeof rpp)).toEqual(rows(all).map(() => "boolean"));
  });
});

interface Sent {
  /** What the statement is (db/sql.ts, QueryOptions.label); null for one without a label. */
  label: string | null;
  /** Sent as a named prepared statement: its plan may be kept (QueryOptions.plan "reuse"). */
  prepared: boolean;
  /** The prepared statement's name: the same name is the same statement. */
  name?: string;
}

/** The statements the server sends while `fn` runs. */
async function sentStatements(fn: () => Promise<void>): Promise<Sent[]> {
  const sent: Sent[] = [];
  const db = server.db as unknown as { query: (q: unknown, p?: unknown[]) => Promise<unknown> };
  const original = db.query;
  db.query = function (this: unknown, q: unknown, p?: unknown[]) {
    const { name, text } = typeof q === "string" ? { name: undefined, text: q } : (q as { name?: string; text: string });
    sent.push({ label: labelOfStatement(text), prepared: name !== undefined, name });
    return original.call(this, q, p);
  };
  try {
    await fn();
  } finally {
    db.query = original;
  }
  return sent;
}

/** Runs `fn` with every book of business read as a large one (root lists read in sort order, row by row). */
const withLargeBooks = (fn: () => Promise<void>) => books.asLarge(fn);

const labelled = (sent: Sent[], label: string) => sent.filter((s) => s.label === label);
/** The policy's own lookups (the person's access), sign-in aside. */
const policyLookups = (sent: Sent[]) => sent.filter((s) => s.label?.startsWith("access:") && s.label !== "access: sign-in");

describe("How statements are planned", () => {
  it("a small book's list is planned for its values every time (unnamed); sign-in and the policy's lookups are prepared once per connection (named)", async () => {
    const sent = await sentStatements(async () => {
      // erin acts for clients: her page checks grants on the accounts the transactions belong to.
      const res = await server.gql(`{ transactions(first: 5) { edges { node { transactionNumber totalDutiesAndTaxes } } } }`, { as: "erin" });
      expect(res.errors).toBeUndefined();
      expect(res.data!.transactions.edges.length).toBeGreaterThan(0);
    });
    // Read from the accounts reached, its best plan depends on how many there are: a generic plan
    // measured about 8x slower for a book of 100 clients in the benchmark.
    const list = labelled(sent, "page of Transaction");
    expect(list).toHaveLength(1);
    expect(list[0]!.prepared).toBe(false);
    expect(labelled(sent, "access: sign-in").map((s) => s.prepared)).toEqual([true]);
    const lookups = policyLookups(sent);
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.filter((s) => !s.prepared)).toEqual([]);
    // Every statement the request sent is one of these.
    expect(sent.filter((s) => s.label === null)).toEqual([]);
  });

  it("a large book's unfiltered list keeps its plan (read in release order, each row checked: one plan fits); filtered, it is planned for its values", async () => {
    const sent = await sentStatements(() =>
      withLargeBooks(async () => {
        for (const filter of ["", `(filter: { releasedFrom: "2026-01-01" })`]) {
          const res = await server.gql(`{ transactions${filter} { edges { node { transactionNumber } } } }`, { as: "erin" });
          expect(res.errors).toBeUndefined();
          expect(res.data!.transactions.edges.length).toBeGreaterThan(0);
        }
      }),
    );
    const lists = labelled(sent, "page of Transaction");
    expect(lists.map((s) => s.prepared)).toEqual([true, false]);
  });
});

const clientPage = (first: number, role: boolean) =>
  `{ businesses(first: 50) { edges { node { bn9 programAccounts(first: ${first}) { edges { node { bn15${role ? " myRole" : ""} } } } } } } }`;

describe("Lists nested under businesses and accounts", () => {

  it("decide the viewer's grants inside the list's own statement, one prepared statement for every page size", async () => {
    const nested = (sent: Sent[]) => labelled(sent, "nested pages of ProgramAccount");
    const small = await sentStatements(async () => expect((await server.gql(clientPage(1, false), { as: "erin" })).errors).toBeUndefined());
    const large = await sentStatements(async () => expect((await server.gql(clientPage(5, false), { as: "erin" })).errors).toBeUndefined());
    expect(nested(small)).toHaveLength(1);
    expect(nested(small)[0]!.prepared).toBe(true);
    expect(nested(large)[0]!.name).toBe(nested(small)[0]!.name);
    // No statement of its own reads the grants that drive the list: sign-in, the size of her book, the
    // client page, and the accounts nested under it.
    expect(large.map((s) => s.label)).toEqual(["access: sign-in", "access: small book", "page of Business", "nested pages of ProgramAccount"]);
  });

  it("know the viewer's role on each account listed: myRole costs no statement", async () => {
    const plain = await server.gql(clientPage(5, false), { as: "erin" });
    const withRoles = await server.gql(clientPage(5, true), { as: "erin" });
    expect(withRoles.errors).toBeUndefined();
    const roles = withRoles.data!.businesses.edges.flatMap((b: any) => b.node.programAccounts.edges.map((a: any) => [a.node.bn15, a.node.myRole]));
    // Northern's BAM: its clients' accounts through relationships, its own through BAM.
    expect(roles.length).toBeGreaterThan(3);
    for (const [bn15, role] of roles) {
      const one = await server.gql(`query ($b: String!) { programAccount(bn15: $b) { myRole } }`, { as: "erin", variables: { b: bn15 } });
      expect(`${bn15} ${role}`).toBe(`${bn15} ${one.data!.programAccount.myRole}`);
    }
    expect(withRoles.extensions!.sqlStatements).toBe(plain.extensions!.sqlStatements);
  });
});

describe("A large book's client list and its program accounts", () => {
  const full = `{ businesses(first: 50) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { bn9 myRole
      programAccounts(first: 1) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { bn15 name myRole } } } } } } }`;
  // The operations a front end sends: nested arguments from variables and fragments, backward pages,
  // cursors, the field under a directive or twice with different arguments (read apart, by the
  // loader), and arguments the nested field refuses (its own error, at its own path).
  const shapes: { query: string; variables?: Record<string, unknown> }[] = [
    { query: full },
    {
      query: `query ($n: Int) { businesses(last: 3) { edges { node { bn9 ...Accounts } } } } fragment Accounts on Business { programAccounts(last: $n) { edges { cursor node { bn15 myRole } } } }`,
      variables: { n: 1 },
    },
    { query: `{ businesses(first: 2) { edges { node { ... on Business { programAccounts(first: 1) { edges { node { bn15 } } } } programAccounts(first: 1) { totalCount } } } } }` },
    { query: `{ businesses { edges { node { a: programAccounts(first: 1) { edges { node { bn15 } } } b: programAccounts(first: 3) { edges { node { bn15 } } } } } } }` },
    { query: `query ($yes: Boolean!) { businesses { edges { node { bn9 programAccounts(first: 2) @include(if: $yes) { edges { node { bn15 } } } } } } }`, variables: { yes: false } },
    { query: `{ businesses { edges { node { bn9 programAccounts(first: 500) { edges { node { bn15 } } } } } } }` },
    { query: `{ businesses { edges { node { bn9 programAccounts(after: "bm90LWEtY3Vyc29y") { edges { node { bn15 } } } } } } }` },
  ];
  const answer = async (who: (typeof everyone)[number], shape: (typeof shapes)[number]) => {
    const res = await server.gql(shape.query, { as: who, variables: shape.variables });
    return { data: res.data, errors: res.errors?.map((e) => ({ path: e.path, code: e.extensions?.code, message: e.message })) };
  };
  const everyone = ["alice", "bob", "carol", "dave", "erin", "frank", "gina", "ivan", "harry", "olga"] as const;

  it("answer every persona alike whether both levels are read in one statement (large book) or apart (small book)", async () => {
    // A cursor of a real nested page, to page on with.
    const first = await server.gql(full, { as: "erin" });
    const cursor = first.data!.businesses.edges.find((e: any) => e.node.programAccounts.pageInfo.hasNextPage)!.node.programAccounts.pageInfo.endCursor;
    const all = [...shapes, { query: `query ($c: String) { businesses { edges { node { programAccounts(first: 2, after: $c) { edges { cursor node { bn15 } } } } } } }`, variables: { c: cursor } }];
    let read = 0;
    for (const who of everyone) {
      for (const shape of all) {
        const apart = await answer(who, shape);
        const together = await (async () => {
          let r: Awaited<ReturnType<typeof answer>> | undefined;
          await withLargeBooks(async () => {
            r = await answer(who, shape);
          });
          return r!;
        })();
        expect(together, `${who}: ${shape.query}`).toEqual(apart);
        read += JSON.stringify(apart.data ?? null).split('"bn15"').length - 1;
      }
    }
    expect(read).toBeGreaterThan(50);
    // The refused arguments are reported by the nested field, the list itself answered.
    await withLargeBooks(async () => {
      const res = await answer("erin", shapes[5]!);
      expect(res.data!.businesses.edges.length).toBeGreaterThan(0);
      expect(res.errors![0]).toMatchObject({ code: "BAD_USER_INPUT", path: ["businesses", "edges", 0, "node", "programAccounts"] });
    });
  });

  it("read both levels in one statement: the nested list sends nothing of its own, roles and counts included", async () => {
    const nestedApart = (sent: Sent[]) => labelled(sent, "nested pages of ProgramAccount");
    const together = (sent: Sent[]) => labelled(sent, "page of Business with nested pages of ProgramAccount");
    const large = await sentStatements(() =>
      withLargeBooks(async () => {
        const res = await server.gql(clientPage(5, true), { as: "erin" });
        expect(res.errors).toBeUndefined();
        expect(res.data!.businesses.edges.flatMap((b: any) => b.node.programAccounts.edges).length).toBeGreaterThan(3);
      }),
    );
    expect(together(large)).toHaveLength(1);
    expect(together(large)[0]!.prepared).toBe(true);
    expect(nestedApart(large)).toEqual([]);
    // Read apart (a small book), the nested list is a statement of its own.
    const small = await sentStatements(async () => expect((await server.gql(clientPage(5, true), { as: "erin" })).errors).toBeUndefined());
    expect(together(small)).toEqual([]);
    expect(nestedApart(small)).toHaveLength(1);
    // Two aliases with different page sizes: the loader reads them, one statement each.
    const twice = await sentStatements(() =>
      withLargeBooks(async () => {
        const res = await server.gql(shapes[3]!.query, { as: "erin" });
        expect(res.errors).toBeUndefined();
      }),
    );
    expect(together(twice)).toEqual([]);
    expect(nestedApart(twice)).toHaveLength(2);
  });
});

describe("Prepared statements and a migration applied while the server runs", () => {
  it("keep working after a table gains a column (named columns, never *)", async () => {
    // Sign-in, the by-id loaders (submittedBy: businesses, programAccount), the grants lookups and (for
    // a large book) the list itself are prepared per connection.
    // The lists nested under businesses and accounts are prepared too.
    const q = `{ transactions(first: 3) { edges { node { transactionNumber submittedBy { legalName } programAccount { bn15 } } } }
      businesses(first: 5) { edges { node { programAccounts(first: 3) { edges { node { bn15 myRole transactions(first: 2) { edges { node { transactionNumber } } } } } } } } } }`;
    const tables = ["businesses", "users", "transactions", "program_accounts"];
    await withLargeBooks(async () => {
      for (let i = 0; i < 3; i++) expect((await server.gql(q, { as: "erin" })).errors).toBeUndefined();
      for (const t of tables) await server.db.query(`ALTER TABLE ${t} ADD COLUMN rollout_probe int`);
      try {
        for (let i = 0; i < 3; i++) {
          const res = await server.gql(q, { as: "erin" });
          expect(res.errors).toBeUndefined();
          expect(res.data!.transactions.edges[0].node.submittedBy.legalName).toBeTruthy();
        }
      } finally {
        for (const t of tables) await server.db.query(`ALTER TABLE ${t} DROP COLUMN rollout_probe`);
      }
    });
  });
});

describe("Reading rows", () => {
  it("reads a date as its YYYY-MM-DD text (no Date made and formatted back), a timestamp as a Date", async () => {
    const [row] = await server.db.query(
      `SELECT DATE '2026-02-28' AS d, ARRAY[DATE '2026-02-28', NULL, DATE '2026-03-01'] AS ds, TIMESTAMPTZ '2026-02-28 12:00:00+00' AS ts, released_on FROM transactions LIMIT 1`,
    );
    expect(row.d).toBe("2026-02-28");
    expect(row.ds).toEqual(["2026-02-28", null, "2026-03-01"]);
    expect(row.released_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(row.ts).toBeInstanceOf(Date);
    expect((row.ts as Date).toISOString()).toBe("2026-02-28T12:00:00.000Z");
  });

  it("a list read as one JSON array of rows gives every entity exactly what a row-by-row read gives (money as exact text, times as Dates)", async () => {
    // An amount whose JSON number would not round-trip as text (a float would drop the trailing zero).
    await server.db.query(`UPDATE transactions SET total_duties_and_taxes = 1234567.10 WHERE id = (SELECT id FROM transactions ORDER BY id LIMIT 1)`);
    let compared = 0;
    for (const metadata of server.db.entityMetadatas) {
      const table = raw(`"${metadata.tableName}"`);
      const key = (alias: string) => raw(metadata.primaryColumns.map((c) => `${alias}."${c.databaseName}"`).join(", "));
      const plain = await server.db.query(...asArgs(sql`SELECT ${columnsOf(server.db, metadata.target, "e")} FROM ${table} e ORDER BY ${key("e")} LIMIT 50`));
      const [json] = await server.db.query(
        ...asArgs(
          rowsAsArrays(
            sql`SELECT ${jsonColumnsOf(server.db, metadata.target, "e")} FROM ${table} e ORDER BY ${key("e")} LIMIT 50`,
            columnNamesOf(server.db, metadata.target),
            key("q"),
          ),
        ),
      );
      expect(hydrateArrays(server.db, metadata.target, json.rows), metadata.name).toEqual(hydrate(server.db, metadata.target, plain));
      // And what TypeORM makes of the same rows when it loads them itself (the conversions hydrate skips).
      const own = await server.db.getRepository(metadata.target).find({ order: Object.fromEntries(metadata.primaryColumns.map((c) => [c.propertyName, "ASC"])), take: 50 });
      expect(hydrateArrays(server.db, metadata.target, json.rows), `${metadata.name}, as TypeORM loads it`).toEqual(own);
      compared += plain.length;
    }
    expect(compared).toBeGreaterThan(100);
    const columns = columnNamesOf(server.db, "Transaction");
    const [tx] = await server.db.query(
      ...asArgs(rowsAsArrays(sql`SELECT ${jsonColumnsOf(server.db, "Transaction", "t")} FROM transactions t WHERE t.total_duties_and_taxes = 1234567.10`, columns, sql`q.id`)),
    );
    expect(tx.rows[0][columns.indexOf("total_duties_and_taxes")]).toBe("1234567.10");
  });
});

const asArgs = (statement: { text: string; values: unknown[] }) => [statement.text, statement.values] as const;
