/**
 * Client groups and notifications, end to end. Inside a service provider only its BAM manages
 * client groups (names unique per provider ignoring case and extra spaces, deleted groups included);
 * an employee reaches a client only through a group assignment, with the lesser of the
 * relationship's role and their own, and gains or loses that access on the very next request.
 * Every change is audited. Notifications are the viewer's own: marking someone else's changes
 * nothing; email preferences are per kind.
 *
 * Each describe block is a short story whose steps build on each other, so its steps keep their
 * order under --sequence.shuffle; the blocks themselves hold in any order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_BN } from "../src/seed/demo.js";
import { startTestServer, type GqlResult, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const MAPLE = DEMO_BN.mapleLeaf;
const NORTHERN = DEMO_BN.northern;
const PRAIRIE = DEMO_BN.prairie;
const PRAIRIE_RM1 = `${PRAIRIE}RM0001`;

const code = (r: GqlResult<unknown>) => r.errors?.[0]?.extensions?.code;
const field = (r: GqlResult<unknown>) => r.errors?.[0]?.extensions?.field;

const GROUP_FIELDS = `id name deletedAt provider { bn9 }
  clients { edges { node { bn9 } } }
  assignments { edges { node { role user { username } } } }`;
const CREATE = `mutation ($name: String!) { createClientGroup(input: { name: $name }) { ${GROUP_FIELDS} } }`;
const RENAME = `mutation ($id: ID!, $name: String!) { renameClientGroup(input: { groupId: $id, name: $name }) { ${GROUP_FIELDS} } }`;
const DELETE = `mutation ($id: ID!) { deleteClientGroup(input: { groupId: $id }) { id name deletedAt } }`;
const ADD = `mutation ($id: ID!, $bn9: String!) { addClientToGroup(input: { groupId: $id, clientBn9: $bn9 }) { ${GROUP_FIELDS} } }`;
const REMOVE = `mutation ($id: ID!, $bn9: String!) { removeClientFromGroup(input: { groupId: $id, clientBn9: $bn9 }) { ${GROUP_FIELDS} } }`;
const ASSIGN = `mutation ($id: ID!, $user: ID!, $role: ProviderRole) {
  setClientGroupAssignment(input: { groupId: $id, userId: $user, role: $role }) { ${GROUP_FIELDS} } }`;

const create = (name: string, as: Persona = "erin") => server.gql(CREATE, { as, variables: { name } });
const rename = (id: string, name: string, as: Persona = "erin") => server.gql(RENAME, { as, variables: { id, name } });
const remove = (id: string, as: Persona = "erin") => server.gql(DELETE, { as, variables: { id } });
const addClient = (id: string, bn9: string, as: Persona = "erin") => server.gql(ADD, { as, variables: { id, bn9 } });
const removeClient = (id: string, bn9: string, as: Persona = "erin") => server.gql(REMOVE, { as, variables: { id, bn9 } });
const assign = (id: string, user: string, role: "EDITOR" | "READER" | null, as: Persona = "erin") =>
  server.gql(ASSIGN, { as, variables: { id, user, role } });

/** Creates a group as erin and returns its global id (the creation must succeed). */
async function newGroup(name: string): Promise<string> {
  const res = await create(name);
  expect(res.errors).toBeUndefined();
  return res.data!.createClientGroup.id;
}

/** Northern's live groups as erin sees them: name -> global id. */
async function northernGroups(): Promise<Record<string, string>> {
  const res = await server.gql(`query ($b: String!) { business(bn9: $b) { clientGroups(first: 100) { edges { node { id name } } } } }`, {
    as: "erin",
    variables: { b: NORTHERN },
  });
  expect(res.errors).toBeUndefined();
  return Object.fromEntries(res.data!.business.clientGroups.edges.map((e: any) => [e.node.name, e.node.id]));
}

async function userId(username: string): Promise<string> {
  const res = await server.gql(`{ viewer { user { id username } } }`, { as: username as Persona });
  expect(res.data!.viewer.user.username).toBe(username);
  return res.data!.viewer.user.id;
}

const decodeId = (globalId: string) => Buffer.from(globalId, "base64url").toString("utf8").split(":")[1];

let ontarioId: string;
let prairieClientsId: string;
let frankId: string;
let aliceId: string;
beforeAll(async () => {
  const groups = await northernGroups();
  ontarioId = groups["Ontario manufacturers"]!;
  prairieClientsId = groups["Prairie clients"]!;
  expect(ontarioId).toBeTruthy();
  expect(prairieClientsId).toBeTruthy();
  const members = await server.gql(`query ($b: String!) { business(bn9: $b) { members { edges { node { user { id username } } } } } }`, {
    as: "erin",
    variables: { b: NORTHERN },
  });
  frankId = members.data!.business.members.edges.find((e: any) => e.node.user.username === "frank").node.user.id;
  aliceId = await userId("alice");
});

