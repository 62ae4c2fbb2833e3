/**
 * The agency's side: agency officers (olga, and a second officer, oscar, made here) work on the
 * ruling queue and reach nothing else. Threats guarded: an importer or broker reaching the queue or
 * acting as the agency; an officer reaching a business's data through a work item; two officers
 * claiming or deciding the same request (one wins, the other gets CONFLICT); a decision by someone
 * other than the assignee; an officer whose role was taken away a moment ago still deciding; an
 * agency action missing from the business's audit trail; requesters not told, or told when they may
 * no longer see the request.
 *
 * Seeded queue (oldest first): Maple RM0002 "oak doors" (DECISION_RENDERED by olga, filed by
 * Northern), Prairie RM0001 "sprayer parts" (ASSIGNED to olga), Maple RM0001 "window frames"
 * (SUBMITTED, by Maple Leaf, one attachment).
 */
import { isObjectType } from "graphql";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EmailDelivery } from "../src/email/delivery.js";
import { buildRawSchema } from "../src/schema.js";
import { DEMO_BN } from "../src/seed/demo.js";
import { waitUntilMutationWaitsForActor } from "./support/locks.js";
import { captureLogger } from "./support/log.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";
import { startSmtpServer, type TestSmtp } from "./support/smtp.js";

let server: TestServer;
let smtp: TestSmtp;
let seeded: { rulings: Record<string, unknown>[]; relationships: Record<string, unknown>[] };
beforeAll(async () => {
  server = await startTestServer();
  smtp = await startSmtpServer();
  // A second agency officer, signing in like the demo personas.
  await server.db.query(
    `INSERT INTO users (subject, username, display_name, email, platform_role) VALUES ('demo|oscar', 'oscar', 'Oscar Lemieux', 'oscar@cbsa-asfc.example', 'AGENCY_OFFICER')`,
  );
  seeded = {
    rulings: await server.db.query(`SELECT id, status, assigned_officer_id, assigned_at, decision, decided_at, withdrawn_at FROM ruling_requests`),
    relationships: await server.db.query(`SELECT id, status, ended_at, ended_by_id FROM relationships`),
  };
});
// Tests hold in any order: each leaves the seeded world as it found it (its own requests go; the
// seeded requests and relationships it moved are put back).
afterEach(async () => {
  await server.db.query(`DELETE FROM ruling_requests WHERE NOT (id = ANY($1::uuid[]))`, [seeded.rulings.map((r) => r.id)]);
  for (const r of seeded.rulings) {
    await server.db.query(
      `UPDATE ruling_requests SET status = $2, assigned_officer_id = $3, assigned_at = $4, decision = $5, decided_at = $6, withdrawn_at = $7 WHERE id = $1`,
      [r.id, r.status, r.assigned_officer_id, r.assigned_at, r.decision, r.decided_at, r.withdrawn_at],
    );
  }
  for (const r of seeded.relationships) {
    await server.db.query(`UPDATE relationships SET status = $2, ended_at = $3, ended_by_id = $4 WHERE id = $1`, [r.id, r.status, r.ended_at, r.ended_by_id]);
  }
});
afterAll(async () => {
  await smtp?.stop();
  await server?.stop();
});

const OSCAR = "oscar" as Persona;
const PERSONAS: Persona[] = ["alice", "bob", "carol", "dave", "erin", "frank", "gina", "ivan", "harry"];
const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? "ok";
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64url");
const userId = async (username: string) => gid("User", (await server.db.query(`SELECT id FROM users WHERE username = $1`, [username]))[0].id);
const caseOf = async (description: string) => gid("RulingCase", (await server.db.query(`SELECT id FROM ruling_requests WHERE product_description = $1`, [description]))[0].id);

