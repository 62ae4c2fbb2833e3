/**
 * `npm run bench`: the API next to PostGraphile v5 on the same database, for a broker's book of
 * business at two sizes, and filing under contention.
 *
 * For each book size (Northern Customs Brokers with N importer clients of 3 program accounts x 20
 * transactions, vacuumed: world.ts) it builds a database and starts the API and PostGraphile
 * (postgraphile.ts, amber preset) on it as processes of their own. For each page (pages.ts) it checks
 * that both servers answer the same rows and leaves (the page's digest) and counts the API's SQL
 * statements (a separate counting process: counting costs every request). Then it measures, with 8
 * connections (`--connections`), the API and PostGraphile of every size in the same alternating
 * rounds (`--rounds` slices of `--duration` seconds per target in all): the host's speed drifts over
 * minutes, and alternating puts that drift on every target alike. Each target's rate is its
 * requests over its seconds in all rounds, its p50 and p99 over every response of every round. Every
 * response under load must be the body checked (else it counts as an error and the run fails).
 *
 * Filing: carol files one-line declarations on one account with 8 connections (pages.ts), the API of
 * every size in alternating rounds; every answer must be the expected one.
 *
 * Options (after `--`): --clients 1000,10000  --duration 8  --rounds 2  --connections 8  --warmup 1
 * --only <part of a page's name, or "filing">  --keep (with DATABASE_URL: leave the worlds' databases in place, to look into).
 * DATABASE_URL uses an external PostgreSQL (a role with CREATEDB); otherwise an embedded one in a temp dir.
 * Prints one JSON line per page and size (stdout), then the table for docs/performance.md (stderr).
 */
import { parseArgs } from "node:util";
import { redact } from "../src/db/database.js";
import { graphqlTarget, load, logger, openCluster, send, startApi, startPostGraphile, type Server, type Target } from "./harness.js";
import { businessToday, filing, pages } from "./pages.js";
import { installPostGraphileFunctions } from "./postgraphile-schema.js";
import { count, ratio, Tally } from "./stats.js";
import { buildWorld } from "./world.js";
import pg from "pg";