describe("creating, renaming and deleting groups (names unique per provider)", { shuffle: false }, () => {
  it("erin creates a group in Northern; it is listed among Northern's groups", async () => {
    const res = await create("Quebec importers");
    expect(res.errors).toBeUndefined();
    expect(res.data!.createClientGroup).toMatchObject({
      name: "Quebec importers",
      deletedAt: null,
      provider: { bn9: NORTHERN },
      clients: { edges: [] },
      assignments: { edges: [] },
    });
    const groups = await northernGroups();
    expect(groups["Quebec importers"]).toBe(res.data!.createClientGroup.id);
  });

  it("a name differing only in case or extra spaces is CONFLICT, the seeded names included", async () => {
    for (const name of ["quebec importers", "  QUEBEC   Importers ", "Quebec\timporters", "ONTARIO MANUFACTURERS", " prairie  clients"]) {
      const res = await create(name);
      expect(code(res), name).toBe("CONFLICT");
      expect(res.data).toBeNull();
    }
    const count = await server.db.query(
      `SELECT count(*)::int AS n FROM client_groups WHERE normalized_name = 'quebec importers'`,
    );
    expect(count[0].n).toBe(1);
  });

  it("rename works, and renaming a group to its own name in another case is allowed", async () => {
    const id = await newGroup("Maritime clients");
    const renamed = await rename(id, "  Atlantic clients ");
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data!.renameClientGroup).toMatchObject({ id, name: "Atlantic clients" });
    const recased = await rename(id, "ATLANTIC Clients");
    expect(recased.errors).toBeUndefined();
    expect(recased.data!.renameClientGroup.name).toBe("ATLANTIC Clients");
    const groups = await northernGroups();
    expect(groups["ATLANTIC Clients"]).toBe(id);
    expect(groups["Maritime clients"]).toBeUndefined();
    // Renaming onto another live group's name is CONFLICT too.
    const clash = await rename(id, "quebec  IMPORTERS");
    expect(code(clash)).toBe("CONFLICT");
    expect((await northernGroups())["ATLANTIC Clients"]).toBe(id);
  });

  it("a deleted group's name stays taken: creating or renaming to it is CONFLICT; the group is gone", async () => {
    const doomed = await newGroup("Temporary group");
    const other = await newGroup("Another group");
    const del = await remove(doomed);
    expect(del.errors).toBeUndefined();
    expect(del.data!.deleteClientGroup.id).toBe(doomed);
    expect(del.data!.deleteClientGroup.deletedAt).not.toBeNull();

    const groups = await northernGroups();
    expect(groups["Temporary group"]).toBeUndefined();
    expect(groups["Another group"]).toBe(other);

    expect(code(await create("Temporary group"))).toBe("CONFLICT");
    expect(code(await create(" temporary   GROUP "))).toBe("CONFLICT");
    const renamed = await rename(other, "TEMPORARY group");
    expect(code(renamed)).toBe("CONFLICT");
    expect((await northernGroups())["Another group"]).toBe(other);

    // A deleted group can no longer be changed (nor deleted again).
    expect(code(await rename(doomed, "Revived group"))).toBe("NOT_FOUND");
    expect(code(await remove(doomed))).toBe("NOT_FOUND");
    expect(code(await addClient(doomed, MAPLE))).toBe("NOT_FOUND");
  });

  it("providerBn9 may name the provider explicitly; a malformed one is BAD_USER_INPUT, one erin does not manage FORBIDDEN", async () => {
    const CREATE_IN = `mutation ($name: String!, $p: String) { createClientGroup(input: { name: $name, providerBn9: $p }) { name provider { bn9 } } }`;
    const ok = await server.gql(CREATE_IN, { as: "erin", variables: { name: "Explicit provider", p: NORTHERN } });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.createClientGroup).toEqual({ name: "Explicit provider", provider: { bn9: NORTHERN } });
    const bad = await server.gql(CREATE_IN, { as: "erin", variables: { name: "Bad provider", p: "123456789" } });
    expect(code(bad)).toBe("BAD_USER_INPUT");
    expect(field(bad)).toBe("providerBn9");
    const other = await server.gql(CREATE_IN, { as: "erin", variables: { name: "Old Border's now", p: DEMO_BN.oldBorder } });
    expect(code(other)).toBe("FORBIDDEN");
  });

  it("an empty or blank name, or one over 100 characters, is BAD_USER_INPUT on field name", async () => {
    const id = await newGroup("Validation group");
    for (const name of ["", "    ", "x".repeat(101), ` ${"y".repeat(101)} `]) {
      const c = await create(name);
      expect(code(c), JSON.stringify(name)).toBe("BAD_USER_INPUT");
      expect(field(c)).toBe("name");
      const r = await rename(id, name);
      expect(code(r), JSON.stringify(name)).toBe("BAD_USER_INPUT");
      expect(field(r)).toBe("name");
    }
    // Exactly 100 characters is fine (surrounding spaces do not count).
    const hundred = await create(`  ${"z".repeat(100)}  `);
    expect(hundred.errors).toBeUndefined();
    expect(hundred.data!.createClientGroup.name).toBe("z".repeat(100));
    expect((await northernGroups())["Validation group"]).toBe(id);
  });
});

