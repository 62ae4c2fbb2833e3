/**
 * Delegating to a broker: the provider asks (by BN9 or BN15), the client's BAM (or the PAM of the
 * program account concerned) approves with level, role, expiry and visibility, or rejects; the client
 * changes terms later; either side ends it. Access follows each decision at once.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_BN } from "../src/seed/demo.js";
import { waitUntilMutationWaitsForActor } from "./support/locks.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const MAPLE = "123456782";
const RM1 = "123456782RM0001";
const RM2 = "123456782RM0002";
const REL_FIELDS = `id status level role expiresAt seeSubmittedByProvider seeSubmittedByClient seeSubmittedByOthers client { bn9 } provider { legalName }`;
const REQUEST = `mutation ($input: RequestRelationshipInput!) { requestRelationship(input: $input) { ${REL_FIELDS} } }`;
const DECIDE = `mutation ($input: DecideRelationshipInput!) { decideRelationship(input: $input) { ${REL_FIELDS} programAccounts { edges { node { bn15 } } } } }`;
const UPDATE = `mutation ($input: UpdateRelationshipInput!) { updateRelationship(input: $input) { ${REL_FIELDS} } }`;
const END = `mutation ($input: EndRelationshipInput!) { endRelationship(input: $input) { status } }`;

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? "ok";
const tomorrow = () => new Date(Date.now() + 24 * 3600_000).toISOString();

async function northernMapleId(): Promise<string> {
  const res = await server.gql(`{ relationships { edges { node { id status provider { legalName } } } } }`, { as: "alice" });
  return res.data!.relationships.edges.find((e: any) => e.node.provider.legalName.startsWith("Northern") && ["ACTIVE", "PENDING"].includes(e.node.status)).node.id;
}

async function mapleCounts(who: Persona) {
  const res = await server.gql(`{ transactions(first: 100) { edges { node { programAccount { bn15 } submittedBy { legalName } } } } }`, { as: who });
  const counts: Record<string, number> = {};
  for (const e of res.data!.transactions.edges) {
    if (!e.node.programAccount.bn15.startsWith(MAPLE)) continue;
    const k = `${e.node.programAccount.bn15.slice(9)}:${e.node.submittedBy.legalName.split(" ")[0]}`;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

// A lifecycle: each step acts on the relationship as the step before left it, so its steps keep
// their order even when tests are shuffled (--sequence.shuffle).
describe("the relationship lifecycle, Northern and Maple Leaf", { shuffle: false }, () => {
  it("a duplicate live relationship between the same pair is refused", async () => {
    const res = await server.gql(REQUEST, { as: "erin", variables: { input: { clientBn9: MAPLE, comment: "again" } } });
    expect(code(res)).toBe("CONFLICT");
    expect(res.errors![0]!.message).toMatch(/already a pending or active relationship/);
  });

  it("alice ends it: the broker's people are Expired at once (only what Northern submitted, read-only)", async () => {
    expect(code(await server.gql(END, { as: "alice", variables: { input: { relationshipId: await northernMapleId() } } }))).toBe("ok");
    expect(await mapleCounts("frank")).toEqual({ "RM0001:Northern": 4, "RM0002:Northern": 4 });
    expect((await server.gql(`{ programAccount(bn15: "${RM1}") { myRole } }`, { as: "erin" })).data!.programAccount.myRole).toBe("EXPIRED");
  });

  it("erin asks again for one program account (BN15); input is checked", async () => {
    expect((await server.gql(REQUEST, { as: "erin", variables: { input: { clientBn15: "123456782RM001", comment: "x" } } })).errors?.[0]?.extensions)
      .toMatchObject({ code: "BAD_USER_INPUT", field: "clientBn15" });
    expect((await server.gql(REQUEST, { as: "erin", variables: { input: { clientBn15: RM1, comment: " " } } })).errors?.[0]?.extensions)
      .toMatchObject({ code: "BAD_USER_INPUT", field: "comment" });
    expect(code(await server.gql(REQUEST, { as: "frank", variables: { input: { clientBn15: RM1, comment: "me too" } } }))).toBe("FORBIDDEN"); // not the provider's BAM
    expect(code(await server.gql(REQUEST, { as: "alice", variables: { input: { clientBn9: "711223344", comment: "hi" } } }))).toBe("BAD_USER_INPUT");
    const res = await server.gql(REQUEST, { as: "erin", variables: { input: { clientBn15: RM1, comment: "We file your window imports." } } });
    expect(res.data!.requestRelationship).toMatchObject({ status: "PENDING", level: null, role: null, client: { bn9: MAPLE } });
    const n = await server.gql(`{ viewer { notifications(unreadOnly: true) { edges { node { kind body } } } } }`, { as: "bob" });
    expect(n.data!.viewer.notifications.edges[0].node).toMatchObject({ kind: "ACCESS_REQUESTED" });
  });

  it("the broker cannot approve its own request; approving needs valid terms", async () => {
    const relationshipId = await northernMapleId();
    expect(code(await server.gql(DECIDE, { as: "erin", variables: { input: { relationshipId, approve: false } } }))).toBe("FORBIDDEN");
    const terms = { level: "PROGRAM_ACCOUNT", programAccounts: [RM1], role: "EDITOR", expiresAt: "2020-01-01T00:00:00Z", visibility: { submittedByProvider: true, submittedByClient: false, submittedByOthers: false } };
    const past = await server.gql(DECIDE, { as: "alice", variables: { input: { relationshipId, approve: true, terms } } });
    expect(past.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "terms.expiresAt" });
    const none = await server.gql(DECIDE, { as: "alice", variables: { input: { relationshipId, approve: true, terms: { ...terms, expiresAt: null, visibility: { submittedByProvider: false, submittedByClient: false, submittedByOthers: false } } } } });
    expect(none.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "terms.visibility" });
    const foreign = await server.gql(DECIDE, { as: "alice", variables: { input: { relationshipId, approve: true, terms: { ...terms, expiresAt: null, programAccounts: ["711223347RM0001"] } } } });
    // A valid BN15 of another business (Prairie's): refused as not the client's.
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "terms.programAccounts" });
    expect(foreign.errors![0]!.message).toBe("711223347RM0001 is not a program account of the client.");
  });

  it("a PAM decides only for their own program account: bob cannot grant business level nor RM0002", async () => {
    const relationshipId = await northernMapleId();
    const vis = { submittedByProvider: true, submittedByClient: true, submittedByOthers: false };
    expect(code(await server.gql(DECIDE, { as: "bob", variables: { input: { relationshipId, approve: true, terms: { level: "BUSINESS", role: "EDITOR", visibility: vis } } } }))).toBe("FORBIDDEN");
    expect(code(await server.gql(DECIDE, { as: "bob", variables: { input: { relationshipId, approve: true, terms: { level: "PROGRAM_ACCOUNT", programAccounts: [RM2], role: "EDITOR", visibility: vis } } } }))).toBe("FORBIDDEN");
  });

  it("alice and bob decide at the same moment: one wins, the other gets CONFLICT, one decision in the audit", async () => {
    const relationshipId = await northernMapleId();
    const terms = { level: "PROGRAM_ACCOUNT", programAccounts: [RM1], role: "READER", expiresAt: tomorrow(), visibility: { submittedByProvider: true, submittedByClient: true, submittedByOthers: false } };
    const [a, b] = await Promise.all([
      server.gql(DECIDE, { as: "alice", variables: { input: { relationshipId, approve: true, terms } } }),
      server.gql(DECIDE, { as: "bob", variables: { input: { relationshipId, approve: true, terms } } }),
    ]);
    expect([code(a), code(b)].sort()).toEqual(["CONFLICT", "ok"]);
    const rawId = Buffer.from(relationshipId, "base64url").toString().split(":")[1];
    const decisions = await server.db.query(`SELECT DISTINCT actor_user_id FROM audit_events WHERE target_id = $1 AND action = 'relationship.approved'`, [rawId]);
    expect(decisions).toHaveLength(1);
    const won = (code(a) === "ok" ? a : b).data!.decideRelationship;
    expect(won).toMatchObject({ status: "ACTIVE", level: "PROGRAM_ACCOUNT", role: "READER", programAccounts: { edges: [{ node: { bn15: RM1 } }] } });
  });

  it("the decision's access holds at once: RM0001 as Reader with the new visibility, RM0002 still only Expired", async () => {
    expect(await mapleCounts("erin")).toEqual({ "RM0001:Northern": 4, "RM0001:Maple": 4, "RM0002:Northern": 4 });
    expect((await server.gql(`{ programAccount(bn15: "${RM1}") { myRole } }`, { as: "erin" })).data!.programAccount.myRole).toBe("READER");
    expect((await server.gql(`{ programAccount(bn15: "${RM2}") { myRole } }`, { as: "erin" })).data!.programAccount.myRole).toBe("EXPIRED");
  });

  it("alice changes the terms (business level, Editor, all transactions): erin's view follows at once, and the change is audited with before and after", async () => {
    const relationshipId = await northernMapleId();
    const res = await server.gql(UPDATE, {
      as: "alice",
      variables: { input: { relationshipId, terms: { level: "BUSINESS", role: "EDITOR", expiresAt: null, visibility: { submittedByProvider: true, submittedByClient: true, submittedByOthers: true } } } },
    });
    expect(res.data!.updateRelationship).toMatchObject({ level: "BUSINESS", role: "EDITOR", expiresAt: null, seeSubmittedByOthers: true });
    expect(Object.values(await mapleCounts("erin")).reduce((a, b) => a + b, 0)).toBe(28);
    const trail = await server.gql(`{ business(bn9: "${MAPLE}") { auditEvents(action: "relationship.updated", first: 1) { edges { node { actor { username } before after } } } } }`, { as: "alice" });
    const e = trail.data!.business.auditEvents.edges[0].node;
    expect(e.actor.username).toBe("alice");
    expect(e.before).toMatchObject({ level: "PROGRAM_ACCOUNT", role: "READER", programAccounts: [RM1] });
    expect(e.after).toMatchObject({ level: "BUSINESS", role: "EDITOR", seeSubmittedByOthers: true, programAccounts: [] });
    // The provider's BAM sees the same event in its own trail.
    const northern = (await server.gql(`{ businesses { edges { node { bn9 legalName } } } }`, { as: "erin" })).data!.businesses.edges.find((x: any) => x.node.legalName.startsWith("Northern")).node.bn9;
    const providerTrail = await server.gql(`{ business(bn9: "${northern}") { auditEvents(action: "relationship.updated") { totalCount } } }`, { as: "erin" });
    expect(providerTrail.data!.business.auditEvents.totalCount).toBe(1);
  });

  it("only the client changes terms; the provider's BAM may end it, and then nothing is left to end", async () => {
    const relationshipId = await northernMapleId();
    const terms = { level: "BUSINESS", role: "EDITOR", visibility: { submittedByProvider: true, submittedByClient: true, submittedByOthers: true } };
    expect(code(await server.gql(UPDATE, { as: "erin", variables: { input: { relationshipId, terms } } }))).toBe("FORBIDDEN");
    expect(code(await server.gql(END, { as: "frank", variables: { input: { relationshipId } } }))).toBe("NOT_FOUND");
    expect(code(await server.gql(END, { as: "erin", variables: { input: { relationshipId } } }))).toBe("ok");
    expect(code(await server.gql(END, { as: "alice", variables: { input: { relationshipId } } }))).toBe("CONFLICT");
  });
});

describe("a pending request the client rejects", () => {
  it("ivan rejects Coastal's pending request: it is REJECTED and gives nothing", async () => {
    const rels = await server.gql(`{ relationships { edges { node { id status provider { legalName } } } } }`, { as: "ivan" });
    const pending = rels.data!.relationships.edges.find((e: any) => e.node.status === "PENDING").node;
    expect(pending.provider.legalName).toMatch(/^Coastal/);
    const res = await server.gql(DECIDE, { as: "ivan", variables: { input: { relationshipId: pending.id, approve: false } } });
    expect(res.data!.decideRelationship.status).toBe("REJECTED");
    expect(code(await server.gql(DECIDE, { as: "ivan", variables: { input: { relationshipId: pending.id, approve: false } } }))).toBe("CONFLICT");
  });
});

describe("the terms are read in the decision's own transaction", () => {
  it("an account created while the decision waits for the decider's lock is found (it is looked up after the lock, not before)", async () => {
    // A pending request from Old Border to Prairie; ivan approves it for Prairie RM0002, which does not exist yet.
    const [{ id }] = await server.db.query(
      `INSERT INTO relationships (client_business_id, provider_business_id, status, request_comment)
       SELECT c.id, p.id, 'PENDING', 'Windsor crossings' FROM businesses c, businesses p WHERE c.bn9 = $1 AND p.bn9 = $2 RETURNING id`,
      [DEMO_BN.prairie, DEMO_BN.oldBorder],
    );
    const relationshipId = Buffer.from(`Relationship:${id}`).toString("base64url");
    const rm2 = `${DEMO_BN.prairie}RM0002`;
    const blocker = new pg.Client({ connectionString: (server.db.options as { url: string }).url });
    await blocker.connect();
    try {
      // A change to ivan's membership is in progress: the decision's transaction waits for it.
      await blocker.query("BEGIN");
      await blocker.query(`SELECT 1 FROM business_memberships WHERE user_id = (SELECT id FROM users WHERE username = 'ivan') FOR UPDATE`);
      const decision = server.gql(DECIDE, {
        as: "ivan",
        variables: { input: { relationshipId, approve: true, terms: { level: "PROGRAM_ACCOUNT", programAccounts: [rm2], role: "READER", visibility: { submittedByProvider: true, submittedByClient: false, submittedByOthers: false } } } },
      });
      // The decision waits inside its transaction (the account does not exist yet when it starts waiting).
      await waitUntilMutationWaitsForActor(server);
      await blocker.query(`INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT id, 'RM0002', $2, 'Seeds' FROM businesses WHERE bn9 = $1`, [DEMO_BN.prairie, rm2]);
      await blocker.query("COMMIT");
      const res = await decision;
      expect(res.errors).toBeUndefined();
      expect(res.data!.decideRelationship).toMatchObject({ status: "ACTIVE", programAccounts: { edges: [{ node: { bn15: rm2 } }] } });
    } finally {
      await blocker.end();
      await server.db.query(`DELETE FROM relationships WHERE id = $1`, [id]);
      await server.db.query(`DELETE FROM program_accounts WHERE bn15 = $1`, [rm2]);
    }
  });
});
