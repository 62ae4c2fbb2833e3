/**
 * Who may see what, persona by persona, over the demo world of domain.md. Each table row is one
 * root query or sensitive field; each cell says what that persona gets:
 *   a number  -> allowed, with that many rows (lists are filtered in SQL by the viewer's scope)
 *   "ok"      -> allowed
 *   "NOT_FOUND" / "FORBIDDEN" / "UNAUTHENTICATED" -> denied with that code
 * Another business's data answers NOT_FOUND, exactly like data that does not exist.
 *
 * Seeded transactions (14 per program account):
 *   Maple RM0001: Maple 4, Northern 4, Old Border 3, Coastal 3
 *   Maple RM0002: Northern 4, Maple 4, Coastal 3, Old Border 3
 *   Prairie RM0001: Prairie 7, Northern 7
 * Northern -> Maple: business level, Editor, sees submitted by provider + by client (8 + 8 = 16).
 * Northern -> Prairie: program level (RM0001), Reader, sees all three kinds (14).
 * Old Border -> Maple: expired; its people see what Old Border submitted (3 + 3 = 6), read-only.
 *
 * Seeded ruling requests (visibility follows the submitter, like transactions; Expired sees none):
 *   Maple RM0001 by Maple (SUBMITTED), Maple RM0002 by Northern (decided), Prairie RM0001 by Prairie (assigned).
 * The agency's queue holds all three, for agency officers only.
 * Money (auth/money.ts): a statement's account-wide totals only for a viewer who sees every
 * transaction of the account (the importer's people; Northern on Prairie, where it sees all three
 * kinds); Northern on Maple Leaf sees the restricted view (it does not see other businesses'
 * transactions). Payments likewise: on Maple Leaf RM0001, Maple Leaf paid its issued statements and
 * Northern paid 500.00 for it; Northern's people see Northern's payment only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testAccess } from "./support/access.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
const { accessLoader, books } = testAccess();
beforeAll(async () => {
  server = await startTestServer({}, { accessLoader });
});
afterAll(() => server?.stop());

type Who = Persona | "anonymous";
/** A count, "ok", an error code, or what `count` makes of the answer (e.g. a statement's view). */
type Expect = number | string;
const WHO: Who[] = ["alice", "bob", "carol", "dave", "erin", "frank", "gina", "ivan", "harry", "olga", "anonymous"];

interface Row {
  name: string;
  query: string;
  /** Picks the number of rows (or another telling value) out of `data`. */
  count?: (data: any) => number | string;
  expect: Record<Who, Expect>;
}

const MAPLE = "123456782";
const RM1 = "123456782RM0001";
const RM2 = "123456782RM0002";
const PRAIRIE = "711223347RM0001";

/** "shown" when every statement shows its account-wide amounts, "null" when none does ("none" when there is no statement to show). */
const amounts = (edges: { node: Record<string, string | null> }[]) => {
  const values = edges.flatMap((e) => Object.values(e.node));
  if (values.length === 0) return "none";
  return values.every((v) => v !== null) ? "shown" : values.every((v) => v === null) ? "null" : "mixed";
};
/** The first word of each payer's name, in order: "Maple+Northern". */
const payers = (edges: { node: { madeBy: { legalName: string } } }[]) => [...new Set(edges.map((e) => e.node.madeBy.legalName.split(" ")[0]))].sort().join("+");

const row = (name: string, query: string, cells: Expect[], count?: Row["count"]): Row => ({
  name,
  query,
  count,
  expect: Object.fromEntries(WHO.map((w, i) => [w, cells[i]!])) as Record<Who, Expect>,
});

