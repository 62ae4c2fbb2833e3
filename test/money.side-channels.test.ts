/**
 * No amount or detail a viewer may not see reaches them through text or totals. Guarded: dave (Reader
 * of Maple Leaf doors, refused payment details) reading a payment's confirmation number or card
 * digits in a journal line, a notification or an email; erin (Northern, a RESTRICTED view of Maple
 * Leaf) working out hidden debt from the open balance of her own payment, or seeing anything she
 * receives (journal lines, statement totals, subscription events) change when a posting she cannot
 * see is made; and "charges this cycle" meaning one thing in a FULL view and another in a RESTRICTED one.
 */
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileDeclaration, type DeclarationLine, type Filer } from "../src/modules/transaction/filing.js";
import { MakePaymentDocument } from "./generated/graphql.js";
import { waitFor } from "./support/log.js";
import { code } from "./support/results.js";
import { today } from "./support/dates.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
const clients: Client[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server?.stop();
});

const RM1 = "123456782RM0001";
const RM2 = "123456782RM0002";
const POSTINGS = `query ($bn15: String!) { programAccount(bn15: $bn15) { statements(first: 10) { edges { node { id cycleEnd view
  currentCharges corrections credits payments interestAndPenalties refunds visibleCharges previousBalance totalPayable amountOutstanding
  postings(first: 100) { edges { node { id lineNo kind amount openAmount description } } } } } } } }`;
const statements = async (as: Persona, bn15: string) => {
  const res = await server.gql(POSTINGS, { as, variables: { bn15 } });
  expect(res.errors).toBeUndefined();
  return res.data!.programAccount.statements.edges.map((e: any) => e.node);
};
const pay = (as: Persona, input: Record<string, unknown>) =>
  server.gql(MakePaymentDocument, { as, variables: { input: { bn15: RM1, amount: "10.00", method: "ONLINE_BANKING", idempotencyKey: `k-${Math.random()}`, ...input } as never } });

describe("dave, a Reader: payment details never in text", () => {
  it("his journal lines name the payment method, not its reference or card digits; alice's name both", async () => {
    const payments = (list: any[]) => list.flatMap((s) => s.postings.edges.map((e: any) => e.node)).filter((p: any) => p.kind === "PAYMENT");
    const dave = payments(await statements("dave", RM2));
    const alice = payments(await statements("alice", RM2));
    // The demo's three issued cycles of RM0002, each paid on its due date (online banking, then pre-authorized debit).
    expect(dave.map((p: any) => p.description).sort()).toEqual(["Payment by online banking", "Payment by online banking", "Payment by pre-authorized debit"]);
    expect(alice.map((p: any) => p.id).sort()).toEqual(dave.map((p: any) => p.id).sort());
    for (const p of alice) expect(p.description).toMatch(/^Payment by (online banking \(…4417\)|pre-authorized debit \(…0093\)), CARM-\d{8}-[0-9A-F]{8}$/);
  });

  it("PAYMENT_RECEIVED: the confirmation number to alice, the same notice without it to dave, also by email", async () => {
    await server.gql(`mutation { setNotificationPreferences(input: [{ kind: PAYMENT_RECEIVED, email: true }]) { kind } }`, { as: "dave" });
    const res = await pay("alice", { bn15: RM2, amount: "25.00", method: "DEBIT_CARD", instrumentLast4: "4242", idempotencyKey: "dave-sees-no-details" });
    const reference = res.data!.makePayment.payment.reference as string;
    const told = await server.db.query(
      `SELECT u.username, n.body FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'PAYMENT_RECEIVED' AND n.body LIKE '%$25.00 by debit card%' ORDER BY 1`,
    );
    const said = "A payment of $25.00 by debit card from Maple Leaf Windows & Doors Inc. was received on 123456782RM0002 (Maple Leaf Windows & Doors Inc.)";
    expect(told).toEqual([
      { username: "alice", body: `${said}, confirmation ${reference}.` },
      { username: "dave", body: `${said}.` },
    ]);
    const emails = await server.gql(`{ viewer { emails(first: 10) { edges { node { kind body } } } } }`, { as: "dave" });
    const email = emails.data!.viewer.emails.edges.map((e: any) => e.node).find((e: any) => e.kind === "PAYMENT_RECEIVED");
    expect(email.body).toContain(`${said}.`);
    expect(email.body).not.toContain(reference);
    expect(email.body).not.toContain("4242");
  });
});