describe("uniqueness is per provider, and holds under concurrent requests", { shuffle: false }, () => {
  it("a name used by another provider (Old Border's \"Maple Leaf account\") is free for Northern", async () => {
    const res = await create("maple leaf ACCOUNT");
    expect(res.errors).toBeUndefined();
    expect(res.data!.createClientGroup.provider.bn9).toBe(NORTHERN);
  });

  it("another provider's group is NOT_FOUND for erin", async () => {
    const [g] = await server.db.query(`SELECT id FROM client_groups WHERE name = 'Maple Leaf account' AND provider_business_id <> (SELECT id FROM businesses WHERE bn9 = $1)`, [NORTHERN]);
    const oldBorderGroup = Buffer.from(`ClientGroup:${g.id}`).toString("base64url");
    expect(code(await rename(oldBorderGroup, "Taken over"))).toBe("NOT_FOUND");
    expect(code(await remove(oldBorderGroup))).toBe("NOT_FOUND");
    expect(code(await assign(oldBorderGroup, frankId, "EDITOR"))).toBe("NOT_FOUND");
  });

  it("two concurrent creations of the same name: one succeeds, the other is CONFLICT", async () => {
    const results = await Promise.all([create("Racing group"), create("RACING  group"), create(" racing group")]);
    expect(results.map((r) => (r.errors ? code(r) : "ok")).sort()).toEqual(["CONFLICT", "CONFLICT", "ok"]);
  });

  it("concurrent duplicate client additions and assignments: one succeeds, the rest CONFLICT", async () => {
    const id = await newGroup("Racing clients");
    try {
      const adds = await Promise.all([addClient(id, MAPLE), addClient(id, MAPLE), addClient(id, MAPLE)]);
      expect(adds.map((r) => (r.errors ? code(r) : "ok")).sort()).toEqual(["CONFLICT", "CONFLICT", "ok"]);
      // Setting an assignment is idempotent when requests follow each other (the later one updates the
      // row); when they truly overlap, the loser is CONFLICT. Never a 500, never two rows.
      const assigns = await Promise.all([assign(id, frankId, "READER"), assign(id, frankId, "READER"), assign(id, frankId, "READER")]);
      for (const r of assigns) expect(r.errors ? code(r) : "ok").toMatch(/^(ok|CONFLICT)$/);
      expect(assigns.some((r) => !r.errors)).toBe(true);
      const [{ n }] = await server.db.query(`SELECT count(*)::int AS n FROM client_group_assignments WHERE group_id = $1`, [decodeId(id)]);
      expect(n).toBe(1);
    } finally {
      // The group gives frank Maple Leaf as READER: it must not outlive this test.
      expect((await remove(id)).errors).toBeUndefined();
    }
  });
});

