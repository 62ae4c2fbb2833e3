/**
 * `npm run bench`: the API under load at a broker's scale, next to a hand-written floor.
 *
 * For each book size (Northern Customs Brokers with N clients: 3 program accounts and 20
 * transactions per account, see world.ts) it builds a database and starts the API and the floor
 * (floor.ts) on it as separate processes, and checks that both serve the same pages; then it measures
 * each page with autocannon: latency with one connection (requests one after another: p50, p99),
 * throughput under load (8 connections: requests per second). Throughput is measured in rounds that
 * alternate between the API and the floor of every size (`--rounds`, each round a slice of
 * `--duration` per target), and each one's rate is its requests over its seconds in all rounds: the
 * host's speed drifts over minutes, and measuring one after the other put that drift into the ratios
 * (API to floor, and one book size to another). One JSON line per case and size: rps, p50 and p99,
 * SQL statements per request, the ratio of throughputs to the floor and to the smallest book's API.
 *
 * Options (after `--`): --clients 10,100,10000  --duration 10  --rounds 5  --connections 8  --only <case name part>
 * DATABASE_URL uses an external PostgreSQL (a role with CREATEDB); otherwise an embedded one in a temp dir.
 * --keep (with DATABASE_URL) leaves each world's database in place, for `npm run bench:profile`.
 */
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { loadDevIssuer } from "../src/auth/identity.js";
import { personaSubject } from "../src/auth/personas.js";
import { loadConfig, projectRoot } from "../src/config.js";
import { createDataSource } from "../src/db/data-source.js";
import { withDatabase } from "../src/db/database.js";
import { startEmbeddedPostgres } from "../src/db/embedded.js";
import { createLogger } from "../src/logger.js";
import { seedDemo } from "../src/seed/demo.js";
import { freePort } from "../src/common/net.js";
import { cases, type BenchCase } from "./pages.js";
import { seedBrokerBook } from "./world.js";

const { values: opts } = parseArgs({
  options: {
    clients: { type: "string", default: "10,10000" },
    duration: { type: "string", default: "10" },
    rounds: { type: "string", default: "5" },
    connections: { type: "string", default: "8" },
    only: { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const sizes = opts.clients!.split(",").map(Number);
const duration = Number(opts.duration);
const rounds = Math.max(1, Math.round(Number(opts.rounds)));
const connections = Number(opts.connections);
const logger = createLogger("warn");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "carm-bench-"));
fs.chmodSync(tmp, 0o755);

let adminUrl = loadConfig().databaseUrl;
let stopPg: (() => Promise<void>) | undefined;
if (!adminUrl) {
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg"), port: await freePort(), database: "postgres", logger });
  adminUrl = embedded.url;
  stopPg = embedded.stop;
}
const admin = new pg.Client({ connectionString: adminUrl });
admin.on("error", () => undefined); // the embedded server stopping at exit ends it
await admin.connect();
const issuer = await loadDevIssuer(tmp);
const token = (persona: string) => issuer.sign(personaSubject(persona), { expiresIn: "2h" });

function start(script: string, env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(projectRoot, "dist", script), [], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
    child.on("message", (m) => m === "ready" && resolve(child));
  });
}

async function waitFor(url: string) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners("exit");
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });

interface Target {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
}

async function call(t: Target): Promise<any> {
  const res = await fetch(t.url, { method: t.method, headers: t.headers, body: t.body });
  return res.json();
}

function load(t: Target, conns: number, seconds = duration): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url: t.url, method: t.method, headers: t.headers, body: t.body, connections: conns, duration: seconds }, (err: unknown, result: autocannon.Result) =>
      err ? reject(err) : resolve(result),
    );
  });
}

/** Throughput of several targets measured in alternating rounds: each one's requests per second over all its rounds. */
async function alternating(targets: Target[], conns: number): Promise<{ rps: number; errors: number }[]> {
  const totals = targets.map(() => ({ requests: 0, seconds: 0, errors: 0 }));
  for (let i = 0; i < rounds; i++) {
    for (const [k, t] of targets.entries()) {
      const r = await load(t, conns, duration / rounds);
      totals[k]!.requests += r.requests.total;
      totals[k]!.seconds += r.duration;
      totals[k]!.errors += r.errors + r.non2xx;
    }
  }
  return totals.map((x) => ({ rps: x.requests / x.seconds, errors: x.errors }));
}

/** One book size: its database, and the API and the floor serving it. */
interface World {
  clients: number;
  dbName: string;
  url: string;
  apiUrl: string;
  floorPort: number;
  sqlPerRequest: Map<string, number | null>;
}

const results: Record<string, unknown>[] = [];
const children: ChildProcess[] = [];
// Whatever happens, the servers this benchmark started stop with it.
process.on("exit", () => children.forEach((c) => c.exitCode === null && c.kill("SIGKILL")));
const selected = cases.filter((x) => !opts.only || x.name.includes(opts.only));
const target = async (c: BenchCase, url: string): Promise<Target> => ({
  url,
  method: "POST",
  headers: { "content-type": "application/json", authorization: `Bearer ${await token(c.persona)}` },
  body: JSON.stringify({ query: c.query }),
});
const floorTarget = async (c: BenchCase, w: World): Promise<Target> => ({ url: `http://127.0.0.1:${w.floorPort}${c.floorPath}`, method: "GET", headers: { authorization: `Bearer ${await token(c.persona)}` } });

