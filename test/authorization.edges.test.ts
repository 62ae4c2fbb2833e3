/**
 * The broker rules at their edges: expiry at an instant (no job), revocation, every combination of
 * visibility rules, business- versus program-level coverage (including accounts added later), the
 * lesser of relationship and client-group roles, and access that ends with a membership or group.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { testAccess } from "./support/access.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
let snapshot: { rel: any[]; assignments: any[]; groups: any[]; memberships: any[] };
// The server's clock, which a test pins to the instants it looks at (real time otherwise).
const { accessLoader, clock } = testAccess();
beforeAll(async () => {
  server = await startTestServer({}, { accessLoader });
  snapshot = {
    rel: await server.db.query(`SELECT * FROM relationships`),
    assignments: await server.db.query(`SELECT * FROM client_group_assignments`),
    groups: await server.db.query(`SELECT * FROM client_groups`),
    memberships: await server.db.query(`SELECT * FROM business_memberships`),
  };
});
afterAll(() => server?.stop());

// Every test starts from the seeded relationships, groups and memberships, in real time.
afterEach(async () => {
  clock.release();
  for (const r of snapshot.rel) {
    await server.db.query(
      `UPDATE relationships SET status = $2, level = $3, role = $4, expires_at = $5, see_submitted_by_provider = $6,
              see_submitted_by_client = $7, see_submitted_by_others = $8 WHERE id = $1`,
      [r.id, r.status, r.level, r.role, r.expires_at, r.see_submitted_by_provider, r.see_submitted_by_client, r.see_submitted_by_others],
    );
  }
  for (const a of snapshot.assignments) await server.db.query(`UPDATE client_group_assignments SET role = $2 WHERE id = $1`, [a.id, a.role]);
  for (const g of snapshot.groups) await server.db.query(`UPDATE client_groups SET deleted_at = $2 WHERE id = $1`, [g.id, g.deleted_at]);
  for (const m of snapshot.memberships) await server.db.query(`UPDATE business_memberships SET status = $2 WHERE id = $1`, [m.id, m.status]);
  await server.db.query(`DELETE FROM program_accounts WHERE rm IN ('RM0003') OR (rm = 'RM0002' AND bn15 LIKE '71122334%')`);
});

const NORTHERN_MAPLE = `provider_business_id = (SELECT id FROM businesses WHERE legal_name LIKE 'Northern%') AND client_business_id = (SELECT id FROM businesses WHERE bn9 = '123456782')`;
const setNorthernMaple = (set: string, params: unknown[] = []) => server.db.query(`UPDATE relationships SET ${set} WHERE ${NORTHERN_MAPLE}`, params);

async function mapleTransactions(who: Persona): Promise<Record<string, number>> {
  const res = await server.gql(`{ transactions(first: 100) { edges { node { programAccount { bn15 } submittedBy { legalName } } } } }`, { as: who });
  expect(res.errors).toBeUndefined();
  const counts: Record<string, number> = {};
  for (const e of res.data!.transactions.edges) {
    if (!e.node.programAccount.bn15.startsWith("123456782")) continue;
    const k = e.node.submittedBy.legalName.split(" ")[0];
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

const roleOnRm1 = async (who: Persona) =>
  (await server.gql(`{ programAccount(bn15: "123456782RM0001") { myRole } }`, { as: who })).data?.programAccount?.myRole ?? null;

describe("expiry and revocation", () => {
  it("expiry takes effect at its instant, mid-day, with no job: Editor becomes Expired read-only", async () => {
    // An instant in the middle of a day, a week from now; the relationship row stays ACTIVE throughout.
    const [{ at }] = await server.db.query(`SELECT date_trunc('day', now()) + interval '7 days 13 hours 30 minutes 15 seconds' AS at`);
    await setNorthernMaple(`expires_at = $1`, [at]);
    clock.pin(new Date(at.getTime() - 1)); // a millisecond before
    expect(await mapleTransactions("frank")).toEqual({ Maple: 8, Northern: 8 });
    expect(await roleOnRm1("frank")).toBe("EDITOR");
    clock.pin(at); // the instant itself
    expect(await mapleTransactions("frank")).toEqual({ Northern: 8 });
    expect(await roleOnRm1("frank")).toBe("EXPIRED");
    const [{ status }] = await server.db.query(`SELECT status FROM relationships WHERE ${NORTHERN_MAPLE}`);
    expect(status).toBe("ACTIVE");
    const statements = await server.gql(`{ programAccount(bn15: "123456782RM0001") { statements { totalCount } } }`, { as: "frank" });
    expect(statements.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const rel = await server.gql(`{ relationships { edges { node { status provider { legalName } } } } }`, { as: "alice" });
    expect(rel.data!.relationships.edges.find((e: any) => e.node.provider.legalName.startsWith("Northern")).node.status).toBe("EXPIRED");
  });

  it("a revoked relationship leaves the provider's BAM read-only access to what it submitted, nothing else", async () => {
    await setNorthernMaple(`status = 'REVOKED', ended_at = now()`);
    expect(await mapleTransactions("erin")).toEqual({ Northern: 8 });
    const viewer = await server.gql(`{ viewer { roles } }`, { as: "erin" });
    // BAM of Northern itself, Expired on Maple Leaf, still Reader of Prairie RM0001.
    expect(viewer.data!.viewer.roles.sort()).toEqual(["BAM", "EXPIRED", "READER"]);
    const business = await server.gql(`{ business(bn9: "123456782") { legalName } }`, { as: "erin" });
    expect(business.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("a pending or rejected relationship gives nothing", async () => {
    await setNorthernMaple(`status = 'PENDING', level = NULL, role = NULL`);
    expect(await mapleTransactions("erin")).toEqual({});
    await setNorthernMaple(`status = 'REJECTED'`);
    expect(await mapleTransactions("frank")).toEqual({});
  });
});

describe("visibility rules: every combination", () => {
  // On Maple Leaf: Northern submitted 8, Maple Leaf itself 8, other businesses (Old Border, Coastal) 12.
  const combos: [boolean, boolean, boolean, Record<string, number>][] = [
    [false, false, false, {}],
    [true, false, false, { Northern: 8 }],
    [false, true, false, { Maple: 8 }],
    [false, false, true, { Old: 6, Coastal: 6 }],
    [true, true, false, { Northern: 8, Maple: 8 }],
    [true, false, true, { Northern: 8, Old: 6, Coastal: 6 }],
    [false, true, true, { Maple: 8, Old: 6, Coastal: 6 }],
    [true, true, true, { Northern: 8, Maple: 8, Old: 6, Coastal: 6 }],
  ];
  it.each(combos)("provider %s, client %s, others %s", async (byProvider, byClient, byOthers, expected) => {
    await setNorthernMaple(`see_submitted_by_provider = $1, see_submitted_by_client = $2, see_submitted_by_others = $3`, [byProvider, byClient, byOthers]);
    expect(await mapleTransactions("erin")).toEqual(expected);
    expect(await mapleTransactions("frank")).toEqual(expected);
    // The same rule guards single lookups: an excluded transaction is NOT_FOUND, not FORBIDDEN.
    const [coastalTx] = await server.db.query(`SELECT transaction_number FROM transactions t JOIN businesses b ON b.id = t.submitted_by_business_id WHERE b.legal_name LIKE 'Coastal%' LIMIT 1`);
    const one = await server.gql(`query($n: String!) { transaction(transactionNumber: $n) { transactionNumber } }`, { as: "erin", variables: { n: coastalTx.transaction_number } });
    if (byOthers) expect(one.data?.transaction?.transactionNumber).toBe(coastalTx.transaction_number);
    else expect(one.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});

describe("coverage: business level versus program-account level", () => {
  it("a business-level relationship covers a program account added later", async () => {
    await server.db.query(`INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT id, 'RM0003', '123456782RM0003', 'Skylights' FROM businesses WHERE bn9 = '123456782'`);
    const res = await server.gql(`{ programAccount(bn15: "123456782RM0003") { bn15 myRole } }`, { as: "erin" });
    expect(res.data!.programAccount).toEqual({ bn15: "123456782RM0003", myRole: "EDITOR" });
  });

  it("a program-level relationship covers only the listed accounts, not one added later", async () => {
    const prairieRm2 = `${(await server.db.query(`SELECT bn9 FROM businesses WHERE legal_name LIKE 'Prairie%'`))[0].bn9}RM0002`;
    await server.db.query(`INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT id, 'RM0002', $1, 'Seeds' FROM businesses WHERE legal_name LIKE 'Prairie%'`, [prairieRm2]);
    const res = await server.gql(`query($b: String!) { programAccount(bn15: $b) { bn15 } }`, { as: "erin", variables: { b: prairieRm2 } });
    expect(res.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const ivan = await server.gql(`query($b: String!) { programAccount(bn15: $b) { myRole } }`, { as: "ivan", variables: { b: prairieRm2 } });
    expect(ivan.data!.programAccount.myRole).toBe("BAM");
  });
});

describe("effective role of a provider's employee: the lesser of relationship and assignment", () => {
  const FRANK_ASSIGNMENT = `user_id = (SELECT id FROM users WHERE username = 'frank')`;
  const paymentDetails = async (who: Persona) =>
    (await server.gql(`{ programAccount(bn15: "123456782RM0001") { payments(first: 1) { edges { node { reference } } } } }`, { as: who })).errors?.[0]?.extensions?.code ?? "ok";

  it("relationship Reader, assignment Editor: Reader (no payment details); the provider's BAM: Reader", async () => {
    await setNorthernMaple(`role = 'READER'`);
    expect(await roleOnRm1("frank")).toBe("READER");
    expect(await roleOnRm1("erin")).toBe("READER");
    expect(await paymentDetails("frank")).toBe("FORBIDDEN");
  });

  it("relationship Editor, assignment Reader: Reader; the provider's BAM keeps Editor", async () => {
    await server.db.query(`UPDATE client_group_assignments SET role = 'READER' WHERE ${FRANK_ASSIGNMENT}`);
    expect(await roleOnRm1("frank")).toBe("READER");
    expect(await roleOnRm1("erin")).toBe("EDITOR");
    expect(await paymentDetails("erin")).toBe("ok");
  });

  it("a deleted client group takes the employee's access with it", async () => {
    await server.db.query(`UPDATE client_groups SET deleted_at = now() WHERE name = 'Ontario manufacturers'`);
    expect(await mapleTransactions("frank")).toEqual({});
    expect(await roleOnRm1("frank")).toBeNull();
  });

  it("a removed membership ends an employee's program role", async () => {
    await server.db.query(`UPDATE business_memberships SET status = 'REMOVED' WHERE user_id = (SELECT id FROM users WHERE username = 'bob')`);
    expect(await roleOnRm1("bob")).toBeNull();
    const viewer = await server.gql(`{ viewer { roles } }`, { as: "bob" });
    expect(viewer.data!.viewer.roles).toEqual(["ORPHAN"]);
  });
});