describe("who manages groups: the provider's BAM only", { shuffle: false }, () => {
  it("frank (employee, assigned to Ontario manufacturers) gets FORBIDDEN on every mutation of that group", async () => {
    const results = {
      rename: await rename(ontarioId, "Frank's group", "frank"),
      delete: await remove(ontarioId, "frank"),
      add: await addClient(ontarioId, PRAIRIE, "frank"),
      remove: await removeClient(ontarioId, MAPLE, "frank"),
      assign: await assign(ontarioId, frankId, "READER", "frank"),
    };
    for (const [name, res] of Object.entries(results)) {
      expect(code(res), name).toBe("FORBIDDEN");
      expect(res.data, name).toBeNull();
    }
    // Nothing changed.
    expect((await northernGroups())["Ontario manufacturers"]).toBe(ontarioId);
    const [row] = await server.db.query(
      `SELECT g.name, g.deleted_at, (SELECT count(*)::int FROM client_group_clients c WHERE c.group_id = g.id) AS clients,
              (SELECT a.role FROM client_group_assignments a JOIN users u ON u.id = a.user_id WHERE a.group_id = g.id AND u.username = 'frank') AS frank_role
         FROM client_groups g WHERE g.name = 'Ontario manufacturers'`,
    );
    expect(row).toMatchObject({ name: "Ontario manufacturers", deleted_at: null, clients: 1, frank_role: "EDITOR" });
  });

  it("frank gets NOT_FOUND for a group he is not assigned to, and FORBIDDEN creating one", async () => {
    expect(code(await rename(prairieClientsId, "Mine now", "frank"))).toBe("NOT_FOUND");
    expect(code(await remove(prairieClientsId, "frank"))).toBe("NOT_FOUND");
    expect(code(await addClient(prairieClientsId, MAPLE, "frank"))).toBe("NOT_FOUND");
    expect(code(await assign(prairieClientsId, frankId, "EDITOR", "frank"))).toBe("NOT_FOUND");
    expect(code(await create("Frank's own group", "frank"))).toBe("FORBIDDEN");
  });

  it("alice and ivan (BAMs of importers, not providers) get FORBIDDEN creating a group, NOT_FOUND on Northern's", async () => {
    for (const who of ["alice", "ivan"] as const) {
      const res = await create(`Group of ${who}`, who);
      expect(code(res), who).toBe("FORBIDDEN");
      expect(res.data).toBeNull();
      expect(code(await rename(ontarioId, `Renamed by ${who}`, who)), who).toBe("NOT_FOUND");
    }
    const [{ n }] = await server.db.query(`SELECT count(*)::int AS n FROM client_groups WHERE name LIKE 'Group of %' OR name LIKE 'Renamed by %'`);
    expect(n).toBe(0);
  });

  it("a bogus group id, or another type's id, is BAD_USER_INPUT on field groupId", async () => {
    for (const bogus of ["nope", Buffer.from("ClientGroup:not-a-uuid").toString("base64url"), frankId]) {
      for (const res of [await rename(bogus, "Whatever"), await remove(bogus), await addClient(bogus, MAPLE), await assign(bogus, frankId, "READER")]) {
        expect(code(res), bogus).toBe("BAD_USER_INPUT");
        expect(field(res)).toBe("groupId");
      }
    }
  });

  it("anonymous callers are UNAUTHENTICATED", async () => {
    const res = await server.gql(CREATE, { variables: { name: "Anonymous group" } });
    expect(code(res)).toBe("UNAUTHENTICATED");
    expect(code(await server.gql(DELETE, { variables: { id: ontarioId } }))).toBe("UNAUTHENTICATED");
  });
});

describe("clients of a group", { shuffle: false }, () => {
  it("adds a client with an active relationship; NOT_FOUND without one; CONFLICT when already there", async () => {
    const id = await newGroup("Windows and doors");
    const added = await addClient(id, MAPLE);
    expect(added.errors).toBeUndefined();
    expect(added.data!.addClientToGroup.clients.edges.map((e: any) => e.node.bn9)).toEqual([MAPLE]);

    const laurentian = await addClient(id, DEMO_BN.laurentian);
    expect(code(laurentian)).toBe("NOT_FOUND");
    // Old Border is a provider Northern has no relationship with: NOT_FOUND as well.
    expect(code(await addClient(id, DEMO_BN.oldBorder))).toBe("NOT_FOUND");

    const twice = await addClient(id, MAPLE);
    expect(code(twice)).toBe("CONFLICT");

    const badBn = await addClient(id, "123456789");
    expect(code(badBn)).toBe("BAD_USER_INPUT");
    expect(field(badBn)).toBe("clientBn9");

    const [{ n }] = await server.db.query(
      `SELECT count(*)::int AS n FROM client_group_clients gc JOIN client_groups g ON g.id = gc.group_id WHERE g.name = 'Windows and doors'`,
    );
    expect(n).toBe(1);
  });

  it("removes a client; removing it again is NOT_FOUND", async () => {
    const id = await newGroup("Short-lived clients");
    expect((await addClient(id, MAPLE)).errors).toBeUndefined();
    expect((await addClient(id, PRAIRIE)).errors).toBeUndefined();
    const removed = await removeClient(id, MAPLE);
    expect(removed.errors).toBeUndefined();
    expect(removed.data!.removeClientFromGroup.clients.edges.map((e: any) => e.node.bn9)).toEqual([PRAIRIE]);
    const again = await removeClient(id, MAPLE);
    expect(code(again)).toBe("NOT_FOUND");
    // Never in the group at all: NOT_FOUND too.
    expect(code(await removeClient(id, DEMO_BN.laurentian))).toBe("NOT_FOUND");
  });
});

