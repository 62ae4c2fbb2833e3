/**
 * `npm run bench:profile`: where a request's time goes, page by page, for the API and for PostGraphile
 * on the same database (the worlds and pages of `npm run bench`), and where a declaration's goes.
 *
 * For each book size it builds a world on a PostgreSQL with pg_stat_statements, runs the API in this
 * process (so that this process's CPU time and garbage collection are the API's) and PostGraphile as a
 * process of its own, and drives both over HTTP from a separate load generator (load-child.ts). Per page:
 *
 * 1. Over HTTP, `--connections` at a time for `--seconds`: requests per second; Node CPU per request
 *    (this process for the API, /proc for PostGraphile's) and the API's garbage collection; PostgreSQL
 *    CPU per request (/proc of the database's backends, for an embedded or local server); and every
 *    statement sent per request, with its calls, execution and planning time (pg_stat_statements).
 * 2. In process, one request at a time (`--iterations`), each phase of the API's request alone, as
 *    its code runs in the server: the token check, sign-in (token, profile and access: one statement),
 *    building the context, the operation's validation (http/operation.ts), execution (the compiled operation: resolvers, shield,
 *    loaders, SQL, with the time spent waiting on SQL), serialization, and a whole Apollo request with
 *    its plugins (from the parsed body to the serialized answer). What is left, Apollo's own pipeline
 *    and the HTTP layer (node:http, express, the JSON body, the gates), is the difference.
 * 3. Filing (unless `--only` excludes it): carol's one-line declarations (pages.ts), one connection
 *    (uncontended latency) then `--connections`, with pg_stat_activity and pg_locks sampled every
 *    few milliseconds: what each of the database's busy backends is doing (running, waiting for a lock
 *    and which, waiting for Node inside a transaction) and in which statement.
 *
 * Options (after `--`): --clients 1000,10000  --seconds 6  --connections 8  --iterations 200  --only <page name part | filing | ping>
 * (`--only ping`: the fixed cost of a request alone.)
 * DATABASE_URL: an external PostgreSQL with pg_stat_statements in shared_preload_libraries (else the
 * statement figures are left out); otherwise an embedded one, configured for it.
 */
import { execFileSync, fork } from "node:child_process";
import { createRequire } from "node:module";
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { HeaderMap } from "@apollo/server";
import { parse } from "graphql";
import { compileQuery, isCompiledQuery } from "graphql-jit";
import pg from "pg";
import { AccessLoader } from "../src/auth/access-loader.js";
import { createTokenVerifier } from "../src/auth/identity.js";
import { loadConfig, projectRoot } from "../src/config.js";
import { buildContext } from "../src/context.js";
import { openDatabase } from "../src/db/database.js";
import { DatabaseAvailability } from "../src/db/availability.js";
import { startEventBus } from "../src/events/bus.js";
import { createApollo } from "../src/http/graphql.js";
import { createMetrics } from "../src/http/metrics.js";
import { createOperationValidator } from "../src/http/operation.js";
import { signIn } from "../src/http/sign-in.js";
import { buildAppSchema } from "../src/schema.js";
import { startServer } from "../src/server.js";
import { graphqlTarget, logger, openCluster, send, startPostGraphile, type Slice, type Target } from "./harness.js";
import { businessToday, filing, pages } from "./pages.js";
import { installPostGraphileFunctions } from "./postgraphile-schema.js";
import { median } from "./stats.js";
import { buildWorld } from "./world.js";
import { clientAddressOf } from "../src/limits/client-address.js";

const { values: opts } = parseArgs({
  options: {
    clients: { type: "string", default: "1000,10000" },
    seconds: { type: "string", default: "6" },
    connections: { type: "string", default: "8" },
    iterations: { type: "string", default: "200" },
    only: { type: "string" },
  },
});
const sizes = opts.clients!.split(",").map(Number);
const seconds = Number(opts.seconds);
const connections = Number(opts.connections);
const iterations = Number(opts.iterations);
const selected = pages.filter((p) => !opts.only || p.name.includes(opts.only));
const withFiling = !opts.only || opts.only === "filing" || filing.name.includes(opts.only);

const cluster = await openCluster({ shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.track": "all", "pg_stat_statements.track_planning": "on" });
const TICK_MS = 1000 / Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim() || 100);
const out = (line = "") => console.log(line);
const SAMPLE_MS = 5;
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "-");
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "-");

