/**
 * What a broker dashboard reads, per persona: a program account's overdue amount (account-wide
 * money: only for a viewer who sees the whole account, like a FULL statement), its RPP privilege (only
 * for those who may view its security), and when the viewer's own access to it ends; the dashboard's
 * page query in one request whatever the page holds; and `accessChanged`, which tells the members of a
 * business (and nobody else) that who reaches what through it changed.
 */
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountDetailDocument, ClientCountDocument, DashboardPageDocument, ExportStatementPostingsDocument } from "../dashboard/src/generated/graphql.js";
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
const NORTHERN = "876543216";

const STANDING = `query ($bn15: String!) { programAccount(bn15: $bn15) { bn15 myRole overdue hasRppPrivilege myAccessExpiresAt
  statements(first: 20) { edges { node { dueDate view amountOutstanding } } } } }`;

interface Standing {
  bn15: string;
  myRole: string;
  overdue: string | null;
  hasRppPrivilege: boolean | null;
  myAccessExpiresAt: string | null;
  statements: { edges: { node: { dueDate: string; view: string; amountOutstanding: string | null } }[] };
}

async function standing(as: Persona, bn15: string): Promise<Standing> {
  const res = await server.gql<{ programAccount: Standing }>(STANDING, { as, variables: { bn15 } });
  expect(res.errors).toBeUndefined();
  return res.data!.programAccount;
}

/** What the statements say is past due and unpaid (each statement's outstanding part, where its due date has passed). */
const overdueFromStatements = (s: Standing) =>
  s.statements.edges.filter((e) => e.node.dueDate < today()).reduce((sum, e) => sum + Math.round(Number(e.node.amountOutstanding) * 100), 0);

describe("the importer's people see the account-wide figures", () => {
  it("alice (BAM): overdue equals what her statements leave unpaid past their due dates; RPP shown; her access does not expire", async () => {
    // The seed's security: RM0001 a 25,000.00 surety bond, RM0002 5,000.00 cash, each at least what
    // its account's imports require (the 5,000.00 minimum for these small importers): both have RPP.
    for (const bn15 of [RM1, RM2]) {
      const s = await standing("alice", bn15);
      expect(s.overdue).toMatch(/^-?\d+\.\d{2}$/);
      expect(Math.round(Number(s.overdue) * 100)).toBe(overdueFromStatements(s));
      // The seed's security covers the 5,000.00 minimum on both (a 25,000.00 bond on RM0001, 5,000.00 cash on RM0002).
      expect(s.hasRppPrivilege).toBe(true);
      expect(s.myAccessExpiresAt).toBeNull();
    }
  });

  it("dave (Reader of RM0002) sees the overdue amount (the account's, as alice sees it) but not the security", async () => {
    const s = await standing("dave", RM2);
    // The seed pays every issued statement on its due date: nothing is overdue, and dave is shown so
    // (not null), the account's figure as alice sees it.
    expect(s.overdue).toBe("0.00");
    expect(s.overdue).toBe((await standing("alice", RM2)).overdue);
    expect(overdueFromStatements(s)).toBe(0);
    expect(s.hasRppPrivilege).toBeNull();
  });

  it("bob (PAM of RM0001) sees RM0001's RPP privilege", async () => {
    // A 25,000.00 surety bond in force, against the 5,000.00 minimum.
    expect((await standing("bob", RM1)).hasRppPrivilege).toBe(true);
  });
});

