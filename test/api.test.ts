/**
 * The API as a front-end team meets it, over real HTTP against real PostgreSQL: a signed-in persona
 * reads a business with its program accounts and transactions; bad tokens get UNAUTHENTICATED;
 * bad identifiers get BAD_USER_INPUT; another business's data looks exactly like missing data.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT, generateKeyPair } from "jose";
import { BusinessOverviewDocument, NodeByIdDocument, TransactionByNumberDocument, ViewerDocument } from "./generated/graphql.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const MAPLE = "123456782";

describe("a signed-in persona reads a business", () => {
  it("alice (BAM) reads Maple Leaf with both program accounts and a page of transactions each", async () => {
    const res = await server.gql(BusinessOverviewDocument, { as: "alice", variables: { bn9: MAPLE, txFirst: 5 } });
    expect(res.errors).toBeUndefined();
    const b = res.data!.business;
    expect(b).toMatchObject({ bn9: MAPLE, legalName: "Maple Leaf Windows & Doors Inc.", city: "Mississauga", myRole: "BAM" });
    const accounts = b.programAccounts!.edges.map((e) => e.node);
    expect(accounts.map((a) => a.bn15)).toEqual(["123456782RM0001", "123456782RM0002"]);
    for (const a of accounts) {
      expect(a.myRole).toBe("BAM");
      expect(a.transactions!.edges).toHaveLength(5);
      expect(a.transactions!.totalCount).toBe(14);
      expect(a.transactions!.pageInfo.hasNextPage).toBe(true);
      const dates = a.transactions!.edges.map((e) => e.node.releasedOn);
      expect([...dates].sort().reverse()).toEqual(dates); // newest release first
      for (const e of a.transactions!.edges) expect(e.node.totalDutiesAndTaxes).toMatch(/^\d+\.\d{2}$/);
    }
  });

  it("bob (PAM of RM0001 only) sees one program account of the same business", async () => {
    const res = await server.gql(BusinessOverviewDocument, { as: "bob", variables: { bn9: MAPLE, txFirst: 1 } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.business.myRole).toBe("PAM");
    expect(res.data!.business.programAccounts!.edges.map((e) => [e.node.bn15, e.node.myRole])).toEqual([["123456782RM0001", "PAM"]]);
  });

  it("viewer answers who is signed in, and null for anonymous callers", async () => {
    const me = await server.gql(ViewerDocument, { as: "carol" });
    expect(me.data!.viewer.user).toMatchObject({ username: "carol", email: "carol@mapleleafwd.example" });
    expect(me.data!.viewer.roles).toEqual(["EDITOR"]);
    const anon = await server.gql(ViewerDocument);
    expect(anon.errors).toBeUndefined();
    expect(anon.data!.viewer).toEqual({ user: null, roles: [] });
  });

  it("node(id) fetches again what a list returned, by its opaque id", async () => {
    const b = await server.gql(BusinessOverviewDocument, { as: "alice", variables: { bn9: MAPLE, txFirst: 1 } });
    const id = b.data!.business.id;
    expect(id).not.toContain("-"); // opaque, not the raw uuid
    const res = await server.gql(NodeByIdDocument, { as: "alice", variables: { id } });
    expect(res.data!.node).toMatchObject({ __typename: "Business", bn9: MAPLE, id });
  });
});

describe("authentication", () => {
  it("a garbage bearer token is UNAUTHENTICATED with HTTP 401", async () => {
    const res = await server.gql(ViewerDocument, { token: "not-a-jwt" });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(res.errors?.[0]?.message).toMatch(/sign in again/);
  });

  it("a token signed by another key, or for another audience, or expired, is UNAUTHENTICATED", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT({}).setProtectedHeader({ alg: "ES256" }).setSubject("demo|alice")
      .setIssuer("carm-portal-api-dev").setAudience("carm-portal-api").setExpirationTime("1h").sign(privateKey);
    const refused = await server.gql(ViewerDocument, { token: forged });
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    // Says why, and what to do, without the server's key or issuer.
    expect(refused.errors?.[0]?.message).toBe(
      "The bearer token was signed by another key than this server's development issuer (made for another server or data directory?): get one from this server (npm run token, /dev/personas): sign in again to get a new one.",
    );
    const elsewhere = await new SignJWT({}).setProtectedHeader({ alg: "ES256" }).setSubject("demo|alice")
      .setIssuer("https://elsewhere.example").setAudience("carm-portal-api").setExpirationTime("1h").sign(privateKey);
    expect((await server.gql(ViewerDocument, { token: elsewhere })).errors?.[0]?.message).toMatch(/signed by another key/);

    const alice = await server.token("alice");
    const [h, , s] = alice.split(".");
    const tampered = `${h}.${Buffer.from(JSON.stringify({ sub: "demo|erin", iss: "carm-portal-api-dev", aud: "carm-portal-api", exp: 9999999999 })).toString("base64url")}.${s}`;
    expect((await server.gql(ViewerDocument, { token: tampered })).status).toBe(401);
  });

  it("a valid token whose subject has no profile yet may only create one; everything else is UNAUTHENTICATED with that hint", async () => {
    const { loadDevIssuer } = await import("../src/auth/identity.js");
    const { inject } = await import("vitest");
    const issuer = await loadDevIssuer(inject("dataDir"));
    const stranger = await issuer.sign("demo|nobody");
    const me = await server.gql(`{ viewer { user { username } needsProfile roles } }`, { token: stranger });
    expect(me.data).toEqual({ viewer: { user: null, needsProfile: true, roles: [] } });
    const res = await server.gql(BusinessOverviewDocument, { token: stranger, variables: { bn9: MAPLE } });
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(res.errors?.[0]?.message).toMatch(/createProfile/);
  });

  it("anonymous callers get UNAUTHENTICATED on everything but viewer", async () => {
    const res = await server.gql(BusinessOverviewDocument, { variables: { bn9: MAPLE } });
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("the three ways of not being signed in answer alike: 401 with a Bearer challenge", async () => {
    const { loadDevIssuer } = await import("../src/auth/identity.js");
    const { inject } = await import("vitest");
    const noProfile = await (await loadDevIssuer(inject("dataDir"))).sign("demo|nobody-yet");
    const post = (headers: Record<string, string>, query: string) =>
      fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query }) });
    const cases = { "no token": {}, "a token without a profile": { authorization: `Bearer ${noProfile}` }, "a bad token": { authorization: "Bearer not-a-jwt" } };
    for (const [name, headers] of Object.entries(cases)) {
      const res = await post(headers, `{ business(bn9: "${MAPLE}") { legalName } }`);
      expect(res.status, name).toBe(401);
      expect(res.headers.get("www-authenticate"), name).toMatch(/^Bearer realm="carm-portal-api"/);
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors.map((e) => e.extensions.code), name).toEqual(["UNAUTHENTICATED"]);
    }
    // What anyone may ask still answers 200 without a token.
    expect((await post({}, `{ viewer { roles } }`)).status).toBe(200);
  });
});

describe("clear errors", () => {
  it("an invalid BN9 is BAD_USER_INPUT naming the value and the rule", async () => {
    const res = await server.gql(BusinessOverviewDocument, { as: "alice", variables: { bn9: "123456789" } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "bn9" });
    expect(res.errors?.[0]?.message).toMatch(/123456789.*check digit/);
  });

  it("another business looks exactly like a business that does not exist", async () => {
    const real = (await server.gql(`{ businesses { edges { node { bn9 } } } }`, { as: "ivan" })).data!.businesses.edges[0].node.bn9 as string;
    const otherBusiness = await server.gql(BusinessOverviewDocument, { as: "alice", variables: { bn9: real } });
    const nowhere = await server.gql(BusinessOverviewDocument, { as: "alice", variables: { bn9: "000000000" } });
    expect(otherBusiness.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(nowhere.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(otherBusiness.errors![0]!.message.replace(real, "X")).toBe(nowhere.errors![0]!.message.replace("000000000", "X"));
    expect(otherBusiness.status).toBe(nowhere.status);
  });

  it("a transaction of another business is NOT_FOUND, the same as a number nobody used", async () => {
    const ivanTx = (await server.gql(`{ transactions(first: 1) { edges { node { transactionNumber } } } }`, { as: "ivan" })).data!
      .transactions.edges[0].node.transactionNumber as string;
    const seen = await server.gql(TransactionByNumberDocument, { as: "ivan", variables: { number: ivanTx } });
    expect(seen.data!.transaction.transactionNumber).toBe(ivanTx);
    const hidden = await server.gql(TransactionByNumberDocument, { as: "alice", variables: { number: ivanTx } });
    expect(hidden.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const malformed = await server.gql(TransactionByNumberDocument, { as: "alice", variables: { number: "12" } });
    expect(malformed.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("an unknown node id is BAD_USER_INPUT; a well-formed id of someone else's object is NOT_FOUND", async () => {
    expect((await server.gql(NodeByIdDocument, { as: "alice", variables: { id: "garbage" } })).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const ivanBusiness = (await server.gql(`{ businesses { edges { node { id } } } }`, { as: "ivan" })).data!.businesses.edges[0].node.id as string;
    expect((await server.gql(NodeByIdDocument, { as: "alice", variables: { id: ivanBusiness } })).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("a query nested deeper than the limit is refused before it runs", async () => {
    const deep = `{ viewer { user { id } } business(bn9: "${MAPLE}") { programAccounts { edges { node { business { programAccounts { edges { node { business { programAccounts { edges { node { bn15 } } } } } } } } } } } } }`;
    const res = await server.gql(deep, { as: "alice" });
    expect(res.errors?.[0]?.message).toMatch(/Query depth limit of 12 exceeded/);
  });
});

describe("operations endpoints", () => {
  it("/healthz and /readyz answer", async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: "ok" });
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: "ready" });
  });

  it("/dev/personas hands out tokens for the demo personas (development issuer only)", async () => {
    const body = (await (await fetch(`${server.url}/dev/personas`)).json()) as { personas: { username: string; token: string }[] };
    expect(body.personas.map((p) => p.username)).toEqual(["alice", "bob", "carol", "dave", "erin", "frank", "gina", "ivan", "harry", "olga", "newcomer"]);
    const res = await server.gql(ViewerDocument, { token: body.personas[4]!.token });
    expect(res.data!.viewer.user!.username).toBe("erin");
  });
});
