/**
 * The database goes away under a running API (its own PostgreSQL, stopped and started again here):
 * GraphQL answers at once with 503 SERVICE_UNAVAILABLE and Retry-After instead of internal errors,
 * /readyz says so, the outage is logged when it starts and when it ends (not once per request), and
 * service resumes by itself when the database is back. A database frozen rather than stopped (SIGSTOP:
 * it accepts connections and answers nothing) is a failed database too: a request waiting on it ends
 * with 503 within the statement timeout, and the probe notices the freeze within seconds (it once
 * took a request over 20 s, and the probe about 20 s).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDevIssuer } from "../src/auth/identity.js";
import { loadConfig } from "../src/config.js";
import { isConnectionError } from "../src/db/availability.js";
import { createDataSource } from "../src/db/data-source.js";
import type { CountingOrmLogger } from "../src/db/sql-counter.js";
import { queryValue, sql } from "../src/db/sql.js";
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
  const config = loadConfig({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", DATABASE_URL: database.url, DATA_DIR: dataDir, LOG_LEVEL: "info", DB_STATEMENT_TIMEOUT_MS: "1000", DB_CONNECT_TIMEOUT_MS: "1000" });
  await db.destroy();
  db = createDataSource(database.url, quiet, { timeouts: config.db });
  await db.initialize();
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

/** The cluster's processes: the postmaster (from its lock file) and its children. */
function clusterPids(): number[] {
  const postmaster = Number(fs.readFileSync(path.join(pgDir, "postmaster.pid"), "utf8").split("\n")[0]);
  const children = fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return Number(fs.readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1]!.split(" ")[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

describe("the compiled path's statements, sent on the pool's own client (queryValue)", () => {
  it("run under the statement timeout, are counted, and fail as an outage the 503 handling recognises", async () => {
    const counted = db.logger as CountingOrmLogger;
    const before = counted.statements;
    expect(await queryValue<string>(db, sql`SELECT ${"x"}::text || 'y'`, "value")).toBe("xy");
    // Past DB_STATEMENT_TIMEOUT_MS (1 s here): PostgreSQL cancels it (57014), which counts as the
    // database failing to serve the request (isConnectionError: 503, and a probe).
    const error = await queryValue(db, sql`SELECT pg_sleep(5)::text`, "past the timeout").then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as { code?: string } | null)?.code).toBe("57014");
    expect(isConnectionError(error)).toBe(true);
    expect(counted.statements - before).toBe(2);
  });
});

describe("the database freezes under the API (SIGSTOP), then thaws", () => {
  it("a request waiting on it ends with 503 within the statement timeout; the probe marks it down within seconds; all recovers on SIGCONT", { timeout: 60_000 }, async () => {
    expect((await ask()).status).toBe(200);
    const pids = clusterPids();
    expect(pids.length).toBeGreaterThan(3);
    for (const pid of pids) process.kill(pid, "SIGSTOP");
    try {
      // In flight on a pool connection the frozen server never answers: bounded by the
      // statement timeout (1 s here) and a second's grace.
      const started = Date.now();
      const res = await ask();
      const waited = Date.now() - started;
      expect(res.status).toBe(503);
      expect(((await res.json()) as any).errors[0].extensions.code).toBe("SERVICE_UNAVAILABLE");
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(waited).toBeLessThan(10_000);
      await until("the freeze is noticed", async () => !server.availability.available, 10_000);
      const quick = await ask();
      expect(quick.status).toBe(503);
    } finally {
      for (const pid of pids) process.kill(pid, "SIGCONT");
    }
    await until("ready again", async () => (await fetch(`${server.url}/readyz`)).status === 200);
    expect((await ask()).status).toBe(200);
  });
});

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
    // (The freeze above was an outage of its own: one line each way for it too.)
    expect(messages.filter((m) => m.startsWith("database unavailable"))).toHaveLength(2);
    expect(messages.filter((m) => m === "database available again")).toHaveLength(2);
    expect(messages.filter((m) => m === "unexpected error")).toEqual([]);
  });
});