describe("a broker sees what its rules allow", () => {
  it("erin: Maple Leaf is restricted (no overdue, no RPP) and her access ends with the relationship; Prairie is FULL for her", async () => {
    const maple = await standing("erin", RM1);
    expect(maple.overdue).toBeNull();
    expect(maple.hasRppPrivilege).toBeNull();
    const expires = new Date(maple.myAccessExpiresAt!);
    expect(expires.getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    const prairie = await standing("erin", PRAIRIE);
    expect(prairie.overdue).not.toBeNull();
    expect(Math.round(Number(prairie.overdue) * 100)).toBe(overdueFromStatements(prairie));
    expect(prairie.hasRppPrivilege).toBeNull();
  });

  it("frank reaches Maple Leaf through his client group: same expiry, restricted money; Prairie is out of his reach", async () => {
    const maple = await standing("frank", RM1);
    expect(maple.overdue).toBeNull();
    expect(maple.myAccessExpiresAt).toBe((await standing("erin", RM1)).myAccessExpiresAt);
    const prairie = await server.gql(STANDING, { as: "frank", variables: { bn15: PRAIRIE } });
    expect(prairie.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("gina (Expired) has no statements, so no overdue, and no expiry ahead", async () => {
    const res = await server.gql<{ programAccount: Standing }>(`query { programAccount(bn15: "${RM1}") { myRole overdue hasRppPrivilege myAccessExpiresAt } }`, { as: "gina" });
    expect(res.errors).toBeUndefined();
    expect(res.data!.programAccount).toEqual({ myRole: "EXPIRED", overdue: null, hasRppPrivilege: null, myAccessExpiresAt: null });
  });
});

describe("the dashboard's page query", () => {
  it("reads a page of businesses with their accounts and latest statements in one request, with a bounded number of SQL statements", async () => {
    const res = await server.gql(DashboardPageDocument, { as: "erin", variables: { first: 25 } });
    expect(res.errors).toBeUndefined();
    const rows = res.data!.businesses.edges.flatMap((b) => b.node.programAccounts?.edges.map((a) => ({ business: b.node.legalName, ...a.node })) ?? []);
    expect(rows.map((r) => r.bn15).sort()).toEqual(expect.arrayContaining([RM1, RM2, PRAIRIE]));
    const maple = rows.find((r) => r.bn15 === RM1)!;
    expect(maple.statements?.edges[0]?.node).toMatchObject({ view: "RESTRICTED", totalPayable: null });
    expect(rows.find((r) => r.bn15 === PRAIRIE)!.statements?.edges[0]?.node.view).toBe("FULL");
    // Searching is done by the server (BN9 prefix or words of the legal name).
    const prairie = await server.gql(DashboardPageDocument, { as: "erin", variables: { first: 25, search: "prairie" } });
    expect(prairie.data!.businesses.edges.map((e) => e.node.bn9)).toEqual(["711223347"]);
    // A page costs a bounded number of statements, not one per row.
    expect(res.extensions?.sqlStatements).toBeLessThan(25);
  });
});

describe("the page's count and an account's detail", () => {
  it("counts every client, not the page: erin reaches Maple Leaf, Prairie and her own Northern; a search counts its matches", async () => {
    const all = await server.gql(ClientCountDocument, { as: "erin", variables: {} });
    expect(all.errors).toBeUndefined();
    expect(all.data!.businesses.totalCount).toBe(3);
    const some = await server.gql(ClientCountDocument, { as: "erin", variables: { search: "maple" } });
    expect(some.data!.businesses.totalCount).toBe(1);
    // ivan: Prairie only; another business's clients are not counted.
    expect((await server.gql(ClientCountDocument, { as: "ivan", variables: {} })).data!.businesses.totalCount).toBe(1);
    // The page itself does not count (that is read apart, when the search changes).
    const page = await server.gql(DashboardPageDocument, { as: "erin", variables: { first: 2 } });
    expect(page.data!.businesses.edges).toHaveLength(2);
    expect(page.data!.businesses.pageInfo.hasNextPage).toBe(true);
  });

  it("alice opens RM0001: every line of its latest statement, and its transactions (14)", async () => {
    const res = await server.gql(AccountDetailDocument, { as: "alice", variables: { bn15: RM1 } });
    expect(res.errors).toBeUndefined();
    const account = res.data!.programAccount;
    const statement = account.statements!.edges[0]!.node;
    expect(statement.view).toBe("FULL");
    expect(account.transactions!.totalCount).toBe(14);
    expect(account.transactions!.edges).toHaveLength(10);
    const lines = statement.postings!.edges.map((e) => e.node.lineNo);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(statement.postings!.totalCount).toBe(lines.length);
  });

  it("erin opens RM0001: the lines of the transactions she may see and Northern's payments only; another's statement link is not hers", async () => {
    const alice = (await server.gql(AccountDetailDocument, { as: "alice", variables: { bn15: RM1 } })).data!.programAccount.statements!.edges[0]!.node;
    const erin = await server.gql(AccountDetailDocument, { as: "erin", variables: { bn15: RM1 } });
    expect(erin.errors).toBeUndefined();
    const statement = erin.data!.programAccount.statements!.edges[0]!.node;
    expect(statement.id).toBe(alice.id);
    expect(statement.view).toBe("RESTRICTED");
    const seen = statement.postings!.edges.map((e) => e.node.lineNo);
    expect(seen.length).toBeLessThan(alice.postings!.edges.length);
    expect(seen.every((n) => alice.postings!.edges.some((e) => e.node.lineNo === n))).toBe(true);
    // Of RM0001's 14, Northern's 4 and Maple Leaf's 4 (not Old Border's or Coastal's).
    expect(erin.data!.programAccount.transactions!.totalCount).toBe(8);
    // ivan cannot ask for the journal of Maple Leaf's statement: it does not exist for him.
    const link = await server.gql(ExportStatementPostingsDocument, { as: "ivan", variables: { id: statement.id } });
    expect(link.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("gina (Expired) opens RM0001: no statements (FORBIDDEN, null), Old Border's 3 transactions", async () => {
    const res = await server.gql(AccountDetailDocument, { as: "gina", variables: { bn15: RM1 } });
    expect(res.data!.programAccount.statements).toBeNull();
    expect(res.errors?.map((e) => [e.path?.join("."), e.extensions?.code])).toEqual([["programAccount.statements", "FORBIDDEN"]]);
    expect(res.data!.programAccount.transactions!.totalCount).toBe(3);
  });
});

describe("accessChanged", () => {
  function listen(persona: Persona) {
    const events: { accessChanged: { business: { bn9: string } } }[] = [];
    const ready = (async () => {
      const c = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${await server.token(persona)}` }, retryAttempts: 0 });
      clients.push(c);
      c.subscribe({ query: "subscription { accessChanged { at business { bn9 } } }" }, { next: (v) => void events.push(v.data as never), error: () => undefined, complete: () => undefined });
    })();
    return { events, ready };
  }

  it("tells Northern's people (erin, frank) when a client leaves and rejoins a client group, and not Maple Leaf's alice", async () => {
    const erin = listen("erin");
    const frank = listen("frank");
    const alice = listen("alice");
    await Promise.all([erin.ready, frank.ready, alice.ready]);
    // Once the server runs all three, each hears every event published after.
    await waitFor(() => server.hub.openSubscriptions === 3, 10_000, "the three subscriptions to run");
    const groups = await server.gql<{ business: { clientGroups: { edges: { node: { id: string; name: string } }[] } } }>(
      `query { business(bn9: "${NORTHERN}") { clientGroups { edges { node { id name } } } } }`,
      { as: "erin" },
    );
    const group = groups.data!.business.clientGroups.edges.find((e) => e.node.name === "Ontario manufacturers")!.node;
    const move = (m: string) => server.gql(`mutation ($input: ClientGroupClientInput!) { ${m}(input: $input) { id } }`, { as: "erin", variables: { input: { groupId: group.id, clientBn9: "123456782" } } });
    expect((await move("removeClientFromGroup")).errors).toBeUndefined();
    expect((await move("addClientToGroup")).errors).toBeUndefined();
    await waitFor(() => erin.events.length > 0 && frank.events.length > 0, 10_000, "Northern's people to hear of the change");
    expect(erin.events[0]!.accessChanged.business.bn9).toBe(NORTHERN);
    expect(frank.events[0]!.accessChanged.business.bn9).toBe(NORTHERN);
    // A change of Maple Leaf's own access, which alice must hear: alice sets dave's role on RM0002
    // again. It commits after Northern's changes, so had those reached alice, they would be here first.
    const dave = await server.gql<{ viewer: { user: { id: string } } }>(`{ viewer { user { id } } }`, { as: "dave" });
    const setRole = await server.gql(`mutation ($input: SetProgramRoleInput!) { setProgramRole(input: $input) { id } }`, {
      as: "alice",
      variables: { input: { userId: dave.data!.viewer.user.id, bn15: RM2, role: "READER" } },
    });
    expect(setRole.errors).toBeUndefined();
    await waitFor(() => alice.events.length > 0, 10_000, "alice to hear of Maple Leaf's change");
    expect(alice.events.map((e) => e.accessChanged.business.bn9)).toEqual(["123456782"]);
    // frank reaches Maple Leaf again (the group holds it once more).
    expect((await standing("frank", RM1)).myRole).toBe("EDITOR");
  });
});
