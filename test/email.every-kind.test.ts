/**
 * Every kind of notification reaches a real SMTP server as an email, exactly once, for a person who
 * chose email for that kind, and each is produced by the real event that it announces: a mutation
 * over HTTP, or the scheduled job. Guarded: a notification kind that loses its producer (the test
 * iterates over every NotificationKind, so a new kind without one fails here too), an email sent
 * twice, an email for a kind its recipient did not choose.
 *
 * Who chose what, and the event that tells them:
 *   alice  ACCESS_REQUESTED      mira (a new profile) asks Maple Leaf for access to RM0001 (alice and bob are told)
 *   mira   REQUEST_DECIDED       alice rejects mira's request
 *   erin   RELATIONSHIP_CHANGED  alice moves the expiry of Northern's relationship to 29 days from now
 *   alice  RELATIONSHIP_EXPIRING the daily job (pg-boss) finds that relationship within 30 days of expiry
 *   erin   RELATIONSHIP_ENDED    ivan ends Prairie's relationship with Northern
 *   alice  STATEMENT_ISSUED      olga issues a statement left open past its issue date (a new account)
 *   dave   PAYMENT_RECEIVED      alice pays on RM0002 (dave reads its payments)
 *   carol  RULING_ASSIGNED       olga assigns carol's new ruling request
 *   carol  RULING_DECIDED        olga decides it
 *   olga   RULING_WITHDRAWN      ivan withdraws the seeded request assigned to olga
 *   frank  ADJUSTMENT_DECIDED    olga accepts frank's adjustment of a declaration Northern filed
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadDevIssuer } from "../src/auth/identity.js";
import { NotificationKind } from "../src/common/enums.js";
import { loadConfig } from "../src/config.js";
import { EmailDelivery } from "../src/email/delivery.js";
import { relationshipExpiryJob } from "../src/jobs/registry.js";
import { startJobs } from "../src/jobs/runner.js";
import { fileDeclaration, type Filer } from "../src/modules/transaction/filing.js";
import { demoCalendar, DEMO_BN } from "../src/seed/demo.js";
import { AcceptAdjustmentDocument, AmendDeclarationDocument, MakePaymentDocument } from "./generated/graphql.js";
import { today } from "./support/dates.js";
import { captureLogger, waitFor } from "./support/log.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";
import { startSmtpServer, type TestSmtp } from "./support/smtp.js";

let server: TestServer;
let smtp: TestSmtp;
const { logger } = captureLogger({ component: "email-every-kind" });
beforeAll(async () => {
  server = await startTestServer();
  smtp = await startSmtpServer();
  // A new person signing in for the first time, with a profile of her own.
  miraToken = await (await loadDevIssuer(inject("dataDir"))).sign("demo|mira-every-kind");
  await ok(
    server.gql(`mutation ($input: CreateProfileInput!) { createProfile(input: $input) { username } }`, {
      token: miraToken,
      variables: { input: { username: "mira", displayName: "Mira Patel", email: "mira@example.com" } },
    }),
  );
});
afterAll(async () => {
  await smtp?.stop();
  await server?.stop();
});

const MIRA = "mira" as Persona;
const CHOSEN: Record<NotificationKind, Persona> = {
  ACCESS_REQUESTED: "alice",
  REQUEST_DECIDED: MIRA,
  RELATIONSHIP_CHANGED: "erin",
  RELATIONSHIP_EXPIRING: "alice",
  RELATIONSHIP_ENDED: "erin",
  STATEMENT_ISSUED: "alice",
  PAYMENT_RECEIVED: "dave",
  RULING_ASSIGNED: "carol",
  RULING_DECIDED: "carol",
  RULING_WITHDRAWN: "olga",
  ADJUSTMENT_DECIDED: "frank",
  PENALTY_ASSESSED: "bob",
  PENALTY_DISPUTE_DECIDED: "bob",
  REFUND_DECIDED: "ivan",
};

const ok = async <T extends { errors?: unknown; data: unknown }>(res: Promise<T>): Promise<NonNullable<T["data"]>> => {
  const r = await res;
  expect(r.errors).toBeUndefined();
  return r.data as NonNullable<T["data"]>;
};
let miraToken: string;
const gql = (as: Persona, query: string, variables: Record<string, unknown> = {}) =>
  ok(server.gql(query, as === MIRA ? { token: miraToken, variables } : { as, variables }));
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64url");
const relationship = async (provider: string, clientBn9: string) =>
  gid(
    "Relationship",
    (
      await server.db.query(
        `SELECT r.id FROM relationships r JOIN businesses p ON p.id = r.provider_business_id JOIN businesses c ON c.id = r.client_business_id
          WHERE p.bn9 = $1 AND c.bn9 = $2 AND r.status = 'ACTIVE'`,
        [provider, clientBn9],
      )
    )[0].id,
  );
const LINES = [{ classificationCode: "7610100000", description: "Window frame", valueForDuty: "1000.00", tariffTreatment: "2", customsDutyRate: "6.5", sima: "0.00", excise: "0.00" }];

/** A new Maple Leaf account with one declaration by `filer`, released and filed on `on` (its statement left open). */
async function accountWithDeclaration(rm: string, filerBn9: string, on: string): Promise<string> {
  return server.db.transaction("READ COMMITTED", async (em) => {
    const [pa] = await em.query(
      `INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT id, $1::text, '123456782' || $1::text, 'Test account' FROM businesses WHERE bn9 = '123456782' RETURNING id`,
      [rm],
    );
    const [filer] = (await em.query(`SELECT id, legal_name AS "legalName", asec FROM businesses WHERE bn9 = $1`, [filerBn9])) as Filer[];
    const { transaction } = await fileDeclaration(em, { programAccountId: pa.id, filer: filer!, userId: null, releasedOn: on, lines: LINES, today: on });
    return transaction.transactionNumber;
  });
}

