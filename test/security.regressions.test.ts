/**
 * Holes found in review, each pinned by a test: a WebSocket outliving its token, queries over the
 * socket escaping validation, an ended relationship revealing accounts opened later, versions by
 * businesses a provider may not see, a broker's client groups shown to its client, a PAM seeing
 * relationships and roles of accounts they do not manage, and fragments dodging the depth limit.
 */
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { loadDevIssuer } from "../src/auth/identity.js";
import { personaSubject } from "../src/auth/personas.js";
import { waitFor } from "./support/log.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? "ok";

function wsRun(token: string, query: string, variables: Record<string, unknown> = {}) {
  const client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
  const events: any[] = [];
  let closedWith: number | null = null;
  let closedAt: number | null = null;
  const done = new Promise<void>((resolve) => {
    client.subscribe({ query, variables }, {
      next: (v) => events.push(v),
      error: (e: any) => {
        closedWith = typeof e?.code === "number" ? e.code : null;
        closedAt = Date.now();
        events.push({ error: e });
        resolve();
      },
      complete: () => resolve(),
    });
  });
  return { client, events, done, closed: () => closedWith, closedAt: () => closedAt };
}

describe("WebSocket", () => {
  it("a socket is closed (4401) when its token expires, even with a subscription open", async () => {
    const issuer = await loadDevIssuer(inject("dataDir"));
    // Long enough for the steps below on a busy machine; none of them waits for a window of its own.
    const shortLived = await issuer.sign(personaSubject("alice"), { expiresIn: "5s" });
    const expiresAt = JSON.parse(Buffer.from(shortLived.split(".")[1]!, "base64url").toString()).exp * 1000;
    const running = server.hub.openSubscriptions;
    const sub = wsRun(shortLived, `subscription { statementUpdated(bn15: "123456782RM0001") { id } }`);
    await waitFor(() => server.hub.openSubscriptions > running || sub.events.length > 0, 10_000, "the subscription to run");
    // Live while the token is valid: carol's CAD on RM0001 reaches alice.
    const today = new Date().toLocaleDateString("en-CA", { timeZone: "America/Toronto" });
    const cad = { bn15: "123456782RM0001", releasedOn: today, lines: [{ classificationCode: "7610100000", description: "Frame", valueForDuty: "100.00", tariffTreatment: "2", customsDutyRate: "6.5" }] };
    const filed = await server.gql(`mutation ($input: FileDeclarationInput!) { fileDeclaration(input: $input) { id } }`, { as: "carol", variables: { input: cad } });
    expect(filed.errors).toBeUndefined();
    await sub.done;
    expect(sub.events[0]).toMatchObject({ data: { statementUpdated: { id: expect.any(String) } } });
    // Then closed because the token expired, not before.
    expect(sub.closed()).toBe(4401);
    // Closed because the token expired: not before (the token's exp is in whole seconds).
    expect(sub.closedAt()!).toBeGreaterThanOrEqual(expiresAt - 1);
    await sub.client.dispose();
  });

  it("queries are not served over the socket (they would skip HTTP's checks)", async () => {
    const run = wsRun(await server.token("alice"), `{ programAccount(bn15: "123456782RM0001") { financialSecurities { totalCount } } }`);
    await run.done;
    expect(JSON.stringify(run.events)).toContain("send queries and mutations over HTTP");
    await run.client.dispose();
  });

  it("the depth limit applies to subscriptions too", async () => {
    const deep = `subscription { statementUpdated(bn15: "123456782RM0001") { programAccount { business { programAccounts { edges { node { business { programAccounts { edges { node { business { programAccounts { edges { node { bn15 } } } } } } } } } } } } } } }`;
    const run = wsRun(await server.token("alice"), deep);
    await run.done;
    expect(JSON.stringify(run.events)).toMatch(/Query depth limit of 12 exceeded/);
    await run.client.dispose();
  });
});

describe("ended relationships", () => {
  it("do not reveal a program account the client opened later", async () => {
    await server.db.query(`INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT id, 'RM0003', '123456782RM0003', 'Skylights' FROM businesses WHERE bn9 = '123456782'`);
    const gina = await server.gql(`{ programAccount(bn15: "123456782RM0003") { bn15 } }`, { as: "gina" });
    const ivan = await server.gql(`{ programAccount(bn15: "123456782RM0003") { bn15 } }`, { as: "ivan" });
    expect(code(gina)).toBe("NOT_FOUND");
    expect(gina.errors![0]!.message).toBe(ivan.errors![0]!.message);
    expect(code(await server.gql(`{ programAccountAccess(bn15: "123456782RM0003") { role } }`, { as: "gina" }))).toBe("NOT_FOUND");
    await server.db.query(`DELETE FROM program_accounts WHERE bn15 = '123456782RM0003'`);
  });
});

