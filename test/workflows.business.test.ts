/**
 * A business's own record: its legal entity (name, address) and its registration as a service
 * provider. Threats guarded: anyone but the business's BAM changing who the business is (a PAM, an
 * employee, the broker acting for it, the agency); a change that is not audited with before and
 * after; an ASEC claimed that belongs to another business (also when two claim it at once); a broker
 * that registered through the API unable to ever act for a client. Each test puts back what it
 * changed in the seeded world, so they hold in any order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_BN, LAURENTIAN_AFFINITY } from "../src/seed/demo.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const MAPLE = "123456782";
const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? "ok";
const UPDATE = `mutation ($input: UpdateLegalEntityInput!) { updateLegalEntity(input: $input) { bn9 legalName addressLine city province postalCode } }`;
const PROVIDER = `mutation ($input: RegisterServiceProviderInput!) { registerServiceProvider(input: $input) { bn9 isServiceProvider asec } }`;
const ADDRESS = { addressLine: "1250 Industrial Parkway", city: "Mississauga", province: "on", postalCode: "l5t1a2" };

describe("legal entity edits", () => {
  it.each([
    ["bob", "FORBIDDEN"], // PAM
    ["carol", "FORBIDDEN"],
    ["dave", "FORBIDDEN"],
    ["erin", "FORBIDDEN"], // the broker sees the profile, and may not change it
    ["frank", "FORBIDDEN"],
    ["gina", "NOT_FOUND"],
    ["ivan", "NOT_FOUND"],
    ["harry", "NOT_FOUND"],
    ["olga", "NOT_FOUND"],
  ] as const)("%s cannot change Maple Leaf's legal entity: %s", async (who, expected) => {
    expect(code(await server.gql(UPDATE, { as: who, variables: { input: { bn9: MAPLE, legalName: "Hijacked Inc." } } }))).toBe(expected);
  });

  it("input is validated like registration, each error naming its field", async () => {
    const field = async (input: object) => (await server.gql(UPDATE, { as: "alice", variables: { input: { bn9: MAPLE, ...input } } })).errors?.[0]?.extensions;
    expect(await field({})).toMatchObject({ code: "BAD_USER_INPUT", field: "legalName" });
    expect(await field({ legalName: "  " })).toMatchObject({ code: "BAD_USER_INPUT", field: "legalName" });
    expect(await field({ legalName: "x".repeat(201) })).toMatchObject({ code: "BAD_USER_INPUT", field: "legalName" });
    expect(await field({ legalName: "Maple\u0007" })).toMatchObject({ code: "BAD_USER_INPUT", field: "legalName" });
    expect(await field({ address: { ...ADDRESS, province: "XX" } })).toMatchObject({ code: "BAD_USER_INPUT", field: "address.province" });
    expect(await field({ address: { ...ADDRESS, postalCode: "12345" } })).toMatchObject({ code: "BAD_USER_INPUT", field: "address.postalCode" });
    expect(await field({ address: { ...ADDRESS, city: "" } })).toMatchObject({ code: "BAD_USER_INPUT", field: "address.city" });
    expect(await field({ address: { ...ADDRESS, addressLine: "y".repeat(201) } })).toMatchObject({ code: "BAD_USER_INPUT", field: "address.addressLine" });
    expect((await server.gql(UPDATE, { as: "alice", variables: { input: { bn9: "123456789", legalName: "X" } } })).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "bn9" });
  });

  it("alice renames Maple Leaf and moves it: normalised, audited with before and after, seen by its broker at once", async () => {
    const res = await server.gql(UPDATE, { as: "alice", variables: { input: { bn9: MAPLE, legalName: "Maple Leaf Fenestration Inc.", address: ADDRESS } } });
    expect(res.data!.updateLegalEntity).toEqual({
      bn9: MAPLE, legalName: "Maple Leaf Fenestration Inc.", addressLine: "1250 Industrial Parkway", city: "Mississauga", province: "ON", postalCode: "L5T 1A2",
    });
    const trail = await server.gql(`{ business(bn9: "${MAPLE}") { auditEvents(action: "business.legal_entity_updated") { edges { node { actor { username } before after } } } } }`, { as: "alice" });
    expect(trail.data!.business.auditEvents.edges.map((e: any) => e.node)).toEqual([
      {
        actor: { username: "alice" },
        before: { legalName: "Maple Leaf Windows & Doors Inc.", addressLine: "1200 Industrial Parkway", city: "Mississauga", province: "ON", postalCode: "L5T 1A1" },
        after: { legalName: "Maple Leaf Fenestration Inc.", addressLine: "1250 Industrial Parkway", city: "Mississauga", province: "ON", postalCode: "L5T 1A2" },
      },
    ]);
    expect((await server.gql(`{ business(bn9: "${MAPLE}") { legalName addressLine } }`, { as: "erin" })).data!.business).toEqual({ legalName: "Maple Leaf Fenestration Inc.", addressLine: "1250 Industrial Parkway" });
    await server.db.query(
      `UPDATE businesses SET legal_name = 'Maple Leaf Windows & Doors Inc.', address_line = '1200 Industrial Parkway', postal_code = 'L5T 1A1' WHERE bn9 = $1`,
      [MAPLE],
    );
  });

  it("a change to the same values changes nothing and records nothing", async () => {
    const events = async () => (await server.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'business.legal_entity_updated'`))[0].n as number;
    const before = await events();
    const res = await server.gql(UPDATE, {
      as: "alice",
      variables: { input: { bn9: MAPLE, legalName: "Maple Leaf Windows & Doors Inc.", address: { addressLine: "1200 Industrial Parkway", city: "Mississauga", province: "ON", postalCode: "L5T 1A1" } } },
    });
    expect(code(res)).toBe("ok");
    expect(await events()).toBe(before);
  });
});

describe("registering a service provider", () => {
  it.each([
    ["bob", "FORBIDDEN"],
    ["carol", "FORBIDDEN"],
    ["erin", "FORBIDDEN"], // Northern's BAM, acting for Maple Leaf: not Maple Leaf's to decide
    ["gina", "NOT_FOUND"],
    ["olga", "NOT_FOUND"],
  ] as const)("%s cannot register Maple Leaf as a provider: %s", async (who, expected) => {
    expect(code(await server.gql(PROVIDER, { as: who, variables: { input: { bn9: MAPLE, asec: "10001" } } }))).toBe(expected);
  });

  /** Prairie (and Coastal) as the seed has them: ASECs 40004 (and 50005), an importer (and a provider), dave not Coastal's. */
  const restoreSeeded = async () => {
    await server.db.query(`UPDATE businesses SET asec = '40004', is_service_provider = false WHERE bn9 = $1`, [DEMO_BN.prairie]);
    await server.db.query(`UPDATE businesses SET asec = '50005', is_service_provider = true WHERE bn9 = $1`, [DEMO_BN.coastal]);
    await server.db.query(`DELETE FROM business_memberships WHERE user_id = (SELECT id FROM users WHERE username = 'dave') AND business_id = (SELECT id FROM businesses WHERE bn9 = $1)`, [DEMO_BN.coastal]);
  };

  it("the ASEC: 5 digits, the business's own when the agency's record has one, never another business's", async () => {
    const field = async (asec: string) => (await server.gql(PROVIDER, { as: "ivan", variables: { input: { bn9: DEMO_BN.prairie, asec } } })).errors?.[0];
    try {
      expect((await field("4000"))?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "asec" });
      const own = await field("40005"); // Prairie's record says 40004
      expect(own?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "asec" });
      expect(own?.message).toMatch(/already has ASEC 40004/);
      await server.db.query(`UPDATE businesses SET asec = NULL WHERE bn9 = $1`, [DEMO_BN.prairie]);
      const taken = await field("20002"); // Northern's
      expect(taken?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "asec" });
      expect(taken?.message).toBe("This ASEC belongs to another business: check the number the agency gave you.");
      const [{ is_service_provider }] = await server.db.query(`SELECT is_service_provider FROM businesses WHERE bn9 = $1`, [DEMO_BN.prairie]);
      expect(is_service_provider).toBe(false);
    } finally {
      await restoreSeeded();
    }
  });

  it("two businesses claiming the same free ASEC at once: one gets it, the other a BAD_USER_INPUT on asec", async () => {
    // Prairie and Coastal without an ASEC, neither a provider, dave made Coastal's BAM: both claim 77777.
    await server.db.query(`UPDATE businesses SET asec = NULL, is_service_provider = false WHERE bn9 = ANY($1)`, [[DEMO_BN.prairie, DEMO_BN.coastal]]);
    await server.db.query(
      `INSERT INTO business_memberships (user_id, business_id, is_bam, status) SELECT u.id, b.id, true, 'ACTIVE' FROM users u, businesses b WHERE u.username = 'dave' AND b.bn9 = $1`,
      [DEMO_BN.coastal],
    );
    try {
      const [a, b] = await Promise.all([
        server.gql(PROVIDER, { as: "ivan", variables: { input: { bn9: DEMO_BN.prairie, asec: "77777" } } }),
        server.gql(PROVIDER, { as: "dave", variables: { input: { bn9: DEMO_BN.coastal, asec: "77777" } } }),
      ]);
      expect([code(a), code(b)].sort()).toEqual(["BAD_USER_INPUT", "ok"]);
      const loser = code(a) === "ok" ? b : a;
      expect(loser.errors![0]!.extensions).toMatchObject({ field: "asec" });
      const [{ n }] = await server.db.query(`SELECT count(*)::int AS n FROM businesses WHERE asec = '77777' AND is_service_provider`);
      expect(n).toBe(1);
    } finally {
      await restoreSeeded();
    }
  });

  it("end to end: harry registers Laurentian, makes it a provider with its ASEC, asks Maple Leaf for access, and acts once approved", async () => {
    try {
      await laurentianStory();
    } finally {
      // Laurentian is unregistered again, as the seed has it.
      await server.db.query(
        `DELETE FROM relationships WHERE provider_business_id = (SELECT id FROM businesses WHERE bn9 = $1)`,
        [DEMO_BN.laurentian],
      );
      await server.db.query(`DELETE FROM business_memberships WHERE business_id = (SELECT id FROM businesses WHERE bn9 = $1)`, [DEMO_BN.laurentian]);
      await server.db.query(`DELETE FROM registration_attempts WHERE business_id = (SELECT id FROM businesses WHERE bn9 = $1)`, [DEMO_BN.laurentian]);
      await server.db.query(`UPDATE businesses SET registered_at = NULL, is_service_provider = false WHERE bn9 = $1`, [DEMO_BN.laurentian]);
    }
  });
});

