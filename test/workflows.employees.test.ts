/**
 * Letting employees in: a request by BN9 with a justification, decided by the BAM (any program) or
 * a PAM (their program only). Nobody changes their own role, nobody grants more than they hold, the
 * last BAM stays, and two managers deciding at once produce exactly one decision.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const MAPLE = "123456782";
const RM1 = "123456782RM0001";
const RM2 = "123456782RM0002";

const REQUEST = `mutation ($input: RequestEmployeeAccessInput!) { requestEmployeeAccess(input: $input) { id status note } }`;
const DECIDE = `mutation ($input: DecideEmployeeAccessInput!) { decideEmployeeAccess(input: $input) { id status decidedBy { username } } }`;
const SET_ROLE = `mutation ($input: SetProgramRoleInput!) { setProgramRole(input: $input) { isBam } }`;

const userId = async (username: string) => Buffer.from(`User:${(await server.db.query(`SELECT id FROM users WHERE username = $1`, [username]))[0].id}`).toString("base64url");
const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? "ok";
const roleOn = async (who: Persona, bn15: string) => {
  const res = await server.gql(`query ($b: String!) { programAccount(bn15: $b) { myRole } }`, { as: who, variables: { b: bn15 } });
  return res.data?.programAccount?.myRole ?? code(res);
};

async function setBam(username: string, isBam: boolean) {
  await server.db.query(
    `UPDATE business_memberships SET is_bam = $2, status = 'ACTIVE' WHERE user_id = (SELECT id FROM users WHERE username = $1) AND business_id = (SELECT id FROM businesses WHERE bn9 = $3)`,
    [username, isBam, MAPLE],
  );
}

/** A fresh orphan user with a pending request to Maple Leaf (so each test decides its own request). */
let counter = 0;
async function newRequester(): Promise<{ persona: Persona; requestId: string }> {
  // Harry's token (subject demo|harry) now signs in a brand-new orphan profile: a new employee each time.
  const name = `emp${++counter}`;
  await server.db.query(`UPDATE users SET subject = $1 WHERE subject = 'demo|harry'`, [`demo|retired-${counter}`]);
  await server.db.query(`INSERT INTO users (subject, username, display_name, email) VALUES ('demo|harry', $1, $1, $2)`, [name, `${name}@example.com`]);
  const res = await server.gql(REQUEST, { as: "harry", variables: { input: { bn9: MAPLE, note: "I need access to make corrections and adjustments" } } });
  expect(res.errors).toBeUndefined();
  return { persona: "harry", requestId: res.data!.requestEmployeeAccess.id };
}