/** CPU time (ms) a process has used, from /proc (utime + stime); NaN when it cannot be read. */
function procCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

/** Garbage collection pauses in this process, summed (ms). */
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ["gc"] });

/** A load generator in its own process (load-child.ts): its CPU is not the server's. */
function drive(target: Target, conns: number, secs: number): Promise<Slice> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(projectRoot, "dist", "bench", "load-child.js"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.once("error", reject);
    child.on("message", (m) => {
      if (m === "ready") child.send({ target, connections: conns, seconds: secs });
      else resolve(m as Slice);
    });
  });
}

interface Statement {
  query: string;
  /** Sent by the client (false: run inside another, e.g. a foreign key's check). */
  toplevel: boolean;
  calls: number;
  exec_ms: number;
  plan_ms: number;
  rows: number;
}

interface OverHttp {
  rps: number;
  requests: number;
  nodeCpuMs: number;
  gcMs: number;
  pgCpuMs: number;
  perRequest: Statement[];
  background: Statement[];
  errors: number;
}

class Database {
  private statementsAvailable = true;
  constructor(
    readonly client: pg.Client,
    readonly name: string,
  ) {}

  async backends(): Promise<number[]> {
    const { rows } = await this.client.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()`, [this.name]);
    return rows.map((r) => r.pid as number);
  }

  async resetStatements(): Promise<void> {
    try {
      await this.client.query("SELECT pg_stat_statements_reset()");
    } catch {
      this.statementsAvailable = false;
    }
  }

  async statements(): Promise<Statement[]> {
    if (!this.statementsAvailable) return [];
    const { rows } = await this.client.query(
      `SELECT CASE WHEN toplevel THEN '' ELSE '(nested) ' END || query AS query, toplevel, calls::int, total_exec_time AS exec_ms, total_plan_time AS plan_ms, rows::int FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1) AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%pg_stat_activity%' ORDER BY total_exec_time + total_plan_time DESC`,
      [this.name],
    );
    return rows;
  }
}

/** `target` under load from a separate generator: rates, CPU of the server process and of PostgreSQL, statements. */
async function overHttp(db: Database, target: Target, serverPid: number | "self", secs = seconds, conns = connections): Promise<OverHttp> {
  await drive(target, conns, 1); // warm-up: plans, compiled operations, pools
  await db.resetStatements();
  const before = await db.backends();
  const pgBefore = new Map(before.map((pid) => [pid, procCpuMs(pid)]));
  const cpu0 = serverPid === "self" ? process.cpuUsage() : procCpuMs(serverPid);
  const gc0 = gcMs;
  const slice = await drive(target, conns, secs);
  const nodeCpuMs = serverPid === "self" ? ((u) => (u.user + u.system) / 1000)(process.cpuUsage(cpu0 as NodeJS.CpuUsage)) : procCpuMs(serverPid) - (cpu0 as number);
  const gc = gcMs - gc0;
  let pgCpuMs = 0;
  // A backend that ended during the run (a pool closing an idle connection) is left out: its last CPU time is gone.
  for (const pid of new Set([...before, ...(await db.backends())])) {
    const used = procCpuMs(pid) - (pgBefore.get(pid) ?? 0);
    if (Number.isFinite(used)) pgCpuMs += used;
  }
  const ok = slice.responses.filter((r) => r.status >= 200 && r.status < 300).length - slice.mismatches;
  const statements = await db.statements();
  const perRequest = statements.filter((s) => s.calls >= ok / 2);
  return {
    rps: ok / slice.seconds,
    requests: ok,
    nodeCpuMs: nodeCpuMs / ok,
    gcMs: serverPid === "self" ? gc / ok : NaN,
    pgCpuMs: pgCpuMs / ok,
    perRequest: perRequest.map((s) => ({ ...s, calls: s.calls / ok, exec_ms: s.exec_ms / s.calls, plan_ms: s.plan_ms / s.calls, rows: s.rows / s.calls })),
    background: statements.filter((s) => s.calls < ok / 2),
    errors: slice.responses.length - ok + slice.connectionErrors,
  };
}