//                                                                     alice        bob          carol        dave         erin         frank        gina         ivan         harry        olga         anonymous
const rootQueries: Row[] = [
  row("business(Maple Leaf)", `{ business(bn9: "${MAPLE}") { legalName } }`,
    ["ok",        "ok",        "ok",        "ok",        "ok",        "ok",        "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"]),
  row("businesses", `{ businesses { totalCount edges { node { bn9 } } } }`,
    [1,           1,           1,           1,           3,           2,           1,           1,           0,           0,           "UNAUTHENTICATED"], (d) => d.businesses.totalCount),
  row("programAccount(RM0001)", `{ programAccount(bn15: "${RM1}") { bn15 } }`,
    ["ok",        "ok",        "ok",        "NOT_FOUND", "ok",        "ok",        "ok",        "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"]),
  row("programAccount(RM0002)", `{ programAccount(bn15: "${RM2}") { bn15 } }`,
    ["ok",        "NOT_FOUND", "NOT_FOUND", "ok",        "ok",        "ok",        "ok",        "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"]),
  row("transactions (all reachable)", `{ transactions(first: 100) { totalCount } }`,
    [28,          14,          14,          14,          30,          16,          6,           14,          0,           0,           "UNAUTHENTICATED"], (d) => d.transactions.totalCount),
  row("relationships (managed parties)", `{ relationships { totalCount } }`,
    [3,           3,           0,           0,           2,           0,           0,           2,           0,           0,           "UNAUTHENTICATED"], (d) => d.relationships.totalCount),
  row("programAccountAccess(RM0001) (review)", `{ programAccountAccess(bn15: "${RM1}") { role } }`,
    ["ok",        "ok",        "FORBIDDEN", "NOT_FOUND", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"]),
  row("rulingRequests (as the submitter's visibility allows)", `{ rulingRequests(first: 100) { totalCount } }`,
    [2,           1,           1,           1,           3,           2,           0,           1,           0,           0,           "UNAUTHENTICATED"], (d) => d.rulingRequests.totalCount),
  row("agencyQueue (agency officers only)", `{ agencyQueue { rulingRequests { totalCount } } }`,
    ["FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", 3,           "UNAUTHENTICATED"], (d) => d.agencyQueue.rulingRequests.totalCount),
  // The demo world has one adjustment under review (alice's, on Maple Leaf doors): olga sees it, nobody else has a queue.
  row("agencyQueue adjustments (agency officers only)", `{ agencyQueue { adjustments(filter: { status: [UNDER_REVIEW, ACCEPTED, REJECTED] }) { totalCount } } }`,
    ["FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", 1,           "UNAUTHENTICATED"], (d) => d.agencyQueue.adjustments.totalCount),
  row("estimateDutiesAndTaxes (any signed-in person)", `{ estimateDutiesAndTaxes(lines: [{ classificationCode: "7610100000", valueForDuty: "100.00", tariffTreatment: "2", customsDutyRate: "6.5" }]) { total } }`,
    ["ok",        "ok",        "ok",        "ok",        "ok",        "ok",        "ok",        "ok",        "ok",        "ok",        "UNAUTHENTICATED"]),
  row("viewer.notifications (own only)", `{ viewer { notifications { totalCount } } }`,
    [2,           0,           0,           0,           1,           0,           0,           0,           0,           0,           "UNAUTHENTICATED"], (d) => d.viewer.notifications.totalCount),
  row("viewer.accessRequests (own only)", `{ viewer { accessRequests { totalCount } } }`,
    [0,           0,           0,           0,           0,           0,           0,           0,           1,           0,           "UNAUTHENTICATED"], (d) => d.viewer.accessRequests.totalCount),
];

const sensitiveFields: Row[] = [
  row("financial security of RM0001 (BAM, its PAM)", `{ programAccount(bn15: "${RM1}") { financialSecurities { totalCount } } }`,
    [1,           1,           "FORBIDDEN", "NOT_FOUND", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"], (d) => d.programAccount.financialSecurities.totalCount),
  row("financial security of RM0002 (BAM only: no PAM there)", `{ programAccount(bn15: "${RM2}") { financialSecurities { totalCount } } }`,
    [1,           "NOT_FOUND", "NOT_FOUND", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"], (d) => d.programAccount.financialSecurities.totalCount),
  row("statements of RM0001 (program roles, active providers; not Expired)", `{ programAccount(bn15: "${RM1}") { statements { totalCount } } }`,
    [4,           4,           4,           "NOT_FOUND", 4,           4,           "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"], (d) => d.programAccount.statements.totalCount),
  row("statement view of RM0001 (FULL: sees every transaction of the account)", `{ programAccount(bn15: "${RM1}") { statements(first: 1) { edges { node { view } } } } }`,
    ["FULL",      "FULL",      "FULL",      "NOT_FOUND", "RESTRICTED", "RESTRICTED", "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"], (d) => d.programAccount.statements.edges[0].node.view),
  row("account-wide totals of RM0001's statements (null unless FULL)", `{ programAccount(bn15: "${RM1}") { statements { edges { node { totalPayable previousBalance amountOutstanding } } } } }`,
    ["shown",     "shown",     "shown",     "NOT_FOUND", "null",      "null",      "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"], (d) => amounts(d.programAccount.statements.edges)),
  row("statement view of Prairie RM0001 (Northern sees all three kinds there)", `{ programAccount(bn15: "${PRAIRIE}") { statements(first: 1) { edges { node { view totalPayable } } } } }`,
    ["NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "FULL",      "NOT_FOUND", "NOT_FOUND", "FULL",      "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"], (d) => d.programAccount.statements.edges[0].node.view),
  row("who paid the payments of RM0001 (restricted: only one's own business's)", `{ programAccount(bn15: "${RM1}") { payments(first: 100) { edges { node { madeBy { legalName } } } } } }`,
    ["Maple+Northern", "Maple+Northern", "Maple+Northern", "NOT_FOUND", "Northern", "Northern", "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"], (d) => payers(d.programAccount.payments.edges)),
  row("payment amounts of RM0002 (Readers too)", `{ programAccount(bn15: "${RM2}") { payments { edges { node { amount } } } } }`,
    ["ok",        "NOT_FOUND", "NOT_FOUND", "ok",        "ok",        "ok",        "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"]),
  row("payment details of RM0002 (not Readers)", `{ programAccount(bn15: "${RM2}") { payments { edges { node { reference instrumentLast4 } } } } }`,
    ["ok",        "NOT_FOUND", "NOT_FOUND", "FORBIDDEN", "ok",        "ok",        "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"]),
  row("ruling requests of RM0001 with their attachments (not Expired)", `{ programAccount(bn15: "${RM1}") { rulingRequests { edges { node { attachments { fileName } } } } } }`,
    ["ok",        "ok",        "ok",        "NOT_FOUND", "ok",        "ok",        "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"]),
  row("audit trail of Maple Leaf (BAM only)", `{ business(bn9: "${MAPLE}") { auditEvents { totalCount } } }`,
    [2,           "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"], (d) => d.business.auditEvents.totalCount),
  row("relationship settings of Maple Leaf (its managers)", `{ business(bn9: "${MAPLE}") { relationships { edges { node { role seeSubmittedByOthers } } } } }`,
    ["ok",        "ok",        "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"]),
  row("members of Maple Leaf (its managers)", `{ business(bn9: "${MAPLE}") { members { totalCount } } }`,
    [4,           4,           "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"], (d) => d.business.members.totalCount),
  // harry's request names RM0001: the BAM's and RM0001's PAM's to decide (a PAM decides only requests for their accounts).
  row("employee access requests to Maple Leaf (deciders)", `{ business(bn9: "${MAPLE}") { accessRequests { totalCount } } }`,
    [1,           1,           "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"], (d) => d.business.accessRequests.totalCount),
  row("Maple Leaf's address (its people and active providers)", `{ business(bn9: "${MAPLE}") { addressLine } }`,
    ["ok",        "ok",        "ok",        "ok",        "ok",        "ok",        "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "UNAUTHENTICATED"]),
];

async function outcome(who: Who, r: Row): Promise<Expect> {
  const res = await server.gql(r.query, who === "anonymous" ? {} : { as: who });
  if (res.errors?.length) {
    const codes = [...new Set(res.errors.map((e) => e.extensions?.code))];
    expect(codes, `${who}: ${r.name}: one kind of error`).toHaveLength(1);
    return codes[0] as Expect;
  }
  return r.count ? r.count(res.data) : "ok";
}

for (const [title, rows] of [["root queries", rootQueries], ["sensitive fields", sensitiveFields]] as const) {
  describe(`persona matrix: ${title}`, () => {
    for (const r of rows) {
      it(r.name, async () => {
        const actual = Object.fromEntries(await Promise.all(WHO.map(async (w) => [w, await outcome(w, r)] as const)));
        expect(actual).toEqual(r.expect);
      });
    }
  });
}

// Root lists read a large book of business in their own order, row by row, and a small one from the
// accounts reached (auth/access.ts): the same answers either way.
describe("persona matrix: root queries, read as for a large book of business", () => {
  for (const r of rootQueries) {
    it(r.name, async () => {
      const actual = await books.asLarge(async () => Object.fromEntries(await Promise.all(WHO.map(async (w) => [w, await outcome(w, r)] as const))));
      expect(actual).toEqual(r.expect);
    });
  }
});

describe("persona details", () => {
  const carolEmail = `{ transactions(first: 100, filter: { bn15: "${RM1}" }) { edges { node { submittedByUser { username email } } } } }`;
  it("a user's email is seen by that user and the managers of a business they belong to, no one else", async () => {
    const emails = async (who: Persona) => {
      const res = await server.gql(carolEmail, { as: who });
      const carol = res.data?.transactions.edges.map((e: any) => e.node.submittedByUser).find((u: any) => u?.username === "carol");
      const forbidden = (res.errors ?? []).some((e) => e.extensions?.code === "FORBIDDEN" && e.path?.includes("email"));
      return carol?.email ?? (forbidden ? "FORBIDDEN" : "absent");
    };
    expect(await emails("alice")).toBe("carol@mapleleafwd.example"); // BAM of her business
    expect(await emails("bob")).toBe("carol@mapleleafwd.example"); // PAM there
    expect(await emails("carol")).toBe("carol@mapleleafwd.example"); // herself
    expect(await emails("frank")).toBe("FORBIDDEN"); // a broker's employee sees her name, not her email
    expect(await emails("erin")).toBe("FORBIDDEN");
  });

  it("gina (Expired) reads only what Old Border submitted, and nothing of the statements or payments", async () => {
    const res = await server.gql(`{ transactions(first: 100) { edges { node { submittedBy { legalName } } } } }`, { as: "gina" });
    expect(new Set(res.data!.transactions.edges.map((e: any) => e.node.submittedBy.legalName))).toEqual(new Set(["Old Border Brokerage"]));
    const viewer = await server.gql(`{ viewer { roles } }`, { as: "gina" });
    expect(viewer.data!.viewer.roles).toEqual(["EXPIRED"]);
    // She reaches both Maple Leaf accounts (Old Border filed on each), and neither's money.
    for (const bn15 of [RM1, RM2]) {
      for (const list of ["statements", "payments"]) {
        const money = await server.gql(`{ programAccount(bn15: "${bn15}") { bn15 ${list} { totalCount } } }`, { as: "gina" });
        expect(money.data!.programAccount).toEqual({ bn15, [list]: null });
        expect(money.errors!.map((e) => `${e.extensions?.code} ${e.path?.join(".")}`)).toEqual([`FORBIDDEN programAccount.${list}`]);
      }
    }
    // Nor through the statements she may not see: not one of them answers by id.
    const [statement] = await server.db.query(`SELECT s.id FROM statements s JOIN program_accounts pa ON pa.id = s.program_account_id WHERE pa.bn15 = $1 LIMIT 1`, [RM1]);
    const byId = await server.gql(`query ($id: ID!) { node(id: $id) { id } }`, { as: "gina", variables: { id: Buffer.from(`Statement:${statement.id}`).toString("base64url") } });
    expect(byId.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("erin's restricted view of each Maple Leaf statement adds up exactly the transactions she may see in its cycle", async () => {
    // Cross-checked through another path: the transaction list (filtered by the same visibility rules),
    // summed per cycle. The demo's declarations are filed on their release date, so each is on its cycle's statement.
    for (const bn15 of [RM1, RM2]) {
      const res = await server.gql(
        `{ programAccount(bn15: "${bn15}") { statements { edges { node { cycleStart cycleEnd view visibleCharges currentCharges corrections credits totalPayable } } } } }`,
        { as: "erin" },
      );
      // Three issued cycles and the open one: not an empty loop.
      expect(res.data!.programAccount.statements.edges).toHaveLength(4);
      for (const { node: s } of res.data!.programAccount.statements.edges) {
        const txs = await server.gql(`query ($f: TransactionFilter) { transactions(first: 100, filter: $f) { edges { node { totalDutiesAndTaxes } } } }`, {
          as: "erin", variables: { f: { bn15, releasedFrom: s.cycleStart, releasedTo: s.cycleEnd } },
        });
        const sum = txs.data!.transactions.edges.reduce((n: number, e: any) => n + Math.round(Number(e.node.totalDutiesAndTaxes) * 100), 0);
        // One meaning per total in both views: her charges, corrections and credits are the lines she may see, and add up to visibleCharges.
        const own = Math.round((Number(s.currentCharges) + Number(s.corrections) - Number(s.credits)) * 100);
        expect({ cycle: s.cycleEnd, view: s.view, visible: Math.round(Number(s.visibleCharges) * 100), own, totalPayable: s.totalPayable }).toEqual({
          cycle: s.cycleEnd, view: "RESTRICTED", visible: sum, own: sum, totalPayable: null,
        });
      }
    }
  });

  it("frank sees Maple Leaf transactions submitted by Northern or Maple Leaf, never by Old Border or Coastal", async () => {
    const res = await server.gql(`{ transactions(first: 100) { edges { node { submittedBy { legalName } } } } }`, { as: "frank" });
    expect(new Set(res.data!.transactions.edges.map((e: any) => e.node.submittedBy.legalName))).toEqual(
      new Set(["Northern Customs Brokers Ltd.", "Maple Leaf Windows & Doors Inc."]),
    );
  });

  it("affinity answers are never readable: no output type or field carries them (registration only takes them in)", async () => {
    const res = await server.gql(`{ __schema { types { kind name fields { name } } } }`, { as: "alice" });
    const output = res.data!.__schema.types.filter((t: any) => t.kind === "OBJECT" || t.kind === "INTERFACE");
    const names = JSON.stringify(output).toLowerCase();
    for (const secret of ["affinity", "recenttransactiontotal", "lastpaymentamount", "laststatementbalance"]) expect(names).not.toContain(secret);
  });

  it("olga (agency officer) reaches no business data", async () => {
    const res = await server.gql(`{ viewer { roles } businesses { totalCount } transactions { totalCount } }`, { as: "olga" });
    expect(res.data).toEqual({ viewer: { roles: ["AGENCY_OFFICER"] }, businesses: { totalCount: 0 }, transactions: { totalCount: 0 } });
  });

  it("harry (Orphan) sees his own profile only", async () => {
    const res = await server.gql(`{ viewer { user { username email } roles } businesses { totalCount } }`, { as: "harry" });
    expect(res.data).toEqual({ viewer: { user: { username: "harry", email: "harry@example.com" }, roles: ["ORPHAN"] }, businesses: { totalCount: 0 } });
  });
});

describe("explaining access", () => {
  const northernTxOnMaple = async () => {
    const [row] = await server.db.query(
      `SELECT t.id FROM transactions t JOIN businesses b ON b.id = t.submitted_by_business_id JOIN program_accounts pa ON pa.id = t.program_account_id
        WHERE b.legal_name LIKE 'Northern%' AND pa.bn15 = $1 LIMIT 1`,
      [RM1],
    );
    return Buffer.from(`Transaction:${row.id}`).toString("base64url");
  };
  const explain = `query ($id: ID!) { accessExplanation(id: $id) { targetType effectiveRole matchedVisibilityRule allowedActions
    grants { via role through { legalName } relationshipStatus relationshipRole clientGroupName assignmentRole transactionVisibility } } }`;

  it("frank: through Northern's relationship and his client group, admitted as submitted by the provider", async () => {
    const res = await server.gql(explain, { as: "frank", variables: { id: await northernTxOnMaple() } });
    expect(res.errors).toBeUndefined();
    const e = res.data!.accessExplanation;
    expect(e).toMatchObject({ targetType: "Transaction", effectiveRole: "EDITOR", matchedVisibilityRule: "SUBMITTED_BY_PROVIDER" });
    expect(e.grants).toEqual([
      {
        via: "RELATIONSHIP", role: "EDITOR", through: { legalName: "Northern Customs Brokers Ltd." }, relationshipStatus: "ACTIVE",
        relationshipRole: "EDITOR", clientGroupName: "Ontario manufacturers", assignmentRole: "EDITOR",
        transactionVisibility: ["SUBMITTED_BY_PROVIDER", "SUBMITTED_BY_CLIENT"],
      },
    ]);
    expect(e.allowedActions).toContain("EDIT_TRANSACTIONS");
    expect(e.allowedActions).not.toContain("VIEW_SECURITY");
  });

  it("alice: as BAM, every transaction; gina: NOT_FOUND (Northern's transaction is not hers to see)", async () => {
    const id = await northernTxOnMaple();
    const alice = await server.gql(explain, { as: "alice", variables: { id } });
    expect(alice.data!.accessExplanation).toMatchObject({ effectiveRole: "BAM", matchedVisibilityRule: "ALL_TRANSACTIONS" });
    const gina = await server.gql(explain, { as: "gina", variables: { id } });
    expect(gina.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("the review lists who reaches RM0001, through what, with which role", async () => {
    const res = await server.gql(`{ programAccountAccess(bn15: "${RM1}") { role user { username } grants { via relationshipStatus } } }`, { as: "bob" });
    const rows = res.data!.programAccountAccess.map((e: any) => [e.user.username, e.role, e.grants.map((g: any) => g.via + (g.relationshipStatus ? `:${g.relationshipStatus}` : "")).join(",")]);
    expect(rows).toEqual([
      ["alice", "BAM", "BAM"],
      ["bob", "PAM", "PROGRAM_ROLE"],
      ["carol", "EDITOR", "PROGRAM_ROLE"],
      ["erin", "EDITOR", "RELATIONSHIP:ACTIVE"],
      ["frank", "EDITOR", "RELATIONSHIP:ACTIVE"],
      ["gina", "EXPIRED", "RELATIONSHIP:EXPIRED"],
    ]);
  });
});
