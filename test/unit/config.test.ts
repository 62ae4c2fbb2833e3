// Guards when the development token issuer is on (never in production, never beside a real issuer, off on request), what
// production advertises, and that a mistyped variable stops the start with a message naming it.
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

  it("names every bad variable, and refuses on/off values it cannot read", () => {
    expect(() => loadConfig({ MAX_QUERY_COST: "lots", GRAPHIQL: "maybe" })).toThrow(/MAX_QUERY_COST must be a non-negative integer.*GRAPHIQL must be "on" or "off"/);
    expect(() => loadConfig({ LOG_LEVEL: "chatty" })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ AUTH_JWKS_URL: "not a url", AUTH_ISSUER: "x" })).toThrow(/AUTH_JWKS_URL must be a URL/);
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/PORT must be a port number/);
  });

  it("turns introspection and GraphiQL off in production unless asked for", () => {
    const real = { NODE_ENV: "production", AUTH_ISSUER: "https://idp.example", AUTH_JWKS_URL: "https://idp.example/jwks" };
    expect(loadConfig(real)).toMatchObject({ introspection: false, graphiql: false });
    expect(loadConfig({ ...real, INTROSPECTION: "on", GRAPHIQL: "on" })).toMatchObject({ introspection: true, graphiql: true });
    expect(loadConfig({})).toMatchObject({ introspection: true, graphiql: true });
    expect(loadConfig({ INTROSPECTION: "off" }).introspection).toBe(false);
  });

  it("reads the operation limits, with defaults", () => {
    expect(loadConfig({}).limits).toEqual({ maxDepth: 12, maxAliases: 15, maxDirectives: 20, maxTokens: 5000, maxCost: 10000 });
    expect(loadConfig({ MAX_QUERY_DEPTH: "8", MAX_QUERY_COST: "500" }).limits).toMatchObject({ maxDepth: 8, maxCost: 500 });
  });

  it("keeps /dev/personas for loopback clients unless DEV_ISSUER_REMOTE=on", () => {
    expect(loadConfig({}).auth.devIssuerRemote).toBe(false);
    expect(loadConfig({ DEV_ISSUER_REMOTE: "on" }).auth.devIssuerRemote).toBe(true);
  });

  it("remembers verified tokens for a minute unless AUTH_VERIFIED_CACHE_SECONDS says otherwise (0: never)", () => {
    expect(loadConfig({}).auth.verifiedCacheSeconds).toBe(60);
    expect(loadConfig({ AUTH_VERIFIED_CACHE_SECONDS: "0" }).auth.verifiedCacheSeconds).toBe(0);
    expect(() => loadConfig({ AUTH_VERIFIED_CACHE_SECONDS: "7200" })).toThrow("AUTH_VERIFIED_CACHE_SECONDS must be at most 3600");
    expect(() => loadConfig({ AUTH_VERIFIED_CACHE_SECONDS: "-1" })).toThrow("AUTH_VERIFIED_CACHE_SECONDS must be a non-negative integer");
  });

  it("keys anonymous clients by their own address unless TRUST_PROXY names the proxies or their hops", () => {
    expect(loadConfig({}).trustProxy).toEqual({ trusted: [] });
    expect(loadConfig({ TRUST_PROXY: "off" }).trustProxy).toEqual({ trusted: [] });
    expect(loadConfig({ TRUST_PROXY: "10.0.0.5, 10.1.0.0/16,loopback" }).trustProxy).toEqual({ trusted: ["10.0.0.5", "10.1.0.0/16", "loopback"] });
    expect(loadConfig({ TRUST_PROXY: "2" }).trustProxy).toEqual({ hops: 2 });
    expect(() => loadConfig({ TRUST_PROXY: "10.0.0.5, proxy.example" })).toThrow(/TRUST_PROXY must be off, a number of proxy hops/);
    expect(() => loadConfig({ TRUST_PROXY: "0" })).toThrow(/TRUST_PROXY must be off/);
  });

  it("budgets each client's cost outside the tests, and refuses a budget the largest operation would not fit in", () => {
    expect(loadConfig({}).costBudget).toEqual({ max: 50_000, refillPerSecond: 5_000 });
    expect(loadConfig({ NODE_ENV: "test" }).costBudget).toBeNull();
    expect(loadConfig({ COST_BUDGET_MAX: "0" }).costBudget).toBeNull();
    expect(loadConfig({ NODE_ENV: "test", COST_BUDGET_MAX: "20000", COST_BUDGET_REFILL_PER_SECOND: "2.5" }).costBudget).toEqual({ max: 20_000, refillPerSecond: 2.5 });
    expect(() => loadConfig({ COST_BUDGET_MAX: "9999" })).toThrow(/COST_BUDGET_MAX \(9999\) must be at least MAX_QUERY_COST \(10000\)/);
    expect(() => loadConfig({ COST_BUDGET_REFILL_PER_SECOND: "0" })).toThrow(/COST_BUDGET_REFILL_PER_SECOND must be a positive number/);
  });
});