describe("requesting access", () => {
  it("a note is required and bounded; the BN9 must be valid; a second pending request is a CONFLICT", async () => {
    const bad = async (input: object, field: string) =>
      expect((await server.gql(REQUEST, { as: "olga", variables: { input } })).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    await bad({ bn9: MAPLE, note: "   " }, "note");
    await bad({ bn9: MAPLE, note: "x".repeat(1001) }, "note");
    await bad({ bn9: "12345678", note: "hello" }, "bn9");
    // Someone with a pending request to Maple Leaf asks again.
    await newRequester();
    expect(code(await server.gql(REQUEST, { as: "harry", variables: { input: { bn9: MAPLE, note: "again" } } }))).toBe("CONFLICT");
    // A member asking again, and an unknown business.
    expect(code(await server.gql(REQUEST, { as: "carol", variables: { input: { bn9: MAPLE, note: "more" } } }))).toBe("CONFLICT");
    expect(code(await server.gql(REQUEST, { as: "ivan", variables: { input: { bn9: "000000000", note: "hi" } } }))).toBe("NOT_FOUND");
    // Control characters never reach the database; an agency officer cannot join a business.
    await bad({ bn9: MAPLE, note: "hi\u0000there" }, "note");
    expect(code(await server.gql(REQUEST, { as: "olga", variables: { input: { bn9: MAPLE, note: "Let me in" } } }))).toBe("FORBIDDEN");
  });

  it("the deciders see it and are notified; the requester sees their own request", async () => {
    const { requestId } = await newRequester();
    const listed = async (who: Persona) =>
      (await server.gql(`{ business(bn9: "${MAPLE}") { accessRequests(status: PENDING) { edges { node { id note user { username } } } } } }`, { as: who })).data
        ?.business?.accessRequests?.edges.map((e: any) => e.node.id) ?? [];
    expect(await listed("alice")).toContain(requestId);
    expect(await listed("bob")).toContain(requestId);
    const n = await server.gql(`{ viewer { notifications(unreadOnly: true) { edges { node { kind body } } } } }`, { as: "bob" });
    expect(n.data!.viewer.notifications.edges.some((e: any) => e.node.kind === "ACCESS_REQUESTED" && /corrections and adjustments/.test(e.node.body))).toBe(true);
    const own = await server.gql(`{ viewer { accessRequests { edges { node { id status } } } } }`, { as: "harry" });
    expect(own.data!.viewer.accessRequests.edges.map((e: any) => e.node.id)).toContain(requestId);
  });
});

describe("deciding", () => {
  it("bob (PAM of RM0001) approves with Editor on RM0001: access is there at the next request", async () => {
    const { requestId } = await newRequester();
    expect(await roleOn("harry", RM1)).toBe("NOT_FOUND");
    const res = await server.gql(DECIDE, { as: "bob", variables: { input: { requestId, approve: true, roles: [{ bn15: RM1, role: "EDITOR" }] } } });
    expect(res.data!.decideEmployeeAccess).toMatchObject({ status: "APPROVED", decidedBy: { username: "bob" } });
    expect(await roleOn("harry", RM1)).toBe("EDITOR");
    expect(await roleOn("harry", RM2)).toBe("NOT_FOUND");
    const n = await server.gql(`{ viewer { notifications { edges { node { kind body } } } } }`, { as: "harry" });
    expect(n.data!.viewer.notifications.edges[0].node).toEqual({ kind: "REQUEST_DECIDED", body: `You now have: EDITOR of ${RM1}.` });
  });

  it("a PAM cannot grant on another program account; an Editor or a broker cannot decide at all", async () => {
    const { requestId } = await newRequester();
    expect(code(await server.gql(DECIDE, { as: "bob", variables: { input: { requestId, approve: true, roles: [{ bn15: RM2, role: "READER" }] } } }))).toBe("FORBIDDEN");
    expect(code(await server.gql(DECIDE, { as: "carol", variables: { input: { requestId, approve: false } } }))).toBe("NOT_FOUND"); // not hers to see
    expect(code(await server.gql(DECIDE, { as: "erin", variables: { input: { requestId, approve: false } } }))).toBe("NOT_FOUND");
    const bad = await server.gql(DECIDE, { as: "alice", variables: { input: { requestId, approve: true, roles: [] } } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "roles" });
    const foreign = await server.gql(DECIDE, { as: "alice", variables: { input: { requestId, approve: true, roles: [{ bn15: "711223344RM0001", role: "READER" }] } } });
    expect(foreign.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("two managers deciding the same request at the same moment: exactly one decision wins, and the audit shows one", async () => {
    const { requestId } = await newRequester();
    const [a, b] = await Promise.all([
      server.gql(DECIDE, { as: "alice", variables: { input: { requestId, approve: true, roles: [{ bn15: RM2, role: "READER" }] } } }),
      server.gql(DECIDE, { as: "bob", variables: { input: { requestId, approve: false, note: "Not needed" } } }),
    ]);
    const outcomes = [code(a), code(b)].sort();
    expect(outcomes).toEqual(["CONFLICT", "ok"]);
    const loser = code(a) === "CONFLICT" ? a : b;
    expect(loser.errors![0]!.message).toMatch(/already been decided/);
    const rawId = Buffer.from(requestId, "base64url").toString().split(":")[1];
    const events = await server.db.query(`SELECT action FROM audit_events WHERE target_id = $1 AND action LIKE 'employee_request.%ed' AND action <> 'employee_request.created'`, [rawId]);
    expect(events).toHaveLength(1);
  });
});

describe("roles and BAMs", () => {
  it("nobody changes their own role", async () => {
    expect(code(await server.gql(SET_ROLE, { as: "bob", variables: { input: { userId: await userId("bob"), bn15: RM1, role: "READER" } } }))).toBe("FORBIDDEN");
    expect(code(await server.gql(`mutation ($i: MemberInput!) { removeBam(input: $i) { isBam } }`, { as: "alice", variables: { i: { userId: await userId("alice"), bn9: MAPLE } } }))).toBe("FORBIDDEN");
  });

  it("no escalation: an Editor assigns nothing; a PAM assigns only on their own program account", async () => {
    expect(code(await server.gql(SET_ROLE, { as: "carol", variables: { input: { userId: await userId("dave"), bn15: RM1, role: "READER" } } }))).toBe("FORBIDDEN");
    expect(code(await server.gql(SET_ROLE, { as: "bob", variables: { input: { userId: await userId("dave"), bn15: RM2, role: "PAM" } } }))).toBe("NOT_FOUND"); // RM0002 is not his to see
    expect(code(await server.gql(`mutation ($i: MemberInput!) { addBam(input: $i) { isBam } }`, { as: "bob", variables: { i: { userId: await userId("carol"), bn9: MAPLE } } }))).toBe("FORBIDDEN");
  });

  it("a PAM gives a member a role on their account and takes it back; the change shows at once and is audited", async () => {
    const dave = await userId("dave");
    expect(code(await server.gql(SET_ROLE, { as: "bob", variables: { input: { userId: dave, bn15: RM1, role: "READER" } } }))).toBe("ok");
    expect(await roleOn("dave", RM1)).toBe("READER");
    expect(code(await server.gql(SET_ROLE, { as: "bob", variables: { input: { userId: dave, bn15: RM1, role: null } } }))).toBe("ok");
    expect(await roleOn("dave", RM1)).toBe("NOT_FOUND");
    const trail = await server.gql(`{ business(bn9: "${MAPLE}") { auditEvents(action: "member.role_changed") { edges { node { actor { username } before after } } } } }`, { as: "alice" });
    expect(trail.data!.business.auditEvents.edges.map((e: any) => e.node)).toEqual([
      { actor: { username: "bob" }, before: { bn15: RM1, role: "READER" }, after: { bn15: RM1, role: null } },
      { actor: { username: "bob" }, before: { bn15: RM1, role: null }, after: { bn15: RM1, role: "READER" } },
    ]);
  });

  it("the last BAM can never be removed, even by two BAMs removing each other at the same moment", async () => {
    const [alice, bob] = [await userId("alice"), await userId("bob")];
    try {
      expect(code(await server.gql(`mutation ($i: MemberInput!) { addBam(input: $i) { isBam } }`, { as: "alice", variables: { i: { userId: bob, bn9: MAPLE } } }))).toBe("ok");
      const REMOVE = `mutation ($i: MemberInput!) { removeBam(input: $i) { isBam } }`;
      const results = await Promise.all([
        server.gql(REMOVE, { as: "alice", variables: { i: { userId: bob, bn9: MAPLE } } }),
        server.gql(REMOVE, { as: "bob", variables: { i: { userId: alice, bn9: MAPLE } } }),
      ]);
      expect(results.map(code).filter((c) => c === "ok")).toHaveLength(1);
      const [{ count }] = await server.db.query(`SELECT count(*)::int AS count FROM business_memberships m JOIN businesses b ON b.id = m.business_id WHERE b.bn9 = $1 AND m.is_bam AND m.status = 'ACTIVE'`, [MAPLE]);
      expect(count).toBe(1);
    } finally {
      // Back to the seeded managers (alice BAM, bob PAM), whichever removal won: other tests rely on them.
      await setBam("alice", true);
      await setBam("bob", false);
    }
  });

  it("removing a member takes their roles with them", async () => {
    const carol = await userId("carol");
    try {
      const res = await server.gql(`mutation ($i: MemberInput!) { removeMember(input: $i) { status } }`, { as: "alice", variables: { i: { userId: carol, bn9: MAPLE } } });
      expect(res.data!.removeMember.status).toBe("REMOVED");
      expect(await roleOn("carol", RM1)).toBe("NOT_FOUND");
      expect((await server.gql(`{ viewer { roles } }`, { as: "carol" })).data!.viewer.roles).toEqual(["ORPHAN"]);
    } finally {
      // carol back as Editor of RM0001, as seeded.
      await server.db.query(`UPDATE business_memberships SET status = 'ACTIVE' WHERE user_id = (SELECT id FROM users WHERE username = 'carol')`);
      await server.db.query(
        `INSERT INTO program_roles (user_id, program_account_id, role) SELECT u.id, pa.id, 'EDITOR' FROM users u, program_accounts pa WHERE u.username = 'carol' AND pa.bn15 = $1
         AND NOT EXISTS (SELECT 1 FROM program_roles r WHERE r.user_id = u.id AND r.program_account_id = pa.id)`,
        [RM1],
      );
    }
  });
});

describe("the audit trail", () => {
  it("filters by action and time window, pages, and refuses an empty window", async () => {
    for (let i = 0; i < 6; i++) await newRequester(); // events of its own, whatever ran before
    const q = `query ($since: DateTimeISO, $until: DateTimeISO, $first: Int, $after: String) { business(bn9: "${MAPLE}") {
      auditEvents(since: $since, until: $until, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { action createdAt } } } } }`;
    const bam = (await server.db.query(`SELECT u.username FROM business_memberships m JOIN users u ON u.id = m.user_id JOIN businesses b ON b.id = m.business_id WHERE b.bn9 = $1 AND m.is_bam AND m.status = 'ACTIVE'`, [MAPLE]))[0].username as Persona;
    const all = await server.gql(q, { as: bam, variables: { first: 100 } });
    const total = all.data!.business.auditEvents.totalCount;
    expect(total).toBeGreaterThan(5);
    const times = all.data!.business.auditEvents.edges.map((e: any) => e.node.createdAt);
    expect([...times].sort().reverse()).toEqual(times); // newest first
    const page1 = await server.gql(q, { as: bam, variables: { first: 2 } });
    const page2 = await server.gql(q, { as: bam, variables: { first: 2, after: page1.data!.business.auditEvents.pageInfo.endCursor } });
    expect(page2.data!.business.auditEvents.edges.map((e: any) => e.node.createdAt)).toEqual(times.slice(2, 4));
    const future = await server.gql(q, { as: bam, variables: { since: new Date(Date.now() + 3600_000).toISOString() } });
    expect(future.data!.business.auditEvents.totalCount).toBe(0);
    const beforeOldest = await server.gql(q, { as: bam, variables: { until: times.at(-1) } });
    expect(beforeOldest.data!.business.auditEvents.totalCount).toBe(0);
    const latest = await server.gql(q, { as: bam, variables: { since: times[0] } });
    expect(latest.data!.business.auditEvents.totalCount).toBeGreaterThanOrEqual(1);
    expect(latest.data!.business.auditEvents.totalCount).toBeLessThan(total);
    const empty = await server.gql(q, { as: bam, variables: { since: "2026-02-01T00:00:00Z", until: "2026-01-01T00:00:00Z" } });
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "since" });
  });
});
