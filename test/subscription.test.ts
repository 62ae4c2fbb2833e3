/**
 * Broker dashboards subscribe to statement updates over graphql-ws, and the updates come from the
 * money workflows themselves (a CAD filed, a payment taken): no test here publishes an event.
 * Guarded: a subscriber that may not view the account's statements (when subscribing, and at every
 * event: a revoked relationship stops the data), a broker seeing account-wide totals its visibility
 * rules hide, statementsUpdated delivering an event of an account the viewer does not reach, and bad
 * tokens getting a socket at all.
 */
import { createClient, type Client } from "graphql-ws";
import { print } from "graphql";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PaymentMethod } from "../src/common/enums.js";
import { recordPayment } from "../src/modules/payment/payment.service.js";
import { FileDeclarationDocument, StatementsUpdatedDocument, StatementUpdatedDocument } from "./generated/graphql.js";
import { waitFor } from "./support/log.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";
import { today } from "./support/dates.js";

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
const PRAIRIE = "711223347RM0001";

function client(token: string | null) {
  const c = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: token ? { authorization: `Bearer ${token}` } : {}, retryAttempts: 0, lazy: true });
  clients.push(c);
  return c;
}

interface Received {
  data?: Record<string, { id: string; cycleStart?: string; cycleEnd: string; status: string; view: string; visibleCharges: string; totalPayable: string | null; programAccount?: { bn15: string } }>;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Subscriptions running on the server (its /metrics). */
async function openSubscriptions(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/^carm_subscriptions_open (\d+)/m.exec(text)?.[1] ?? 0);
}

/** Subscribes and collects what arrives. */
function subscribe(persona: Persona | null, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const events: Received[] = [];
  const errors: unknown[] = [];
  let running = 0;
  const started = (async () => {
    running = await openSubscriptions();
    const c = client(token ?? (persona ? await server.token(persona) : null));
    c.subscribe({ query, variables }, { next: (v) => void events.push(v as Received), error: (e) => void errors.push(e), complete: () => void (complete = true) });
  })();
  let complete = false;
  /** Resolves once the server runs the subscription: from then on it hears every event (it listens from the moment it is set up). */
  const registered = async () => {
    await started;
    await waitFor(async () => (await openSubscriptions()) > running, 10_000, "the subscription to run on the server");
  };
  return { events, errors, started, registered, completed: () => complete };
}

// VFD 1,000.00 x 6.5 % = 65.00 duty; VFT 1,065.00; GST 53.25; total 118.25.
const CAD = [{ classificationCode: "7610100000", description: "Window frame", valueForDuty: "1000.00", tariffTreatment: "2", customsDutyRate: "6.5" }];
async function fileCad(as: Persona, bn15: string) {
  const res = await server.gql(FileDeclarationDocument, { as, variables: { input: { bn15, releasedOn: today(), lines: CAD } as never } });
  expect(res.errors).toBeUndefined();
  return res.data!.fileDeclaration;
}

/** What `as` sees of an account's open statement right now (the subtotal of what they may see). */
async function visibleCharges(as: Persona, bn15: string): Promise<number> {
  const res = await server.gql(`query ($b: String!) { programAccount(bn15: $b) { statements(first: 1) { edges { node { visibleCharges } } } } }`, { as, variables: { b: bn15 } });
  return cents(res.data!.programAccount.statements.edges[0].node.visibleCharges);
}

const cents = (v: string) => Math.round(Number(v) * 100);

/** The total payable of an account's open statement, as `as` (who sees it in full) reads it now. */
async function totalPayable(as: Persona, bn15: string): Promise<number> {
  const res = await server.gql(`query ($b: String!) { programAccount(bn15: $b) { statements(first: 1) { edges { node { status totalPayable } } } } }`, { as, variables: { b: bn15 } });
  const node = res.data!.programAccount.statements.edges[0].node;
  expect(node.status).toBe("OPEN");
  return cents(node.totalPayable);
}

/** Runs `work` while Northern's relationship with Maple Leaf is revoked, then restores it as seeded. */
async function withNorthernMapleRevoked(work: () => Promise<void>) {
  const [{ id }] = await server.db.query(
    `SELECT id FROM relationships WHERE status = 'ACTIVE' AND provider_business_id = (SELECT id FROM businesses WHERE legal_name LIKE 'Northern%')
        AND client_business_id = (SELECT id FROM businesses WHERE bn9 = '123456782')`,
  );
  await server.db.query(`UPDATE relationships SET status = 'REVOKED', ended_at = now() WHERE id = $1`, [id]);
  try {
    await work();
  } finally {
    await server.db.query(`UPDATE relationships SET status = 'ACTIVE', ended_at = NULL WHERE id = $1`, [id]);
  }
}