describe("erin, a RESTRICTED view of Maple Leaf: nothing moves with what she cannot see", () => {
  it("the open balance of her own payments is not hers to read (it would tell the debt she cannot see); alice reads it", async () => {
    const ownPayments = (list: any[]) => list.flatMap((s) => s.postings.edges.map((e: any) => e.node)).filter((p: any) => p.kind === "PAYMENT");
    const erin = ownPayments(await statements("erin", RM1));
    expect(erin.map((p: any) => p.amount)).toEqual(["-500.00"]); // Northern's 500.00 of the demo world
    expect(erin.map((p: any) => p.openAmount)).toEqual([null]);
    const alice = ownPayments(await statements("alice", RM1)).find((p: any) => p.id === erin[0].id);
    expect(alice.openAmount).toBe("0.00"); // it paid Maple Leaf's debts in full
  });

  it("everything she receives is the same before and after a posting she may not see (Coastal files on Maple Leaf windows), and she is not even told of it live; alice is", async () => {
    expect(code(await pay("erin", { amount: "10.00", method: "DEBIT_CARD", instrumentLast4: "1234", idempotencyKey: "erin-10" }))).toBe("ok");
    const before = await statements("erin", RM1);
    const aliceBefore = await statements("alice", RM1);
    const metric = async (name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(await (await fetch(`${server.url}/metrics`)).text())?.[1] ?? 0);
    const running = await metric("carm_subscriptions_open");
    // Her view of the open statement over a live subscription, and alice's (FULL) beside it.
    const TOTALS = "id view currentCharges corrections credits payments interestAndPenalties visibleCharges totalPayable";
    const follow = async (as: Persona) => {
      const events: any[] = [];
      const c = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${await server.token(as)}` }, retryAttempts: 0 });
      clients.push(c);
      c.subscribe(
        { query: `subscription { statementUpdated(bn15: "${RM1}") { ${TOTALS} } }` },
        { next: (v) => void events.push(v.data), error: () => undefined, complete: () => undefined },
      );
      return events;
    };
    const erinHears = await follow("erin");
    const aliceHears = await follow("alice");
    await waitFor(async () => (await metric("carm_subscriptions_open")) >= running + 2, 10_000, "both subscriptions to be registered");
    const decided = await metric("carm_live_events_total");
    const lines: DeclarationLine[] = [{ classificationCode: "7610100000", description: "Frames", valueForDuty: "100000.00", tariffTreatment: "2", customsDutyRate: "6.5", sima: "0.00", excise: "0.00" }];
    await server.db.transaction(async (em) => {
      const [pa] = await em.query(`SELECT id FROM program_accounts WHERE bn15 = $1`, [RM1]);
      const [coastal] = (await em.query(`SELECT id, legal_name AS "legalName", asec FROM businesses WHERE legal_name LIKE 'Coastal%'`)) as Filer[];
      await fileDeclaration(em, { programAccountId: pa.id, filer: coastal!, userId: null, releasedOn: today(), lines, today: today() });
    });
    // alice's view moved (11,825.00 more), and she hears of it live.
    await waitFor(async () => aliceHears.length > 0, 10_000, "alice's statement event");
    const aliceAfter = await statements("alice", RM1);
    expect(aliceAfter).not.toEqual(aliceBefore);
    const aliceOpen = aliceAfter.find((s: any) => s.id === aliceHears[0].statementUpdated.id);
    expect(Math.round(Number(aliceHears[0].statementUpdated.currentCharges) * 100) - Math.round(Number(aliceBefore.find((s: any) => s.id === aliceOpen.id).currentCharges) * 100)).toBe(1_182_500);
    // erin's did not move at all: not a total, not a line, not an open balance.
    expect(await statements("erin", RM1)).toEqual(before);
    // Nor is she told "look again" (the moment would tell her that something she may not see was
    // posted). Proven by a later event she must hear: the filing's event was decided (the hub is
    // past it) before her own payment, so had it reached her it would arrive first.
    await waitFor(async () => (await metric("carm_live_events_total")) > decided, 10_000, "the filing's event to be decided");
    expect(code(await pay("erin", { amount: "7.00", method: "DEBIT_CARD", instrumentLast4: "1234", idempotencyKey: "erin-7" }))).toBe("ok");
    await waitFor(async () => erinHears.length > 0, 10_000, "erin's own payment's event");
    const open = before.find((s: any) => s.id === erinHears[0].statementUpdated.id);
    const { postings: _, cycleEnd: __, previousBalance: ___, amountOutstanding: ____, refunds: _____, ...totals } = open;
    expect(erinHears[0].statementUpdated).toEqual({ ...totals, payments: (Math.round(Number(totals.payments) * 100 + 700) / 100).toFixed(2) });
  });

  it("'charges this cycle' has one meaning in both views: the CHARGE lines one may see (corrections apart)", async () => {
    for (const as of ["alice", "erin"] as Persona[]) {
      for (const s of await statements(as, RM1)) {
        const lines = s.postings.edges.map((e: any) => e.node);
        const sum = (f: (p: any) => boolean) => lines.filter(f).reduce((n: number, p: any) => n + Math.round(Number(p.amount) * 100), 0);
        const cents = (v: string) => Math.round(Number(v) * 100);
        expect({ as, cycle: s.cycleEnd, charges: cents(s.currentCharges), corrections: cents(s.corrections), payments: cents(s.payments) }).toEqual({
          as, cycle: s.cycleEnd, charges: sum((p) => p.kind === "CHARGE"), corrections: sum((p) => ["CORRECTION", "ADJUSTMENT"].includes(p.kind) && Number(p.amount) > 0),
          payments: 0 - sum((p) => p.kind === "PAYMENT"),
        });
      }
    }
  });
});
