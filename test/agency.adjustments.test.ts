/**
 * The agency's adjustment review: a declaration changed after its payment due date waits, UNDER_REVIEW,
 * for an agency officer to accept it (its difference and the interest from the original due date are
 * posted on the current statement) or reject it (nothing is posted). Threats guarded: an importer or
 * broker reviewing its own adjustment, or reaching the queue at all; an officer reaching a business's
 * data through a work item; a decision taken twice (a retry, two officers, 20 requests at once) and
 * posted twice; interest at the wrong rate or for the wrong days; a decision missing from the
 * businesses' audit trails; a declarant not told, or told when they may not see the declaration; a
 * dashboard not hearing of the statement change.
 *
 * Every adjustment here is submitted through the API (amendDeclaration) on a declaration filed 75 days
 * ago whose statement's due date has passed, and decided through the API.
 */
import { isObjectType, print } from "graphql";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRawSchema } from "../src/schema.js";
import { DEMO_BN } from "../src/seed/demo.js";
import { fileDeclaration, type Filer } from "../src/modules/transaction/filing.js";
import { AcceptAdjustmentDocument, AdjustmentQueueDocument, AmendDeclarationDocument, FileDeclarationDocument, RejectAdjustmentDocument, StatementUpdatedDocument } from "./generated/graphql.js";
import { shift, today } from "./support/dates.js";
import { waitFor } from "./support/log.js";
import { code, field } from "./support/results.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
const clients: Client[] = [];
/** Declarations past their due date, not yet adjusted: each test takes its own. */
const pastDue: { number: string; bn15: string; filer: string; total: string; due: string }[] = [];
const RM3 = "123456782RM0003";
// Released and filed 75 days ago, on a statement of that cycle (left open here: nothing in this file issues
// statements), whose due date has passed. Each: VFD 1,000.00 x 6.5 % = 65.00; VFT 1,065.00; GST 53.25; total 118.25.
const FILED_ON = shift(-75);
beforeAll(async () => {
  server = await startTestServer();
  // A second agency officer, signing in like the demo personas.
  await server.db.query(
    `INSERT INTO users (subject, username, display_name, email, platform_role) VALUES ('demo|oscar', 'oscar', 'Oscar Lemieux', 'oscar@cbsa-asfc.example', 'AGENCY_OFFICER')`,
  );
  // Maple Leaf's third account (Northern's business-level relationship covers it): carol its Editor, bob its Reader.
  const [{ id: account }] = await server.db.query(
    `INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT id, 'RM0003', $1, 'Skylights' FROM businesses WHERE bn9 = '123456782' RETURNING id`,
    [RM3],
  );
  await server.db.query(
    `INSERT INTO program_roles (user_id, program_account_id, role) SELECT u.id, $1, r.role::program_role FROM users u JOIN (VALUES ('carol', 'EDITOR'), ('bob', 'READER')) r(username, role) ON r.username = u.username`,
    [account],
  );
  const filers: Filer[] = await server.db.query(`SELECT id, legal_name AS "legalName", asec, bn9 FROM businesses WHERE bn9 = ANY($1) ORDER BY bn9`, [["123456782", DEMO_BN.northern]]);
  const line = [{ classificationCode: "7610100000", description: "Window frame", valueForDuty: "1000.00", tariffTreatment: "2", customsDutyRate: "6.5000", sima: "0.00", excise: "0.00" }];
  for (const [bn9, user, n] of [["123456782", "carol", 10], [DEMO_BN.northern, "frank", 3]] as const) {
    const filer = filers.find((f) => (f as Filer & { bn9: string }).bn9 === bn9)!;
    const [{ id: userId }] = await server.db.query(`SELECT id FROM users WHERE username = $1`, [user]);
    for (let i = 0; i < n; i++) {
      const { transaction } = await server.db.transaction("READ COMMITTED", (em) =>
        fileDeclaration(em, { programAccountId: account, filer, userId, releasedOn: FILED_ON, lines: line, today: FILED_ON }),
      );
      const [{ due }] = await server.db.query(
        `SELECT s.due_date::text AS due FROM statement_postings sp JOIN statements s ON s.id = sp.statement_id WHERE sp.transaction_id = $1`,
        [transaction.id],
      );
      pastDue.push({ number: transaction.transactionNumber, bn15: RM3, filer: bn9, total: "118.25", due });
    }
  }
  expect(pastDue.every((t) => t.due < today())).toBe(true);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server?.stop();
});