const { values: opts } = parseArgs({
  options: {
    clients: { type: "string", default: "1000,10000" },
    duration: { type: "string", default: "8" },
    rounds: { type: "string", default: "2" },
    connections: { type: "string", default: "8" },
    warmup: { type: "string", default: "1" },
    only: { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const sizes = opts.clients!.split(",").map(Number);
const rounds = Math.max(1, Math.round(Number(opts.rounds)));
const slice = Number(opts.duration) / rounds;
const connections = Number(opts.connections);
const warmup = Number(opts.warmup);
const selected = pages.filter((p) => !opts.only || p.name.includes(opts.only));
const withFiling = !opts.only || filing.name.includes(opts.only) || opts.only === "filing";

const cluster = await openCluster();

interface World {
  clients: number;
  dbName: string;
  url: string;
  api: Server;
  postgraphile: Server;
  /** Per page: the API's and PostGraphile's targets, with the bodies checked. */
  targets: Map<string, { api: Target; postgraphile: Target; sql: number | null }>;
  filing?: { target: Target; sql: number | null };
}

/** Sends `t` and returns the body's text, after checking that it is a GraphQL answer without errors. */
async function answer(t: Target, what: string): Promise<{ text: string; json: any }> {
  const r = await send(t);
  if (r.json.errors || !r.json.data) throw new Error(`${what}: ${r.text.slice(0, 500)}`);
  return r;
}

const worlds: World[] = [];
for (const clients of sizes) {
  const dbName = `carm_bench_${clients}_${process.pid}`;
  const url = await buildWorld(cluster.admin, cluster.adminUrl, dbName, clients, logger);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await installPostGraphileFunctions(db);
  await db.end();
  const postgraphile = await startPostGraphile(url);

  // A process that counts each request's SQL statements gives the counts (counting costs every
  // request, so the process measured next does not count). Filing changes alice's page: the pages
  // are compared, and their bodies kept, after the last declaration before the rounds.
  const counting = await startApi(cluster, url, { EXPOSE_SQL_COUNT: "on" });
  const sql = new Map<string, number | null>();
  for (const page of selected) {
    // The second request's count: a person's first also asks how large their book is (remembered for a minute).
    const target = graphqlTarget(counting.url, page.query, await cluster.sign(page.persona));
    await answer(target, `${page.name}, API`);
    const api = await answer(target, `${page.name}, API`);
    sql.set(page.name, api.json.extensions?.sqlStatements ?? null);
  }
  if (withFiling) {
    const filed = await answer(graphqlTarget(counting.url, filing.query, await cluster.sign(filing.persona), filing.variables(businessToday())), filing.name);
    const { extensions, ...rest } = filed.json;
    if (JSON.stringify(rest) !== JSON.stringify(filing.expected)) throw new Error(`${filing.name}: answered ${filed.text}`);
    sql.set(filing.name, extensions?.sqlStatements ?? null);
  }
  await counting.stop();

  const api = await startApi(cluster, url);
  const world: World = { clients, dbName, url, api, postgraphile, targets: new Map() };
  if (withFiling) {
    const target = graphqlTarget(api.url, filing.query, await cluster.sign(filing.persona), filing.variables(businessToday()));
    const filed = await answer(target, filing.name);
    if (JSON.stringify(filed.json) !== JSON.stringify(filing.expected)) throw new Error(`${filing.name}: answered ${filed.text}`);
    world.filing = { target: { ...target, expectBody: filed.text }, sql: sql.get(filing.name) ?? null };
  }
  for (const page of selected) {
    const apiTarget = graphqlTarget(api.url, page.query, await cluster.sign(page.persona));
    const pglTarget = graphqlTarget(postgraphile.url, page.postgraphile);
    const [a, p] = [await answer(apiTarget, `${page.name}, API`), await answer(pglTarget, `${page.name}, PostGraphile`)];
    const [da, dp] = [JSON.stringify(page.digest(a.json)), JSON.stringify(page.digest(p.json))];
    if (da !== dp) throw new Error(`${page.name} at ${clients} clients: the API and PostGraphile answer different rows\nAPI:          ${da.slice(0, 400)}\nPostGraphile: ${dp.slice(0, 400)}`);
    if (da.length < 50) throw new Error(`${page.name} at ${clients} clients: the page is empty (${da})`);
    world.targets.set(page.name, { api: { ...apiTarget, expectBody: a.text }, postgraphile: { ...pglTarget, expectBody: p.text }, sql: sql.get(page.name) ?? null });
  }
  worlds.push(world);
}

/** Every target in `targets` measured in the same alternating rounds (after an unmeasured warm-up each). */
async function alternating(targets: Target[]): Promise<Tally[]> {
  for (const t of targets) if (warmup > 0) await load(t, connections, warmup);
  const tallies = targets.map(() => new Tally());
  for (let i = 0; i < rounds; i++) {
    for (const [k, t] of targets.entries()) {
      const s = await load(t, connections, slice);
      tallies[k]!.add(s.seconds, s.responses, s.mismatches, s.connectionErrors);
      if (s.mismatch) console.error(`# ${t.url}: an unexpected answer under load: ${s.mismatch.slice(0, 300)}`);
      const statuses = new Set(s.responses.map((r) => r.status).filter((x) => x < 200 || x > 299));
      if (statuses.size || s.connectionErrors) console.error(`# ${t.url}: HTTP ${[...statuses].join(", ")} under load, ${s.connectionErrors} failed connections`);
    }
  }
  return tallies;
}

interface Row {
  case: string;
  clients: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  sql_per_request: number | null;
  kb: number;
  errors: number;
  postgraphile_rps?: number;
  postgraphile_p50_ms?: number;
  postgraphile_p99_ms?: number;
  postgraphile_kb?: number;
  postgraphile_errors?: number;
  vs_postgraphile?: number;
  vs_smallest_book: number;
}
const rows: Row[] = [];
const kb = (t: Tally) => Math.round(t.averageBytes / 100) / 10;
const ms = (x: number) => Math.round(x * 10) / 10;

for (const page of selected) {
  const targets: Target[] = [];
  for (const w of worlds) targets.push(w.targets.get(page.name)!.api, w.targets.get(page.name)!.postgraphile);
  const tallies = await alternating(targets);
  for (const [k, w] of worlds.entries()) {
    const [a, p] = [tallies[2 * k]!, tallies[2 * k + 1]!];
    const row: Row = {
      case: page.name,
      clients: w.clients,
      rps: Math.round(a.rate),
      p50_ms: ms(a.p(50)),
      p99_ms: ms(a.p(99)),
      sql_per_request: w.targets.get(page.name)!.sql,
      kb: kb(a),
      errors: a.errors,
      postgraphile_rps: Math.round(p.rate),
      postgraphile_p50_ms: ms(p.p(50)),
      postgraphile_p99_ms: ms(p.p(99)),
      postgraphile_kb: kb(p),
      postgraphile_errors: p.errors,
      vs_postgraphile: Number((a.rate / p.rate).toFixed(2)),
      vs_smallest_book: Number((a.rate / tallies[0]!.rate).toFixed(2)),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}

if (withFiling) {
  const tallies = await alternating(worlds.map((w) => w.filing!.target));
  for (const [k, w] of worlds.entries()) {
    const t = tallies[k]!;
    const row: Row = {
      case: filing.name,
      clients: w.clients,
      rps: Math.round(t.rate),
      p50_ms: ms(t.p(50)),
      p99_ms: ms(t.p(99)),
      sql_per_request: w.filing!.sql,
      kb: kb(t),
      errors: t.errors,
      vs_smallest_book: Number((t.rate / tallies[0]!.rate).toFixed(2)),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}

for (const w of worlds) {
  await w.api.stop();
  await w.postgraphile.stop();
  if (opts.keep && !cluster.embedded) console.error(`# kept: ${redact(w.url)}`);
  else await cluster.admin.query(`DROP DATABASE "${w.dbName}" WITH (FORCE)`);
}
await cluster.close();

// The table for docs/performance.md.
const show = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? "-" : String(n));
console.error(`\n${connections} connections, ${rounds} alternating rounds of ${slice} s per target; p50/p99 under that load.\n`);
console.error("| page | clients | API rps | p50 ms | p99 ms | SQL/request | KB | PostGraphile rps | p50 ms | p99 ms | KB | API / PostGraphile | vs smallest book |");
console.error("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
let previous = "";
for (const r of rows) {
  const name = r.case === previous ? "" : r.case;
  previous = r.case;
  const pgl = r.postgraphile_rps === undefined ? "- | - | - | - | -" : `${count(r.postgraphile_rps)} | ${show(r.postgraphile_p50_ms)} | ${show(r.postgraphile_p99_ms)} | ${show(r.postgraphile_kb)} | **${ratio(r.rps, r.postgraphile_rps)}**`;
  console.error(`| ${name} | ${count(r.clients)} | ${count(r.rps)} | ${show(r.p50_ms)} | ${show(r.p99_ms)} | ${show(r.sql_per_request ?? undefined)} | ${show(r.kb)} | ${pgl} | ${r.vs_smallest_book.toFixed(2)}× |`);
}
const failed = rows.filter((r) => r.errors > 0 || (r.postgraphile_errors ?? 0) > 0);
if (failed.length) {
  console.error(`\nErrors under load (responses not the checked body, or failed): ${failed.map((r) => `${r.case} at ${r.clients}: API ${r.errors}, PostGraphile ${r.postgraphile_errors ?? 0}`).join("; ")}`);
  process.exitCode = 1;
}
