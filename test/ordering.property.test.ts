/**
 * Sorted lists with keyset cursors: whatever order a client asks for (transactions by release date,
 * number or amount; businesses by name; statements by cycle; either direction), paging forward or
 * backward with any page sizes, or from any cursor, visits exactly the rows the viewer may see, each
 * once, in the order a plain sort of those rows gives (ties broken by id). The threat: a keyset
 * condition that skips or repeats rows at ties or at the turn of direction, or an amount order that
 * follows a version the viewer may not see (a correction by a business their visibility rules
 * exclude), telling them what that version holds.
 *
 * The reference is computed here: the rows the viewer may see (the default list, whose rows the
 * authorization property test checks against the reference model), sorted in JavaScript by the
 * values the API shows that viewer, ids compared as PostgreSQL compares uuids. Run for small and
 * large books of business (the two ways a list is read).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_BN } from "../src/seed/demo.js";
import { testAccess, type SwitchableBooks } from "./support/access.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
let books: SwitchableBooks;

const { mapleLeaf: MAPLE, northern: NORTHERN, coastal: COASTAL } = DEMO_BN;

beforeAll(async () => {
  const access = testAccess();
  books = access.books;
  server = await startTestServer({}, { accessLoader: access.accessLoader });
  const q = (text: string, values: unknown[] = []) => server.db.query(text, values);
  // Ties everywhere an order can tie: eight transactions released the same day, their amounts in pairs.
  await q(`WITH pick AS (SELECT id, row_number() OVER (ORDER BY transaction_number) AS n FROM transactions ORDER BY transaction_number LIMIT 8)
           UPDATE transactions t SET released_on = '2026-10-01' FROM pick WHERE pick.id = t.id`);
  await q(`WITH pick AS (SELECT id, row_number() OVER (ORDER BY transaction_number DESC) AS n FROM transactions)
           UPDATE transaction_versions v SET total_duties_and_taxes = 500.00 + (pick.n % 2) FROM pick WHERE v.transaction_id = pick.id AND pick.n % 3 = 0`);
  await q(`UPDATE transactions t SET total_duties_and_taxes = (SELECT v.total_duties_and_taxes FROM transaction_versions v
            WHERE v.transaction_id = t.id AND v.status = 'ACCEPTED' ORDER BY v.version_no DESC LIMIT 1)`);
  // Clients of Northern with the same legal name (and one more), so that business names tie too.
  await q(
    `WITH b AS (
       INSERT INTO businesses (bn9, legal_name, address_line, city, province, postal_code, country, is_service_provider, registered_at)
       SELECT bn9, name, '1 Tie Road', 'Ottawa', 'ON', 'K1A 0B1', 'CA', false, now()
         FROM unnest($1::text[], $2::text[]) AS x(bn9, name) RETURNING id, bn9),
     a AS (INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT b.id, 'RM0001', b.bn9 || 'RM0001', 'Imports' FROM b)
     INSERT INTO relationships (client_business_id, provider_business_id, status, level, role, see_submitted_by_provider, see_submitted_by_client, see_submitted_by_others, request_comment, decided_at)
     SELECT b.id, (SELECT id FROM businesses WHERE bn9 = $3), 'ACTIVE', 'BUSINESS', 'READER', true, true, false, 'ties', now() FROM b`,
    [["300000007", "300000015", "300000023", "300000031"], ["Tied Name Ltd.", "Tied Name Ltd.", "Tied Name Ltd.", "Zed Traders"], NORTHERN],
  );
  // A correction Northern may not see (Coastal filed it; Northern sees only its own and the client's):
  // Maple Leaf's people see its amount, Northern's people the amount before it.
  await q(
    `WITH t AS (SELECT t.id FROM transactions t JOIN program_accounts pa ON pa.id = t.program_account_id JOIN businesses b ON b.id = pa.business_id
                 WHERE b.bn9 = $1 AND t.submitted_by_business_id = b.id ORDER BY t.transaction_number LIMIT 1)
     INSERT INTO transaction_versions (transaction_id, version_no, kind, status, submitted_by_business_id, customs_duty, sima, excise, gst, total_duties_and_taxes)
     SELECT t.id, (SELECT max(version_no) + 1 FROM transaction_versions WHERE transaction_id = t.id), 'CORRECTION', 'ACCEPTED', (SELECT id FROM businesses WHERE bn9 = $2),
            0, 0, 0, 987654.32, 987654.32 FROM t`,
    [MAPLE, COASTAL],
  );
  await q(`UPDATE transactions t SET total_duties_and_taxes = v.total_duties_and_taxes, current_version_no = v.version_no
             FROM transaction_versions v WHERE v.transaction_id = t.id AND v.total_duties_and_taxes = 987654.32`);
});
afterAll(() => server?.stop());

// ---------------------------------------------------------------------------------------------
// The reference: rows as the viewer sees them, sorted here.

interface Row {
  id: string;
  uuid: string;
  key: string | bigint;
}

const uuidOf = (globalId: string) => Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]!;
const cents = (money: string) => BigInt(money.replace(".", "").replace(/^(-?)0+(?=\d)/, "$1"));
/** PostgreSQL's order here: text by bytes (the database has no locale), dates as ISO strings, numbers as numbers. */
const compareKeys = (a: string | bigint, b: string | bigint) =>
  typeof a === "bigint" ? (a < (b as bigint) ? -1 : a > (b as bigint) ? 1 : 0) : Buffer.compare(Buffer.from(a), Buffer.from(b as string));

