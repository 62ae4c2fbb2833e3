/**
 * Registering a business: the registrant proves who they are with the legal name and address as
 * the agency has them and 2 of 3 affinity answers. Wrong answers never say which was wrong;
 * repeated failures are throttled; success makes them BAM with every program account linked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_BN, LAURENTIAN_AFFINITY } from "../src/seed/demo.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const REGISTER = `mutation ($input: RegisterBusinessInput!) { registerBusiness(input: $input) { bn9 legalName myRole registeredAt
  programAccounts { edges { node { bn15 myRole } } } } }`;

const good = () => ({
  bn9: DEMO_BN.laurentian,
  rm: "RM0001",
  legalName: "Laurentian Timber Supply Inc.",
  address: { addressLine: "75 Rue du Port", city: "Trois-Rivières", province: "QC", postalCode: "G9A 2N4" },
  acceptTerms: true,
  affinity: { lastPaymentAmount: LAURENTIAN_AFFINITY.lastPaymentAmount, lastStatementBalance: LAURENTIAN_AFFINITY.lastStatementBalance } as Record<string, string>,
});

const attempts = async () => Number((await server.db.query(`SELECT count(*) FROM registration_attempts`))[0].count);

describe("input validation", () => {
  it.each([
    ["bn9", { bn9: "123456789" }],
    ["rm", { rm: "R1" }],
    ["acceptTerms", { acceptTerms: false }],
    ["affinity", { affinity: { lastPaymentAmount: "1.00" } }],
    ["affinity.recentTransactionNumber", { affinity: { recentTransactionNumber: "12", recentTransactionTotal: "1.00", lastPaymentAmount: "1.00" } }],
  ])("a bad %s is BAD_USER_INPUT naming the field, and is not counted as an attempt", async (field, change) => {
    const before = await attempts();
    const res = await server.gql(REGISTER, { as: "harry", variables: { input: { ...good(), ...change } } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(await attempts()).toBe(before);
  });

  it("an already registered business is a CONFLICT pointing to its BAMs", async () => {
    const res = await server.gql(REGISTER, { as: "harry", variables: { input: { ...good(), bn9: "123456782", legalName: "Maple Leaf Windows & Doors Inc." } } });
    expect(res.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    expect(res.errors?.[0]?.message).toMatch(/already registered.*Business Account Managers/);
  });
});

describe("wrong answers", () => {
  it("are refused with one message whichever part was wrong, and the business stays unregistered", async () => {
    const wrongs = [
      { ...good(), legalName: "Laurentian Timber Ltd." },
      { ...good(), address: { ...good().address, city: "Québec" } },
      { ...good(), affinity: { lastPaymentAmount: "2210.06", lastStatementBalance: "0.00" } },
      { ...good(), affinity: { lastPaymentAmount: LAURENTIAN_AFFINITY.lastPaymentAmount, recentTransactionNumber: LAURENTIAN_AFFINITY.recentTransactionNumber, recentTransactionTotal: "1.00" } },
    ];
    const messages = new Set<string>();
    for (const input of wrongs) {
      const res = await server.gql(REGISTER, { as: "dave", variables: { input } });
      expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(res.errors?.[0]?.extensions?.field).toBeUndefined();
      messages.add(res.errors![0]!.message);
    }
    expect(messages.size).toBe(1);
    const [row] = await server.db.query(`SELECT registered_at FROM businesses WHERE bn9 = $1`, [DEMO_BN.laurentian]);
    expect(row.registered_at).toBeNull();
  });

  it("are throttled after 5 failures for the business: even right answers are then refused", async () => {
    // dave failed 4 times above; one more failure reaches the limit.
    await server.gql(REGISTER, { as: "dave", variables: { input: { ...good(), legalName: "Nope" } } });
    const res = await server.gql(REGISTER, { as: "harry", variables: { input: good() } });
    expect(res.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    await server.db.query(`DELETE FROM registration_attempts`); // the window passes
  });
});

describe("success", () => {
  it("harry (Orphan) registers Laurentian with two answers and becomes its BAM, with every program account linked", async () => {
    const input = good();
    input.legalName = "  laurentian timber SUPPLY inc. "; // case and spacing do not matter
    input.address.postalCode = "G9A2N4";
    const res = await server.gql(REGISTER, { as: "harry", variables: { input } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.registerBusiness).toMatchObject({ bn9: DEMO_BN.laurentian, legalName: "Laurentian Timber Supply Inc.", myRole: "BAM" });
    expect(res.data!.registerBusiness.programAccounts.edges.map((e: any) => [e.node.bn15, e.node.myRole])).toEqual([
      [`${DEMO_BN.laurentian}RM0001`, "BAM"],
      [`${DEMO_BN.laurentian}RM0002`, "BAM"],
    ]);
    const viewer = await server.gql(`{ viewer { roles } }`, { as: "harry" });
    expect(viewer.data!.viewer.roles).toEqual(["BAM"]);
    const trail = await server.gql(`{ business(bn9: "${DEMO_BN.laurentian}") { auditEvents { edges { node { action actor { username } after } } } } }`, { as: "harry" });
    expect(trail.data!.business.auditEvents.edges).toEqual([
      { node: { action: "business.registered", actor: { username: "harry" }, after: { bn9: DEMO_BN.laurentian, bam: "harry", programAccounts: [`${DEMO_BN.laurentian}RM0001`, `${DEMO_BN.laurentian}RM0002`] } } },
    ]);
  });

  it("an agency officer cannot register a business", async () => {
    const res = await server.gql(REGISTER, { as: "olga", variables: { input: good() } });
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("a second registration of the same business is a CONFLICT", async () => {
    const res = await server.gql(REGISTER, { as: "dave", variables: { input: good() } });
    expect(res.errors?.[0]?.extensions?.code).toBe("CONFLICT");
  });

  it("the answers can never be read back", async () => {
    const res = await server.gql(`{ programAccount(bn15: "${DEMO_BN.laurentian}RM0001") { lastPaymentAmount } }`, { as: "harry" });
    expect(res.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });
});