describe("versions follow the visibility rules too", () => {
  it("a later version by a business the viewer may not see stays hidden, totals included", async () => {
    // Maple Leaf adjusts one of Old Border's transactions after Old Border's relationship expired.
    const [t] = await server.db.query(
      `SELECT t.id, t.transaction_number, t.total_duties_and_taxes FROM transactions t JOIN businesses b ON b.id = t.submitted_by_business_id WHERE b.legal_name = 'Old Border Brokerage' LIMIT 1`,
    );
    await server.db.query(
      `INSERT INTO transaction_versions (transaction_id, version_no, kind, status, submitted_by_business_id, reason, customs_duty, sima, excise, gst, total_duties_and_taxes)
       SELECT $1, 2, 'ADJUSTMENT', 'ACCEPTED', id, 'Client adjustment after the broker left', 1, 0, 0, 1, 9999.99 FROM businesses WHERE bn9 = '123456782'`,
      [t.id],
    );
    await server.db.query(`UPDATE transactions SET current_version_no = 2, total_duties_and_taxes = 9999.99 WHERE id = $1`, [t.id]);
    const q = `query ($n: String!) { transaction(transactionNumber: $n) { currentVersionNo totalDutiesAndTaxes currentVersion { versionNo reason }
      versions { totalCount edges { node { versionNo } } } } }`;
    const gina = await server.gql(q, { as: "gina", variables: { n: t.transaction_number } });
    expect(gina.data!.transaction).toEqual({
      currentVersionNo: 1,
      totalDutiesAndTaxes: t.total_duties_and_taxes,
      currentVersion: { versionNo: 1, reason: null },
      versions: { totalCount: 1, edges: [{ node: { versionNo: 1 } }] },
    });
    const alice = await server.gql(q, { as: "alice", variables: { n: t.transaction_number } });
    expect(alice.data!.transaction).toMatchObject({ currentVersionNo: 2, totalDutiesAndTaxes: "9999.99", versions: { totalCount: 2 } });
    // The hidden version answers NOT_FOUND by id as well.
    const [v2] = await server.db.query(`SELECT id FROM transaction_versions WHERE transaction_id = $1 AND version_no = 2`, [t.id]);
    const id = Buffer.from(`TransactionVersion:${v2.id}`).toString("base64url");
    expect(code(await server.gql(`query ($id: ID!) { node(id: $id) { id } }`, { as: "gina", variables: { id } }))).toBe("NOT_FOUND");
  });
});

describe("what a client's managers see of a broker", () => {
  it("the access review does not show the broker's internal client groups to the client", async () => {
    const review = await server.gql(`{ programAccountAccess(bn15: "123456782RM0001") { user { username } grants { clientGroupName assignmentRole } } }`, { as: "bob" });
    const frank = review.data!.programAccountAccess.find((e: any) => e.user.username === "frank");
    expect(frank.grants).toEqual([{ clientGroupName: null, assignmentRole: null }]);
    const own = await server.gql(`query ($id: ID!) { accessExplanation(id: $id) { grants { clientGroupName } } }`, {
      as: "frank",
      variables: { id: (await server.gql(`{ programAccount(bn15: "123456782RM0001") { id } }`, { as: "frank" })).data!.programAccount.id },
    });
    expect(own.data!.accessExplanation.grants).toEqual([{ clientGroupName: "Ontario manufacturers" }]);
  });

  it("a PAM sees relationships covering their account, not others, and no roles on accounts they cannot see", async () => {
    const oldBorder = `provider_business_id = (SELECT id FROM businesses WHERE legal_name = 'Old Border Brokerage')`;
    const before = await server.db.query(`SELECT id, level FROM relationships WHERE ${oldBorder}`);
    await server.db.query(
      `WITH r AS (UPDATE relationships SET level = 'PROGRAM_ACCOUNT' WHERE ${oldBorder} RETURNING id)
       INSERT INTO relationship_program_accounts (relationship_id, program_account_id) SELECT r.id, pa.id FROM r, program_accounts pa WHERE pa.bn15 = '123456782RM0002'`,
    );
    try {
      await pamSeesOwnAccountsOnly();
    } finally {
      // Old Border's relationship as seeded: other tests read gina's view through it.
      for (const r of before) {
        await server.db.query(`DELETE FROM relationship_program_accounts WHERE relationship_id = $1`, [r.id]);
        await server.db.query(`UPDATE relationships SET level = $2 WHERE id = $1`, [r.id, r.level]);
      }
    }
  });

  async function pamSeesOwnAccountsOnly() {
    const rels = await server.gql(`{ relationships { edges { node { provider { legalName } programAccounts { totalCount } } } } }`, { as: "bob" });
    expect(rels.errors).toBeUndefined();
    expect(rels.data!.relationships.edges.map((e: any) => e.node.provider.legalName).sort()).toEqual(["Coastal Freight Services Inc.", "Northern Customs Brokers Ltd."]);
    const alice = await server.gql(`{ relationships { totalCount } }`, { as: "alice" });
    expect(alice.data!.relationships.totalCount).toBe(3);
    const members = await server.gql(`{ business(bn9: "123456782") { members { edges { node { user { username } programRoles { totalCount edges { node { role programAccount { bn15 } } } } } } } } }`, { as: "bob" });
    expect(members.errors).toBeUndefined();
    const dave = members.data!.business.members.edges.find((e: any) => e.node.user.username === "dave");
    expect(dave.node.programRoles).toEqual({ totalCount: 0, edges: [] });
  }
});

describe("query depth", () => {
  it("named fragments do not get around the depth limit", async () => {
    const q = `query { business(bn9: "123456782") { ...A } }
      fragment A on Business { programAccounts { edges { node { ...B } } } }
      fragment B on ProgramAccount { business { programAccounts { edges { node { ...C } } } } }
      fragment C on ProgramAccount { business { programAccounts { edges { node { bn15 } } } } }`;
    const res = await server.gql(q, { as: "alice" });
    expect(res.errors?.[0]?.message).toMatch(/Query depth limit of 12 exceeded/);
  });
});
