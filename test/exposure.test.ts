/**
 * What the server gives away: a token that never expires is refused (it could not be revoked by
 * waiting); development tokens for the demo personas go only to clients on this machine unless
 * DEV_ISSUER_REMOTE=on, since they are anyone's identity for the asking.
 */
import fs from "node:fs";
import path from "node:path";
import type { Socket } from "node:net";
import type { Request } from "express";
import { importJWK, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { fromLoopback } from "../src/http/dev.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe("bearer tokens", () => {
  it("a token without exp, signed by the right key, is UNAUTHENTICATED saying so", async () => {
    const { privateJwk } = JSON.parse(fs.readFileSync(path.join(inject("dataDir"), "dev-issuer-key.json"), "utf8")) as { privateJwk: JWK };
    const key = await importJWK(privateJwk, "ES256");
    const forever = await new SignJWT({}).setProtectedHeader({ alg: "ES256", kid: privateJwk.kid }).setSubject("demo|alice")
      .setIssuer("carm-portal-api-dev").setAudience("carm-portal-api").setIssuedAt().sign(key);
    const res = await server.gql(`{ viewer { user { username } } }`, { token: forever });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(res.errors?.[0]?.message).toMatch(/no expiry/);
    // The same key with an expiry is fine: it is the missing claim that is refused.
    const bounded = await new SignJWT({}).setProtectedHeader({ alg: "ES256", kid: privateJwk.kid }).setSubject("demo|alice")
      .setIssuer("carm-portal-api-dev").setAudience("carm-portal-api").setExpirationTime("5m").sign(key);
    expect((await server.gql(`{ viewer { user { username } } }`, { token: bounded })).data).toEqual({ viewer: { user: { username: "alice" } } });
  });
});

describe("/dev/personas", () => {
  it("answers a loopback client", async () => {
    expect((await fetch(`${server.url}/dev/personas`)).status).toBe(200);
  });

  it("refuses a request relayed by a proxy (it comes from elsewhere), with a JSON FORBIDDEN", async () => {
    for (const headers of [{ "x-forwarded-for": "203.0.113.7" }, { forwarded: "for=203.0.113.7" }] as Record<string, string>[]) {
      const res = await fetch(`${server.url}/dev/personas`, { headers });
      expect(res.status).toBe(403);
      const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe("FORBIDDEN");
      expect(body.errors[0]!.message).toMatch(/DEV_ISSUER_REMOTE/);
      expect(JSON.stringify(body)).not.toMatch(/"token"|eyJ/);
    }
  });

  it("tells loopback from other addresses", () => {
    const req = (remoteAddress: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress } as Socket, headers }) as unknown as Request;
    expect(fromLoopback(req("127.0.0.1"))).toBe(true);
    expect(fromLoopback(req("::1"))).toBe(true);
    expect(fromLoopback(req("::ffff:127.0.0.1"))).toBe(true);
    expect(fromLoopback(req("10.0.0.5"))).toBe(false);
    expect(fromLoopback(req("::ffff:192.0.2.1"))).toBe(false);
    expect(fromLoopback(req("127.0.0.1", { "x-forwarded-for": "192.0.2.1" }))).toBe(false);
  });

  it("answers relayed requests too with DEV_ISSUER_REMOTE=on (a shared demo server)", async () => {
    const open = await startTestServer({ DEV_ISSUER_REMOTE: "on" });
    try {
      expect((await fetch(`${open.url}/dev/personas`, { headers: { "x-forwarded-for": "203.0.113.7" } })).status).toBe(200);
    } finally {
      await open.stop();
    }
  });
});