const QUEUE = `query ($f: RulingQueueFilter, $first: Int) { agencyQueue { rulingRequests(filter: $f, first: $first) { totalCount
  edges { node { id kind status productDescription bn15 importer { bn9 legalName } requestedBy { bn9 legalName } assignee { username }
    attachments { fileName mediaType sizeBytes sha256 } createdAt assignedAt decision decidedAt withdrawnAt } } } } }`;
const ASSIGN = `mutation ($input: AssignRulingRequestInput!) { assignRulingRequest(input: $input) { id status assignee { username } assignedAt } }`;
const DECIDE = `mutation ($input: DecideRulingRequestInput!) { decideRulingRequest(input: $input) { id status decision decidedAt } }`;
const SUBMIT = `mutation ($input: SubmitRulingRequestInput!) { submitRulingRequest(input: $input) { id } }`;

const queue = async (as: Persona, f: object | null = null) => {
  const res = await server.gql(QUEUE, { as, variables: { f, first: 100 } });
  expect(res.errors).toBeUndefined();
  return res.data!.agencyQueue.rulingRequests as { totalCount: number; edges: { node: any }[] };
};
const submit = async (as: Persona, productDescription: string, bn15 = "123456782RM0001") => {
  const res = await server.gql(SUBMIT, { as, variables: { input: { bn15, kind: "TARIFF_CLASSIFICATION", productDescription } } });
  expect(res.errors).toBeUndefined();
  return productDescription;
};
const latest = async (who: Persona) =>
  (await server.gql(`{ viewer { notifications(first: 1) { edges { node { kind title body } } } } }`, { as: who })).data!.viewer.notifications.edges[0]?.node;