describe("statementUpdated (one account)", () => {
  it("frank (Northern) hears of carol's CAD on RM0001, with the restricted view his rules give: the subtotal he may see, no account-wide totals", async () => {
    const sub = subscribe("frank", print(StatementUpdatedDocument), { bn15: RM1 });
    await sub.registered();
    const before = await visibleCharges("frank", RM1);
    await fileCad("carol", RM1);
    // The event of this filing: the subtotal frank may see moved by 118.25.
    await waitFor(() => sub.events.length > 0 && cents(sub.events.at(-1)!.data!.statementUpdated!.visibleCharges) === before + 11_825);
    const s = sub.events.at(-1)!.data!.statementUpdated!;
    expect(sub.errors).toEqual([]);
    expect(sub.events).toHaveLength(1);
    expect(s).toMatchObject({ status: "OPEN", view: "RESTRICTED", totalPayable: null });
    expect(s.cycleStart! <= today() && today() <= s.cycleEnd).toBe(true);
  });

  it("gina (Expired user) cannot subscribe: the account answers NOT_FOUND; dave nothing for RM0001, ivan nothing for Maple Leaf", async () => {
    for (const [persona, bn15] of [["gina", RM1], ["dave", RM1], ["ivan", RM2]] as const) {
      const sub = subscribe(persona, print(StatementUpdatedDocument), { bn15 });
      await sub.started;
      await waitFor(() => sub.events.length > 0 || sub.errors.length > 0);
      expect(JSON.stringify(sub.events[0] ?? sub.errors[0])).toContain("NOT_FOUND");
    }
  });

  it("a bad token is refused at connection (4403)", async () => {
    const sub = subscribe(null, print(StatementUpdatedDocument), { bn15: RM1 }, "garbage");
    await sub.started;
    await waitFor(() => sub.errors.length > 0);
    expect((sub.errors[0] as { code?: number }).code).toBe(4403);
  });

  it("access is re-checked per event: once Northern's relationship is revoked, alice's next CAD reaches frank as FORBIDDEN, without data", async () => {
    const sub = subscribe("frank", print(StatementUpdatedDocument), { bn15: RM2 });
    await sub.registered();
    await withNorthernMapleRevoked(async () => {
      const before = sub.events.length;
      await fileCad("alice", RM2);
      await waitFor(() => sub.events.length > before && JSON.stringify(sub.events.at(-1)).includes("FORBIDDEN"), 10_000);
      expect(sub.events.at(-1)!.data?.statementUpdated ?? null).toBeNull();
      expect(JSON.stringify(sub.events.at(-1))).not.toContain("visibleCharges");
      // Told once: the subscription ends there, so frank hears nothing of the changes that follow.
      await waitFor(() => sub.completed(), 10_000, "frank's subscription to be completed by the server");
      expect(sub.events.filter((e) => JSON.stringify(e).includes("FORBIDDEN"))).toHaveLength(1);
    });
  });
});

describe("statementsUpdated (every account the viewer may see)", () => {
  /** A payment taken on Laurentian Timber (an account nobody in the demo reaches): the ledger announces it like any other. */
  const laurentianPayment = (key: string) =>
    server.db.transaction(async (em) => {
      const [pa] = await em.query(`SELECT id, business_id FROM program_accounts WHERE bn15 = '444555668RM0001'`);
      await recordPayment(em, {
        programAccountId: pa.id, payerBusinessId: pa.business_id, userId: null, amount: 1_000n, method: PaymentMethod.ONLINE_BANKING, idempotencyKey: key,
        instrumentLast4: null, today: today(), now: new Date(),
      });
    });
  const accounts = (events: Received[]) => events.map((e) => e.data?.statementsUpdated?.programAccount?.bn15 ?? JSON.stringify(e.errors));

  it("erin hears of Maple Leaf (restricted) and Prairie (full), never of an account Northern does not reach", async () => {
    const sub = subscribe("erin", print(StatementsUpdatedDocument));
    await sub.registered();
    const prairieBefore = await totalPayable("ivan", PRAIRIE);
    await fileCad("carol", RM1);
    await laurentianPayment("laurentian-1");
    await fileCad("ivan", PRAIRIE);
    // NOTIFY follows commit order and each subscriber's events keep it: once Prairie's is here, Laurentian's would have been too.
    await waitFor(() => accounts(sub.events).includes(PRAIRIE));
    expect(accounts(sub.events)).toEqual([RM1, PRAIRIE]);
    const [maple, prairie] = sub.events.map((e) => e.data!.statementsUpdated!);
    expect(maple!.view).toBe("RESTRICTED"); // Maple Leaf's, as Northern may see it
    expect(maple!.totalPayable).toBeNull();
    expect(prairie!.view).toBe("FULL");
    // Prairie's total payable, as erin sees it in full, grew by exactly ivan's CAD.
    expect(cents(prairie!.totalPayable!)).toBe(prairieBefore + 11_825);
  });

  it("ivan hears of Prairie, not of Maple Leaf", async () => {
    const sub = subscribe("ivan", print(StatementsUpdatedDocument));
    await sub.registered();
    const from = sub.events.length;
    await fileCad("carol", RM1);
    await fileCad("ivan", PRAIRIE);
    // Carol's filing commits first: were it delivered, it would arrive before Prairie's.
    await waitFor(() => accounts(sub.events.slice(from)).includes(PRAIRIE));
    expect(accounts(sub.events.slice(from))).toEqual([PRAIRIE]);
  });

  it("access is judged at every event: after Northern's relationship with Maple Leaf is revoked, erin hears only of Prairie", async () => {
    const sub = subscribe("erin", print(StatementsUpdatedDocument));
    await sub.registered();
    await withNorthernMapleRevoked(async () => {
      const from = sub.events.length;
      await fileCad("carol", RM1);
      await fileCad("ivan", PRAIRIE);
      await waitFor(() => accounts(sub.events.slice(from)).includes(PRAIRIE));
      expect(accounts(sub.events.slice(from))).toEqual([PRAIRIE]);
    });
  });

  it("anonymous sockets cannot subscribe", async () => {
    const sub = subscribe(null, print(StatementsUpdatedDocument));
    await sub.started;
    await waitFor(() => sub.events.length > 0 || sub.errors.length > 0);
    expect(JSON.stringify(sub.events[0] ?? sub.errors[0])).toContain("UNAUTHENTICATED");
  });
});