function printOverHttp(who: string, r: OverHttp) {
  const sqlPerRequest = r.perRequest.reduce((n, s) => n + (s.toplevel ? s.calls : 0), 0);
  const sqlMs = r.perRequest.reduce((n, s) => n + (s.toplevel ? s.calls * (s.exec_ms + s.plan_ms) : 0), 0);
  out(
    `  ${who.padEnd(15)} ${f1(r.rps).padStart(7)} rps | Node CPU ${f2(r.nodeCpuMs)} ms/request${Number.isFinite(r.gcMs) ? ` (GC ${f2(r.gcMs)} ms, ${Math.round((100 * r.gcMs) / r.nodeCpuMs)} %)` : ""}` +
      ` | PostgreSQL CPU ${f2(r.pgCpuMs)} ms/request | ${f1(sqlPerRequest)} statements sent, ${f2(sqlMs)} ms in PostgreSQL (execution + planning)${r.errors ? ` | ${r.errors} ERRORS` : ""}`,
  );
  for (const s of r.perRequest) {
    out(`      ${f2(s.calls).padStart(5)} x ${f2(s.exec_ms).padStart(6)} ms + plan ${f2(s.plan_ms).padStart(5)} ms, ${f1(s.rows).padStart(5)} rows  ${s.query.replace(/\s+/g, " ").slice(0, 120)}`);
  }
}

/** Runs `fn` `iterations` times after a warm-up, one at a time: Node CPU, wall and GC per call (ms). */
async function phase(fn: () => Promise<unknown> | unknown, setup?: () => Promise<void>): Promise<{ cpu: number; wall: number; gc: number; sqlMs: number; sql: number }> {
  for (let i = 0; i < 20; i++) {
    await setup?.();
    await fn();
  }
  let cpu = 0;
  let gc = 0;
  const walls: number[] = [];
  const sql0 = { ms: sqlTime.ms, n: sqlTime.n };
  for (let i = 0; i < iterations; i++) {
    await setup?.();
    const gc0 = gcMs;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) / 1000;
    gc += gcMs - gc0;
  }
  return { cpu: cpu / iterations, wall: median(walls), gc: gc / iterations, sqlMs: (sqlTime.ms - sql0.ms) / iterations, sql: (sqlTime.n - sql0.n) / iterations };
}

/** SQL wall time of the in-process API (sequential phases only). */
const sqlTime = { ms: 0, n: 0 };
/** Per declaration: how long its transaction held the account's ledger lock, and its whole transaction (ms). */
const ledgerHolds: number[] = [];
const transactions: number[] = [];
/** Per declaration, while it held the ledger lock: statements sent, and the time spent waiting for them (ms). */
const lockedStatements: number[] = [];
const lockedSqlMs: number[] = [];

// Every statement of the in-process API goes through TypeORM's PostgreSQL query runner (a data
// source's query, an entity manager's inside a transaction, repositories, BEGIN and COMMIT): timed
// here, and a transaction's ledger lock followed from the statement that takes it to COMMIT.
const runnerPrototype = createRequire(import.meta.url)("typeorm/driver/postgres/PostgresQueryRunner.js").PostgresQueryRunner.prototype as {
  query: (q: string | { text: string }, ...rest: unknown[]) => Promise<unknown>;
};
const originalQuery = runnerPrototype.query;
const began = new WeakMap<object, { at: number; locked?: number; statements: number; sqlMs: number }>();
runnerPrototype.query = async function (this: object, q, ...rest) {
  const text = typeof q === "string" ? q : q.text;
  const t0 = performance.now();
  try {
    return await originalQuery.call(this, q, ...rest);
  } finally {
    const t1 = performance.now();
    sqlTime.ms += t1 - t0;
    sqlTime.n++;
    const tx = began.get(this);
    if (tx?.locked !== undefined) {
      tx.statements++;
      tx.sqlMs += t1 - t0;
    }
    if (text.startsWith("START TRANSACTION")) began.set(this, { at: t0, statements: 0, sqlMs: 0 });
    else if (/\bSELECT id FROM program_accounts WHERE id = \S+ FOR NO KEY UPDATE\b/.test(text)) {
      if (tx && tx.locked === undefined) tx.locked = t1;
    } else if (tx && (text === "COMMIT" || text === "ROLLBACK")) {
      transactions.push(t1 - tx.at);
      if (tx.locked !== undefined) {
        ledgerHolds.push(t1 - tx.locked);
        lockedStatements.push(tx.statements);
        lockedSqlMs.push(tx.sqlMs);
      }
      began.delete(this);
    }
  }
};

