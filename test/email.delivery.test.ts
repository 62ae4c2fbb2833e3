/**
 * Email copies of notifications go through an outbox and a real SMTP server. Threats guarded: an
 * email sent twice (a rerun, or two workers at once), an email lost when the server refuses it, an
 * email for a change that rolled back, an email to someone who did not ask for it, and one person
 * reading another's emails.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { loadDevIssuer } from "../src/auth/identity.js";
import { NotificationKind } from "../src/common/enums.js";
import { notify } from "../src/application/notify.js";
import { EmailDelivery } from "../src/email/delivery.js";
import { queueEmails } from "../src/modules/notification/email.service.js";
import { captureLogger } from "./support/log.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";
import { startSmtpServer, type TestSmtp } from "./support/smtp.js";

let server: TestServer;
let smtp: TestSmtp;
let sign: (subject: string) => Promise<string>;
const { logger } = captureLogger({ component: "email-test" });
const FROM = "CARM Client Portal <no-reply@portal.example>";
const SUBJECT = "CARM Client Portal: Access requested";

beforeAll(async () => {
  server = await startTestServer();
  smtp = await startSmtpServer();
  const issuer = await loadDevIssuer(inject("dataDir"));
  sign = (subject) => issuer.sign(subject);
  const prefs = await server.gql(`mutation { setNotificationPreferences(input: [{ kind: ACCESS_REQUESTED, email: true }]) { kind email } }`, { as: "alice" });
  expect(prefs.errors).toBeUndefined();
});
afterAll(async () => {
  await smtp?.stop();
  await server?.stop();
});
// Each test starts from an empty outbox and mailbox.
beforeEach(async () => {
  await server.db.query(`DELETE FROM email_outbox`);
  smtp.messages.length = 0;
  smtp.refuseWith(null);
});

const workers: EmailDelivery[] = [];
afterEach(() => workers.splice(0).forEach((w) => w.close()));
function worker(opts: Partial<ConstructorParameters<typeof EmailDelivery>[2]> = {}) {
  const w = new EmailDelivery(server.db, logger, { smtpUrl: smtp.url, from: FROM, maxAttempts: 5, ...opts });
  workers.push(w);
  return w;
}

let people = 0;
/** A new person signs in, creates a profile and asks Maple Leaf for access to RM0001: its BAM (alice) and that account's PAM (bob) are notified. */
async function newEmployeeAsksMapleLeaf(): Promise<void> {
  const n = ++people;
  const token = await sign(`demo|mail-${n}-${Date.now()}`);
  const created = await server.gql(`mutation ($input: CreateProfileInput!) { createProfile(input: $input) { username } }`, {
    token,
    variables: { input: { username: `mailtest${n}`, displayName: `Mail Test ${n}`, email: `mailtest${n}@example.com` } },
  });
  expect(created.errors).toBeUndefined();
  const asked = await server.gql(`mutation { requestEmployeeAccess(input: { bn9: "123456782", note: "I need access to make corrections and adjustments", programAccounts: ["123456782RM0001"] }) { status } }`, { token });
  expect(asked.errors).toBeUndefined();
}

const EMAILS = `{ viewer { emails(first: 10) { totalCount edges { node { id kind to subject body status attempts sentAt } } } } }`;
async function emailsOf(who: Persona) {
  const res = await server.gql(EMAILS, { as: who });
  expect(res.errors).toBeUndefined();
  return res.data!.viewer.emails as { totalCount: number; edges: { node: Record<string, any> }[] };
}
const dbNow = async (): Promise<Date> => (await server.db.query(`SELECT now() AS now`))[0].now;
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);
const outbox = async () =>
  (await server.db.query(`SELECT status, attempts, next_attempt_at, last_error FROM email_outbox`)) as { status: string; attempts: number; next_attempt_at: Date; last_error: string | null }[];