function sorted(rows: Row[], direction: "ASC" | "DESC"): string[] {
  const sign = direction === "ASC" ? 1 : -1;
  return [...rows].sort((a, b) => sign * (compareKeys(a.key, b.key) || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0))).map((r) => r.id);
}

type ListName = "transactions" | "businesses" | "statements";
const FIELDS: Record<ListName, string[]> = {
  transactions: ["RELEASED_ON", "TRANSACTION_NUMBER", "AMOUNT"],
  businesses: ["LEGAL_NAME"],
  statements: ["CYCLE"],
};

interface Page {
  ids: string[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

const PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";
const documents: Record<ListName, string> = {
  transactions: `query ($orderBy: TransactionOrder, $first: Int, $after: String, $last: Int, $before: String) {
    list: transactions(orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id transactionNumber releasedOn totalDutiesAndTaxes } } ${PAGE_INFO} } }`,
  businesses: `query ($orderBy: BusinessOrder, $first: Int, $after: String, $last: Int, $before: String) {
    list: businesses(orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id legalName } } ${PAGE_INFO} } }`,
  statements: `query ($bn15: String!, $orderBy: StatementOrder, $first: Int, $after: String, $last: Int, $before: String) {
    account: programAccount(bn15: $bn15) { list: statements(orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id cycleEnd } } ${PAGE_INFO} } } }`,
};

/** The account whose statements each persona reads (one they may read statements of). */
const statementsOf: Partial<Record<Persona, string>> = {
  alice: `${MAPLE}RM0001`,
  dave: `${MAPLE}RM0002`,
  erin: `${MAPLE}RM0001`,
  frank: `${MAPLE}RM0001`,
  ivan: `${DEMO_BN.prairie}RM0001`,
};

async function page(as: Persona, list: ListName, variables: Record<string, unknown>): Promise<{ page: Page; nodes: any[] }> {
  const res = await server.gql(documents[list], { as, variables: list === "statements" ? { bn15: statementsOf[as], ...variables } : variables });
  expect(res.errors).toBeUndefined();
  const conn = list === "statements" ? res.data!.account.list : res.data!.list;
  return {
    page: { ids: conn.edges.map((e: any) => e.node.id), cursors: conn.edges.map((e: any) => e.cursor), ...conn.pageInfo },
    nodes: conn.edges.map((e: any) => e.node),
  };
}

/** Every row the viewer may see, with its sort key for `field` as the API shows it to them. */
async function reference(as: Persona, list: ListName, field: string): Promise<Row[]> {
  const rows: Row[] = [];
  let after: string | null = null;
  for (;;) {
    const { page: p, nodes } = await page(as, list, { first: 100, after });
    for (const n of nodes) {
      const key =
        field === "RELEASED_ON" ? n.releasedOn
        : field === "TRANSACTION_NUMBER" ? n.transactionNumber
        : field === "AMOUNT" ? cents(n.totalDutiesAndTaxes)
        : field === "LEGAL_NAME" ? n.legalName
        : n.cycleEnd;
      rows.push({ id: n.id, uuid: uuidOf(n.id), key });
    }
    if (!p.hasNextPage) return rows;
    after = p.endCursor;
  }
}

const personas: Persona[] = ["alice", "dave", "erin", "frank", "gina", "ivan"];

describe("sorted lists page through exactly the rows the viewer may see, in order", () => {
  for (const large of [false, true]) {
    it(`${large ? "large" : "small"} books: forward, backward and from any cursor, with random page sizes`, async () => {
      const run = () =>
        fc.assert(
          fc.asyncProperty(
            fc
              .tuple(fc.constantFrom(...personas), fc.constantFrom<ListName>("transactions", "transactions", "businesses", "statements"))
              // Expired users (gina) read no statements.
              .filter(([as, list]) => list !== "statements" || statementsOf[as] !== undefined),
            fc.nat(2),
            fc.constantFrom("ASC", "DESC" as const),
            fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
            fc.nat(),
            async ([as, list], fieldIndex, direction, sizes, at) => {
              const field = FIELDS[list][fieldIndex % FIELDS[list].length]!;
              const orderBy = { field, direction };
              const expected = sorted(await reference(as, list, field), direction);
              const size = (i: number) => sizes[i % sizes.length]!;

              // Forward from the start.
              const forward: string[] = [];
              const cursors: string[] = [];
              let after: string | null = null;
              for (let i = 0; ; i++) {
                const { page: p } = await page(as, list, { orderBy, first: size(i), after });
                forward.push(...p.ids);
                cursors.push(...p.cursors);
                expect(p.hasPreviousPage).toBe(after !== null);
                if (!p.hasNextPage) break;
                after = p.endCursor;
                expect(forward.length).toBeLessThanOrEqual(expected.length);
              }
              expect(forward).toEqual(expected);

              // Backward from the end.
              const backward: string[] = [];
              let before: string | null = null;
              for (let i = 0; ; i++) {
                const { page: p } = await page(as, list, { orderBy, last: size(i), before });
                backward.unshift(...p.ids);
                if (!p.hasPreviousPage) break;
                before = p.startCursor;
                expect(backward.length).toBeLessThanOrEqual(expected.length);
              }
              expect(backward).toEqual(expected);

              // Either way from any one row's cursor.
              if (expected.length) {
                const i = at % expected.length;
                const k = size(at);
                const next = await page(as, list, { orderBy, first: k, after: cursors[i] });
                expect(next.page.ids).toEqual(expected.slice(i + 1, i + 1 + k));
                expect(next.page.hasNextPage).toBe(i + 1 + k < expected.length);
                const previous = await page(as, list, { orderBy, last: k, before: cursors[i] });
                expect(previous.page.ids).toEqual(expected.slice(Math.max(0, i - k), i));
                expect(previous.page.hasPreviousPage).toBe(i - k > 0);
              }
            },
          ),
          { numRuns: 15 },
        );
      if (large) await books.asLarge(run);
      else await run();
    });
  }

  it("the reference is not empty where it matters: ties and the hidden correction are in the lists", async () => {
    // Guards the property above from passing on lists too small to hold a tie.
    const released = await reference("alice", "transactions", "RELEASED_ON");
    expect(released.filter((r) => r.key === "2026-10-01").length).toBeGreaterThanOrEqual(2);
    const names = await reference("erin", "businesses", "LEGAL_NAME");
    expect(names.filter((r) => r.key === "Tied Name Ltd.").length).toBe(3);
    expect((await reference("alice", "statements", "CYCLE")).length).toBeGreaterThanOrEqual(3);
    const amounts = (await reference("erin", "transactions", "AMOUNT")).map((r) => r.key);
    expect(amounts.filter((a) => a === 50000n).length).toBeGreaterThanOrEqual(2);
  });
});

describe("an amount order follows the amounts the viewer sees", () => {
  const top = async (as: Persona) => {
    const { nodes } = await page(as, "transactions", { orderBy: { field: "AMOUNT", direction: "DESC" }, first: 1 });
    return nodes[0].totalDutiesAndTaxes as string;
  };
  it("alice (the importer) sees the correction's amount first; erin (whose rules hide its filer) never sees it, nor is her list ordered by it", async () => {
    expect(await top("alice")).toBe("987654.32");
    expect(await top("erin")).not.toBe("987654.32");
    const erin = await reference("erin", "transactions", "AMOUNT");
    expect(erin.every((r) => r.key !== 98765432n)).toBe(true);
    // Ordered by what she sees: the corrected transaction sits where its first amount puts it, not at the top.
    const { page: all } = await page("erin", "transactions", { orderBy: { field: "AMOUNT", direction: "DESC" }, first: 100 });
    expect(all.ids).toEqual(sorted(erin, "DESC"));
    // Nor does a range find it by the amount she may not see.
    const found = await server.gql(`{ transactions(filter: { amountMin: "900000.00" }) { totalCount edges { node { totalDutiesAndTaxes } } } }`, { as: "erin" });
    expect(found.data!.transactions).toEqual({ totalCount: 0, edges: [] });
    const alices = await server.gql(`{ transactions(filter: { amountMin: "900000.00" }) { totalCount edges { node { totalDutiesAndTaxes } } } }`, { as: "alice" });
    expect(alices.data!.transactions).toEqual({ totalCount: 1, edges: [{ node: { totalDutiesAndTaxes: "987654.32" } }] });
  });
});

describe("a cursor carries its order", () => {
  it("a cursor used with another field or direction is BAD_USER_INPUT, naming the argument", async () => {
    const byDate = await page("alice", "transactions", { first: 2 });
    const cursor = byDate.page.endCursor;
    for (const orderBy of [
      { field: "AMOUNT", direction: "DESC" },
      { field: "RELEASED_ON", direction: "ASC" },
      { field: "TRANSACTION_NUMBER", direction: "DESC" },
    ]) {
      for (const variables of [
        { orderBy, first: 2, after: cursor },
        { orderBy, last: 2, before: cursor },
      ]) {
        const res = await server.gql(documents.transactions, { as: "alice", variables });
        expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" in variables ? "after" : "before" });
        expect(res.errors?.[0]?.message).toMatch(/another order/);
      }
    }
    // The same order spelled out is the same order: the default's cursor pages on.
    const same = await server.gql(documents.transactions, { as: "alice", variables: { orderBy: { field: "RELEASED_ON", direction: "DESC" }, first: 2, after: cursor } });
    expect(same.errors).toBeUndefined();
    expect(same.data!.list.edges).toHaveLength(2);
    // Statements: the newest-first cursor is no place in an oldest-first list.
    const statements = await page("alice", "statements", { first: 1 });
    const res = await server.gql(documents.statements, { as: "alice", variables: { bn15: statementsOf.alice, orderBy: { field: "CYCLE", direction: "ASC" }, first: 1, after: statements.page.endCursor } });
    expect(res.errors?.[0]).toMatchObject({ message: expect.stringMatching(/another order/), extensions: { code: "BAD_USER_INPUT", field: "after" } });
  });
});