const OSCAR = "oscar" as Persona;
const OTHERS: Persona[] = ["alice", "bob", "carol", "dave", "erin", "frank", "gina", "ivan", "harry"];
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64url");
const cents = (v: string) => BigInt(v.replace(".", ""));
const fmt = (c: bigint) => `${c < 0n ? "-" : ""}${(c < 0n ? -c : c) / 100n}.${String((c < 0n ? -c : c) % 100n).padStart(2, "0")}`;

/** The next seeded past-due declaration filed by `filer` (a BN9), taken for one test. */
function take(filer: string) {
  const i = pastDue.findIndex((t) => t.filer === filer);
  if (i < 0) throw new Error(`no past-due declaration filed by ${filer} left`);
  return pastDue.splice(i, 1)[0]!;
}

// VFD 100,000.00 x 6.5 % = 6,500.00 duty; VFT 106,500.00; GST 5,325.00; total 11,825.00.
const BIG = [{ classificationCode: "7610100000", description: "Aluminium window frames, value corrected", valueForDuty: "100000.00", tariffTreatment: "2", customsDutyRate: "6.5" }];
// VFD 1,000.00 x 6.5 % = 65.00 duty; VFT 1,065.00; GST 53.25; total 118.25.
const SMALL = [{ classificationCode: "7610100000", description: "Window frame", valueForDuty: "1000.00", tariffTreatment: "2", customsDutyRate: "6.5" }];

/** `as` adjusts a declaration through the API; returns its queue item's id. */
async function adjust(as: Persona, number: string, lines: object[] = BIG, reason = "Value for duty understated on the original") {
  const res = await server.gql(AmendDeclarationDocument, { as, variables: { input: { transactionNumber: number, lines, reason } as never } });
  expect(res.errors).toBeUndefined();
  expect(res.data!.amendDeclaration.currentVersion).toMatchObject({ kind: "ADJUSTMENT", status: "UNDER_REVIEW" });
  const [v] = await server.db.query(
    `SELECT v.id FROM transaction_versions v JOIN transactions t ON t.id = v.transaction_id WHERE t.transaction_number = $1 ORDER BY v.version_no DESC LIMIT 1`,
    [number],
  );
  return gid("AdjustmentCase", v.id);
}

const accept = (as: Persona | null, adjustmentCaseId: string, note?: string) =>
  server.gql(AcceptAdjustmentDocument, { ...(as ? { as } : {}), variables: { input: { adjustmentCaseId, ...(note ? { note } : {}) } } });
const reject = (as: Persona | null, adjustmentCaseId: string, reason = "The commercial invoice does not support the new value.") =>
  server.gql(RejectAdjustmentDocument, { ...(as ? { as } : {}), variables: { input: { adjustmentCaseId, reason } } });
const queue = async (as: Persona, filter: object | null = null, page: object = { first: 100 }) => {
  const res = await server.gql(AdjustmentQueueDocument, { as, variables: { filter, ...page } as never });
  expect(res.errors).toBeUndefined();
  return res.data!.agencyQueue.adjustments;
};
const notices = async (username: string, number: string) =>
  (await server.db.query(
    `SELECT n.title, n.body FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = $1 AND n.kind = 'ADJUSTMENT_DECIDED' AND n.body LIKE '%' || $2 || '%'`,
    [username, number],
  )) as { title: string; body: string }[];
const journal = async (number: string) =>
  (await server.db.query(
    `SELECT sp.kind, sp.amount::text AS amount, s.cycle_start::text AS cycle FROM statement_postings sp JOIN statements s ON s.id = sp.statement_id
      WHERE sp.transaction_id = (SELECT id FROM transactions WHERE transaction_number = $1) AND sp.kind IN ('ADJUSTMENT', 'INTEREST') ORDER BY sp.line_no`,
    [number],
  )) as { kind: string; amount: string; cycle: string }[];
/** The statement of the cycle `today()` belongs to, on `bn15` (null before anything opened it). */
const currentStatement = async (bn15: string) =>
  ((
    await server.db.query(
      `SELECT s.corrections::text AS corrections, s.credits::text AS credits, s.interest_and_penalties::text AS interest, s.total_payable::text AS total
         FROM statements s JOIN program_accounts pa ON pa.id = s.program_account_id WHERE pa.bn15 = $1 AND s.cycle_start <= $2::date AND s.cycle_end >= $2::date`,
      [bn15, today()],
    )
  )[0] ?? null) as { corrections: string; credits: string; interest: string; total: string } | null;