describe("queueing", () => {
  it("a request to Maple Leaf notifies alice and bob; only alice chose email, so one email is queued, for her", async () => {
    await newEmployeeAsksMapleLeaf();
    const alice = await emailsOf("alice");
    expect(alice.totalCount).toBe(1);
    expect(alice.edges[0]!.node).toMatchObject({ kind: "ACCESS_REQUESTED", to: "alice@mapleleafwd.example", subject: SUBJECT, status: "PENDING", attempts: 0, sentAt: null });
    expect(alice.edges[0]!.node.body).toMatch(/^Hello Alice Tremblay,\n\nMail Test \d+ asked for access to Maple Leaf/);
    expect((await emailsOf("bob")).totalCount).toBe(0); // notified in the portal, but did not ask for email
  });

  it("with no mail server, the email stays queued: its recipient reads it, nobody else can", async () => {
    await newEmployeeAsksMapleLeaf();
    const [email] = (await emailsOf("alice")).edges;
    expect(email!.node.status).toBe("PENDING");
    // bob (same business) and erin (another) see nothing, not even through node(id:).
    for (const other of ["bob", "erin"] as const) {
      expect((await emailsOf(other)).totalCount).toBe(0);
      const res = await server.gql(`query ($id: ID!) { node(id: $id) { id ... on Email { subject body } } }`, { as: other, variables: { id: email!.node.id } });
      expect(res.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    }
    const own = await server.gql(`query ($id: ID!) { node(id: $id) { ... on Email { subject } } }`, { as: "alice", variables: { id: email!.node.id } });
    expect(own.data).toEqual({ node: { subject: SUBJECT } });
    expect((await server.gql(`{ viewer { emails { totalCount } } }`)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("nothing is queued for a change that rolls back, and a notification is queued once at most", async () => {
    const [{ id: aliceId }] = await server.db.query(`SELECT id FROM users WHERE username = 'alice'`);
    const content = { kind: NotificationKind.ACCESS_REQUESTED, title: "Access requested", body: "x", businessId: null };
    await expect(
      server.db.transaction(async (em) => {
        await notify(em, [aliceId], content);
        throw new Error("the change fails");
      }),
    ).rejects.toThrow("the change fails");
    expect(await outbox()).toEqual([]);
    await expect(notify(server.db.manager, [aliceId], content)).rejects.toThrow(/inside the transaction/);

    await server.db.transaction((em) => notify(em, [aliceId], content));
    const [{ id: notificationId }] = await server.db.query(`SELECT notification_id AS id FROM email_outbox`);
    expect(await server.db.transaction((em) => queueEmails(em, [notificationId], content))).toBe(0);
    expect((await outbox()).length).toBe(1);
  });
});

describe("delivery through SMTP", () => {
  it("sends alice's email exactly once, with the right subject; a second run sends nothing", async () => {
    await newEmployeeAsksMapleLeaf();
    const w = worker();
    expect(await w.runOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail).toMatchObject({ from: "no-reply@portal.example", to: ["alice@mapleleafwd.example"], subject: SUBJECT });
    expect(mail!.text).toContain("asked for access to Maple Leaf Windows & Doors Inc.");
    expect(mail!.messageId).toMatch(/^<[0-9a-f-]{36}@portal\.example>$/);

    expect(await w.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await worker().runOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    const [email] = (await emailsOf("alice")).edges;
    expect(email!.node).toMatchObject({ status: "SENT", attempts: 1 });
    expect(email!.node.sentAt).not.toBeNull();
  });

  it("two workers draining the outbox at once send every email once (rows are claimed with SKIP LOCKED)", async () => {
    for (let i = 0; i < 6; i++) await newEmployeeAsksMapleLeaf();
    const runs = await Promise.all([worker().runOnce(), worker().runOnce(), worker().runOnce()]);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(6);
    expect(smtp.messages).toHaveLength(6);
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(6);
    expect((await outbox()).every((r) => r.status === "SENT" && r.attempts === 1)).toBe(true);
  });

  it("a refusing server: retried with exponential backoff, and sent once it accepts", async () => {
    await newEmployeeAsksMapleLeaf();
    const w = worker({ baseBackoffMs: 60_000 });
    smtp.refuseWith(451);
    const t0 = await dbNow();

    expect(await w.runOnce({ now: t0 })).toEqual({ sent: 0, retried: 1, failed: 0 });
    let [row] = await outbox();
    expect(row).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(row!.last_error).toMatch(/^451 /);
    expect(row!.next_attempt_at.getTime()).toBe(t0.getTime() + 60_000);

    // Not due before its time.
    expect(await w.runOnce({ now: plus(t0, 59_000) })).toEqual({ sent: 0, retried: 0, failed: 0 });
    // Refused again: the wait doubles.
    expect(await w.runOnce({ now: plus(t0, 60_000) })).toEqual({ sent: 0, retried: 1, failed: 0 });
    [row] = await outbox();
    expect(row).toMatchObject({ status: "PENDING", attempts: 2 });
    expect(row!.next_attempt_at.getTime()).toBe(t0.getTime() + 60_000 + 120_000);

    smtp.refuseWith(null);
    expect(await w.runOnce({ now: plus(t0, 180_000) })).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    expect((await emailsOf("alice")).edges[0]!.node).toMatchObject({ status: "SENT", attempts: 3 });
    expect(await w.runOnce({ now: plus(t0, 3600_000) })).toEqual({ sent: 0, retried: 0, failed: 0 });
  });

  it("gives up after the maximum number of attempts (FAILED), and never sends it afterwards", async () => {
    await newEmployeeAsksMapleLeaf();
    const w = worker({ maxAttempts: 2, baseBackoffMs: 1000 });
    smtp.refuseWith(550);
    const t0 = await dbNow();
    expect(await w.runOnce({ now: t0 })).toMatchObject({ retried: 1 });
    expect(await w.runOnce({ now: plus(t0, 1000) })).toMatchObject({ failed: 1 });
    expect(await outbox()).toMatchObject([{ status: "FAILED", attempts: 2 }]);
    smtp.refuseWith(null);
    expect(await w.runOnce({ now: plus(t0, 24 * 3600_000) })).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(0);
  });

  it("wrong credentials are a refusal like any other: retried, never marked sent", async () => {
    await newEmployeeAsksMapleLeaf();
    const w = worker({ smtpUrl: smtp.url.replace("s3cret", "wrong") });
    expect(await w.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(await outbox()).toMatchObject([{ status: "PENDING", attempts: 1 }]);
  });
});