describe("an email for every kind of notification", () => {
  it("each person who chose email for a kind gets exactly one email of it at the SMTP server, produced by the real event", async () => {
    // Everyone chooses email for their kinds only.
    const byPersona = new Map<Persona, NotificationKind[]>();
    for (const [kind, who] of Object.entries(CHOSEN) as [NotificationKind, Persona][]) byPersona.set(who, [...(byPersona.get(who) ?? []), kind]);
    for (const [who, kinds] of byPersona) {
      await gql(who, `mutation ($input: [NotificationPreferenceInput!]!) { setNotificationPreferences(input: $input) { kind } }`, {
        input: kinds.map((kind) => ({ kind, email: true })),
      });
    }

    // ACCESS_REQUESTED, then REQUEST_DECIDED.
    const asked = await gql(MIRA, `mutation { requestEmployeeAccess(input: { bn9: "123456782", note: "I need access to make corrections and adjustments", programAccounts: ["123456782RM0001"] }) { id } }`);
    await gql("alice", `mutation ($input: DecideEmployeeAccessInput!) { decideEmployeeAccess(input: $input) { status } }`, {
      input: { requestId: asked.requestEmployeeAccess.id, approve: false, note: "We do not know you." },
    });

    // RELATIONSHIP_CHANGED, then RELATIONSHIP_EXPIRING from the scheduled job.
    const northernMaple = await relationship(DEMO_BN.northern, "123456782");
    const expiresAt = new Date(Date.now() + 29 * 24 * 3600_000).toISOString();
    await gql("alice", `mutation ($input: UpdateRelationshipInput!) { updateRelationship(input: $input) { expiresAt } }`, {
      input: { relationshipId: northernMaple, terms: { level: "BUSINESS", role: "EDITOR", expiresAt, visibility: { submittedByProvider: true, submittedByClient: true, submittedByOthers: false } } },
    });
    const jobs = await startJobs({ url: server.dbUrl, db: server.db, logger, config: loadConfig({ NODE_ENV: "test" }), registry: [relationshipExpiryJob as never], boss: { pollingIntervalSeconds: 0.5 } });
    try {
      await jobs.send("relationship-expiry-notices", { now: new Date().toISOString() });
      await waitFor(
        async () => (await server.db.query(`SELECT count(*)::int AS n FROM notifications WHERE kind = 'RELATIONSHIP_EXPIRING'`))[0].n > 0,
        15_000,
        "the expiry job's notices",
      );
    } finally {
      await jobs.stop();
    }

    // RELATIONSHIP_ENDED.
    await gql("ivan", `mutation ($input: EndRelationshipInput!) { endRelationship(input: $input) { status } }`, {
      input: { relationshipId: await relationship(DEMO_BN.northern, DEMO_BN.prairie) },
    });

    // STATEMENT_ISSUED: a declaration in the last cycle whose issue date has come, on an account of its own.
    await accountWithDeclaration("RM0004", "123456782", demoCalendar(today()).issued.at(-1)!.start);
    expect((await gql("olga", `mutation { issueStatements { issued } }`)).issueStatements.issued).toBe(1);

    // PAYMENT_RECEIVED.
    await ok(server.gql(MakePaymentDocument, { as: "alice", variables: { input: { bn15: "123456782RM0002", amount: "25.00", method: "ONLINE_BANKING", idempotencyKey: "every-kind-1" } as never } }));

    // RULING_ASSIGNED, then RULING_DECIDED.
    const submitted = await gql("carol", `mutation { submitRulingRequest(input: { bn15: "123456782RM0001", kind: MARKING, productDescription: "Window cranks marked Made in Canada" }) { id } }`);
    const caseId = gid("RulingCase", Buffer.from(submitted.submitRulingRequest.id, "base64url").toString().split(":")[1]!);
    await gql("olga", `mutation ($id: ID!) { assignRulingRequest(input: { rulingCaseId: $id }) { status } }`, { id: caseId });
    await gql("olga", `mutation ($id: ID!) { decideRulingRequest(input: { rulingCaseId: $id, decision: "The marking is acceptable." }) { status } }`, { id: caseId });

    // RULING_WITHDRAWN: the seeded request assigned to olga.
    const [sprayer] = await server.db.query(`SELECT id FROM ruling_requests WHERE status = 'ASSIGNED' AND product_description LIKE 'Agricultural sprayer%'`);
    await gql("ivan", `mutation ($id: ID!) { withdrawRulingRequest(input: { rulingRequestId: $id }) { status } }`, { id: gid("RulingRequest", sprayer.id) });

    // ADJUSTMENT_DECIDED: Northern's declaration 75 days old, adjusted by frank after its due date, accepted by olga.
    const filedOn = new Date(Date.parse(`${today()}T12:00:00Z`) - 75 * 24 * 3600_000).toISOString().slice(0, 10);
    const number = await accountWithDeclaration("RM0005", DEMO_BN.northern, filedOn);
    await ok(server.gql(AmendDeclarationDocument, { as: "frank", variables: { input: { transactionNumber: number, reason: "Value understated", lines: [{ ...LINES[0], valueForDuty: "2000.00" }] } as never } }));
    const [version] = await server.db.query(
      `SELECT v.id FROM transaction_versions v JOIN transactions t ON t.id = v.transaction_id WHERE t.transaction_number = $1 AND v.status = 'UNDER_REVIEW'`,
      [number],
    );
    await ok(server.gql(AcceptAdjustmentDocument, { as: "olga", variables: { input: { adjustmentCaseId: gid("AdjustmentCase", version.id) } } }));

    // PENALTY_ASSESSED on Maple Leaf windows (bob is its PAM), then PENALTY_DISPUTE_DECIDED on bob's dispute.
    const assessed = await gql("olga", `mutation { assessPenalty(input: { bn15: "123456782RM0001", contravention: "C152", description: "Goods not accounted for within the time prescribed",
      amount: "150.00", idempotencyKey: "every-kind-penalty" }) { id } }`);
    const penaltyRow = Buffer.from(assessed.assessPenalty.id, "base64url").toString().split(":")[1]!;
    await gql("bob", `mutation ($id: ID!) { disputePenalty(input: { penaltyId: $id, reason: "The CAD was filed on time." }) { status } }`, { id: gid("Penalty", penaltyRow) });
    await gql("olga", `mutation ($id: ID!) { decidePenaltyDispute(input: { penaltyCaseId: $id, cancelledAmount: "0.00", note: "Filed after the deadline." }) { id } }`, {
      id: assessed.assessPenalty.id,
    });

    // REFUND_DECIDED: Prairie overpays, asks for 10.00 back, olga approves.
    await ok(server.gql(MakePaymentDocument, { as: "ivan", variables: { input: { bn15: "711223347RM0001", amount: "1000000.00", method: "ONLINE_BANKING", idempotencyKey: "every-kind-2" } as never } }));
    const refund = await gql("ivan", `mutation { requestRefund(input: { bn15: "711223347RM0001", amount: "10.00" }) { id } }`);
    const refundRow = Buffer.from(refund.requestRefund.id, "base64url").toString().split(":")[1]!;
    await gql("olga", `mutation ($id: ID!) { approveRefund(input: { refundCaseId: $id }) { status } }`, { id: gid("RefundCase", refundRow) });

    // The outbox drained by the delivery worker, twice: the second run sends nothing.
    const worker = new EmailDelivery(server.db, logger, { smtpUrl: smtp.url, from: "CARM Client Portal <no-reply@portal.example>", maxAttempts: 3 });
    try {
      const first = await worker.runOnce();
      expect(first).toEqual({ sent: Object.keys(CHOSEN).length, retried: 0, failed: 0 });
      expect(await worker.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    } finally {
      worker.close();
    }

    // The kind of each email, as its text names it ("... chose to get "<kind>" notifications by email").
    const addresses = new Map<string, Persona>(
      (await server.db.query(`SELECT username, email FROM users`)).map((u: { username: Persona; email: string }) => [u.email, u.username]),
    );
    const received = smtp.messages.map((m) => ({
      kind: /chose to get "([a-z ]+)" notifications by email/.exec(m.text)?.[1]?.toUpperCase().replace(/ /g, "_") ?? `unknown: ${m.subject}`,
      to: m.to.map((a) => addresses.get(a) ?? a),
      subject: m.subject,
    }));
    for (const kind of Object.values(NotificationKind)) {
      const ofKind = received.filter((r) => r.kind === kind);
      expect(ofKind.map((r) => r.to), `${kind}: one email, to ${CHOSEN[kind]}`).toEqual([[CHOSEN[kind]]]);
      expect(ofKind[0]!.subject).toMatch(/^CARM Client Portal: /);
    }
    expect(received).toHaveLength(Object.values(NotificationKind).length);
  });
});