const orZero = (s: { corrections: string; credits: string; interest: string; total: string } | null) =>
  s ? { corrections: cents(s.corrections), credits: cents(s.credits), interest: cents(s.interest), total: cents(s.total) } : { corrections: 0n, credits: 0n, interest: 0n, total: 0n };

/** Whole days from `from` to `to` (YYYY-MM-DD), by the calendar. */
const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

describe("olga's adjustment queue", () => {
  it("lists adjustments under review oldest first with what review needs; decided ones by status; Relay paging both ways", async () => {
    const a = take("123456782");
    const b = take(DEMO_BN.northern);
    const c = take("123456782");
    const idA = await adjust("carol", a.number, BIG, "Value for duty understated");
    const idB = await adjust("frank", b.number, SMALL, "Tariff classification corrected");
    const idC = await adjust("alice", c.number, SMALL, "Quantity corrected");
    const mine = new Set([idA, idB, idC]);
    const items = (await queue("olga")).edges.map((e) => e.node).filter((n) => mine.has(n.id));
    expect(items.map((n) => n.id)).toEqual([idA, idB, idC]); // oldest first
    const [first, second] = items;
    // BIG: 11,825.00 proposed, against the seeded declaration's total.
    expect(first).toMatchObject({
      status: "UNDER_REVIEW", transactionNumber: a.number, bn15: a.bn15, reason: "Value for duty understated",
      importer: { bn9: "123456782", legalName: "Maple Leaf Windows & Doors Inc." }, submittedBy: { bn9: "123456782", legalName: "Maple Leaf Windows & Doors Inc." },
      previousTotal: a.total, proposedTotal: "11825.00", difference: fmt(1_182_500n - cents(a.total)), interest: "0.00",
      decidedAt: null, decidedBy: null, decisionNote: null, versionNo: 2,
      lines: [{ lineNo: 1, classificationCode: "7610100000", description: "Aluminium window frames, value corrected", valueForDuty: "100000.00", tariffTreatment: "2",
        customsDutyRate: "6.5000", sima: "0.00", excise: "0.00", customsDuty: "6500.00", valueForTax: "106500.00", gst: "5325.00" }],
    });
    // Filed and adjusted by Northern: the broker is named as the submitter, the importer as the importer.
    expect(second).toMatchObject({
      transactionNumber: b.number, importer: { legalName: "Maple Leaf Windows & Doors Inc." }, submittedBy: { bn9: DEMO_BN.northern, legalName: "Northern Customs Brokers Ltd." },
      proposedTotal: "118.25", difference: fmt(11_825n - cents(b.total)),
    });

    // Decided ones leave the default view and show under their status.
    expect(code(await reject("olga", idC))).toBe("ok");
    const underReview = (await queue("olga")).edges.map((e) => e.node.id);
    expect(underReview).toContain(idA);
    expect(underReview).not.toContain(idC);
    const rejected = (await queue("olga", { status: ["REJECTED"] })).edges.map((e) => e.node);
    expect(rejected.filter((n) => mine.has(n.id)).map((n) => [n.id, n.status, n.decidedBy?.username, n.decisionNote])).toEqual([
      [idC, "REJECTED", "olga", "The commercial invoice does not support the new value."],
    ]);
    const all = (await queue("olga", { status: ["UNDER_REVIEW", "ACCEPTED", "REJECTED"] })).edges.map((e) => e.node.id).filter((id) => mine.has(id));
    expect(all).toEqual([idA, idB, idC]);

    // Paging: forwards two by two, and backwards from the end, over the whole queue.
    const total = (await queue("olga", { status: ["UNDER_REVIEW", "ACCEPTED", "REJECTED"] })).totalCount;
    const forwards: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await queue("olga", { status: ["UNDER_REVIEW", "ACCEPTED", "REJECTED"] }, { first: 2, after });
      forwards.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(forwards).toHaveLength(total);
    const last = await queue("olga", { status: ["UNDER_REVIEW", "ACCEPTED", "REJECTED"] }, { last: 2 });
    expect(last.edges.map((e) => e.node.id)).toEqual(forwards.slice(-2));
    const before = await queue("olga", { status: ["UNDER_REVIEW", "ACCEPTED", "REJECTED"] }, { last: 1, before: last.edges[0]!.cursor });
    expect(before.edges.map((e) => e.node.id)).toEqual(forwards.slice(-3, -2));

    const bad = await server.gql(AdjustmentQueueDocument, { as: "olga", variables: { filter: { status: [] } } });
    expect(`${code(bad)} ${field(bad)}`).toBe("BAD_USER_INPUT filter.status");
    // Leave the other two decided, so no test depends on what this one left under review.
    expect(code(await reject("olga", idA))).toBe("ok");
    expect(code(await reject("olga", idB))).toBe("ok");
  });

  it("node(id:) of a queue item works for her; the version as the businesses see it does not; nobody else reaches the item", async () => {
    const t = take("123456782");
    const id = await adjust("carol", t.number, SMALL);
    const item = await server.gql(`query ($id: ID!) { node(id: $id) { id ... on AdjustmentCase { status transactionNumber importer { legalName } } } }`, { as: "olga", variables: { id } });
    expect(item.data!.node).toEqual({ id, status: "UNDER_REVIEW", transactionNumber: t.number, importer: { legalName: "Maple Leaf Windows & Doors Inc." } });
    const versionId = gid("TransactionVersion", Buffer.from(id, "base64url").toString().split(":")[1]!);
    expect(code(await server.gql(`query ($id: ID!) { node(id: $id) { id } }`, { as: "olga", variables: { id: versionId } }))).toBe("NOT_FOUND");
    for (const who of ["carol", "alice", "erin"] as const) {
      expect(code(await server.gql(`query ($id: ID!) { node(id: $id) { id } }`, { as: who, variables: { id } })), who).toBe("NOT_FOUND");
    }
    // The original version of a declaration is no work item.
    const [original] = await server.db.query(`SELECT v.id FROM transaction_versions v JOIN transactions t ON t.id = v.transaction_id WHERE t.transaction_number = $1 AND v.version_no = 1`, [t.number]);
    expect(code(await server.gql(`query ($id: ID!) { node(id: $id) { id } }`, { as: "olga", variables: { id: gid("AdjustmentCase", original.id) } }))).toBe("NOT_FOUND");
    expect(code(await reject("olga", id))).toBe("ok");
  });

  it("a work item has no path to the business: its types hold exactly these fields (a new one is a reviewed change)", async () => {
    const schema = await buildRawSchema();
    const fields = (name: string) => {
      const t = schema.getType(name);
      return isObjectType(t) ? Object.keys(t.getFields()).sort() : null;
    };
    expect(fields("AdjustmentCase")).toEqual([
      "bn15", "createdAt", "decidedAt", "decidedBy", "decisionNote", "difference", "id", "importer", "interest", "lines", "previousTotal", "proposedTotal",
      "reason", "releasedOn", "status", "submittedBy", "transactionNumber", "versionNo",
    ]);
    expect(fields("AdjustmentLine")).toEqual([
      "classificationCode", "customsDuty", "customsDutyRate", "description", "excise", "gst", "lineNo", "sima", "tariffTreatment", "valueForDuty", "valueForTax",
    ]);
  });
});

