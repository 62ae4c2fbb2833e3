/**
 * The database goes away under a running API (its own PostgreSQL, stopped and started again here):
 * GraphQL answers at once with 503 SERVICE_UNAVAILABLE and Retry-After instead of internal errors,
 * /readyz says so, the outage is logged when it starts and when it ends (not once per request), and
 * service resumes by itself when the database is back.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDevIssuer } from "../src/auth/identity.js";
import { loadConfig } from "../src/config.js";
import { createDataSource } from "../src/db/data-source.js";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../src/db/embedded.js";
import { startEventBus, type EventBus } from "../src/events/bus.js";
import { createLogger, type Logger } from "../src/logger.js";
import { startServer, type RunningServer } from "../src/server.js";
import { freePort } from "./support/net.js";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "carm-faults-"));
fs.chmodSync(dataDir, 0o755);
const pgDir = path.join(dataDir, "postgres");
const quiet = createLogger("silent");
const messages: string[] = [];
/** Records what the server logs (message only), so that repeated lines can be counted. */
const recording: Logger = {
  debug: () => undefined,
  info: (m) => void messages.push(m),
  warn: (m) => void messages.push(m),
  error: (m) => void messages.push(m),
  child: () => recording,
};

let pgPort: number;
let database: EmbeddedDatabase | null = null;
let server: RunningServer;
let token: string;
let db: ReturnType<typeof createDataSource>;
let events: EventBus;

beforeAll(async () => {
  pgPort = await freePort();
  database = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, database: "carm", logger: quiet });
  db = createDataSource(database.url, quiet);
  await db.initialize();
  await db.runMigrations({ transaction: "all" });
  const config = loadConfig({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", DATABASE_URL: database.url, DATA_DIR: dataDir, LOG_LEVEL: "info" });
  events = await startEventBus(database.url, quiet);
  server = await startServer(config, db, recording, events);
  token = await (await loadDevIssuer(dataDir, config.auth)).sign("demo|someone");
});

afterAll(async () => {
  await server?.stop();
  await events?.close();
  await db?.destroy().catch(() => undefined);
  await database?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A request that needs the database (signing in looks the subject up). */
const ask = () =>
  fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: "{ viewer { needsProfile } }" }),
  });

async function until(what: string, check: () => Promise<boolean>, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the database stops under the API, then comes back", () => {
  it("answers 503 SERVICE_UNAVAILABLE with Retry-After meanwhile, logs the outage once, and recovers", { timeout: 90_000 }, async () => {
    const before = await ask();
    expect(before.status).toBe(200);
    expect(await before.json()).toEqual({ data: { viewer: { needsProfile: true } } });

    await database!.stop();
    database = null;

    // Every request from now on: 503 with a code and Retry-After, never an internal error.
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await ask();
      statuses.push(res.status);
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe("SERVICE_UNAVAILABLE");
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    }
    expect(new Set(statuses)).toEqual(new Set([503]));
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "database unavailable" });
    await until("the outage is noticed", async () => !server.availability.available);
    // Known down: answered without waiting on the database.
    const quick = await ask();
    expect(quick.status).toBe(503);

    database = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, database: "carm", logger: quiet });
    await until("ready again", async () => (await fetch(`${server.url}/readyz`)).status === 200);
    const after = await ask();
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ data: { viewer: { needsProfile: true } } });

    // One line when it went down, one when it came back; nothing per request.
    expect(messages.filter((m) => m.startsWith("database unavailable"))).toHaveLength(1);
    expect(messages.filter((m) => m === "database available again")).toHaveLength(1);
    expect(messages.filter((m) => m === "unexpected error")).toEqual([]);
  });
});