describe("effect on an employee's access, from the next request", { shuffle: false }, () => {
  const prairieAccount = () =>
    server.gql(`query ($b: String!) { programAccount(bn15: $b) { bn15 myRole transactions(first: 100) { totalCount } } }`, {
      as: "frank",
      variables: { b: PRAIRIE_RM1 },
    });
  const frankTransactions = async () => {
    const res = await server.gql(`{ transactions(first: 100) { totalCount edges { node { programAccount { bn15 } } } } }`, { as: "frank" });
    expect(res.errors).toBeUndefined();
    const counts: Record<string, number> = {};
    for (const e of res.data!.transactions.edges) counts[e.node.programAccount.bn15.slice(0, 9)] = (counts[e.node.programAccount.bn15.slice(0, 9)] ?? 0) + 1;
    return counts;
  };

  it("assigned as EDITOR to a group holding Prairie Imports, frank sees Prairie RM0001 as READER (the relationship's role)", async () => {
    expect(code(await prairieAccount())).toBe("NOT_FOUND");
    expect(await frankTransactions()).toEqual({ [MAPLE]: 16 });

    const id = await newGroup("Frank's prairie");
    expect((await addClient(id, PRAIRIE)).errors).toBeUndefined();
    const assigned = await assign(id, frankId, "EDITOR");
    expect(assigned.errors).toBeUndefined();
    expect(assigned.data!.setClientGroupAssignment.assignments.edges).toEqual([{ node: { role: "EDITOR", user: { username: "frank" } } }]);

    const pa = await prairieAccount();
    expect(pa.errors).toBeUndefined();
    // Relationship Reader, assignment Editor: the lesser, Reader. The relationship sees all of Prairie's 14.
    expect(pa.data!.programAccount).toEqual({ bn15: PRAIRIE_RM1, myRole: "READER", transactions: { totalCount: 14 } });
    expect(await frankTransactions()).toEqual({ [MAPLE]: 16, [PRAIRIE]: 14 });

    // Taking the client out of the group takes the access away; putting it back restores it.
    expect((await removeClient(id, PRAIRIE)).errors).toBeUndefined();
    expect(code(await prairieAccount())).toBe("NOT_FOUND");
    expect((await addClient(id, PRAIRIE)).errors).toBeUndefined();
    expect((await prairieAccount()).data?.programAccount?.myRole).toBe("READER");

    // Deleting the group removes access through it.
    expect((await remove(id)).errors).toBeUndefined();
    expect(code(await prairieAccount())).toBe("NOT_FOUND");
    expect(await frankTransactions()).toEqual({ [MAPLE]: 16 });
    const groups = await server.gql(`query ($b: String!) { business(bn9: $b) { clientGroups { edges { node { name } } } } }`, {
      as: "frank",
      variables: { b: NORTHERN },
    });
    expect(groups.data!.business.clientGroups.edges.map((e: any) => e.node.name)).toEqual(["Ontario manufacturers"]);
  });

  it("an assignment as READER on a relationship of Editor gives READER; changing it to EDITOR gives EDITOR", async () => {
    const role = async () =>
      (await server.gql(`{ programAccount(bn15: "${MAPLE}RM0001") { myRole } }`, { as: "frank" })).data?.programAccount?.myRole ?? null;
    try {
      expect(await role()).toBe("EDITOR");
      expect((await assign(ontarioId, frankId, "READER")).errors).toBeUndefined();
      expect(await role()).toBe("READER");
    } finally {
      expect((await assign(ontarioId, frankId, "EDITOR")).errors).toBeUndefined();
    }
    expect(await role()).toBe("EDITOR");
  });

  it("removing frank's assignment from Ontario manufacturers (role: null) makes Maple Leaf disappear for him", async () => {
    const mapleBusiness = () => server.gql(`query ($b: String!) { business(bn9: $b) { legalName } }`, { as: "frank", variables: { b: MAPLE } });
    expect((await mapleBusiness()).data?.business?.legalName).toBe("Maple Leaf Windows & Doors Inc.");
    try {
      const removed = await assign(ontarioId, frankId, null);
      expect(removed.errors).toBeUndefined();
      expect(removed.data!.setClientGroupAssignment.assignments.edges).toEqual([]);

      const gone = await mapleBusiness();
      expect(code(gone)).toBe("NOT_FOUND");
      expect(await frankTransactions()).toEqual({});
      // No assignment left to remove.
      expect(code(await assign(ontarioId, frankId, null))).toBe("NOT_FOUND");
      // And the group itself is now out of frank's reach.
      expect(code(await rename(ontarioId, "Frank was here", "frank"))).toBe("NOT_FOUND");
    } finally {
      expect((await assign(ontarioId, frankId, "EDITOR")).errors).toBeUndefined();
    }
    expect((await mapleBusiness()).data?.business?.legalName).toBe("Maple Leaf Windows & Doors Inc.");
  });

  it("erin cannot assign herself (FORBIDDEN); a non-employee of Northern (alice) is NOT_FOUND", async () => {
    const erinId = await userId("erin");
    const self = await assign(ontarioId, erinId, "READER");
    expect(code(self)).toBe("FORBIDDEN");
    const outsider = await assign(ontarioId, aliceId, "EDITOR");
    expect(code(outsider)).toBe("NOT_FOUND");
    const bogusUser = await assign(ontarioId, "nope", "EDITOR");
    expect(code(bogusUser)).toBe("BAD_USER_INPUT");
    expect(field(bogusUser)).toBe("userId");
    const [{ n }] = await server.db.query(
      `SELECT count(*)::int AS n FROM client_group_assignments a JOIN client_groups g ON g.id = a.group_id WHERE g.name = 'Ontario manufacturers'`,
    );
    expect(n).toBe(1);
  });
});