describe("nobody else reaches the adjustment review", () => {
  let id: string;
  beforeAll(async () => {
    id = await adjust("carol", take("123456782").number, SMALL);
  });

  it.each(OTHERS)("%s: the queue is FORBIDDEN, and so are accepting and rejecting; the adjustment stays under review", async (who) => {
    const q = await server.gql(AdjustmentQueueDocument, { as: who, variables: { first: 10 } });
    expect(code(q)).toBe("FORBIDDEN");
    expect(q.data).toBeNull();
    expect(code(await accept(who, id))).toBe("FORBIDDEN");
    expect(code(await reject(who, id))).toBe("FORBIDDEN");
    const [{ status }] = await server.db.query(`SELECT status FROM transaction_versions WHERE id = $1`, [Buffer.from(id, "base64url").toString().split(":")[1]]);
    expect(status).toBe("UNDER_REVIEW");
  });

  it("anonymous callers are UNAUTHENTICATED", async () => {
    expect(code(await server.gql(AdjustmentQueueDocument, { variables: { first: 10 } }))).toBe("UNAUTHENTICATED");
    expect(code(await accept(null, id))).toBe("UNAUTHENTICATED");
    expect(code(await reject(null, id))).toBe("UNAUTHENTICATED");
  });
});

describe("accepting", () => {
  it("posts the difference and the interest from the original due date on the current statement, to the cent; tells the declarant; audits; dashboards hear of it", async () => {
    // The seed sets no prescribed rate: 3 % (the default), so 9 % a year on overdue amounts, a 365th a day.
    expect(await server.db.query(`SELECT 1 FROM prescribed_interest_rates`)).toEqual([]);
    const t = take("123456782");
    const id = await adjust("carol", t.number, BIG);
    const delta = 1_182_500n - cents(t.total);
    expect(delta > 0n).toBe(true);
    // Interest runs on the increase for every day after the original due date up to today (both included):
    // delta x 9 % x days / 365, rounded once to the cent, half away from zero.
    const days = BigInt(daysBetween(t.due, today()));
    expect(days > 0n).toBe(true);
    const exact = delta * 9n * days; // cents x percent x days; / (100 x 365)
    const interest = (exact * 2n + 36_500n) / 73_000n;

    // alice watches RM's statement live (the subscription is set up once a first event arrives).
    const events: { data?: { statementUpdated?: { totalPayable: string | null; cycleStart: string } } }[] = [];
    const c = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${await server.token("alice")}` }, retryAttempts: 0, lazy: true });
    clients.push(c);
    c.subscribe({ query: print(StatementUpdatedDocument), variables: { bn15: t.bn15 } }, { next: (v) => void events.push(v as never), error: () => undefined, complete: () => undefined });
    await waitFor(async () => {
      const res = await server.gql(FileDeclarationDocument, { as: "alice", variables: { input: { bn15: t.bn15, releasedOn: today(), lines: SMALL } as never } });
      expect(res.errors).toBeUndefined();
      return events.length > 0;
    }, 10_000, "the subscription to be live");
    await new Promise((r) => setTimeout(r, 300)); // let the filings' own events arrive first
    const heard = events.length;

    const before = orZero(await currentStatement(t.bn15));
    const res = await accept("olga", id, "Supported by the corrected commercial invoice.");
    expect(res.errors).toBeUndefined();
    expect(res.data!.acceptAdjustment).toMatchObject({
      id, status: "ACCEPTED", previousTotal: t.total, proposedTotal: "11825.00", difference: fmt(delta), interest: fmt(interest),
      decidedBy: { username: "olga" }, decisionNote: "Supported by the corrected commercial invoice.",
    });
    expect(res.data!.acceptAdjustment.decidedAt).not.toBeNull();

    // The journal: the difference and its interest, once each, on the statement of today's cycle.
    const posted = await journal(t.number);
    expect(posted.map((p) => [p.kind, p.amount])).toEqual([["ADJUSTMENT", fmt(delta)], ["INTEREST", fmt(interest)]]);
    const after = orZero(await currentStatement(t.bn15));
    expect(after.corrections - before.corrections).toBe(delta);
    expect(after.interest - before.interest).toBe(interest);
    expect(after.credits - before.credits).toBe(0n);
    expect(after.total - before.total).toBe(delta + interest);

    // The importer sees the new accepted version with its interest.
    const seen = await server.gql(`query ($n: String!) { transaction(transactionNumber: $n) { id totalDutiesAndTaxes currentVersion { versionNo status interest decidedAt decisionNote } } }`, {
      as: "alice", variables: { n: t.number },
    });
    const transactionId = seen.data!.transaction.id as string;
    expect(seen.data!.transaction).toMatchObject({
      totalDutiesAndTaxes: "11825.00", currentVersion: { versionNo: 2, status: "ACCEPTED", interest: fmt(interest), decisionNote: "Supported by the corrected commercial invoice." },
    });

    // Told: carol (who submitted it) and alice (Maple Leaf's BAM); bob (PAM, not the submitter) is not.
    const body =
      `The agency accepted the adjustment of transaction ${t.number} (version 2): duties and taxes are now $11825.00, and $${fmt(delta)} is charged, ` +
      `with $${fmt(interest)} interest from the original due date, on the current statement of ${t.bn15}. Note: Supported by the corrected commercial invoice.`;
    expect(await notices("carol", t.number)).toEqual([{ title: "Adjustment accepted", body }]);
    expect(await notices("alice", t.number)).toEqual([{ title: "Adjustment accepted", body }]);
    expect(await notices("bob", t.number)).toEqual([]);

    // In Maple Leaf's audit trail, by olga.
    const trail = await server.gql(`{ business(bn9: "123456782") { auditEvents(action: "adjustment.accepted", first: 50) { edges { node { targetId actor { username } before after } } } } }`, { as: "alice" });
    const events_ = trail.data!.business.auditEvents.edges.map((e: any) => e.node).filter((n: any) => n.targetId === transactionId);
    expect(events_.map(({ targetId: _, ...rest }: any) => rest)).toEqual([{
      actor: { username: "olga" },
      before: { versionNo: 2, status: "UNDER_REVIEW", total: t.total },
      after: { versionNo: 2, status: "ACCEPTED", total: "11825.00", difference: fmt(delta), interest: fmt(interest), note: "Supported by the corrected commercial invoice." },
    }]);

    // The dashboard heard of the statement's new total.
    await waitFor(() => events.slice(heard).some((e) => e.data?.statementUpdated?.totalPayable === fmt(after.total)), 10_000, "the statement update");

    // Decided is decided: again, or the other way, is a CONFLICT, and nothing more is posted.
    const again = await accept("olga", id);
    expect(code(again)).toBe("CONFLICT");
    expect(again.errors![0]!.message).toMatch(/already been decided: it was accepted/);
    expect(code(await reject(OSCAR, id))).toBe("CONFLICT");
    expect(await journal(t.number)).toHaveLength(2);
  });

  it("a decrease is posted as a credit, with no interest", async () => {
    const t = take("123456782");
    const id = await adjust("carol", t.number, [{ ...SMALL[0], valueForDuty: "1.00" }]); // VFD 1.00: duty 0.07, VFT 1.07, GST 0.05; total 0.12
    const delta = 12n - cents(t.total);
    expect(delta < 0n).toBe(true);
    // Today's cycle has its statement before the decision (opening one carries the previous balance in).
    expect((await server.gql(FileDeclarationDocument, { as: "alice", variables: { input: { bn15: t.bn15, releasedOn: today(), lines: SMALL } as never } })).errors).toBeUndefined();
    const before = orZero(await currentStatement(t.bn15));
    const res = await accept(OSCAR, id);
    expect(res.data!.acceptAdjustment).toMatchObject({ status: "ACCEPTED", proposedTotal: "0.12", difference: fmt(delta), interest: "0.00", decidedBy: { username: "oscar" } });
    expect((await journal(t.number)).map((p) => [p.kind, p.amount])).toEqual([["ADJUSTMENT", fmt(delta)]]);
    const after = orZero(await currentStatement(t.bn15));
    expect(after.credits - before.credits).toBe(-delta);
    expect(after.total - before.total).toBe(delta);
    expect((await notices("carol", t.number))[0]!.body).toContain(`$${fmt(-delta)} is credited on the current statement of ${t.bn15}.`);
  });
});

describe("rejecting", () => {
  it("posts nothing, keeps the accepted version, tells the broker that submitted it and the importer, and audits both businesses' trails", async () => {
    const t = take(DEMO_BN.northern);
    const id = await adjust("frank", t.number, BIG);
    const before = orZero(await currentStatement(t.bn15));
    const reason = "The commercial invoice does not support the new value.";
    const res = await reject("olga", id, reason);
    expect(res.errors).toBeUndefined();
    expect(res.data!.rejectAdjustment).toMatchObject({ id, status: "REJECTED", interest: "0.00", decisionNote: reason, decidedBy: { username: "olga" }, previousTotal: t.total });
    expect(await journal(t.number)).toEqual([]);
    expect(orZero(await currentStatement(t.bn15))).toEqual(before);
    // The declaration's current version is again the one in force; the rejected one, with the reason, is in its versions.
    const seen = await server.gql(
      `query ($n: String!) { transaction(transactionNumber: $n) { totalDutiesAndTaxes currentVersionNo currentVersion { versionNo status } versions { edges { node { versionNo status decisionNote } } } } }`,
      { as: "frank", variables: { n: t.number } },
    );
    expect(seen.data!.transaction).toEqual({
      totalDutiesAndTaxes: t.total, currentVersionNo: 1, currentVersion: { versionNo: 1, status: "ACCEPTED" },
      versions: { edges: [{ node: { versionNo: 1, status: "ACCEPTED", decisionNote: null } }, { node: { versionNo: 2, status: "REJECTED", decisionNote: reason } }] },
    });
    const body = `The agency rejected the adjustment of transaction ${t.number} (version 2); nothing was posted. Reason: ${reason}`;
    for (const who of ["frank", "erin", "alice"]) expect(await notices(who, t.number), who).toEqual([{ title: "Adjustment rejected", body }]);
    expect(await notices("carol", t.number)).toEqual([]);
    const trails = await server.db.query(
      `SELECT b.bn9, e.action, u.username, e.after FROM audit_events e JOIN businesses b ON b.id = e.business_id JOIN users u ON u.id = e.actor_user_id
        WHERE e.action = 'adjustment.rejected' AND e.target_id = (SELECT id FROM transactions WHERE transaction_number = $1) ORDER BY b.bn9`,
      [t.number],
    );
    expect(trails).toEqual([
      { bn9: "123456782", action: "adjustment.rejected", username: "olga", after: { versionNo: 2, status: "REJECTED", reason } },
      { bn9: DEMO_BN.northern, action: "adjustment.rejected", username: "olga", after: { versionNo: 2, status: "REJECTED", reason } },
    ]);
    // The declarant may adjust again after a rejection: a new version under review.
    const next = await adjust("frank", t.number, SMALL);
    expect((await queue("olga")).edges.find((e) => e.node.id === next)?.node.versionNo).toBe(3);
    expect(code(await reject("olga", next))).toBe("ok");
  });

  it("bad input is BAD_USER_INPUT naming the field; unknown items are NOT_FOUND", async () => {
    const id = await adjust("carol", take("123456782").number, SMALL);
    const bad = async (res: Promise<{ errors?: { extensions?: { code?: string; field?: string } }[] }>) => {
      const r = await res;
      return `${code(r)} ${field(r)}`;
    };
    expect(await bad(reject("olga", id, "  "))).toBe("BAD_USER_INPUT reason");
    expect(await bad(reject("olga", id, "x".repeat(1001)))).toBe("BAD_USER_INPUT reason");
    expect(await bad(accept("olga", id, "x".repeat(1001)))).toBe("BAD_USER_INPUT note");
    expect(await bad(accept("olga", "nonsense"))).toBe("BAD_USER_INPUT adjustmentCaseId");
    const versionId = gid("TransactionVersion", Buffer.from(id, "base64url").toString().split(":")[1]!);
    expect(await bad(accept("olga", versionId))).toBe("BAD_USER_INPUT adjustmentCaseId");
    const missing = await accept("olga", gid("AdjustmentCase", "00000000-0000-0000-0000-000000000000"));
    expect(code(missing)).toBe("NOT_FOUND");
    expect(missing.errors![0]!.message).toBe("That adjustment was not found, or you do not have access to it.");
    expect(code(await reject("olga", id))).toBe("ok");
  });
});

describe("deciding at the same moment", () => {
  it("20 decisions of one adjustment at once (accepts and rejects, two officers): exactly one wins, 19 get CONFLICT, and it is posted, audited and told once", async () => {
    const t = take("123456782");
    const id = await adjust("carol", t.number, BIG);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? accept(i % 4 === 0 ? "olga" : OSCAR, id) : reject(i % 4 === 1 ? "olga" : OSCAR, id))),
    );
    const codes = results.map(code);
    expect(codes.filter((c) => c === "ok")).toHaveLength(1);
    expect(codes.filter((c) => c === "CONFLICT")).toHaveLength(19);
    const winner = results.find((r) => code(r) === "ok")!;
    const accepted = "acceptAdjustment" in winner.data!;
    const [{ status }] = await server.db.query(`SELECT status FROM transaction_versions WHERE id = $1`, [Buffer.from(id, "base64url").toString().split(":")[1]]);
    expect(status).toBe(accepted ? "ACCEPTED" : "REJECTED");
    expect((await journal(t.number)).map((p) => p.kind)).toEqual(accepted ? ["ADJUSTMENT", "INTEREST"] : []);
    const [{ n }] = await server.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action IN ('adjustment.accepted', 'adjustment.rejected') AND target_id = (SELECT id FROM transactions WHERE transaction_number = $1)`,
      [t.number],
    );
    expect(n).toBe(1); // Maple Leaf's trail only: Maple Leaf filed and adjusted it
    expect(await notices("carol", t.number)).toHaveLength(1);
  });
});