describe("olga's queue", () => {
  it("lists every ruling request as a work item, oldest first, with what the work needs", async () => {
    const q = await queue("olga");
    expect(q.totalCount).toBe(3);
    expect(q.edges.map((e) => [e.node.productDescription, e.node.status, e.node.assignee?.username ?? null])).toEqual([
      ["Solid oak interior doors assembled in Vermont", "DECISION_RENDERED", "olga"],
      ["Agricultural sprayer parts sold under a distribution agreement", "ASSIGNED", "olga"],
      ["Thermally broken aluminium casement window frames, unglazed", "SUBMITTED", null],
    ]);
    expect(q.edges[2]!.node).toMatchObject({
      kind: "TARIFF_CLASSIFICATION", bn15: "123456782RM0001",
      importer: { bn9: "123456782", legalName: "Maple Leaf Windows & Doors Inc." },
      requestedBy: { bn9: "123456782", legalName: "Maple Leaf Windows & Doors Inc." },
      attachments: [{ fileName: "casement-frame-spec-sheet.pdf", mediaType: "application/pdf", sizeBytes: 482113, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }],
      assignedAt: null, decision: null,
    });
    // A broker's filing names the importer and the broker.
    expect(q.edges[0]!.node).toMatchObject({ importer: { legalName: "Maple Leaf Windows & Doors Inc." }, requestedBy: { bn9: DEMO_BN.northern, legalName: "Northern Customs Brokers Ltd." } });
  });

  it("filters by status, kind and assignee (me, unassigned, one officer)", async () => {
    const count = async (f: object) => (await queue("olga", f)).totalCount;
    expect(await count({ status: ["SUBMITTED"] })).toBe(1);
    expect(await count({ status: ["SUBMITTED", "ASSIGNED"] })).toBe(2);
    expect(await count({ kind: ["VALUATION"] })).toBe(1);
    expect(await count({ assignee: { me: true } })).toBe(2);
    expect(await count({ assignee: { unassigned: true } })).toBe(1);
    expect(await count({ assignee: { officerId: await userId("olga") } })).toBe(2);
    expect(await count({ assignee: { me: true }, status: ["ASSIGNED"] })).toBe(1);
    const bad = async (f: object) => (await server.gql(QUEUE, { as: "olga", variables: { f } })).errors?.[0]?.extensions;
    expect(await bad({ assignee: { me: true, unassigned: true } })).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.assignee" });
    expect(await bad({ assignee: {} })).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.assignee" });
    expect(await bad({ assignee: { officerId: "nonsense" } })).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.assignee.officerId" });
    expect(await bad({ status: [] })).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.status" });
  });

  it("pages like every list (Relay cursors)", async () => {
    const page = async (after: string | null) =>
      (await server.gql(`query ($a: String) { agencyQueue { rulingRequests(first: 2, after: $a) { edges { node { productDescription } } pageInfo { hasNextPage endCursor } } } }`, { as: "olga", variables: { a: after } })).data!.agencyQueue.rulingRequests;
    const first = await page(null);
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await page(first.pageInfo.endCursor);
    expect(second.edges.map((e: any) => e.node.productDescription)).toEqual(["Thermally broken aluminium casement window frames, unglazed"]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it("node(id:) of a queue item works for her; the same ruling as the businesses see it does not", async () => {
    const [{ id }] = await server.db.query(`SELECT id FROM ruling_requests WHERE status = 'ASSIGNED'`);
    const item = await server.gql(`query ($id: ID!) { node(id: $id) { id ... on RulingCase { status assignee { username } importer { legalName } } } }`, { as: "olga", variables: { id: gid("RulingCase", id) } });
    expect(item.data!.node).toEqual({ id: gid("RulingCase", id), status: "ASSIGNED", assignee: { username: "olga" }, importer: { legalName: "Prairie Imports Ltd." } });
    const asBusinessSees = await server.gql(`query ($id: ID!) { node(id: $id) { id } }`, { as: "olga", variables: { id: gid("RulingRequest", id) } });
    expect(code(asBusinessSees)).toBe("NOT_FOUND");
    // And nobody else reaches the work item, not even the requester.
    for (const who of ["ivan", "erin", "alice"] as const) {
      expect(code(await server.gql(`query ($id: ID!) { node(id: $id) { id } }`, { as: who, variables: { id: gid("RulingCase", id) } }))).toBe("NOT_FOUND");
    }
    const why = await server.gql(`query ($id: ID!) { accessExplanation(id: $id) { effectiveRole } }`, { as: "olga", variables: { id: gid("RulingCase", id) } });
    expect(code(why)).toBe("FORBIDDEN");
  });

  it("she sees no business data: no businesses, accounts, transactions, rulings as businesses see them, statements or audit", async () => {
    const res = await server.gql(
      `{ viewer { roles } businesses { totalCount } transactions { totalCount } rulingRequests { totalCount } relationships { totalCount } }`,
      { as: "olga" },
    );
    expect(res.data).toEqual({ viewer: { roles: ["AGENCY_OFFICER"] }, businesses: { totalCount: 0 }, transactions: { totalCount: 0 }, rulingRequests: { totalCount: 0 }, relationships: { totalCount: 0 } });
    for (const q of [
      `{ business(bn9: "123456782") { legalName } }`,
      `{ programAccount(bn15: "123456782RM0001") { statements { totalCount } } }`,
      `{ programAccount(bn15: "${DEMO_BN.prairie}RM0001") { bn15 } }`,
    ]) {
      expect(code(await server.gql(q, { as: "olga" })), q).toBe("NOT_FOUND");
    }
  });

  it("a work item has no path to the business: its types hold exactly these fields (a new one is a reviewed change)", async () => {
    const schema = await buildRawSchema();
    const fields = (name: string) => {
      const t = schema.getType(name);
      return isObjectType(t) ? Object.keys(t.getFields()).sort() : null;
    };
    expect(fields("AgencyQueue")).toEqual(["adjustments", "penalties", "refunds", "rulingRequests"]);
    // A penalty and a refund as work items: the account (BN15) and the importer, no path to its records or money.
    expect(fields("PenaltyCase")).toEqual([
      "amount", "assessedBy", "assessedOn", "bn15", "cancelledAmount", "contravention", "createdAt", "description", "dispute", "dueOn", "id", "importer", "noticeNumber",
    ]);
    expect(fields("PenaltyDisputeCase")).toEqual(["cancelledAmount", "decidedAt", "decidedBy", "decisionNote", "reason", "requestedBy", "status", "submittedAt"]);
    expect(fields("RefundCase")).toEqual(["amount", "bn15", "createdAt", "decidedAt", "decidedBy", "decisionNote", "id", "importer", "reason", "reference", "status"]);
    expect(fields("RulingCase")).toEqual([
      "assignedAt", "assignee", "attachments", "bn15", "createdAt", "decidedAt", "decision", "id", "importer", "kind", "productDescription",
      "requestedBy", "status", "withdrawnAt",
    ]);
    expect(fields("AgencyParty")).toEqual(["bn9", "legalName"]);
    expect(fields("RulingAttachment")).toEqual(["fileName", "mediaType", "sha256", "sizeBytes"]);
    // The assignee is a User: name only; another officer's email is not hers to read.
    const res = await server.gql(`query ($o: ID!) { agencyQueue { rulingRequests(first: 1, filter: { assignee: { officerId: $o } }) { edges { node { assignee { displayName email } } } } } }`, {
      as: OSCAR,
      variables: { o: await userId("olga") },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(res.errors?.[0]?.path).toContain("email");
  });
});

describe("nobody else reaches the agency's side", () => {
  it.each(PERSONAS)("%s: the queue is FORBIDDEN, and so are assigning and deciding", async (who) => {
    expect(code(await server.gql(`{ agencyQueue { rulingRequests { totalCount } } }`, { as: who }))).toBe("FORBIDDEN");
    const id = await caseOf("Thermally broken aluminium casement window frames, unglazed");
    expect(code(await server.gql(ASSIGN, { as: who, variables: { input: { rulingCaseId: id } } }))).toBe("FORBIDDEN");
    expect(code(await server.gql(DECIDE, { as: who, variables: { input: { rulingCaseId: id, decision: "Classified under 7610.10" } } }))).toBe("FORBIDDEN");
  });

  it("anonymous callers are UNAUTHENTICATED", async () => {
    expect(code(await server.gql(`{ agencyQueue { rulingRequests { totalCount } } }`))).toBe("UNAUTHENTICATED");
  });
});

describe("assigning", () => {
  it("olga takes a new request: it is ASSIGNED to her, the requester and its business's BAM are told, and Maple's trail records it", async () => {
    const description = await submit("carol", "Aluminium sliding patio door frames");
    const id = await caseOf(description);
    const res = await server.gql(ASSIGN, { as: "olga", variables: { input: { rulingCaseId: id } } });
    expect(res.data!.assignRulingRequest).toMatchObject({ id, status: "ASSIGNED", assignee: { username: "olga" } });
    for (const who of ["carol", "alice"] as const) {
      expect(await latest(who)).toEqual({ kind: "RULING_ASSIGNED", title: "Ruling request assigned", body: "Your tariff classification ruling request on 123456782RM0001 is now with an agency officer." });
    }
    const trail = await server.gql(`{ business(bn9: "123456782") { auditEvents(action: "ruling.assigned", first: 1) { edges { node { actor { username } before after } } } } }`, { as: "alice" });
    expect(trail.data!.business.auditEvents.edges[0].node).toEqual({ actor: { username: "olga" }, before: { status: "SUBMITTED", assignee: null }, after: { status: "ASSIGNED", assignee: "olga" } });
    // The requester sees where it stands.
    const seen = await server.gql(`{ rulingRequests(filter: { status: [ASSIGNED] }) { edges { node { productDescription assignedAt } } } }`, { as: "carol" });
    expect(seen.data!.rulingRequests.edges.map((e: any) => e.node.productDescription)).toContain(description);
  });

  it("two officers claiming the same request at the same moment: one wins, the other gets CONFLICT", async () => {
    const id = await caseOf(await submit("alice", "Fibreglass door skins"));
    const results = await Promise.all([
      server.gql(ASSIGN, { as: "olga", variables: { input: { rulingCaseId: id } } }),
      server.gql(ASSIGN, { as: OSCAR, variables: { input: { rulingCaseId: id } } }),
    ]);
    expect(results.map(code).sort()).toEqual(["CONFLICT", "ok"]);
    const loser = results.find((r) => code(r) === "CONFLICT")!;
    expect(loser.errors![0]!.message).toMatch(/is assigned to (Olga Bouchard \(olga\)|Oscar Lemieux \(oscar\)): only they can hand it over/);
    const [{ n }] = await server.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE target_id = $1 AND action = 'ruling.assigned' AND business_id IS NOT NULL`, [
      Buffer.from(id, "base64url").toString().split(":")[1],
    ]);
    expect(n).toBe(1); // one event (in Maple's trail): one assignment
  });

  it("an assigned request is handed over by its assignee only, to an agency officer only", async () => {
    const id = await caseOf("Agricultural sprayer parts sold under a distribution agreement"); // olga's
    expect(code(await server.gql(ASSIGN, { as: OSCAR, variables: { input: { rulingCaseId: id } } }))).toBe("CONFLICT"); // held by olga
    const notOfficer = await server.gql(ASSIGN, { as: "olga", variables: { input: { rulingCaseId: id, officerId: await userId("ivan") } } });
    expect(notOfficer.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "officerId" });
    const same = await server.gql(ASSIGN, { as: "olga", variables: { input: { rulingCaseId: id, officerId: await userId("olga") } } });
    expect(same.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "officerId" });
    const ivanBefore = await latest("ivan");
    const res = await server.gql(ASSIGN, { as: "olga", variables: { input: { rulingCaseId: id, officerId: await userId("oscar") } } });
    expect(res.data!.assignRulingRequest.assignee).toEqual({ username: "oscar" });
    expect(await latest(OSCAR)).toMatchObject({ kind: "RULING_ASSIGNED", title: "Ruling request assigned to you" });
    expect(await latest("ivan")).toEqual(ivanBefore); // a hand-over inside the agency is not news to the requester
    const trail = await server.gql(`{ business(bn9: "${DEMO_BN.prairie}") { auditEvents(action: "ruling.reassigned") { edges { node { actor { username } before after } } } } }`, { as: "ivan" });
    expect(trail.data!.business.auditEvents.edges.map((e: any) => e.node)).toEqual([
      { actor: { username: "olga" }, before: { status: "ASSIGNED", assignee: "olga" }, after: { status: "ASSIGNED", assignee: "oscar" } },
    ]);
  });

  it("a decided or withdrawn request cannot be assigned (CONFLICT)", async () => {
    const decided = await caseOf("Solid oak interior doors assembled in Vermont");
    expect(code(await server.gql(ASSIGN, { as: "olga", variables: { input: { rulingCaseId: decided } } }))).toBe("CONFLICT");
    expect(code(await server.gql(ASSIGN, { as: "olga", variables: { input: { rulingCaseId: gid("RulingCase", "00000000-0000-0000-0000-000000000000") } } }))).toBe("NOT_FOUND");
    expect((await server.gql(ASSIGN, { as: "olga", variables: { input: { rulingCaseId: gid("RulingRequest", "00000000-0000-0000-0000-000000000000") } } })).errors?.[0]?.extensions)
      .toMatchObject({ code: "BAD_USER_INPUT", field: "rulingCaseId" });
  });
});

describe("deciding", () => {
  it("only the assignee decides; the decision is final, told to the requester, in the trail; an email arrives once for those who chose it", async () => {
    await server.db.query(`DELETE FROM email_outbox`);
    await server.gql(`mutation { setNotificationPreferences(input: [{ kind: RULING_DECIDED, email: true }]) { kind } }`, { as: "carol" });
    const description = await submit("carol", "Tilt-and-turn window hardware kits");
    const id = await caseOf(description);
    expect(code(await server.gql(DECIDE, { as: "olga", variables: { input: { rulingCaseId: id, decision: "Too early" } } }))).toBe("FORBIDDEN"); // not assigned yet
    await server.gql(ASSIGN, { as: "olga", variables: { input: { rulingCaseId: id } } });
    expect(code(await server.gql(DECIDE, { as: OSCAR, variables: { input: { rulingCaseId: id, decision: "Mine" } } }))).toBe("FORBIDDEN");
    expect((await server.gql(DECIDE, { as: "olga", variables: { input: { rulingCaseId: id, decision: " " } } })).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "decision" });
    const ruling = "Classified under 8302.41.00: base metal mountings and fittings suitable for windows.";
    const res = await server.gql(DECIDE, { as: "olga", variables: { input: { rulingCaseId: id, decision: ruling } } });
    expect(res.data!.decideRulingRequest).toMatchObject({ status: "DECISION_RENDERED", decision: ruling });
    expect(code(await server.gql(DECIDE, { as: "olga", variables: { input: { rulingCaseId: id, decision: "Again" } } }))).toBe("CONFLICT");
    expect(await latest("carol")).toEqual({
      kind: "RULING_DECIDED", title: "Ruling decision rendered",
      body: "The agency decided your tariff classification ruling request on 123456782RM0001: read the decision in the portal.",
    });
    const seen = await server.gql(`{ rulingRequests(filter: { status: [DECISION_RENDERED], bn15: "123456782RM0001" }) { edges { node { productDescription decision decidedAt } } } }`, { as: "carol" });
    expect(seen.data!.rulingRequests.edges.find((e: any) => e.node.productDescription === description).node.decision).toBe(ruling);
    const trail = await server.gql(`{ business(bn9: "123456782") { auditEvents(action: "ruling.decided", first: 1) { edges { node { actor { username } after } } } } }`, { as: "alice" });
    expect(trail.data!.business.auditEvents.edges[0].node).toEqual({ actor: { username: "olga" }, after: { status: "DECISION_RENDERED", decision: ruling } });
    // carol chose email for decisions: one email, delivered to a real SMTP server exactly once.
    const { logger } = captureLogger({ component: "agency-test" });
    const worker = new EmailDelivery(server.db, logger, { smtpUrl: smtp.url, from: "CARM Client Portal <no-reply@portal.example>", maxAttempts: 3 });
    try {
      await worker.runOnce();
      await worker.runOnce();
    } finally {
      worker.close();
      await server.gql(`mutation { setNotificationPreferences(input: [{ kind: RULING_DECIDED, email: false }]) { kind } }`, { as: "carol" });
    }
    const mails = smtp.messages.filter((m) => m.subject === "CARM Client Portal: Ruling decision rendered");
    expect(mails.map((m) => m.to)).toEqual([["carol@mapleleafwd.example"]]);
    expect(mails[0]!.text).toContain("The agency decided your tariff classification ruling request on 123456782RM0001");
  });

  it("a decision and a withdrawal at the same moment: one wins, the other gets CONFLICT", async () => {
    const id = await caseOf(await submit("carol", "Casement window cranks"));
    await server.gql(ASSIGN, { as: "olga", variables: { input: { rulingCaseId: id } } });
    const requestId = gid("RulingRequest", Buffer.from(id, "base64url").toString().split(":")[1]!);
    const told = async (who: Persona) => {
      const n = (await server.gql(`{ viewer { notifications(first: 1) { totalCount edges { node { kind } } } } }`, { as: who })).data!.viewer.notifications;
      return { count: n.totalCount as number, latest: n.edges[0]?.node.kind as string | undefined };
    };
    const before = { olga: await told("olga"), carol: await told("carol") };
    const [decision, withdrawal] = await Promise.all([
      server.gql(DECIDE, { as: "olga", variables: { input: { rulingCaseId: id, decision: "Classified under 8302.41" } } }),
      server.gql(`mutation ($id: ID!) { withdrawRulingRequest(input: { rulingRequestId: $id }) { status } }`, { as: "carol", variables: { id: requestId } }),
    ]);
    expect([code(decision), code(withdrawal)].sort()).toEqual(["CONFLICT", "ok"]);
    const [{ status }] = await server.db.query(`SELECT status FROM ruling_requests WHERE id = $1`, [Buffer.from(id, "base64url").toString().split(":")[1]]);
    expect(status).toBe(code(decision) === "ok" ? "DECISION_RENDERED" : "WITHDRAWN");
    // Whichever won, only the winner's news went out, once: the decision to carol, or the withdrawal to olga.
    const after = { olga: await told("olga"), carol: await told("carol") };
    expect(after).toEqual(
      code(decision) === "ok"
        ? { olga: before.olga, carol: { count: before.carol.count + 1, latest: "RULING_DECIDED" } }
        : { olga: { count: before.olga.count + 1, latest: "RULING_WITHDRAWN" }, carol: before.carol },
    );
  });

  it("an officer whose role is taken away while the decision waits cannot decide", async () => {
    const id = await caseOf(await submit("carol", "Window screen mesh rolls"));
    await server.gql(ASSIGN, { as: OSCAR, variables: { input: { rulingCaseId: id } } });
    const blocker = new pg.Client({ connectionString: (server.db.options as { url: string }).url });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query(`SELECT 1 FROM users WHERE username = 'oscar' FOR UPDATE`);
      const decision = server.gql(DECIDE, { as: OSCAR, variables: { input: { rulingCaseId: id, decision: "Classified under 7019" } } });
      // His request passed the checks made before the transaction (he was an officer then), and
      // waits inside it for his row: the refusal below can only come from the check made there.
      await waitUntilMutationWaitsForActor(server);
      await blocker.query(`UPDATE users SET platform_role = NULL WHERE username = 'oscar'`);
      await blocker.query("COMMIT");
      expect(code(await decision)).toBe("FORBIDDEN");
      const [{ status }] = await server.db.query(`SELECT status FROM ruling_requests WHERE product_description = 'Window screen mesh rolls'`);
      expect(status).toBe("ASSIGNED");
    } finally {
      await blocker.end();
      await server.db.query(`UPDATE users SET platform_role = 'AGENCY_OFFICER' WHERE username = 'oscar'`);
    }
  });

  it("the requester's people are told only while they may see the request: a broker whose access ended is not", async () => {
    const id = await caseOf(await submit("frank", "Door closers filed by Northern"));
    await server.gql(ASSIGN, { as: "olga", variables: { input: { rulingCaseId: id } } });
    expect(await latest("frank")).toMatchObject({ kind: "RULING_ASSIGNED" });
    expect(await latest("erin")).toMatchObject({ kind: "RULING_ASSIGNED" });
    const [{ id: rel }] = await server.db.query(
      `SELECT r.id FROM relationships r JOIN businesses p ON p.id = r.provider_business_id JOIN businesses c ON c.id = r.client_business_id WHERE p.bn9 = $1 AND c.bn9 = '123456782' AND r.status = 'ACTIVE'`,
      [DEMO_BN.northern],
    );
    expect(code(await server.gql(`mutation ($id: ID!) { endRelationship(input: { relationshipId: $id }) { status } }`, { as: "alice", variables: { id: gid("Relationship", rel) } }))).toBe("ok");
    const before = { frank: await latest("frank"), erin: await latest("erin") };
    expect(code(await server.gql(DECIDE, { as: "olga", variables: { input: { rulingCaseId: id, decision: "Classified under 8302.60" } } }))).toBe("ok");
    expect(await latest("frank")).toEqual(before.frank);
    expect(await latest("erin")).toEqual(before.erin);
  });
});