describe("audit trail of group changes", { shuffle: false }, () => {
  const AUDIT = `query ($b: String!, $action: String) { business(bn9: $b) { auditEvents(action: $action, first: 100) { totalCount
    edges { node { action targetId actor { username } before after } } } } }`;
  const events = async (action: string, as: Persona = "erin") => server.gql(AUDIT, { as, variables: { b: NORTHERN, action } });
  const forGroup = async (action: string, groupId: string) => {
    const res = await events(action);
    expect(res.errors).toBeUndefined();
    return res.data!.business.auditEvents.edges.map((e: any) => e.node).filter((n: any) => n.targetId === groupId);
  };

  it("every change is recorded with actor erin and its before/after; failed attempts write nothing", async () => {
    const id = await newGroup("Audited group");
    expect(code(await create("audited GROUP"))).toBe("CONFLICT");
    expect((await rename(id, "Audited group 2")).errors).toBeUndefined();
    expect((await addClient(id, MAPLE)).errors).toBeUndefined();
    expect(code(await addClient(id, MAPLE))).toBe("CONFLICT");
    expect((await assign(id, frankId, "READER")).errors).toBeUndefined();
    expect((await assign(id, frankId, "EDITOR")).errors).toBeUndefined();
    expect((await removeClient(id, MAPLE)).errors).toBeUndefined();
    expect((await remove(id)).errors).toBeUndefined();

    expect(await forGroup("client_group.created", id)).toEqual([
      { action: "client_group.created", targetId: id, actor: { username: "erin" }, before: null, after: { name: "Audited group" } },
    ]);
    expect(await forGroup("client_group.renamed", id)).toEqual([
      { action: "client_group.renamed", targetId: id, actor: { username: "erin" }, before: { name: "Audited group" }, after: { name: "Audited group 2" } },
    ]);
    expect(await forGroup("client_group.client_added", id)).toEqual([
      { action: "client_group.client_added", targetId: id, actor: { username: "erin" }, before: null, after: { client: MAPLE } },
    ]);
    expect(await forGroup("client_group.client_removed", id)).toEqual([
      { action: "client_group.client_removed", targetId: id, actor: { username: "erin" }, before: { client: MAPLE }, after: null },
    ]);
    const frankUuid = decodeId(frankId);
    // Newest first.
    expect(await forGroup("client_group.assignment_changed", id)).toEqual([
      { action: "client_group.assignment_changed", targetId: id, actor: { username: "erin" }, before: { userId: frankUuid, role: "READER" }, after: { userId: frankUuid, role: "EDITOR" } },
      { action: "client_group.assignment_changed", targetId: id, actor: { username: "erin" }, before: { userId: frankUuid, role: null }, after: { userId: frankUuid, role: "READER" } },
    ]);
    expect(await forGroup("client_group.deleted", id)).toEqual([
      { action: "client_group.deleted", targetId: id, actor: { username: "erin" }, before: { name: "Audited group 2" }, after: null },
    ]);
  });

  it("created groups are all in erin's trail, with actor erin and their name; a refused duplicate writes nothing", async () => {
    await newGroup("Trail check A");
    await newGroup("Trail check B");
    expect(code(await create("  trail CHECK a "))).toBe("CONFLICT");
    const res = await events("client_group.created");
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.business.auditEvents.edges.map((e: any) => e.node);
    expect(nodes.length).toBe(res.data!.business.auditEvents.totalCount);
    expect(nodes.every((n: any) => n.action === "client_group.created" && n.actor?.username === "erin")).toBe(true);
    const names = nodes.map((n: any) => n.after.name);
    for (const name of ["Trail check A", "Trail check B"]) expect(names).toContain(name);
    // The seed writes no audit events for its groups; the conflicting attempt wrote none either.
    expect(names.filter((n: string) => n.toLowerCase().replace(/\s+/g, " ").trim() === "trail check a")).toEqual(["Trail check A"]);
    expect(names).not.toContain("Ontario manufacturers");
  });

  it("frank cannot read Northern's audit trail (FORBIDDEN), nor can alice see Northern at all", async () => {
    const frank = await events("client_group.created", "frank");
    expect(code(frank)).toBe("FORBIDDEN");
    expect(frank.errors![0]!.path).toEqual(["business", "auditEvents"]);
    const alice = await events("client_group.created", "alice");
    expect(code(alice)).toBe("NOT_FOUND");
  });
});

