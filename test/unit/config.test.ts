// Guards when the development token issuer is on: never in production, never beside a real issuer, off on request.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";

describe("loadConfig", () => {
  it("turns the development issuer on by default in development and test", () => {
    expect(loadConfig({}).auth.devIssuer).toBe(true);
    expect(loadConfig({ NODE_ENV: "test" }).auth.devIssuer).toBe(true);
  });

  it("turns it off with DEV_ISSUER=off, or when a real issuer is configured", () => {
    expect(loadConfig({ DEV_ISSUER: "off" }).auth.devIssuer).toBe(false);
    const real = loadConfig({ AUTH_ISSUER: "https://idp.example", AUTH_JWKS_URL: "https://idp.example/jwks" });
    expect(real.auth).toMatchObject({ devIssuer: false, issuer: "https://idp.example", jwksUrl: "https://idp.example/jwks" });
  });

  it("refuses production without a real issuer, and a key without its issuer", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/real token issuer is required/);
    expect(() => loadConfig({ AUTH_JWKS_URL: "https://idp.example/jwks" })).toThrow(/AUTH_ISSUER is required/);
    const prod = loadConfig({ NODE_ENV: "production", AUTH_ISSUER: "https://idp.example", AUTH_PUBLIC_KEY: "-----BEGIN PUBLIC KEY-----\\nx\\n-----END PUBLIC KEY-----" });
    expect(prod).toMatchObject({ seedDemo: false, exposeSqlCount: false });
    expect(prod.auth.publicKeyPem).toContain("\nx\n");
  });

  it("rejects a port that is not a number with a message naming the variable", () => {
    expect(() => loadConfig({ PORT: "http" })).toThrow(/PORT must be a non-negative integer/);
  });
});
