/**
 * Real sign-in: the dashboard and GraphiQL sign people in at an OpenID Connect provider started here
 * (`oidc-provider`, a certified implementation), with the authorization code flow and PKCE, in
 * headless Chromium; the API verifies the provider's access tokens through its key set (JWKS).
 *
 * - erin signs in at the provider and her dashboard shows her clients; she comes back to the address
 *   she left (search included), and no token is in a cookie or in the address.
 * - The access token is renewed with the refresh token before it expires, and the page uses the new
 *   one for its requests from then on, without reloading.
 * - Signing out ends the provider's session too: signing in again asks for the login again.
 * - GraphiQL signs in the same way.
 * - The pages may connect to their own origin and the issuer's, nothing else (content security
 *   policy), and nothing leaves the machine.
 * A failure leaves a screenshot in /tmp/oidc-failure-*.png.
 */
import http from "node:http";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import Provider from "oidc-provider";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserForTests, launchChromium } from "./support/chromium.js";
import { waitFor } from "./support/log.js";
import { freePort } from "./support/net.js";
import { startTestServer, type TestServer } from "./support/server.js";
import { today } from "./support/dates.js";

const CHROMIUM = browserForTests("OpenID Connect sign-in (headless Chromium)");
const TIMEOUT = 90_000;
/** One step of a test (a page to load, a redirect to land): well within the test's own time, so that a failure leaves its screenshot. */
const STEP = 30_000;
const CLIENT_ID = "carm-portal-pages";
const AUDIENCE = "urn:carm:portal-api";
/** Short, so that the pages renew it (a minute before expiry) soon after signing in. */
const ACCESS_TOKEN_SECONDS = 63;
const RM1 = "123456782RM0001";

let issuer: string;
let provider: InstanceType<typeof Provider>;
let providerServer: http.Server;
let server: TestServer;
let browser: Browser;
let signingKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
const refreshes: string[] = [];
const pageErrors: string[] = [];
const cspViolations: string[] = [];
const requested = new Set<string>();
/** Responses of the API that set a cookie: none should (the token is a header). */
const apiSetCookies: string[] = [];

/** A token as the provider issues them, for API calls made by the test itself (another person acting). */
async function providerToken(sub: string): Promise<string> {
  return new SignJWT({ scope: "openid", client_id: CLIENT_ID })
    .setProtectedHeader({ alg: "RS256", kid: "test-provider", typ: "at+jwt" })
    .setSubject(sub)
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(signingKey);
}

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // The provider's own pages ask for web fonts: nothing may leave the machine.
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    return u.hostname === "127.0.0.1" || u.protocol === "data:" ? route.continue() : route.abort();
  });
  const page = await context.newPage();
  page.on("request", (r) => requested.add(r.url()));
  page.on("response", (r) => {
    if (new URL(r.url()).origin === server.url && r.headers()["set-cookie"]) apiSetCookies.push(r.url());
  });
  page.on("pageerror", (err) => pageErrors.push(err.stack ?? String(err)));
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  return { context, page };
}

/** At the provider's sign-in page (its development login form): signs in as `sub`, and consents. */
async function signInAtProvider(page: Page, sub: string): Promise<void> {
  await page.waitForURL((u) => u.origin === issuer, { timeout: TIMEOUT });
  await page.locator('input[name="login"]').fill(sub);
  await page.locator('input[name="password"]').fill("any password: the development login takes it");
  await page.locator('button[type="submit"]').click();
  const consent = page.locator('button:has-text("Continue")');
  await consent.waitFor({ timeout: TIMEOUT });
  await consent.click();
}

async function withScreenshot(name: string, page: () => Page | undefined, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    const file = `/tmp/oidc-failure-${name}.png`;
    await page()?.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    console.error(`oidc.browser.test: screenshot of the failing page in ${file}`);
    throw err;
  } finally {
    await page()?.context().close().catch(() => undefined);
  }
}

/** The signed-in user oidc-client-ts keeps for the page (sessionStorage), or null. */
const storedUser = (page: Page, prefix: string) =>
  page.evaluate((p) => {
    // The page's own storage (a browser global, not Node's).
    const storage = (globalThis as unknown as { sessionStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null } }).sessionStorage;
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i)!;
      if (key.startsWith(`${p}user:`)) return JSON.parse(storage.getItem(key)!) as { access_token: string; refresh_token?: string };
    }
    return null;
  }, prefix);