describe("notifications: marking read and email preferences", { shuffle: false }, () => {
  const MARK = `mutation ($ids: [ID!]) { markNotificationsRead(input: { ids: $ids }) }`;
  const mark = (as: Persona, ids?: string[]) => server.gql(MARK, { as, variables: ids ? { ids } : {} });
  const unread = async (as: Persona) => {
    const res = await server.gql(`{ viewer { notifications(unreadOnly: true) { totalCount } } }`, { as });
    expect(res.errors).toBeUndefined();
    return res.data!.viewer.notifications.totalCount as number;
  };
  const notifications = async (as: Persona) => {
    const res = await server.gql(`{ viewer { notifications { totalCount edges { node { id kind readAt } } } } }`, { as });
    expect(res.errors).toBeUndefined();
    return res.data!.viewer.notifications.edges.map((e: any) => e.node) as { id: string; kind: string; readAt: string | null }[];
  };

  it("marks one of your own, never someone else's, then all of yours", async () => {
    const alices = await notifications("alice");
    expect(alices).toHaveLength(2);
    expect(alices.every((n) => n.readAt === null)).toBe(true);
    expect(await unread("alice")).toBe(2);
    const [erins] = await notifications("erin");
    expect(erins!.readAt).toBeNull();

    const one = await mark("alice", [alices[0]!.id]);
    expect(one.errors).toBeUndefined();
    expect(one.data!.markNotificationsRead).toBe(1);
    expect(await unread("alice")).toBe(1);
    const after = await notifications("alice");
    expect(after.find((n) => n.id === alices[0]!.id)!.readAt).not.toBeNull();
    expect(after.find((n) => n.id === alices[1]!.id)!.readAt).toBeNull();

    // An empty list is not "omitted": it marks nothing.
    expect((await mark("alice", [])).data!.markNotificationsRead).toBe(0);
    expect(await unread("alice")).toBe(1);

    // Already read: nothing changes.
    expect((await mark("alice", [alices[0]!.id])).data!.markNotificationsRead).toBe(0);

    // erin's notification, as alice: silently not hers; erin's stays unread.
    const foreign = await mark("alice", [erins!.id]);
    expect(foreign.errors).toBeUndefined();
    expect(foreign.data!.markNotificationsRead).toBe(0);
    expect(await unread("erin")).toBe(1);
    expect(await unread("alice")).toBe(1);

    // No ids: all of alice's (and only hers).
    const all = await mark("alice");
    expect(all.data!.markNotificationsRead).toBe(1);
    expect(await unread("alice")).toBe(0);
    expect(await unread("erin")).toBe(1);
    expect((await mark("alice")).data!.markNotificationsRead).toBe(0);
  });

  it("a malformed id is BAD_USER_INPUT naming its position; anonymous is UNAUTHENTICATED", async () => {
    const res = await mark("erin", ["nope"]);
    expect(code(res)).toBe("BAD_USER_INPUT");
    expect(field(res)).toBe("ids[0]");
    expect(await unread("erin")).toBe(1);
    expect(code(await server.gql(MARK, { variables: {} }))).toBe("UNAUTHENTICATED");
  });

  const PREFS = `mutation ($input: [NotificationPreferenceInput!]!) { setNotificationPreferences(input: $input) { kind email } }`;
  const KINDS = [
    "ACCESS_REQUESTED", "ADJUSTMENT_DECIDED", "PAYMENT_RECEIVED", "PENALTY_ASSESSED", "PENALTY_DISPUTE_DECIDED", "REFUND_DECIDED", "RELATIONSHIP_CHANGED",
    "RELATIONSHIP_ENDED", "RELATIONSHIP_EXPIRING", "REQUEST_DECIDED", "RULING_ASSIGNED", "RULING_DECIDED", "RULING_WITHDRAWN", "STATEMENT_ISSUED",
  ];
  const byKind = (list: { kind: string; email: boolean }[]) => Object.fromEntries(list.map((p) => [p.kind, p.email]));
  const viewerPrefs = async (as: Persona) => {
    const res = await server.gql(`{ viewer { notificationPreferences { kind email } } }`, { as });
    expect(res.errors).toBeUndefined();
    return res.data!.viewer.notificationPreferences as { kind: string; email: boolean }[];
  };

  it("setting one kind returns every kind with only that one by email; the viewer agrees", async () => {
    const res = await server.gql(PREFS, { as: "alice", variables: { input: [{ kind: "STATEMENT_ISSUED", email: true }] } });
    expect(res.errors).toBeUndefined();
    const returned = res.data!.setNotificationPreferences as { kind: string; email: boolean }[];
    expect(returned.map((p) => p.kind).sort()).toEqual(KINDS);
    expect(byKind(returned)).toEqual({
      ACCESS_REQUESTED: false,
      ADJUSTMENT_DECIDED: false,
      PAYMENT_RECEIVED: false,
      PENALTY_ASSESSED: false,
      PENALTY_DISPUTE_DECIDED: false,
      REFUND_DECIDED: false,
      RELATIONSHIP_CHANGED: false,
      RELATIONSHIP_ENDED: false,
      RELATIONSHIP_EXPIRING: false,
      REQUEST_DECIDED: false,
      RULING_ASSIGNED: false,
      RULING_DECIDED: false,
      RULING_WITHDRAWN: false,
      STATEMENT_ISSUED: true,
    });
    const stored = await viewerPrefs("alice");
    expect(stored.map((p) => p.kind).sort()).toEqual(KINDS);
    expect(byKind(stored)).toEqual(byKind(returned));

    // Someone else's preferences are untouched.
    expect(Object.values(byKind(await viewerPrefs("bob"))).every((e) => e === false)).toBe(true);

    // Turning it off again, and another on, in one call.
    const again = await server.gql(PREFS, {
      as: "alice",
      variables: { input: [{ kind: "STATEMENT_ISSUED", email: false }, { kind: "PAYMENT_RECEIVED", email: true }] },
    });
    expect(again.errors).toBeUndefined();
    expect(byKind(again.data!.setNotificationPreferences)).toMatchObject({ STATEMENT_ISSUED: false, PAYMENT_RECEIVED: true });
    expect(byKind(await viewerPrefs("alice"))).toEqual(byKind(again.data!.setNotificationPreferences));
  });

  it("anonymous callers are UNAUTHENTICATED", async () => {
    const res = await server.gql(PREFS, { variables: { input: [{ kind: "STATEMENT_ISSUED", email: true }] } });
    expect(code(res)).toBe("UNAUTHENTICATED");
    const viewer = await server.gql(`{ viewer { notificationPreferences { kind email } } }`);
    expect(code(viewer)).toBe("UNAUTHENTICATED");
  });
});