for (const clients of sizes) {
  const dbName = `carm_profile_${clients}_${process.pid}`;
  const url = await buildWorld(cluster.admin, cluster.adminUrl, dbName, clients, logger);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await installPostGraphileFunctions(client);
  await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").catch(() => undefined);
  const db = new Database(client, dbName);

  // The API, in this process, as main.ts starts it (without the job runner, idle here).
  const config = loadConfig({ ...process.env, NODE_ENV: "development", PORT: "0", HOST: "127.0.0.1", DATABASE_URL: url, DATA_DIR: cluster.tmp, LOG_LEVEL: "warn", SEED_DEMO: "off", COST_BUDGET_MAX: "0" });
  const database = await openDatabase(config, logger);
  const ds = database.dataSource;
  const events = await startEventBus(url, logger);
  const server = await startServer(config, ds, logger, events);
  const postgraphile = await startPostGraphile(url);

  // The pieces of a request, built as the server builds them (server.ts), for the phases in process.
  const { schema } = await buildAppSchema();
  const verifier = await createTokenVerifier(config.auth, config.dataDir);
  const availability = new DatabaseAvailability(url, logger);
  const httpServer = http.createServer();
  const operations = createOperationValidator(schema, config);
  const metrics = createMetrics({ db: ds, logger, openSubscriptions: () => 0 });
  const accessLoader = new AccessLoader();
  const apollo = await createApollo({ schema, config, db: ds, logger, verifier, availability, httpServer, events, metrics, operations, accessLoader, budget: null, addressOf: clientAddressOf(config.trustProxy) });

  out(`\n=== ${clients.toLocaleString("en-US")} clients: over HTTP with ${connections} connections for ${seconds} s (after 1 s of warm-up); in process one request at a time, ${iterations} times ===`);
  if (selected.length || opts.only === "ping") {
    // The fixed cost of a request: an operation that executes nothing (HTTP, express, Apollo and its
    // plugins, sign-in, context, the answer), signed in as erin and anonymous, and PostGraphile's.
    const ping = "query Ping { __typename }";
    const fixed = async (target: Target, pid: number | "self") => overHttp(db, { ...target, expectBody: (await send(target)).text }, pid);
    out(`\nfixed cost per request, \`${ping}\`:`);
    printOverHttp("API, signed in", await fixed(graphqlTarget(`${server.url}/graphql`, ping, await cluster.sign("erin")), "self"));
    printOverHttp("API, anonymous", await fixed(graphqlTarget(`${server.url}/graphql`, ping), "self"));
    printOverHttp("PostGraphile", await fixed(graphqlTarget(postgraphile.url, ping), postgraphile.child.pid!));
  }
  for (const page of selected) {
    const token = await cluster.sign(page.persona);
    const apiTarget = graphqlTarget(`${server.url}/graphql`, page.query, token);
    const pglTarget = graphqlTarget(postgraphile.url, page.postgraphile);
    const [a, p] = [await send(apiTarget), await send(pglTarget)];
    if (JSON.stringify(page.digest(a.json)) !== JSON.stringify(page.digest(p.json))) throw new Error(`${page.name}: the API and PostGraphile answer different rows`);
    const api = await overHttp(db, { ...apiTarget, expectBody: a.text }, "self");
    const pgl = await overHttp(db, { ...pglTarget, expectBody: p.text }, postgraphile.child.pid!);
    out(`\n${page.name} at ${clients.toLocaleString("en-US")} clients: ${Math.round(a.text.length / 100) / 10} KB (API), ${Math.round(p.text.length / 100) / 10} KB (PostGraphile)`);
    printOverHttp("API", api);
    printOverHttp("PostGraphile", pgl);

    // The API's phases, one request at a time.
    const authorization = `Bearer ${token}`;
    const document = parse(page.query);
    const compiled = compileQuery(schema, document);
    if (!isCompiledQuery(compiled)) throw new Error(`${page.name}: ${JSON.stringify(compiled.errors)}`);
    const signedIn = await signIn(authorization, verifier, ds, accessLoader);
    const context = () => buildContext(ds, logger, signedIn.user, "profile", signedIn.subject, events, signedIn.access);
    let ctx = await context();
    let result: unknown = await compiled.query(undefined, ctx, {});
    const headers = new HeaderMap([["content-type", "application/json"]]);
    const phases: [string, Awaited<ReturnType<typeof phase>>][] = [
      ["token check (remembered verification)", await phase(() => verifier.verify(token))],
      ["sign-in: token, profile and access (1 statement)", await phase(() => signIn(authorization, verifier, ds, accessLoader))],
      ["context: access kept from sign-in, loaders", await phase(() => context())],
      ["document hash (Apollo's cache key, sha256)", await phase(() => createHash("sha256").update(page.query).digest("hex"))],
      ["operation validation (document remembered; NUL, lists, variables, limits)", await phase(() => operations.check({ query: page.query, variables: {} }, "http"))],
      [
        "execution: compiled operation (resolvers, rules, loaders, SQL)",
        await phase(
          async () => (result = await compiled.query(undefined, ctx, {})),
          async () => void (ctx = await context()),
        ),
      ],
      ["serialization: JSON.stringify of the answer", await phase(() => JSON.stringify(result))],
      [
        "Apollo request: parsed body to serialized answer, plugins, execution",
        await phase(
          () => apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: "POST", headers, search: "", body: { query: page.query } }, context: async () => ctx }),
          async () => void (ctx = await context()),
        ),
      ],
    ];
    const byName = new Map(phases.map(([n, v]) => [n.split(":")[0]!, v]));
    const [signInP, contextP, limits, exec, ser, whole, hash] = ["sign-in", "context", "operation validation (document remembered; NUL, lists, variables, limits)", "execution", "serialization", "Apollo request", "document hash (Apollo's cache key, sha256)"].map((k) => byName.get(k)!);
    out(`  API phases, in process, one at a time (Node CPU / wall median / GC, ms per request):`);
    for (const [name, v] of phases) {
      out(`      ${name.padEnd(70)} ${f2(v.cpu).padStart(6)} / ${f2(v.wall).padStart(6)} / ${f2(v.gc).padStart(5)}${v.sql ? `   (${f1(v.sql)} statements, ${f2(v.sqlMs)} ms waiting on them)` : ""}`);
    }
    // The validation runs before Apollo (graphql.ts's router), which then finds the document in its store.
    const apolloOwn = whole!.cpu - exec!.cpu - ser!.cpu - hash!.cpu;
    const httpLayer = api.nodeCpuMs - signInP!.cpu - contextP!.cpu - limits!.cpu - whole!.cpu;
    out(`      ${"=> Apollo's own: request pipeline, document cache, plugins, formatting".padEnd(70)} ${f2(apolloOwn).padStart(6)}`);
    out(`      ${"=> the rest over HTTP (over-HTTP Node CPU minus sign-in, context, validation, Apollo request)".padEnd(70)} ${f2(httpLayer).padStart(6)}`);
    out(`      ${"   PostgreSQL per request over HTTP: CPU".padEnd(70)} ${f2(api.pgCpuMs).padStart(6)}   (PostGraphile: ${f2(pgl.pgCpuMs)})`);
  }

  if (withFiling) {
    const token = await cluster.sign(filing.persona);
    const target = graphqlTarget(`${server.url}/graphql`, filing.query, token, filing.variables(businessToday()));
    const first = await send(target);
    if (JSON.stringify(first.json) !== JSON.stringify(filing.expected)) throw new Error(`${filing.name}: ${first.text}`);
    const expectBody = first.text;
    out(`\n${filing.name} at ${clients.toLocaleString("en-US")} clients`);
    for (const list of [ledgerHolds, transactions, lockedStatements, lockedSqlMs]) list.length = 0;
    const alone = await overHttp(db, { ...target, expectBody }, "self", Math.max(2, seconds / 2), 1);
    await settled(client, dbName);
    const aloneHold = median(ledgerHolds);
    const aloneTx = median(transactions);
    const aloneLocked = { statements: median(lockedStatements), sqlMs: median(lockedSqlMs) };
    printOverHttp("1 connection", alone);
    for (const list of [ledgerHolds, transactions, lockedStatements, lockedSqlMs]) list.length = 0;
    const sampling = new pg.Client({ connectionString: url });
    await sampling.connect();
    const sampler = startSampler(sampling, dbName);
    const busy = await overHttp(db, { ...target, expectBody }, "self");
    const samples = await sampler.stop();
    await sampling.end();
    await settled(client, dbName);
    printOverHttp(`${connections} connections`, busy);
    out(`  ${samples.total} samples of the database's busy backends (every ${SAMPLE_MS} ms, ${f1(samples.total / samples.rounds)} busy on average), by kind:`);
    const kinds = new Map<string, number>();
    for (const [what, n] of samples.counts) kinds.set(what.split(":")[0]!, (kinds.get(what.split(":")[0]!) ?? 0) + n);
    for (const [kind, n] of [...kinds].sort((x, y) => y[1] - x[1])) out(`      ${f1((100 * n) / samples.total).padStart(5)} %  ${kind}`);
    out(`  and in detail:`);
    for (const [what, n] of [...samples.counts].sort((x, y) => y[1] - x[1]).slice(0, 25)) out(`      ${f1((100 * n) / samples.total).padStart(5)} %  ${what}`);
    out(`  ledger lock held (from the statement that takes it to COMMIT), median: ${f1(aloneHold)} ms alone, ${f1(median(ledgerHolds))} ms with ${connections} connections`);
    out(`  (one account's declarations cannot exceed 1000 / hold time: ${f1(1000 / aloneHold)}/s alone, ${f1(1000 / median(ledgerHolds))}/s at that hold time)`);
    out(
      `  while it is held: ${f1(aloneLocked.statements)} statements sent (COMMIT included), ${f1(aloneLocked.sqlMs)} ms of it waiting for them alone ` +
        `(${f1(median(lockedSqlMs))} ms with ${connections} connections); the rest is Node between them`,
    );
    out(`  whole transaction, median: ${f1(aloneTx)} ms alone, ${f1(median(transactions))} ms with ${connections} connections`);
    out(`  declarations/s: ${f1(alone.rps)} with 1 connection (${f1(1000 / alone.rps)} ms each), ${f1(busy.rps)} with ${connections}`);
  }

  await server.stop();
  await postgraphile.stop();
  await events.close();
  await apollo.stop();
  await database.close();
  // The pools' connections end asynchronously: dropping the database under them makes them report errors.
  for (let i = 0; i < 100 && (await db.backends()).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
  await client.end();
  await cluster.admin.query(`DROP DATABASE "${dbName}" WITH (FORCE)`);
}
await cluster.close();

