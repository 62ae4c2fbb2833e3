/**
 * Registering a business: the registrant proves who they are with the legal name and address as
 * the agency has them and 2 of 3 affinity answers. A prober learns nothing: wrong answers, a BN9
 * nobody has and a business already registered all answer the same; failures are throttled per
 * person and per person on one business; failures by many people on one business slow it down but
 * never lock its owner out; success makes the registrant BAM with every program account linked.
 *
 * Every test starts from the same state (Laurentian unregistered, no attempts), so they hold in any order.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { luhnCheckDigit } from "../src/common/identifiers.js";
import {
  ATTEMPT_WINDOW_HOURS,
  businessDelayMs,
  BUSINESS_SLOWDOWN_AFTER,
  MAX_FAILED_PER_PERSON,
  MAX_FAILED_PER_PERSON_AND_BUSINESS,
} from "../src/modules/registration/registration.service.js";
import { DEMO_BN, LAURENTIAN_AFFINITY } from "../src/seed/demo.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

beforeEach(async () => {
  const laurentian = `(SELECT id FROM businesses WHERE bn9 = '${DEMO_BN.laurentian}')`;
  await server.db.query(`DELETE FROM registration_attempts`);
  await server.db.query(`DELETE FROM audit_events WHERE business_id = ${laurentian}`);
  await server.db.query(`DELETE FROM business_memberships WHERE business_id = ${laurentian}`);
  await server.db.query(`UPDATE businesses SET registered_at = NULL WHERE bn9 = $1`, [DEMO_BN.laurentian]);
});

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
const wrong = () => ({ ...good(), legalName: "Nope Inc." });
/** Valid BN9s that no business has. */
const nobody = (i: number) => {
  const base = `9${String(10_000_000 + i).slice(1)}`;
  return `${base}${luhnCheckDigit(base)}`;
};

const register = (as: Persona, input: object) => server.gql(REGISTER, { as, variables: { input } });
const attempts = async () => Number((await server.db.query(`SELECT count(*) FROM registration_attempts`))[0].count);
const failuresOf = async (username: string) =>
  Number((await server.db.query(`SELECT count(*) FROM registration_attempts ra JOIN users u ON u.id = ra.user_id WHERE u.username = $1 AND NOT ra.succeeded`, [username]))[0].count);
/** Failed attempts recorded directly (as many people trying over the day), for the slowdown. */
async function failuresOnLaurentianBy(usernames: string[], each: number) {
  await server.db.query(
    `INSERT INTO registration_attempts (business_id, user_id, succeeded)
     SELECT b.id, u.id, false FROM businesses b, users u, generate_series(1, $3) WHERE b.bn9 = $1 AND u.username = ANY($2)`,
    [DEMO_BN.laurentian, usernames, each],
  );
}

describe("input validation", () => {
  it.each([
    ["bn9", { bn9: "123456789" }],
    ["rm", { rm: "R1" }],
    ["acceptTerms", { acceptTerms: false }],
    ["affinity", { affinity: { lastPaymentAmount: "1.00" } }],
    ["affinity.recentTransactionNumber", { affinity: { recentTransactionNumber: "12", recentTransactionTotal: "1.00", lastPaymentAmount: "1.00" } }],
  ])("a bad %s is BAD_USER_INPUT naming the field, and is not counted as an attempt", async (field, change) => {
    const res = await register("harry", { ...good(), ...change });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(await attempts()).toBe(0);
  });
});