describe("names a person can read and tell apart", () => {
  it("a name of invisible characters only, or with a bidirectional control, is BAD_USER_INPUT naming it; nothing is created", async () => {
    const before = await server.db.query(`SELECT count(*)::int AS n FROM client_groups`);
    for (const [name, message] of [
      ["\u200B\u200B\u200B", "name has no visible character: use letters or digits."],
      ["\u3164", "name has no visible character: use letters or digits."],
      ["Clients \u202Etropmi", "name contains a bidirectional control character (such as a right-to-left override), which makes text read otherwise than it is written."],
    ]) {
      const res = await create(name!);
      expect(res.errors?.[0], JSON.stringify(name)).toMatchObject({ message, extensions: { code: "BAD_USER_INPUT", field: "name" } });
    }
    expect(await server.db.query(`SELECT count(*)::int AS n FROM client_groups`)).toEqual(before);
  });

  it("a look-alike of an existing name (Cyrillic letters, digits for letters, zero-width spaces) is CONFLICT naming the group it looks like", async () => {
    const id = await newGroup("Yukon importers");
    for (const name of ["Yuk\u043En imp\u043Erters", "Yukon imp0rters", "Yukon\u200B importers", "\uFF39ukon importers"]) {
      const res = await create(name);
      expect(res.errors?.[0], JSON.stringify(name)).toMatchObject({
        message: `"${name.normalize("NFC")}" looks like the existing group name "Yukon importers" (or one that existed); choose another name.`,
        extensions: { code: "CONFLICT", field: "name" },
      });
    }
    // Renaming another group to a look-alike is refused the same way; a group keeps its own look.
    const other = await newGroup("Nunavut importers");
    expect(code(await rename(other, "Yuk\u043En importers"))).toBe("CONFLICT");
    expect((await rename(id, "YUKON Importers")).errors).toBeUndefined();
  });
});

