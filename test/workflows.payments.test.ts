/**
 * Payments through the API. Guarded: a retried payment charged twice (also when 20 retries race), a
 * key reused for another payment, the credit-card cap per cycle passed by concurrent payments, a
 * Reader or an expired broker paying, a broker with restricted visibility seeing the client's own
 * payments, and payments that do not reach the statement and the oldest debts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileDeclarationDocument, MakePaymentDocument } from "./generated/graphql.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";
import { code, field } from "./support/results.js";
import { today } from "./support/dates.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const RM1 = "123456782RM0001";
const RM2 = "123456782RM0002";
const PRAIRIE = "711223347RM0001";
const cents = (v: string | null | undefined) => Math.round(Number(v ?? "0") * 100);

type Input = { bn15?: string; amount?: string; method?: string; idempotencyKey?: string; instrumentLast4?: string | null; asBusiness?: string };
const pay = (as: Persona, input: Input) =>
  server.gql(MakePaymentDocument, {
    as,
    variables: { input: { bn15: RM1, amount: "100.00", method: "ONLINE_BANKING", idempotencyKey: `k-${Math.random()}`, ...input } as never },
  });

async function money(as: Persona, bn15: string) {
  const res = await server.gql(
    `query ($bn15: String!) { programAccount(bn15: $bn15) {
        statements(first: 50) { edges { node { cycleStart cycleEnd status payments amountOutstanding } } }
        payments(first: 100) { edges { node { id amount madeBy { legalName } } } } } }`,
    { as, variables: { bn15 } },
  );
  expect(res.errors).toBeUndefined();
  const statements = res.data!.programAccount.statements.edges.map((e: any) => e.node);
  return {
    outstanding: statements.reduce((n: number, s: any) => n + cents(s.amountOutstanding), 0),
    paidThisCycle: statements.filter((s: any) => s.status === "OPEN").reduce((n: number, s: any) => n + cents(s.payments), 0),
    payments: res.data!.programAccount.payments.edges.map((e: any) => e.node) as { id: string; amount: string; madeBy: { legalName: string } }[],
  };
}

describe("paying", () => {
  it("alice pays 100.00 by online banking: posted on the open statement, the oldest debts paid down, her account's payment readers told", async () => {
    // A debt of 11,825.00, more than the other tests of this file pay into RM0001 in any order (VFD 100,000.00
    // x 6.5 % = 6,500.00 duty; GST 5 % of 106,500.00 = 5,325.00).
    const lines = [{ classificationCode: "7610100000", description: "Window frames", valueForDuty: "100000.00", tariffTreatment: "2", customsDutyRate: "6.5" }];
    expect((await server.gql(FileDeclarationDocument, { as: "carol", variables: { input: { bn15: RM1, releasedOn: today(), lines } as never } })).errors).toBeUndefined();
    const before = await money("alice", RM1);
    expect(before.outstanding).toBeGreaterThanOrEqual(10_000);
    const res = await pay("alice", { idempotencyKey: "alice-2026-001" });
    expect(res.errors).toBeUndefined();
    const { payment, replayed } = res.data!.makePayment;
    expect(replayed).toBe(false);
    expect(payment).toMatchObject({ amount: "100.00", method: "ONLINE_BANKING", instrumentLast4: null, madeBy: { bn9: "123456782" } });
    expect(payment.reference).toMatch(/^CARM-\d{8}-[0-9A-F]{8}$/);
    const after = await money("alice", RM1);
    expect(after.paidThisCycle - before.paidThisCycle).toBe(10_000);
    expect(before.outstanding - after.outstanding).toBe(10_000);
    // RM0001's own people who may see payments (alice BAM, bob PAM, carol Editor), and the payer: one each.
    const told = await server.db.query(
      `SELECT u.username FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'PAYMENT_RECEIVED' AND n.body LIKE '%' || $1 || '%' ORDER BY 1`,
      [payment.reference],
    );
    expect(told.map((r: { username: string }) => r.username)).toEqual(["alice", "bob", "carol"]);
  });

  it("a retry with the same key returns the first payment and charges nothing; the same key for another payment is a CONFLICT", async () => {
    const first = await pay("alice", { idempotencyKey: "alice-2026-002", amount: "42.00" });
    const before = await money("alice", RM1);
    const retry = await pay("alice", { idempotencyKey: "alice-2026-002", amount: "42.00" });
    expect(retry.data!.makePayment).toMatchObject({ replayed: true, payment: { id: first.data!.makePayment.payment.id, amount: "42.00" } });
    expect((await money("alice", RM1)).paidThisCycle).toBe(before.paidThisCycle);
    for (const other of [{ amount: "43.00" }, { method: "DEBIT_CARD", instrumentLast4: "4417" }]) {
      expect(code(await pay("alice", { idempotencyKey: "alice-2026-002", amount: "42.00", ...other }))).toBe("CONFLICT");
    }
    // The key is per account: the same key on another account is another payment.
    expect((await pay("alice", { bn15: RM2, idempotencyKey: "alice-2026-002", amount: "42.00" })).data!.makePayment.replayed).toBe(false);
  });

  it("20 retries racing each other create one payment, and all 20 get it", async () => {
    const before = await money("alice", RM1);
    const results = await Promise.all(Array.from({ length: 20 }, () => pay("alice", { idempotencyKey: "race-20", amount: "12.34" })));
    expect(results.map(code)).toEqual(Array(20).fill("ok"));
    expect(new Set(results.map((r) => r.data!.makePayment.payment.id)).size).toBe(1);
    expect(results.filter((r) => !r.data!.makePayment.replayed)).toHaveLength(1);
    const [{ n }] = await server.db.query(`SELECT count(*)::int AS n FROM payments WHERE idempotency_key = 'race-20'`);
    expect(n).toBe(1);
    expect((await money("alice", RM1)).paidThisCycle - before.paidThisCycle).toBe(1_234);
  });

  it("credit cards: at most 4,999.99 per cycle and account, also when 20 card payments race", async () => {
    // 20 payments of 300.00 on RM0002 at once: 16 x 300.00 = 4,800.00 fit; a 17th would make 5,100.00.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => pay("alice", { bn15: RM2, amount: "300.00", method: "CREDIT_CARD", instrumentLast4: "4242", idempotencyKey: `card-${i}` })),
    );
    expect(results.filter((r) => code(r) === "ok")).toHaveLength(16);
    const refused = results.filter((r) => code(r) !== "ok");
    expect(refused.map((r) => `${code(r)} ${field(r)}`)).toEqual(Array(4).fill("BAD_USER_INPUT amount"));
    expect(refused[0]!.errors![0]!.message).toMatch(/4999\.99 per billing cycle.*199\.99 is left/);
    // 4,800.00 + 199.99 = 4,999.99 exactly: accepted; one cent more is not. Other methods are not capped.
    expect(code(await pay("alice", { bn15: RM2, amount: "199.99", method: "CREDIT_CARD", instrumentLast4: "4242" }))).toBe("ok");
    expect(field(await pay("alice", { bn15: RM2, amount: "0.01", method: "CREDIT_CARD", instrumentLast4: "4242" }))).toBe("amount");
    expect(code(await pay("alice", { bn15: RM2, amount: "6000.00", method: "DEBIT_CARD", instrumentLast4: "4242" }))).toBe("ok");
    // The cap is per account: RM0001 has its own.
    expect(code(await pay("alice", { bn15: RM1, amount: "4999.99", method: "CREDIT_CARD", instrumentLast4: "4242" }))).toBe("ok");
    const [{ total }] = await server.db.query(
      `SELECT sum(p.amount) AS total FROM payments p JOIN program_accounts pa ON pa.id = p.program_account_id WHERE pa.bn15 = $1 AND p.method = 'CREDIT_CARD'`,
      [RM2],
    );
    expect(total).toBe("4999.99");
  });

  it("bad input is BAD_USER_INPUT naming the field", async () => {
    const bad = async (input: Input) => {
      const res = await pay("alice", input);
      return `${code(res)} ${field(res)}`;
    };
    expect(await bad({ amount: "0.00" })).toBe("BAD_USER_INPUT amount");
    expect(await bad({ amount: "-5.00" })).toBe("BAD_USER_INPUT amount");
    expect(await bad({ method: "CREDIT_CARD" })).toBe("BAD_USER_INPUT instrumentLast4");
    expect(await bad({ method: "PRE_AUTHORIZED_DEBIT", instrumentLast4: "12a4" })).toBe("BAD_USER_INPUT instrumentLast4");
    expect(await bad({ method: "DEBIT_CARD", instrumentLast4: "4111111111111111" })).toBe("BAD_USER_INPUT instrumentLast4");
    expect(await bad({ idempotencyKey: "" })).toBe("BAD_USER_INPUT idempotencyKey");
    expect(await bad({ idempotencyKey: "has spaces" })).toBe("BAD_USER_INPUT idempotencyKey");
    expect(await bad({ bn15: "123456782RM01" })).toBe("BAD_USER_INPUT bn15");
  });

  it("who may not pay: Readers, Expired users, a broker that only reads, other businesses, the agency", async () => {
    const cases: [Persona, string, string][] = [
      ["dave", RM2, "FORBIDDEN"],
      ["gina", RM1, "FORBIDDEN"],
      ["erin", PRAIRIE, "FORBIDDEN"],
      ["ivan", RM1, "NOT_FOUND"],
      ["carol", RM2, "NOT_FOUND"],
      ["olga", RM1, "NOT_FOUND"],
      ["harry", RM1, "NOT_FOUND"],
    ];
    for (const [who, bn15, expected] of cases) expect(`${who}: ${code(await pay(who, { bn15 }))}`).toBe(`${who}: ${expected}`);
  });
});

describe("who sees the payments", () => {
  it("erin pays for Maple Leaf as Northern; with restricted visibility she sees only Northern's payments, alice sees all", async () => {
    const res = await pay("erin", { amount: "75.00", method: "DEBIT_CARD", instrumentLast4: "1234" });
    expect(res.data!.makePayment.payment.madeBy).toEqual({ bn9: "876543216" });
    const erin = await money("erin", RM1);
    // Northern's 500.00 of the demo world, and this one.
    expect(erin.payments.map((p) => `${p.amount} ${p.madeBy.legalName}`).sort()).toEqual(["500.00 Northern Customs Brokers Ltd.", "75.00 Northern Customs Brokers Ltd."]);
    const alice = await money("alice", RM1);
    expect(alice.payments.length).toBeGreaterThan(erin.payments.length);
    expect(alice.payments.map((p) => p.id)).toEqual(expect.arrayContaining(erin.payments.map((p) => p.id)));
    // A Maple Leaf payment by id: NOT_FOUND for erin, as if it did not exist.
    const maples = alice.payments.find((p) => p.madeBy.legalName.startsWith("Maple"))!;
    const node = await server.gql(`query ($id: ID!) { node(id: $id) { id } }`, { as: "erin", variables: { id: maples.id } });
    expect(code(node)).toBe("NOT_FOUND");
    expect((await server.gql(`query ($id: ID!) { node(id: $id) { id } }`, { as: "alice", variables: { id: maples.id } })).data!.node.id).toBe(maples.id);
  });

  it("on Prairie, where Northern sees every transaction, erin sees every payment: as many as ivan", async () => {
    const erin = await money("erin", PRAIRIE);
    const ivan = await money("ivan", PRAIRIE);
    expect(erin.payments.length).toBeGreaterThan(0);
    expect(erin.payments.map((p) => p.id).sort()).toEqual(ivan.payments.map((p) => p.id).sort());
    expect(erin.outstanding).toBe(ivan.outstanding);
  });

  it("frank on RM0002 sees no payment (none is Northern's); dave (Reader) sees them but not their details", async () => {
    expect((await money("frank", RM2)).payments).toEqual([]);
    // Every payment of RM0002: the demo world's three (one per issued cycle, paid on its due date) and what this file paid there.
    const [{ n }] = await server.db.query(`SELECT count(*)::int AS n FROM payments p JOIN program_accounts pa ON pa.id = p.program_account_id WHERE pa.bn15 = $1`, [RM2]);
    const [{ seeded }] = await server.db.query(`SELECT count(*)::int AS seeded FROM payments WHERE idempotency_key LIKE 'seed-123456782RM0002-%'`);
    expect(seeded).toBe(3);
    const dave = (await money("dave", RM2)).payments;
    expect(dave).toHaveLength(n);
    expect(dave.map((p) => p.id).sort()).toEqual((await money("alice", RM2)).payments.map((p) => p.id).sort());
    const details = await server.gql(`{ programAccount(bn15: "${RM2}") { payments(first: 1) { edges { node { reference } } } } }`, { as: "dave" });
    expect(code(details)).toBe("FORBIDDEN");
  });
});
