/**
 * A real identity provider: tokens are verified against its published key set (JWKS), for its issuer
 * and audience; the development issuer and its persona tokens are then off entirely.
 */
import http from "node:http";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
let jwks: http.Server;
let sign: (claims: { sub: string; iss?: string; aud?: string; exp?: string }) => Promise<string>;
/** Any claims at all, signed by the issuer's own key (what a misbehaving or compromised issuer could sign). */
let signClaims: (claims: Record<string, unknown>) => Promise<string>;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "idp-1", alg: "RS256", use: "sig" };
  jwks = http.createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => jwks.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(jwks.address() as { port: number }).port}/.well-known/jwks.json`;
  signClaims = (claims) =>
    new SignJWT({ iss: "https://idp.example", aud: "carm-portal", ...claims }).setProtectedHeader({ alg: "RS256", kid: "idp-1" }).sign(privateKey);
  sign = ({ sub, iss = "https://idp.example", aud = "carm-portal", exp = "5m" }) =>
    new SignJWT({}).setProtectedHeader({ alg: "RS256", kid: "idp-1" }).setSubject(sub).setIssuer(iss).setAudience(aud).setIssuedAt().setExpirationTime(exp).sign(privateKey);
  server = await startTestServer({ AUTH_ISSUER: "https://idp.example", AUTH_AUDIENCE: "carm-portal", AUTH_JWKS_URL: url });
});
afterAll(async () => {
  await server?.stop();
  jwks?.close();
});

const VIEWER = `{ viewer { user { username } } }`;

describe("with a real issuer (JWKS)", () => {
  it("accepts its tokens and maps the subject to the profile", async () => {
    const res = await server.gql(VIEWER, { token: await sign({ sub: "demo|alice" }) });
    expect(res.data).toEqual({ viewer: { user: { username: "alice" } } });
  });

  it("refuses another issuer, another audience, and expired tokens", async () => {
    for (const token of [
      await sign({ sub: "demo|alice", iss: "https://evil.example" }),
      await sign({ sub: "demo|alice", aud: "someone-else" }),
      await sign({ sub: "demo|alice", exp: "-2m" }),
    ]) {
      const res = await server.gql(VIEWER, { token });
      expect(res.status).toBe(401);
      expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
  });

  it("takes on trust only the exact token it verified before: the same token with another signature is refused", async () => {
    const token = await sign({ sub: "demo|alice" });
    expect((await server.gql(VIEWER, { token })).data).toEqual({ viewer: { user: { username: "alice" } } });
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const flipped = signature.slice(0, 10) + (signature[10] === "A" ? "B" : "A") + signature.slice(11);
    // The same claims signed by another key (a forger's): refused although the claims were verified a moment ago.
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT(JSON.parse(Buffer.from(payload, "base64url").toString()))
      .setProtectedHeader({ alg: "RS256", kid: "idp-1" })
      .sign(privateKey);
    for (const bad of [`${header}.${payload}.${flipped}`, forged]) {
      const res = await server.gql(VIEWER, { token: bad });
      expect(res.status).toBe(401);
      expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
    expect((await server.gql(VIEWER, { token })).data).toEqual({ viewer: { user: { username: "alice" } } });
  });

  it("turns the development issuer off: its tokens fail and /dev/personas is gone", async () => {
    const res = await server.gql(VIEWER, { as: "alice" });
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await fetch(`${server.url}/dev/personas`)).status).toBe(404);
  });
});

describe("tokens the issuer signed but this API cannot honour: 401 with a plain message", () => {
  const now = () => Math.floor(Date.now() / 1000);
  const refused = (reason: string) => `The bearer token ${reason}: sign in again to get a new one.`;

  it.each([
    ["an empty subject", { sub: "" }, "has an empty subject (sub)"],
    ["a subject of spaces", { sub: "   " }, "has an empty subject (sub)"],
    ["a subject with NUL", { sub: "demo|al\u0000ice" }, "has a subject (sub) with characters that are not printable"],
    ["a subject with a right-to-left override", { sub: "demo|\u202Ealice" }, "has a subject (sub) with characters that are not printable"],
    ["a numeric subject", { sub: 12345 }, "has no subject (sub) that is a string"],
    ["a subject of 10,000 characters", { sub: "x".repeat(10_000) }, "has a subject (sub) longer than 255 characters"],
    ["issued an hour in the future", { sub: "demo|alice", iat: now() + 3600 }, "was issued in the future (iat)"],
    ["a lifetime of 30 days", { sub: "demo|alice", iat: now(), exp: now() + 30 * 86400 }, "lives longer than 24 hours, the longest this API accepts"],
    ["a lifetime of 30 days, without iat", { sub: "demo|alice", iat: undefined, exp: now() + 30 * 86400 }, "lives longer than 24 hours, the longest this API accepts"],
  ])("%s", async (_what, claims, reason) => {
    const token = await signClaims({ iat: now(), exp: now() + 300, ...claims });
    const res = await server.gql(VIEWER, { token });
    expect(res.status).toBe(401);
    expect(res.errors).toEqual([{ message: refused(reason), extensions: { code: "UNAUTHENTICATED" } }]);
  });

  it("within the leeway and the lifetime, the same person is served", async () => {
    for (const claims of [{ iat: now() + 10, exp: now() + 300 }, { iat: now(), exp: now() + 23 * 3600 }]) {
      const res = await server.gql(VIEWER, { token: await signClaims({ sub: "demo|alice", ...claims }) });
      expect(res.data).toEqual({ viewer: { user: { username: "alice" } } });
    }
  });
});