describe.skipIf(!CHROMIUM)("OpenID Connect sign-in (headless Chromium)", { shuffle: false }, () => {
  beforeAll(async () => {
    for (const page of ["dashboard", "graphiql"]) {
      const index = fileURLToPath(new URL(`../dist/${page}/index.html`, import.meta.url));
      if (!existsSync(index)) throw new Error(`${index} is missing: run \`npm run build\` before the browser test.`);
    }
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    server = await startTestServer({
      AUTH_ISSUER: issuer,
      AUTH_JWKS_URL: `${issuer}/jwks`,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_CLIENT_ID: CLIENT_ID,
      AUTH_RESOURCE: AUDIENCE,
    });
    const keys = await generateKeyPair("RS256", { extractable: true });
    signingKey = keys.privateKey;
    const jwk: JWK = { ...(await exportJWK(keys.privateKey)), kid: "test-provider", alg: "RS256", use: "sig" };
    const pages = [`${server.url}/dashboard/`, `${server.url}/graphiql/`];
    provider = new Provider(issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          token_endpoint_auth_method: "none",
          application_type: "web",
          redirect_uris: pages,
          post_logout_redirect_uris: pages,
          grant_types: ["authorization_code", "refresh_token"],
          response_types: ["code"],
        },
      ],
      jwks: { keys: [jwk] },
      cookies: { keys: ["a test provider's cookie key, long enough"] },
      findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, name: sub.replace(/^demo\|/, "") }) }),
      claims: { openid: ["sub"], profile: ["name"] },
      // A public client of the pages gets a refresh token (as many providers do for their SPAs).
      issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
      ttl: { AccessToken: ACCESS_TOKEN_SECONDS, IdToken: 3600, RefreshToken: 3600, Session: 3600, Grant: 3600, Interaction: 3600 },
      features: {
        devInteractions: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => AUDIENCE,
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({ scope: "", audience: AUDIENCE, accessTokenFormat: "jwt", accessTokenTTL: ACCESS_TOKEN_SECONDS, jwt: { sign: { alg: "RS256" } } }),
        },
      },
    });
    provider.on("grant.success", (ctx: { oidc: { params?: { grant_type?: string } } }) => {
      if (ctx.oidc.params?.grant_type === "refresh_token") refreshes.push(new Date().toISOString());
    });
    providerServer = http.createServer(provider.callback());
    await new Promise<void>((resolve) => providerServer.listen(port, "127.0.0.1", resolve));
    browser = await launchChromium(CHROMIUM!);
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await new Promise((resolve) => (providerServer ? providerServer.close(resolve) : resolve(undefined)));
  }, TIMEOUT);

  it("the API says where to sign in, and the pages may connect to their origin and the issuer's only", async () => {
    const config = (await (await fetch(`${server.url}/auth/config`)).json()) as unknown;
    expect(config).toEqual({ oidc: { issuer, clientId: CLIENT_ID, scope: "openid offline_access", resource: AUDIENCE } });
    for (const page of ["dashboard", "graphiql"]) {
      const csp = (await fetch(`${server.url}/${page}/`)).headers.get("content-security-policy") ?? "";
      expect(/connect-src ([^;]*)/.exec(csp)?.[1], page).toBe(`'self' ${issuer}`);
      expect(csp, page).toMatch(/script-src 'self';/);
      expect(csp, page).toMatch(/frame-ancestors 'none'/);
    }
    // With the development issuer instead, no browser sign-in and no other origin.
    expect(((await fetch(`${server.url}/dev/personas`)).status)).toBe(404);
  });

  it("erin signs in on the dashboard at the provider and comes back to her clients, where she was", async () => {
    let page: Page | undefined;
    await withScreenshot("dashboard", () => page, async () => {
      ({ page } = await newPage());
      await page.goto(`${server.url}/dashboard/?q=maple`);
      await page.locator("#sign-in").click();
      await signInAtProvider(page, "demo|erin");
      await page.waitForURL((u) => u.origin === server.url && u.pathname === "/dashboard/", { timeout: TIMEOUT });
      await page.locator(`tr[data-bn15="${RM1}"]`).waitFor({ timeout: TIMEOUT });
      // Back where she was: the search she had, and nothing of the sign-in in the address.
      const url = new URL(page.url());
      expect(url.searchParams.get("q")).toBe("maple");
      expect(url.searchParams.has("code") || url.searchParams.has("state")).toBe(false);
      expect(await page.inputValue("#search")).toBe("maple");
      expect(await page.locator("[data-signed-in]").getAttribute("data-signed-in")).toBe("demo|erin");
      // erin's view of Maple Leaf (restricted), through the provider's token verified by the API.
      await expect.poll(() => page!.locator(`tr[data-bn15="${RM1}"] [data-field="charges"]`).innerText()).toContain("your view");
      await page.locator('[data-connection="live"]').waitFor({ timeout: TIMEOUT });
      // The token lives in this tab's storage: no cookie of the API's, no token in the address.
      const user = await storedUser(page, "carm-portal/dashboard/");
      // (Cookies are per host, not port: the provider's own session cookies are the ones there.)
      for (const c of await page.context().cookies(server.url)) expect(c.value).not.toContain(user!.access_token);
      expect(apiSetCookies).toEqual([]);
      expect(user?.access_token.split(".")).toHaveLength(3);
      expect(user?.refresh_token).toBeTruthy();
      expect([...requested].filter((u) => u.includes(user!.access_token))).toEqual([]);

      // Renewed before it expires (a minute before), without leaving the page.
      const first = user!.access_token;
      await waitFor(async () => (await storedUser(page!, "carm-portal/dashboard/"))?.access_token !== first, 30_000, "the access token to be renewed");
      expect(refreshes.length).toBeGreaterThan(0);
      const renewed = (await storedUser(page, "carm-portal/dashboard/"))!.access_token;
      const [, claims] = renewed.split(".");
      expect(JSON.parse(Buffer.from(claims!, "base64url").toString())).toMatchObject({ sub: "demo|erin", aud: AUDIENCE, iss: issuer });
      // The page's next requests carry the new token.
      const sent = page.waitForRequest((r) => new URL(r.url()).pathname === "/graphql" && r.headers().authorization === `Bearer ${renewed}`, { timeout: TIMEOUT });
      await page.fill("#search", "prairie");
      await sent;
      await page.locator('tr[data-bn15="711223347RM0001"]').waitFor({ timeout: TIMEOUT });
      // And live updates still arrive: carol files a CAD on Maple Leaf; erin's search shows Prairie, so search Maple again.
      await page.fill("#search", "maple");
      await page.locator(`tr[data-bn15="${RM1}"]`).waitFor({ timeout: TIMEOUT });
      const before = await page.locator(`tr[data-bn15="${RM1}"] [data-field="charges"]`).innerText();
      const filed = await server.gql(
        `mutation ($input: FileDeclarationInput!) { fileDeclaration(input: $input) { transactionNumber } }`,
        {
          token: await providerToken("demo|carol"),
          variables: { input: { bn15: RM1, releasedOn: today(), lines: [{ classificationCode: "7610100000", description: "Frame", valueForDuty: "100.00", tariffTreatment: "2", customsDutyRate: "6.5" }] } },
        },
      );
      expect(filed.errors).toBeUndefined();
      await expect.poll(() => page!.locator(`tr[data-bn15="${RM1}"] [data-field="charges"]`).innerText(), { timeout: 20_000 }).not.toBe(before);

      // Signing out ends the provider's session: signing in again asks for the login again.
      await page.locator("#sign-out").click();
      await page.waitForURL((u) => u.origin === issuer, { timeout: TIMEOUT });
      await page.locator('button[name="logout"]').click();
      await page.waitForURL((u) => u.origin === server.url && u.pathname === "/dashboard/", { timeout: TIMEOUT });
      await page.locator("#sign-in").waitFor({ timeout: TIMEOUT });
      expect(await storedUser(page, "carm-portal/dashboard/")).toBeNull();
      expect(await page.locator("tr[data-bn15]").count()).toBe(0);
      await page.locator("#sign-in").click();
      await page.waitForURL((u) => u.origin === issuer, { timeout: TIMEOUT });
      await page.locator('input[name="login"]').waitFor({ timeout: TIMEOUT });
    });
  }, TIMEOUT * 2);

  it("GraphiQL signs in the same way and runs a query as the person signed in", async () => {
    let page: Page | undefined;
    await withScreenshot("graphiql", () => page, async () => {
      ({ page } = await newPage());
      await page.goto(`${server.url}/graphiql/?query=${encodeURIComponent("{ viewer { user { username } } }")}`);
      await page.locator("#sign-in").click();
      await signInAtProvider(page, "demo|alice");
      await page.waitForURL((u) => u.origin === server.url && u.pathname === "/graphiql/", { timeout: STEP });
      await page.locator("[data-signed-in]").waitFor({ timeout: STEP });
      expect(await page.locator("[data-signed-in]").getAttribute("data-signed-in")).toBe("demo|alice");
      await page.locator(".graphiql-response .monaco-editor").waitFor({ timeout: STEP });
      // Back at the address it had: the query from the link is in the editor.
      await page.locator(".graphiql-query-editor .view-lines").getByText("viewer", { exact: false }).first().waitFor({ timeout: STEP });
      expect(new URL(page.url()).searchParams.get("query")).toBe("{ viewer { user { username } } }");
      await page.locator(".graphiql-execute-button").click();
      await page.locator(".graphiql-response").getByText('"alice"').first().waitFor({ timeout: STEP });
    });
  }, TIMEOUT);

  it("made no request off the machine, broke no content security rule, threw no error", () => {
    const off = [...requested].filter((raw) => {
      const u = new URL(raw);
      return !(u.protocol === "data:" || u.protocol === "blob:" || u.hostname === "127.0.0.1");
    });
    // The provider's own sign-in page asks for a web font (aborted): the only request that would have left.
    expect(off.filter((u) => !u.startsWith("https://fonts.googleapis.com/"))).toEqual([]);
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect([...requested].some((u) => u.startsWith(`${issuer}/token`))).toBe(true);
  });
});
