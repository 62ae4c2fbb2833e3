// Headless-browser test of the offline GraphiQL page (/graphiql/).
//
// Starts the real API server, opens GraphiQL in Chromium, picks the `alice`
// persona, runs a query and waits for her username in the response pane; the
// Docs pane shows the schema (introspection works from the page).
// Every request the page makes must stay on the server's own origin (or be a
// data:/blob: URL): the page must work without internet access.
//
// Needs a Chromium or Chrome (CHROMIUM_PATH, or one where systems install it:
// test/support/chromium.ts; scripts/ensure-chromium.sh installs Debian's) and a
// built page in dist/graphiql (`npm run build`). Without a browser the test
// fails in CI (CI set), so that a green run means the page was really tested;
// elsewhere it is skipped with a warning.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserForTests, launchChromium } from './support/chromium.js';
import { startTestServer } from './support/server.js';

const SCREENSHOT = '/tmp/graphiql.png';
const GRAPHIQL_INDEX = fileURLToPath(new URL('../dist/graphiql/index.html', import.meta.url));
const TIMEOUT = 60_000;

const CHROMIUM = browserForTests('GraphiQL page (headless Chromium)');

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(!CHROMIUM)('GraphiQL page (headless Chromium)', () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;

  const requested = new Set<string>();
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(GRAPHIQL_INDEX)) {
      throw new Error(`${GRAPHIQL_INDEX} is missing: run \`npm run build\` before the browser test.`);
    }
    server = await startTestServer();
    browser = await launchChromium(CHROMIUM!);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();

    // page.on('request') covers the page and its dedicated (Monaco) workers;
    // the context listener also catches anything from other targets.
    page.on('request', (req) => requested.add(req.url()));
    context.on('request', (req) => requested.add(req.url()));
    page.on('websocket', (ws) => requested.add(ws.url()));
    page.on('pageerror', (err) => pageErrors.push(err.stack ?? String(err)));
    // The page's content security policy (src/http/dev.ts) must let the editor, its workers and the API through.
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) pageErrors.push(m.text());
    });
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  }, TIMEOUT);

  it(
    'runs a query as the alice persona without any request leaving the machine',
    async () => {
      const origin = new URL(server!.url);
      const query = '{ viewer { user { username } } }';

      await page.goto(`${server!.url}/graphiql/?query=${encodeURIComponent(query)}`);

      // The toolbar appears once /dev/personas has answered.
      await page.locator('#persona').waitFor({ timeout: TIMEOUT });
      await page.selectOption('#persona', 'alice');
      expect(await page.inputValue('#persona')).toBe('alice');

      // Monaco loads lazily: the run button does nothing until both the query
      // and the response editors exist, so wait for them before clicking.
      await page
        .locator('.graphiql-query-editor .view-lines')
        .getByText('viewer', { exact: false })
        .first()
        .waitFor({ timeout: TIMEOUT });
      await page.locator('.graphiql-response .monaco-editor').waitFor({ timeout: TIMEOUT });

      await page.locator('.graphiql-execute-button').click();
      await page
        .locator('.graphiql-response')
        .getByText('"alice"')
        .first()
        .waitFor({ timeout: TIMEOUT });

      const response = await page.locator('.graphiql-response .view-lines').innerText();
      expect(response.replace(/\s+/g, ' ')).toContain('"username": "alice"');

      await page.screenshot({ path: SCREENSHOT });

      // The Docs pane is built from the page's introspection query: it shows the
      // root types, and Query's fields once opened.
      await page.locator('button[aria-label="Show Documentation Explorer"]').click();
      const docs = page.locator('.graphiql-doc-explorer');
      await docs.locator('.graphiql-doc-explorer-root-type').first().waitFor({ timeout: TIMEOUT });
      await docs.getByText('Query', { exact: true }).first().click();
      await docs.locator('.graphiql-doc-explorer-field-name', { hasText: 'transactions' }).first().waitFor({ timeout: TIMEOUT });
      expect(await docs.locator('.graphiql-doc-explorer-field-name').allInnerTexts()).toEqual(expect.arrayContaining(['viewer', 'business', 'transactions']));
      expect(await docs.locator('.graphiql-doc-explorer-error').count()).toBe(0);
      await page.screenshot({ path: '/tmp/graphiql-docs.png' });

      expect(pageErrors, 'uncaught errors in the page').toEqual([]);

      const offMachine = [...requested].filter((raw) => !isLocal(raw, origin));
      expect(offMachine, 'requests that left the machine').toEqual([]);
      // Sanity: the recorder did see the page's own traffic.
      expect([...requested].some((u) => new URL(u).pathname === '/graphql')).toBe(true);
      expect([...requested].some((u) => new URL(u).pathname.startsWith('/graphiql/assets/'))).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'runs a subscription over WebSocket as frank and shows the statement update it receives',
    async () => {
      const subscription = 'subscription { statementUpdated(bn15: "123456782RM0001") { cycleEnd status } }';
      await page.goto(`${server!.url}/graphiql/?query=${encodeURIComponent(subscription)}`);
      await page.locator('#persona').waitFor({ timeout: TIMEOUT });
      await page.selectOption('#persona', 'frank');
      await page.locator('.graphiql-query-editor .view-lines').getByText('statementUpdated', { exact: false }).first().waitFor({ timeout: TIMEOUT });
      await page.locator('.graphiql-response .monaco-editor').waitFor({ timeout: TIMEOUT });
      await page.locator('.graphiql-execute-button').click();

      // carol files CADs on RM0001 until the page shows the update (the subscription is set up asynchronously).
      const today = new Date().toLocaleDateString('en-CA', { timeZone: 'America/Toronto' });
      const cad = { bn15: '123456782RM0001', releasedOn: today, lines: [{ classificationCode: '7610100000', description: 'Frame', valueForDuty: '100.00', tariffTreatment: '2', customsDutyRate: '6.5' }] };
      const shown = page.locator('.graphiql-response').getByText('"cycleEnd"').first();
      const deadline = Date.now() + 30_000;
      while (!(await shown.isVisible()) && Date.now() < deadline) {
        await server!.gql('mutation ($input: FileDeclarationInput!) { fileDeclaration(input: $input) { id } }', { as: 'carol', variables: { input: cad } });
        await page.waitForTimeout(200);
      }
      const response = await page.locator('.graphiql-response .view-lines').innerText();
      expect(response.replace(/\s+/g, ' ')).toContain('"status": "OPEN"');
      expect([...requested].some((u) => u.startsWith('ws://') && new URL(u).pathname === '/graphql')).toBe(true);
      expect(pageErrors, 'uncaught errors in the page').toEqual([]);
      await page.screenshot({ path: '/tmp/graphiql-subscription.png' });
    },
    TIMEOUT,
  );
});

/** data:/blob: URLs, or http(s)/ws(s) to the test server's loopback host and port. */
function isLocal(raw: string, origin: URL): boolean {
  const url = new URL(raw);
  if (url.protocol === 'data:' || url.protocol === 'blob:') return true;
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return false;
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  return loopback && url.port === origin.port;
}
