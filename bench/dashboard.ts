/**
 * `npm run bench:dashboard -- [--clients 10000] [--runs 7] [--warmup 5]`: the dashboard's requests for a broker
 * with a large book of business (Northern with N extra clients, 3 program accounts each: world.ts).
 *
 * Times, as erin: the first time a request is sent (`first_ms`: its statements are planned for
 * their values on the connection; PostgreSQL keeps a generic plan for a prepared statement only
 * after five executions on a connection), then, after --warmup more, the median and slowest of
 * --runs (what a server that has been serving sees): the first page of 25 clients with their accounts
 * and latest statements (the page query, exactly the dashboard's document), the page 40 pages in
 * (cursors walked there), a search by legal name and by BN9 prefix, the one-row refresh an event
 * triggers, and the count of clients the page reads when the search or access changes. Prints one JSON line per request with its SQL statement count. Embedded PostgreSQL in a
 * temp dir, or DATABASE_URL (a role with CREATEDB).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { loadDevIssuer } from "../src/auth/identity.js";
import { personaSubject } from "../src/auth/personas.js";
import { loadConfig, projectRoot } from "../src/config.js";
import { createDataSource } from "../src/db/data-source.js";
import { withDatabase } from "../src/db/database.js";
import { startEmbeddedPostgres } from "../src/db/embedded.js";
import { startEventBus } from "../src/events/bus.js";
import { createLogger } from "../src/logger.js";
import { seedDemo } from "../src/seed/demo.js";
import { startServer } from "../src/server.js";
import { freePort } from "../src/common/net.js";
import { benchBn9, seedBrokerBook } from "./world.js";

const { values } = parseArgs({ options: { clients: { type: "string", default: "10000" }, runs: { type: "string", default: "7" }, warmup: { type: "string", default: "5" } } });
const clients = Number(values.clients);
const runs = Number(values.runs);
const warmup = Number(values.warmup);
const logger = createLogger("warn");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "carm-bench-dashboard-"));
fs.chmodSync(tmp, 0o755);

let adminUrl = process.env.DATABASE_URL;
let stopEmbedded: (() => Promise<void>) | undefined;
if (!adminUrl) {
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, "postgres"), port: await freePort(), database: "postgres", logger });
  adminUrl = embedded.url;
  stopEmbedded = embedded.stop;
}
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const dbName = `carm_bench_dashboard_${process.pid}`;
await admin.query(`CREATE DATABASE "${dbName}"`);
const url = withDatabase(adminUrl, dbName);
const db = createDataSource(url, logger);
await db.initialize();
await db.runMigrations({ transaction: "all" });
await seedDemo(db, logger);
const seeded = performance.now();
await seedBrokerBook(db, clients);
console.error(`# ${clients} clients loaded in ${Math.round(performance.now() - seeded)} ms`);

const config = loadConfig({ NODE_ENV: "development", PORT: "0", HOST: "127.0.0.1", DATABASE_URL: url, DATA_DIR: tmp, EXPOSE_SQL_COUNT: "on", LOG_LEVEL: "warn", COST_BUDGET_MAX: "0", GRAPHQL_JIT: process.env.GRAPHQL_JIT ?? "on" });
const events = await startEventBus(url, logger);
const server = await startServer(config, db, logger, events);
const token = await (await loadDevIssuer(tmp, config.auth)).sign(personaSubject("erin"));

// The dashboard's own operations, as its page sends them.
const operations = fs.readFileSync(path.join(projectRoot, "dashboard", "src", "operations.graphql"), "utf8");

async function gql(operationName: string, variables: Record<string, unknown>): Promise<{ data: any; sql: number }> {
  const res = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: operations, operationName, variables }),
  });
  const body = (await res.json()) as { data: any; errors?: unknown[]; extensions?: { sqlStatements?: number } };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return { data: body.data, sql: body.extensions?.sqlStatements ?? -1 };
}

async function time(name: string, query: string, variables: Record<string, unknown>) {
  const ms: number[] = [];
  let last: { data: any; sql: number } | undefined;
  const started = performance.now();
  await gql(query, variables);
  const firstMs = performance.now() - started;
  for (let i = 0; i < warmup; i++) await gql(query, variables);
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = await gql(query, variables);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const rows = last!.data.businesses?.edges?.reduce((n: number, e: any) => n + e.node.programAccounts.edges.length, 0);
  console.log(JSON.stringify({ request: name, clients, first_ms: Math.round(firstMs), median_ms: Math.round(ms[Math.floor(ms.length / 2)]!), slowest_ms: Math.round(ms.at(-1)!), sql_statements: last!.sql, ...(rows !== undefined ? { account_rows: rows } : {}) }));
  return last!.data;
}

const page = "DashboardPage";
const first = await time("first page (25 clients)", page, { first: 25 });
let after = first.businesses.pageInfo.endCursor as string;
for (let i = 1; i < 40; i++) after = (await gql(page, { first: 25, after })).data.businesses.pageInfo.endCursor;
await time("page 41 (after 1,000 clients)", page, { first: 25, after });
await time("search by legal name", page, { first: 25, search: "bench client 0999" });
await time("search by BN9 prefix", page, { first: 25, search: benchBn9(4321).slice(0, 7) });
await time("one row refreshed after an event", "AccountRowRefresh", { bn15: `${benchBn9(4321)}RM0001` });
await time("count of clients (once per search or access change)", "ClientCount", {});
await time("count of clients matching a search", "ClientCount", { search: "bench client 09" });

await server.stop();
await events.close();
await db.destroy();
await admin.query(`DROP DATABASE "${dbName}" WITH (FORCE)`);
await admin.end();
await stopEmbedded?.();
fs.rmSync(tmp, { recursive: true, force: true });
