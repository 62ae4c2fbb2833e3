/**
 * Production mode: an unexpected failure reaches the client as INTERNAL_SERVER_ERROR with a plain
 * message, no stack trace and no database detail; deliberate errors keep their code and message.
 */
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
let aliceToken: string;
beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  server = await startTestServer({
    NODE_ENV: "production",
    AUTH_ISSUER: "https://idp.example",
    AUTH_AUDIENCE: "carm-portal",
    AUTH_PUBLIC_KEY: await exportSPKI(publicKey),
    AUTH_PUBLIC_KEY_ALG: "ES256",
  });
  aliceToken = await new SignJWT({}).setProtectedHeader({ alg: "ES256" }).setSubject("demo|alice").setIssuer("https://idp.example")
    .setAudience("carm-portal").setExpirationTime("5m").sign(privateKey);
});
afterAll(() => server?.stop());

describe("production mode", () => {
  it("masks an unexpected failure: no message internals, no stack trace", async () => {
    // Break the database under the API: the notifications table disappears.
    await server.db.query(`ALTER TABLE notifications RENAME TO notifications_gone`);
    try {
      const res = await server.gql(`{ viewer { notifications { totalCount } } }`, { token: aliceToken });
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]).toMatchObject({ message: "Internal server error.", extensions: { code: "INTERNAL_SERVER_ERROR" } });
      const { path, ...rest } = res.errors![0] as { path?: unknown };
      expect(path).toEqual(["viewer", "notifications"]);
      expect(JSON.stringify(rest)).not.toMatch(/notifications|relation|does not exist|stacktrace|\.ts|\.js/);
    } finally {
      await server.db.query(`ALTER TABLE notifications_gone RENAME TO notifications`);
    }
  });

  it("keeps deliberate errors as they are, and exposes no SQL counts", async () => {
    const res = await server.gql(`{ business(bn9: "123456789") { legalName } }`, { token: aliceToken });
    expect(res.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT", field: "bn9" });
    expect(res.extensions).toBeUndefined();
    expect((await fetch(`${server.url}/dev/personas`)).status).toBe(404);
  });
});