/** Waits until no backend of the database is inside a statement or a transaction (requests the load generator left in flight). */
async function settled(client: pg.Client, dbName: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle' AND query NOT LIKE '%pg_stat_activity%'`,
      [dbName],
    );
    if (rows[0].n === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Samples what the database's busy backends are doing: running, waiting for a lock (which kind, on
 * what, in which statement), waiting for their client inside a transaction (Node's turn), or waiting
 * on something else.
 */
function startSampler(client: pg.Client, dbName: string) {
  const counts = new Map<string, number>();
  let total = 0;
  let rounds = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      const { rows } = await client.query(
        `SELECT a.state, a.wait_event_type, a.wait_event, left(regexp_replace(a.query, '\\s+', ' ', 'g'), 70) AS query,
                l.locktype, l.mode, l.relation::regclass::text AS relation, l.classid::regclass::text AS class
           FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted
          WHERE a.datname = $1 AND a.backend_type = 'client backend' AND a.pid <> pg_backend_pid() AND a.state <> 'idle'`,
        [dbName],
      );
      rounds++;
      for (const r of rows) {
        total++;
        const what =
          r.state === "idle in transaction"
            ? `in a transaction, waiting for Node (after: ${r.query})`
            : r.wait_event_type === "Lock"
              ? `waiting for a lock: ${r.locktype ?? r.wait_event} ${r.mode ?? ""} ${r.relation ?? r.class ?? ""} (in: ${r.query})`
              : r.wait_event_type && r.wait_event_type !== "Client"
                ? `waiting: ${r.wait_event_type} ${r.wait_event} (in: ${r.query})`
                : r.wait_event_type === "Client"
                  ? `active, waiting for the client: ${r.wait_event} (in: ${r.query})`
                  : `running (in: ${r.query})`;
        counts.set(what, (counts.get(what) ?? 0) + 1);
      }
      await new Promise((res) => setTimeout(res, SAMPLE_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { counts, total, rounds };
    },
  };
}
