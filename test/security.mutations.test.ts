/**
 * Holes found in review of the workflows, each pinned by a test: a PAM rewriting a relationship that
 * reaches accounts they do not manage, a manager removed mid-request still granting, a broker
 * approving its own delegation, probing accounts through error codes, unvalidated text reaching the
 * database, and audit events that were wrong or missing.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntilMutationWaitsForActor } from "./support/locks.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const MAPLE = "123456782";
const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? "ok";
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64url");
const relId = async (provider: string) =>
  gid("Relationship", (await server.db.query(`SELECT r.id FROM relationships r JOIN businesses p ON p.id = r.provider_business_id JOIN businesses c ON c.id = r.client_business_id WHERE p.legal_name LIKE $1 AND c.bn9 = $2`, [`${provider}%`, MAPLE]))[0].id);
const UPDATE = `mutation ($input: UpdateRelationshipInput!) { updateRelationship(input: $input) { status } }`;
const readerTerms = { level: "PROGRAM_ACCOUNT", programAccounts: ["123456782RM0001"], role: "READER", visibility: { submittedByProvider: true, submittedByClient: false, submittedByOthers: false } };

describe("a PAM and relationships", () => {
  it("cannot narrow a business-level relationship to their account (it reaches accounts they do not manage)", async () => {
    const res = await server.gql(UPDATE, { as: "bob", variables: { input: { relationshipId: await relId("Northern"), terms: readerTerms } } });
    expect(code(res)).toBe("FORBIDDEN");
    expect((await server.gql(`{ programAccount(bn15: "123456782RM0002") { myRole } }`, { as: "erin" })).data!.programAccount.myRole).toBe("EDITOR");
  });

  it("cannot revive an expired business-level relationship", async () => {
    const res = await server.gql(UPDATE, { as: "bob", variables: { input: { relationshipId: await relId("Old Border"), terms: { ...readerTerms, role: "EDITOR" } } } });
    expect(code(res)).toBe("FORBIDDEN");
    expect((await server.gql(`{ viewer { roles } }`, { as: "gina" })).data!.viewer.roles).toEqual(["EXPIRED"]);
  });

  it("a long list of accounts from someone without authority is refused before any lookup", async () => {
    // Counted, not timed: refusing 5,000 entries takes exactly the statements that refusing one takes.
    const attempt = async (n: number) =>
      server.gql(UPDATE, {
        as: "erin",
        variables: { input: { relationshipId: await relId("Northern"), terms: { ...readerTerms, programAccounts: Array(n).fill("123456782RM0001") } } },
      });
    const one = await attempt(1);
    const bound = await attempt(100);
    expect(code(one)).toBe("FORBIDDEN");
    expect(code(bound)).toBe("FORBIDDEN");
    expect(bound.extensions!.sqlStatements).toBe(one.extensions!.sqlStatements);
    // Past the list's bound, refused before even signing in (the operation validation).
    const many = await attempt(5000);
    expect(many.errors?.[0]).toMatchObject({ message: "terms.programAccounts holds at most 100 items (got 5000).", extensions: { code: "BAD_USER_INPUT", field: "terms.programAccounts" } });
    expect(many.extensions!.sqlStatements).toBe(0);
  });
});

describe("a broker never decides its own delegation", () => {
  it("even when its BAM also holds a PAM role at the client", async () => {
    const [{ id: northern }] = await server.db.query(
      `SELECT r.id FROM relationships r JOIN businesses p ON p.id = r.provider_business_id JOIN businesses c ON c.id = r.client_business_id WHERE p.legal_name LIKE 'Northern%' AND c.bn9 = $1 AND r.status = 'ACTIVE'`,
      [MAPLE],
    );
    try {
      await delegationDecidedByItself(northern);
    } finally {
      // Back to the seeded world, so that the other tests hold in any order.
      await server.db.query(`DELETE FROM relationships WHERE provider_business_id = (SELECT provider_business_id FROM relationships WHERE id = $1) AND client_business_id = (SELECT client_business_id FROM relationships WHERE id = $1) AND id <> $1`, [northern]);
      await server.db.query(`UPDATE relationships SET status = 'ACTIVE', ended_at = NULL WHERE id = $1`, [northern]);
      await server.db.query(`DELETE FROM program_roles WHERE user_id = (SELECT id FROM users WHERE username = 'erin') AND program_account_id = (SELECT id FROM program_accounts WHERE bn15 = '123456782RM0001')`);
      await server.db.query(`DELETE FROM business_memberships WHERE user_id = (SELECT id FROM users WHERE username = 'erin') AND business_id = (SELECT id FROM businesses WHERE bn9 = $1)`, [MAPLE]);
    }
  });

  async function delegationDecidedByItself(northern: string) {
    await server.db.query(`UPDATE relationships SET status = 'REVOKED', ended_at = now() WHERE id = $1`, [northern]);
    await server.db.query(
      `INSERT INTO business_memberships (user_id, business_id, is_bam, status) SELECT u.id, b.id, false, 'ACTIVE' FROM users u, businesses b WHERE u.username = 'erin' AND b.bn9 = $1`,
      [MAPLE],
    );
    await server.db.query(`INSERT INTO program_roles (user_id, program_account_id, role) SELECT u.id, pa.id, 'PAM' FROM users u, program_accounts pa WHERE u.username = 'erin' AND pa.bn15 = '123456782RM0001'`);
    const req = await server.gql(`mutation { requestRelationship(input: { clientBn15: "123456782RM0001", comment: "please" }) { id } }`, { as: "erin" });
    const relationshipId = req.data!.requestRelationship.id;
    const decide = await server.gql(`mutation ($input: DecideRelationshipInput!) { decideRelationship(input: $input) { status } }`, {
      as: "erin",
      variables: { input: { relationshipId, approve: true, terms: { ...readerTerms, role: "EDITOR" } } },
    });
    expect(code(decide)).toBe("FORBIDDEN");
    expect(decide.errors![0]!.message).toMatch(/cannot decide or change its own delegation/);
  }

  it("an existing live relationship answers CONFLICT whichever account is named (no probing of account numbers)", async () => {
    const [live] = await server.db.query(
      `SELECT count(*)::int AS n FROM relationships r JOIN businesses p ON p.id = r.provider_business_id JOIN businesses c ON c.id = r.client_business_id WHERE p.legal_name LIKE 'Northern%' AND c.bn9 = $1 AND r.status IN ('PENDING', 'ACTIVE')`,
      [MAPLE],
    );
    expect(live.n).toBe(1); // the seeded active relationship: the premise of this test, whatever ran before
    const ask = (bn15: string) => server.gql(`mutation ($b: String!) { requestRelationship(input: { clientBn15: $b, comment: "x" }) { id } }`, { as: "erin", variables: { b: bn15 } });
    expect(code(await ask("123456782RM0002"))).toBe("CONFLICT");
    expect(code(await ask("123456782RM0009"))).toBe("CONFLICT");
  });
});

describe("authority is checked again inside the transaction", () => {
  it("a PAM removed while their decision waits cannot grant", async () => {
    const [{ id: requestId }] = await server.db.query(`SELECT ar.id FROM employee_access_requests ar JOIN users u ON u.id = ar.user_id WHERE u.username = 'harry'`);
    const blocker = new pg.Client({ connectionString: (server.db.options as { url: string }).url });
    await blocker.connect();
    try {
      // A removal of bob is in progress: his membership row is locked.
      await blocker.query("BEGIN");
      await blocker.query(`SELECT 1 FROM business_memberships WHERE user_id = (SELECT id FROM users WHERE username = 'bob') FOR UPDATE`);
      const decision = server.gql(`mutation ($input: DecideEmployeeAccessInput!) { decideEmployeeAccess(input: $input) { status } }`, {
        as: "bob",
        variables: { input: { requestId: gid("EmployeeAccessRequest", requestId), approve: true, roles: [{ bn15: "123456782RM0001", role: "PAM" }] } },
      });
      // His decision passed the checks made before the transaction (he was PAM then), and waits
      // inside it for his membership: the refusal below can only come from the check made there.
      await waitUntilMutationWaitsForActor(server);
      await blocker.query(`UPDATE business_memberships SET status = 'REMOVED' WHERE user_id = (SELECT id FROM users WHERE username = 'bob')`);
      await blocker.query("COMMIT");
      const res = await decision;
      expect(code(res)).toBe("FORBIDDEN");
      const [{ status }] = await server.db.query(`SELECT status FROM employee_access_requests WHERE id = $1`, [requestId]);
      expect(status).toBe("PENDING");
    } finally {
      await blocker.end();
      await server.db.query(`UPDATE business_memberships SET status = 'ACTIVE' WHERE user_id = (SELECT id FROM users WHERE username = 'bob')`);
    }
  });
});

describe("input never reaches the database unchecked", () => {
  it("a group name that grows when normalised is BAD_USER_INPUT, not a 500", async () => {
    const res = await server.gql(`mutation ($n: String!) { createClientGroup(input: { name: $n }) { id } }`, { as: "erin", variables: { n: "İ".repeat(100) } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "name" });
    const nul = await server.gql(`mutation ($n: String!) { createClientGroup(input: { name: $n }) { id } }`, { as: "erin", variables: { n: "a\u0000b" } });
    expect(nul.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "name" });
  });
});

describe("audit", () => {
  it("removing a member records the roles and client-group assignments they lost", async () => {
    const frank = gid("User", (await server.db.query(`SELECT id FROM users WHERE username = 'frank'`))[0].id);
    const northern = (await server.db.query(`SELECT bn9 FROM businesses WHERE legal_name LIKE 'Northern%'`))[0].bn9;
    const res = await server.gql(`mutation ($i: MemberInput!) { removeMember(input: $i) { status } }`, { as: "erin", variables: { i: { userId: frank, bn9: northern } } });
    expect(res.data!.removeMember.status).toBe("REMOVED");
    const [event] = await server.db.query(`SELECT before FROM audit_events WHERE action = 'member.removed' ORDER BY created_at DESC LIMIT 1`);
    expect(event.before).toEqual({ isBam: false, status: "ACTIVE", roles: [], clientGroups: [{ name: "Ontario manufacturers", role: "EDITOR" }] });
  });

  it("notification settings changes are audited too", async () => {
    await server.gql(`mutation { setNotificationPreferences(input: [{ kind: PAYMENT_RECEIVED, email: true }]) { kind } }`, { as: "carol" });
    const [event] = await server.db.query(`SELECT before, after FROM audit_events WHERE action = 'notifications.preferences_changed' ORDER BY created_at DESC LIMIT 1`);
    expect(event).toEqual({ before: {}, after: { PAYMENT_RECEIVED: true } });
  });
});
