/**
 * A first sign-in: a person with a valid token and no profile creates one, and is then an Orphan
 * user who can ask an employer for access. Usernames are unique; input is checked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { loadDevIssuer } from "../src/auth/identity.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
let token: (subject: string) => Promise<string>;
beforeAll(async () => {
  server = await startTestServer();
  const issuer = await loadDevIssuer(inject("dataDir"));
  token = (subject) => issuer.sign(subject);
});
afterAll(() => server?.stop());

const CREATE = `mutation ($input: CreateProfileInput!) { createProfile(input: $input) { username displayName email } }`;
const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? "ok";

// A first sign-in, step by step (input refused, profile created, then a second one refused): the
// steps keep their order even when tests are shuffled.
describe("createProfile", { shuffle: false }, () => {
  it("checks its input, naming the field", async () => {
    const t = await token("demo|newcomer");
    const bad = async (input: object, field: string) =>
      expect((await server.gql(CREATE, { token: t, variables: { input } })).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    await bad({ username: "No Spaces", displayName: "N", email: "n@example.com" }, "username");
    await bad({ username: "newcomer", displayName: "  ", email: "n@example.com" }, "displayName");
    // A name others read in lists and notifications: nothing invisible only, nothing that reverses text.
    await bad({ username: "newcomer", displayName: "\u200B\u200B", email: "n@example.com" }, "displayName");
    await bad({ username: "newcomer", displayName: "Nadia \u202Enidah", email: "n@example.com" }, "displayName");
    await bad({ username: "newcomer", displayName: "N", email: "not-an-email" }, "email");
    expect(code(await server.gql(CREATE, { token: t, variables: { input: { username: "alice", displayName: "N", email: "n@example.com" } } }))).toBe("CONFLICT");
  });

  it("creates the profile; the newcomer is an Orphan who can ask an employer for access", async () => {
    const t = await token("demo|newcomer");
    const res = await server.gql(CREATE, { token: t, variables: { input: { username: "nadia", displayName: "Nadia Haddad", email: "nadia@example.com" } } });
    expect(res.data!.createProfile).toEqual({ username: "nadia", displayName: "Nadia Haddad", email: "nadia@example.com" });
    const me = await server.gql(`{ viewer { user { username } needsProfile roles } }`, { token: t });
    expect(me.data).toEqual({ viewer: { user: { username: "nadia" }, needsProfile: false, roles: ["ORPHAN"] } });
    const ask = await server.gql(`mutation { requestEmployeeAccess(input: { bn9: "123456782", note: "I need access to make corrections and adjustments" }) { status } }`, { token: t });
    expect(ask.data!.requestEmployeeAccess.status).toBe("PENDING");
  });

  it("a second profile for the same sign-in is a CONFLICT; anonymous callers are UNAUTHENTICATED", async () => {
    const again = await server.gql(CREATE, { token: await token("demo|newcomer"), variables: { input: { username: "nadia2", displayName: "N", email: "n@example.com" } } });
    expect(code(again)).toBe("CONFLICT");
    const anon = await server.gql(CREATE, { variables: { input: { username: "ghost", displayName: "G", email: "g@example.com" } } });
    expect(code(anon)).toBe("UNAUTHENTICATED");
  });

  it("two first sign-ins racing for one username: one gets it, the other a CONFLICT naming the field", async () => {
    const [a, b] = await Promise.all(
      ["demo|racer-a", "demo|racer-b"].map(async (s) => server.gql(CREATE, { token: await token(s), variables: { input: { username: "racer", displayName: "R", email: "r@example.com" } } })),
    );
    expect([code(a!), code(b!)].sort()).toEqual(["CONFLICT", "ok"]);
  });
});