// Every size is built and served first, then measured in the same rounds: the host's speed drifts
// over minutes, and measuring one size after the other put that drift into their comparison.
const worlds: World[] = [];
for (const clients of sizes) {
  const dbName = `carm_bench_${clients}_${process.pid}`;
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = withDatabase(adminUrl, dbName);
  const ds = createDataSource(url, logger);
  await ds.initialize();
  await ds.runMigrations({ transaction: "all" });
  await seedDemo(ds, logger);
  const seeded = performance.now();
  await seedBrokerBook(ds, clients);
  console.error(`# ${clients} clients loaded in ${Math.round(performance.now() - seeded)} ms`);
  await ds.destroy();

  const env = { DATABASE_URL: url, DATA_DIR: tmp, SEED_DEMO: "off", LOG_LEVEL: "warn", NODE_ENV: "development" };
  const floorPort = await freePort();
  children.push(await start("bench/floor.js", { ...env, PORT: String(floorPort) }));
  const startApi = async (extra: Record<string, string>) => {
    const port = await freePort();
    const child = fork(path.join(projectRoot, "dist", "src", "main.js"), [], { execArgv: ["--max-semi-space-size=64"], env: { ...process.env, ...env, ...extra, PORT: String(port), HOST: "127.0.0.1" }, stdio: ["ignore", "ignore", "inherit", "ipc"] });
    children.push(child);
    await waitFor(`http://127.0.0.1:${port}/readyz`);
    return { child, url: `http://127.0.0.1:${port}/graphql` };
  };
  const world: World = { clients, dbName, url, apiUrl: "", floorPort, sqlPerRequest: new Map() };

  // First a process that counts each request's SQL statements (EXPOSE_SQL_COUNT) checks every page
  // against the floor and gives its count; counting per request costs every request (async hooks),
  // so the process measured next does not count.
  const counting = await startApi({ EXPOSE_SQL_COUNT: "on" });
  for (const c of selected) {
    const apiBody = await call(await target(c, counting.url));
    if (apiBody.errors) throw new Error(`${c.name}: ${JSON.stringify(apiBody.errors)}`);
    const same = JSON.stringify(c.digest(apiBody)) === JSON.stringify(c.digest(await call(await floorTarget(c, world))));
    if (!same) throw new Error(`${c.name}: the API and the floor disagree on the page's content`);
    world.sqlPerRequest.set(c.name, apiBody.extensions?.sqlStatements ?? null);
  }
  await stop(counting.child);
  world.apiUrl = (await startApi({})).url;
  worlds.push(world);
}

for (const c of selected) {
  const latencies = [];
  for (const w of worlds) {
    const apiTarget = await target(c, w.apiUrl);
    const apiBody = await call(apiTarget);
    if (apiBody.errors) throw new Error(`${c.name}: ${JSON.stringify(apiBody.errors)}`);
    latencies.push({ api: await load(apiTarget, 1), floor: await load(await floorTarget(c, w), 1) });
  }
  // Throughput: the API and the floor of every size, in the same alternating rounds.
  const targets = [];
  for (const w of worlds) targets.push(await target(c, w.apiUrl), await floorTarget(c, w));
  const rates = await alternating(targets, connections);
  for (const [k, w] of worlds.entries()) {
    const a = rates[2 * k]!;
    const f = rates[2 * k + 1]!;
    const { api: latency, floor: floorLatency } = latencies[k]!;
    const row = {
      case: c.name,
      clients: w.clients,
      rps: Math.round(a.rps),
      p50_ms: latency.latency.p50,
      p99_ms: latency.latency.p99,
      sql_per_request: w.sqlPerRequest.get(c.name),
      errors: a.errors + latency.errors + latency.non2xx,
      floor_rps: Math.round(f.rps),
      floor_p50_ms: floorLatency.latency.p50,
      ratio_to_floor: Number((a.rps / f.rps).toFixed(2)),
      vs_smallest_book: Number((a.rps / rates[0]!.rps).toFixed(2)),
    };
    results.push(row);
    console.log(JSON.stringify(row));
  }
}
for (const child of children) await stop(child);
for (const w of worlds) {
  if (opts.keep && stopPg === undefined) console.error(`# kept for bench:profile: ${w.url.replace(/:[^:@/]*@/, ":***@")}`);
  else await admin.query(`DROP DATABASE "${w.dbName}" WITH (FORCE)`);
}

// A table for the README: each case at every size, and the largest size against the smallest.
const byCase = new Map<string, Record<string, any>[]>();
for (const r of results) byCase.set(r.case as string, [...(byCase.get(r.case as string) ?? []), r]);
console.error("\n| case | clients | rps (8 conn.) | p50 ms | p99 ms | SQL/request | floor rps | floor p50 ms | vs floor | vs smallest book |");
console.error("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const [name, rows] of byCase) {
  for (const r of rows) {
    console.error(`| ${name} | ${r.clients} | ${r.rps} | ${r.p50_ms} | ${r.p99_ms} | ${r.sql_per_request} | ${r.floor_rps} | ${r.floor_p50_ms} | ${r.ratio_to_floor}× | ${r.vs_smallest_book}× |`);
  }
}
await admin.end();
await stopPg?.();
fs.rmSync(tmp, { recursive: true, force: true });
export type { BenchCase };