describe("what a prober learns: nothing", () => {
  it("wrong answers are refused with one message whichever part was wrong, and the business stays unregistered", async () => {
    const wrongs = [
      { ...good(), legalName: "Laurentian Timber Ltd." },
      { ...good(), address: { ...good().address, city: "Québec" } },
      { ...good(), affinity: { lastPaymentAmount: "2210.06", lastStatementBalance: "0.00" } },
      { ...good(), affinity: { lastPaymentAmount: LAURENTIAN_AFFINITY.lastPaymentAmount, recentTransactionNumber: LAURENTIAN_AFFINITY.recentTransactionNumber, recentTransactionTotal: "1.00" } },
    ];
    const answers = new Set<string>();
    for (const input of wrongs) {
      const res = await register("dave", input);
      answers.add(JSON.stringify([res.status, res.errors]));
    }
    expect(answers.size).toBe(1);
    const [only] = [...answers].map((a) => JSON.parse(a));
    expect(only[1][0].extensions).toEqual({ code: "BAD_USER_INPUT" });
    const [row] = await server.db.query(`SELECT registered_at FROM businesses WHERE bn9 = $1`, [DEMO_BN.laurentian]);
    expect(row.registered_at).toBeNull();
    expect(await failuresOf("dave")).toBe(4);
  });

  it("a BN9 that no business has, and a business already registered, answer exactly like wrong information, and count", async () => {
    const wrongInfo = await register("harry", wrong());
    const unknown = await register("harry", { ...good(), bn9: nobody(1) });
    const registered = await register("harry", { ...good(), bn9: "123456782", legalName: "Maple Leaf Windows & Doors Inc." });
    expect(unknown.status).toBe(wrongInfo.status);
    expect(unknown.errors).toEqual(wrongInfo.errors);
    expect(registered.status).toBe(wrongInfo.status);
    expect(registered.errors).toEqual(wrongInfo.errors);
    expect(await failuresOf("harry")).toBe(3);
  });

  it("a member of an already registered business is told so (CONFLICT): they can see it anyway", async () => {
    const res = await register("carol", { ...good(), bn9: "123456782", legalName: "Maple Leaf Windows & Doors Inc." });
    expect(res.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    expect(res.errors?.[0]?.message).toMatch(/already registered/);
  });

  it("the answers are nowhere in the schema's output: no type has a field to read them back", async () => {
    const res = await server.gql(`{ __schema { types { name kind fields { name } } } }`);
    const types = res.data!.__schema.types as { name: string; kind: string; fields: { name: string }[] | null }[];
    const outputFields = types.filter((t) => t.kind === "OBJECT" || t.kind === "INTERFACE").flatMap((t) => (t.fields ?? []).map((f) => `${t.name}.${f.name}`));
    expect(outputFields.length).toBeGreaterThan(100);
    const answerFields = ["lastPaymentAmount", "lastStatementBalance", "recentTransactionTotal", "recentTransactionNumber"];
    expect(outputFields.filter((f) => answerFields.includes(f.split(".")[1]!))).toEqual([]);
    expect(types.map((t) => t.name).filter((n) => /Affinity/.test(n))).toEqual(["AffinityAnswersInput"]);
    expect(types.find((t) => t.name === "AffinityAnswersInput")!.kind).toBe("INPUT_OBJECT");
  });
});

describe("throttling", () => {
  it(`after ${MAX_FAILED_PER_PERSON_AND_BUSINESS} failures on one business a person is RATE_LIMITED there, even with the right answers; others are not`, async () => {
    for (let i = 0; i < MAX_FAILED_PER_PERSON_AND_BUSINESS; i++) expect((await register("dave", wrong())).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const blocked = await register("dave", good());
    expect(blocked.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect(blocked.errors?.[0]?.message).toContain(`${ATTEMPT_WINDOW_HOURS} hours`);
    // Someone else (the real owner) is not locked out.
    const owner = await register("harry", good());
    expect(owner.errors).toBeUndefined();
    expect(owner.data!.registerBusiness.myRole).toBe("BAM");
  });

  it(`after ${MAX_FAILED_PER_PERSON} failures across businesses (unknown BN9s included) a person is RATE_LIMITED everywhere`, async () => {
    for (let i = 0; i < MAX_FAILED_PER_PERSON; i++) {
      expect((await register("bob", { ...good(), bn9: nobody(i) })).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
    const blocked = await register("bob", good());
    expect(blocked.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect((await register("harry", good())).errors).toBeUndefined();
  });

  it("many failures by many people on one business space a person's attempts on it: too soon is refused at once (429, Retry-After), and the owner still registers", async () => {
    // 12 failures by six others: past the threshold of 10, attempts on Laurentian are spaced.
    await failuresOnLaurentianBy(["alice", "bob", "carol", "dave", "erin", "frank"], 2);
    // harry's first attempt is not held back; it fails, and is the 13th failure: 2 s apart from now on.
    expect((await register("harry", wrong())).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await server.token("harry")}` },
      body: JSON.stringify({ query: REGISTER, variables: { input: good() } }),
    });
    const body = (await res.json()) as any;
    expect(res.status).toBe(429);
    // 2 s from his failure, rounded up: 2, or 1 had more than a second passed since it.
    const retry = Number(res.headers.get("retry-after"));
    expect([1, 2]).toContain(retry);
    expect(body.errors[0]).toMatchObject({
      message: `Many unsuccessful attempts were made on this business recently: try again in ${retry} s.`,
      extensions: { code: "RATE_LIMITED", retryAfterSeconds: retry },
    });
    // Refused without a trace: not counted as a failure.
    expect(await failuresOf("harry")).toBe(1);
    // Once the spacing has passed (his failure moved 3 s back rather than waited for), he registers.
    await server.db.query(`UPDATE registration_attempts SET created_at = created_at - interval '3 seconds' WHERE user_id = (SELECT id FROM users WHERE username = 'harry')`);
    const later = await register("harry", good());
    expect(later.errors).toBeUndefined();
    expect(later.data!.registerBusiness.myRole).toBe("BAM");
  });

  it("the slowdown grows with the failures and stays bounded", () => {
    expect(businessDelayMs(0)).toBe(0);
    expect(businessDelayMs(BUSINESS_SLOWDOWN_AFTER - 1)).toBe(0);
    expect(businessDelayMs(BUSINESS_SLOWDOWN_AFTER)).toBe(500);
    expect(businessDelayMs(BUSINESS_SLOWDOWN_AFTER + 1)).toBe(1000);
    expect(businessDelayMs(10_000)).toBe(5000);
  });
});

describe("success", () => {
  it("harry (Orphan) registers Laurentian with two answers and becomes its BAM, with every program account linked", async () => {
    const input = good();
    input.legalName = "  laurentian timber SUPPLY inc. "; // case and spacing do not matter
    input.address.postalCode = "G9A2N4";
    const res = await register("harry", input);
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
    // Registered now: to its new BAM a second try is a CONFLICT, to anyone else wrong information.
    expect((await register("harry", good())).errors?.[0]?.extensions?.code).toBe("CONFLICT");
    expect((await register("dave", good())).errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT" });
  });

  it("an agency officer cannot register a business", async () => {
    const res = await register("olga", good());
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