/** Laurentian, registered through the API, becomes a provider and acts for Maple Leaf once approved. */
async function laurentianStory() {
  const ask = () => server.gql(`mutation { requestRelationship(input: { clientBn9: "${MAPLE}", comment: "Lumber import brokerage" }) { id status provider { legalName } } }`, { as: "harry" });
  const registered = await server.gql(
    `mutation ($input: RegisterBusinessInput!) { registerBusiness(input: $input) { bn9 myRole isServiceProvider } }`,
    {
      as: "harry",
      variables: {
        input: {
          bn9: DEMO_BN.laurentian, rm: "RM0001", legalName: "Laurentian Timber Supply Inc.", acceptTerms: true,
          address: { addressLine: "75 Rue du Port", city: "Trois-Rivières", province: "QC", postalCode: "G9A 2N4" },
          affinity: { lastPaymentAmount: LAURENTIAN_AFFINITY.lastPaymentAmount, lastStatementBalance: LAURENTIAN_AFFINITY.lastStatementBalance },
        },
      },
    },
  );
  expect(registered.data!.registerBusiness).toEqual({ bn9: DEMO_BN.laurentian, myRole: "BAM", isServiceProvider: false });
  // Not a provider yet: it cannot ask for a client's access.
  expect(code(await ask())).toBe("FORBIDDEN");
  const provider = await server.gql(PROVIDER, { as: "harry", variables: { input: { bn9: DEMO_BN.laurentian, asec: "60006" } } });
  expect(provider.data!.registerServiceProvider).toEqual({ bn9: DEMO_BN.laurentian, isServiceProvider: true, asec: "60006" });
  expect(code(await server.gql(PROVIDER, { as: "harry", variables: { input: { bn9: DEMO_BN.laurentian, asec: "60006" } } }))).toBe("CONFLICT");
  const trail = await server.gql(`{ business(bn9: "${DEMO_BN.laurentian}") { auditEvents(action: "business.service_provider_registered") { edges { node { actor { username } before after } } } } }`, { as: "harry" });
  expect(trail.data!.business.auditEvents.edges.map((e: any) => e.node)).toEqual([
    { actor: { username: "harry" }, before: { isServiceProvider: false, asec: "60006" }, after: { isServiceProvider: true, asec: "60006" } },
  ]);

  const asked = await ask();
  expect(asked.data!.requestRelationship).toMatchObject({ status: "PENDING", provider: { legalName: "Laurentian Timber Supply Inc." } });
  const decided = await server.gql(
    `mutation ($input: DecideRelationshipInput!) { decideRelationship(input: $input) { status } }`,
    {
      as: "alice",
      variables: {
        input: {
          relationshipId: asked.data!.requestRelationship.id, approve: true,
          terms: { level: "PROGRAM_ACCOUNT", programAccounts: ["123456782RM0002"], role: "READER", visibility: { submittedByProvider: true, submittedByClient: true, submittedByOthers: false } },
        },
      },
    },
  );
  expect(decided.data!.decideRelationship.status).toBe("ACTIVE");
  const reach = await server.gql(`{ programAccount(bn15: "123456782RM0002") { myRole transactions(first: 100) { totalCount } } }`, { as: "harry" });
  // RM0002: Maple Leaf filed 4; Laurentian filed none; others' are hidden.
  expect(reach.data!.programAccount).toEqual({ myRole: "READER", transactions: { totalCount: 4 } });
  expect(code(await server.gql(`{ programAccount(bn15: "123456782RM0001") { bn15 } }`, { as: "harry" }))).toBe("NOT_FOUND");
}
