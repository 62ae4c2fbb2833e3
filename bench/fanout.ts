/**
 * `npm run bench:fanout -- [--sizes 100,1000,10000] [--filings 10] [--pause 500] [--people 200] [--clients 4]`:
 * live events for many dashboards. For each N, N graphql-ws sockets subscribe to statementsUpdated
 * (one subscription each, two documents alternating), spread over two API processes (A and B, each
 * `node dist/src/main.js` as `npm start` runs it) by several client processes (bench/fanout-client.ts);
 * the subscribers are `--people` people: staff of a broker (Northern, who see the account RESTRICTED),
 * of the importer (Maple Leaf, FULL) and of another importer (Prairie, who may not see it and must get
 * nothing). A third API process (C) takes the filings: `--filings` one-line declarations by alice on a
 * Maple Leaf account, `--pause` ms apart. Printed per N:
 *   - deliveries, and p50/p99/max from each filing's commit (PostgreSQL's commit timestamp) to each
 *     delivery of the state it made (recognised by the subtotal it shows);
 *   - subscribers left without the final state (target 0);
 *   - SQL statements per event on A and B (a quiet phase of 3 filings, carm_sql_statements_total),
 *     groups and renderings per event;
 *   - RSS per open subscription on A and B (VmRSS with N/2 idle subscriptions open, less before), and
 *     after the sockets closed;
 *   - a bystander's `{ viewer { roles } }` on A (dave, one request at a time), p50 while idle (no
 *     socket, no event) and while the N subscriptions are open and the filings flow.
 * 10,000 sockets need file descriptors: every child runs under `ulimit -n` raised to the hard limit
 * (each API process holds N/2 sockets, each client process N/clients); the bench stops with a message
 * when the hard limit is too low. Embedded PostgreSQL in a temp dir (track_commit_timestamp on), or
 * DATABASE_URL (a role with CREATEDB; without commit timestamps, latencies run from the filing's response).
 * `FANOUT_PROFILE=<dir>` writes a CPU profile of A (`--cpu-prof`) there when the bench ends.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import WebSocket from "ws";
import { loadDevIssuer } from "../src/auth/identity.js";
import { personaSubject } from "../src/auth/personas.js";
import { loadConfig, projectRoot } from "../src/config.js";
import { createDataSource } from "../src/db/data-source.js";
import { withDatabase } from "../src/db/database.js";
import { startEmbeddedPostgres } from "../src/db/embedded.js";
import { freePort } from "../src/common/net.js";
import { createLogger } from "../src/logger.js";
import { DEMO_BN, seedDemo } from "../src/seed/demo.js";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,1000,10000" },
    filings: { type: "string", default: "10" },
    pause: { type: "string", default: "500" },
    people: { type: "string", default: "200" },
    clients: { type: "string", default: "4" },
  },
});
const sizes = values.sizes.split(",").map(Number);
const FILINGS = Number(values.filings);
const PAUSE = Number(values.pause);
const PEOPLE = Number(values.people);
const CLIENTS = Number(values.clients);
const QUIET_FILINGS = 3;
const CAD_CENTS = 11_825; // VFD 1,000.00 x 6.5 % = 65.00 duty; VFT 1,065.00; GST 53.25; total 118.25
const BENCH_BN15 = `${DEMO_BN.mapleLeaf}RM0009`;
const logger = createLogger("warn");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();
const log = (...args: unknown[]) => console.error("#", ...args);

// ---------------------------------------------------------------------------------------------
// File descriptors: every socket is one in the API process that serves it and one in the client.
const maxN = Math.max(...sizes);
const hardLimit = Number(spawnSync("bash", ["-c", "ulimit -Hn"], { encoding: "utf8" }).stdout.trim()) || 1024;
const needed = Math.ceil(maxN / 2) + 512;
if (hardLimit !== Infinity && hardLimit < Math.max(needed, Math.ceil(maxN / CLIENTS) + 256)) {
  console.error(`The hard limit on open files (ulimit -Hn: ${hardLimit}) is below what ${maxN} sockets need (${needed} in each API process). Raise it (e.g. in /etc/security/limits.conf, or run as root with \`ulimit -Hn 65536\`), or pass fewer --sizes / more --clients.`);
  process.exit(1);
}
/** A child process under `ulimit -n` raised to the hard limit (the default soft limit is often 1024). */
function spawnNode(args: string[], env: NodeJS.ProcessEnv, ipc = false): ChildProcess {
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return spawn("bash", ["-c", `ulimit -n ${hardLimit} && exec '${process.execPath}' ${quoted}`], { env, stdio: ipc ? ["ignore", "inherit", "inherit", "ipc"] : ["ignore", "pipe", "pipe"] });
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL with commit timestamps: each delivery is timed from its filing's commit.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "carm-bench-fanout-"));
fs.chmodSync(tmp, 0o755);
let adminUrl = process.env.DATABASE_URL;
let stopEmbedded: (() => Promise<void>) | undefined;
let postmasterPid: number | null = null;
if (!adminUrl) {
  const opts = { dataDir: path.join(tmp, "postgres"), port: await freePort(), database: "postgres", logger };
  let embedded = await startEmbeddedPostgres(opts);
  const c = new pg.Client({ connectionString: embedded.url });
  await c.connect();
  await c.query("ALTER SYSTEM SET track_commit_timestamp = on");
  await c.end();
  await embedded.stop();
  embedded = await startEmbeddedPostgres(opts);
  adminUrl = embedded.url;
  stopEmbedded = embedded.stop;
  postmasterPid = Number(fs.readFileSync(path.join(opts.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
}
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const dbName = `carm_bench_fanout_${process.pid}`;
await admin.query(`CREATE DATABASE "${dbName}"`);
const url = withDatabase(adminUrl, dbName);
const db = createDataSource(url, logger);
await db.initialize();
await db.runMigrations({ transaction: "all" });
await seedDemo(db, logger);
const commitTimestamps = (await db.query(`SHOW track_commit_timestamp`))[0].track_commit_timestamp === "on";

// The subscribers: staff of Northern (the broker: Maple Leaf's account RESTRICTED, through its client
// group), of Maple Leaf (FULL, Readers of the account) and of Prairie (who may not see it at all).
const [maple] = await db.query(`SELECT id FROM businesses WHERE bn9 = $1`, [DEMO_BN.mapleLeaf]);
const [northern] = await db.query(`SELECT id FROM businesses WHERE bn9 = $1`, [DEMO_BN.northern]);
const [prairie] = await db.query(`SELECT b.id, pa.id AS account FROM businesses b JOIN program_accounts pa ON pa.business_id = b.id WHERE b.bn9 = $1 LIMIT 1`, [DEMO_BN.prairie]);
const [group] = await db.query(`SELECT id FROM client_groups WHERE provider_business_id = $1 AND name = 'Ontario manufacturers'`, [northern.id]);
const [account] = await db.query(`INSERT INTO program_accounts (business_id, rm, bn15, name) VALUES ($1, 'RM0009', $2, 'Bench live account') RETURNING id`, [maple.id, BENCH_BN15]);
type Kind = "broker" | "importer" | "other";
const kindOf = (i: number): Kind => (i % 20 < 9 ? "broker" : i % 20 < 18 ? "importer" : "other");
const people = Array.from({ length: PEOPLE }, (_, i) => ({ subject: `bench|${i}`, kind: kindOf(i) }));
await db.transaction(async (em) => {
  const ids: { id: string }[] = await em.query(
    `INSERT INTO users (subject, username, display_name, email) SELECT s, 'bench-' || i, 'Bench person ' || i, 'bench' || i || '@example.com'
       FROM unnest($1::text[]) WITH ORDINALITY x(s, i) ORDER BY i RETURNING id`,
    [people.map((p) => p.subject)],
  );
  for (const [i, { id }] of ids.entries()) {
    const kind = people[i]!.kind;
    const business = kind === "broker" ? northern.id : kind === "importer" ? maple.id : prairie.id;
    await em.query(`INSERT INTO business_memberships (user_id, business_id, is_bam, status) VALUES ($1, $2, false, 'ACTIVE')`, [id, business]);
    if (kind === "broker") await em.query(`INSERT INTO client_group_assignments (group_id, user_id, role) VALUES ($1, $2, 'READER')`, [group.id, id]);
    else await em.query(`INSERT INTO program_roles (user_id, program_account_id, role) VALUES ($1, $2, 'READER')`, [id, kind === "importer" ? account.id : prairie.account]);
  }
});
await db.query("VACUUM (ANALYZE)");
const config = loadConfig({ NODE_ENV: "development", DATABASE_URL: url, DATA_DIR: tmp });
const issuer = await loadDevIssuer(tmp, config.auth);
const tokens = await Promise.all(people.map((p) => issuer.sign(p.subject)));
const token = async (persona: string) => issuer.sign(personaSubject(persona));

// ---------------------------------------------------------------------------------------------
// The API processes: A and B serve the subscribers, C takes the filings.
const MAIN = path.join(projectRoot, "dist", "src", "main.js");
const perPerson = Math.ceil(maxN / PEOPLE) + 10;
const children: ChildProcess[] = [];
async function apiProcess(name: string): Promise<{ url: string; pid: number; inspector: string }> {
  const child = spawnNode(["--max-semi-space-size=64", "--inspect=127.0.0.1:0", ...(process.env.FANOUT_PROFILE && name === "A" ? ["--cpu-prof", `--cpu-prof-dir=${process.env.FANOUT_PROFILE}`] : []), MAIN], {
    ...process.env, NODE_ENV: "development", PORT: "0", HOST: "127.0.0.1", DATABASE_URL: url, DATA_DIR: tmp,
    SEED_DEMO: "off", JOBS: "off", SMTP_URL: "", LOG_LEVEL: "info", GRAPHIQL: "off",
    // Many sockets per person: the bench's people stand for wallboards and many tabs (the defaults are per real person).
    WS_MAX_CONNECTIONS_PER_PERSON: String(perPerson), WS_MAX_SUBSCRIPTIONS_PER_PERSON: String(perPerson), WS_MAX_SUBSCRIPTIONS: String(maxN),
    // Their subscription starts and the bystander are not a client's allowance over time either.
    COST_BUDGET_MAX: "0",
    // Each API process holds N/2 sockets: above the default connection cap (2,000) an operator raises it.
    MAX_CONNECTIONS: String(Math.max(2000, Math.ceil(maxN / 2) + 200)),
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let inspector = "";
    const timer = setTimeout(() => reject(new Error(`${name}: no "listening" line:\n${lines.join("\n")}`)), 60_000);
    child.stderr!.on("data", (c: Buffer) => {
      const text = c.toString();
      inspector ||= /Debugger listening on ws:\/\/([^/]+)\//.exec(text)?.[1] ?? "";
      if (lines.length < 200) lines.push(text);
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        if (lines.length < 200) lines.push(line);
        if (line.includes('"msg":"listening"')) {
          clearTimeout(timer);
          resolve({ url: JSON.parse(line).graphql as string, pid: child.pid!, inspector });
        } else if (line.includes('"level":"error"')) console.error(`[${name}] ${line}`);
      }
    });
    child.on("exit", (code) => reject(new Error(`${name} exited with ${code}:\n${lines.join("\n")}`)));
  });
}
const [A, B, C] = await Promise.all([apiProcess("A"), apiProcess("B"), apiProcess("C")]);
const apis = { A, B };

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);

/** CPU time (user + system) a process has used so far, in ms. */
function cpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return 0; // gone
  }
}

/** The embedded PostgreSQL's processes (the postmaster and its backends); none for an external database. */
function postgresPids(): number[] {
  if (postmasterPid === null) return [];
  const pids = [postmasterPid];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === postmasterPid) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** CPU ms used so far by A, B, C, the client processes, and each PostgreSQL process (by pid). */
function cpuSnapshot(): { processes: Record<string, number>; postgres: Map<number, number> } {
  const sum = (pids: number[]) => pids.reduce((t, pid) => t + cpuMs(pid), 0);
  return {
    processes: { A: cpuMs(A.pid), B: cpuMs(B.pid), C: cpuMs(C.pid), clients: sum(clients.map((c) => c.child.pid!)) },
    postgres: new Map(postgresPids().map((pid) => [pid, cpuMs(pid)])),
  };
}

/** CPU ms used between two snapshots, per process, PostgreSQL's backends summed (those that ended meanwhile are missed). */
function cpuUsed(from: ReturnType<typeof cpuSnapshot>, to: ReturnType<typeof cpuSnapshot>): Record<string, number> {
  const used = Object.fromEntries(Object.keys(to.processes).map((k) => [k, Math.round(to.processes[k]! - from.processes[k]!)]));
  let postgres = 0;
  for (const [pid, ms] of to.postgres) postgres += ms - (from.postgres.get(pid) ?? 0);
  return { ...used, postgres: Math.round(postgres) };
}

/**
 * An API process's memory after a full garbage collection, asked through its inspector (the bench
 * starts A and B with --inspect on a free loopback port): what its live objects hold, not garbage
 * that a collection would free. RSS and the V8 heap in use, in KB.
 */
async function memoryAfterGc(api: { pid: number; inspector: string }): Promise<{ rss: number; heap: number }> {
  const targets = (await (await fetch(`http://${api.inspector}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const ws = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
  let id = 0;
  const call = (method: string) =>
    new Promise<any>((resolve) => {
      const mine = ++id;
      const on = (data: WebSocket.RawData) => {
        const m = JSON.parse(String(data)) as { id?: number; result?: unknown };
        if (m.id !== mine) return;
        ws.off("message", on);
        resolve(m.result);
      };
      ws.on("message", on);
      ws.send(JSON.stringify({ id: mine, method }));
    });
  await call("HeapProfiler.collectGarbage");
  await call("HeapProfiler.collectGarbage");
  const usage = await call("Runtime.getHeapUsage");
  ws.close();
  await sleep(500);
  return { rss: rssKb(api.pid), heap: Math.round(usage.usedSize / 1024) };
}
async function scrape(api: { url: string }): Promise<Record<string, number>> {
  const text = await (await fetch(api.url.replace(/\/graphql$/, "/metrics"))).text();
  const out: Record<string, number> = {};
  for (const name of ["carm_sql_statements_total", "carm_subscriptions_open", "carm_live_groups", "carm_live_events_total", "carm_live_renders_total", "carm_live_deliveries_total", "carm_live_resyncs_total"]) {
    out[name] = Number(new RegExp(`^${name} (\\S+)`, "m").exec(text)?.[1] ?? NaN);
  }
  return out;
}
async function waitFor(cond: () => Promise<boolean> | boolean, ms: number, what: string) {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function gql(api: { url: string }, bearer: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(api.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

// The filings: alice, through C. Each one's commit time as PostgreSQL recorded it.
const aliceToken = await token("alice");
const FILE = "mutation ($input: FileDeclarationInput!) { fileDeclaration(input: $input) { transactionNumber } }";
let filed = 0;
async function file(): Promise<number> {
  const releasedOn = new Date().toLocaleDateString("en-CA", { timeZone: "America/Toronto" });
  const lines = [{ classificationCode: "7610100000", description: "Window frame", valueForDuty: "1000.00", tariffTreatment: "2", customsDutyRate: "6.5" }];
  const data = await gql(C, aliceToken, FILE, { input: { bn15: BENCH_BN15, releasedOn, lines } });
  const answered = now();
  filed++;
  if (!commitTimestamps) return answered;
  const [row] = await db.query(`SELECT extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000 AS at FROM transactions WHERE transaction_number = $1`, [data.fileDeclaration.transactionNumber]);
  return Number(row.at);
}

// The bystander: dave's `{ viewer { roles } }` on A, one at a time, all along (but for the quiet phases).
const daveToken = await token("dave");
const bystander: { at: number; ms: number }[] = [];
let bystanderOn = false;
function startBystander(): void {
  bystanderOn = true;
  void (async () => {
    while (bystanderOn) {
      const t = now();
      try {
        await gql(A, daveToken, "{ viewer { roles } }");
        bystander.push({ at: t, ms: now() - t });
      } catch (err) {
        log("bystander failed", err);
      }
      await sleep(20);
    }
  })();
}
startBystander();
const bystanderP50 = (from: number, to: number) => percentile(bystander.filter((b) => b.at >= from && b.at <= to).map((b) => b.ms), 0.5);

// ---------------------------------------------------------------------------------------------
// The client processes.
interface Client {
  child: ChildProcess;
  ask<T>(message: object, reply: string): Promise<T>;
}
const clients: Client[] = await Promise.all(
  Array.from({ length: CLIENTS }, async () => {
    const child = spawnNode([path.join(projectRoot, "dist", "bench", "fanout-client.js")], process.env, true);
    children.push(child);
    await new Promise<void>((resolve) => child.once("message", () => resolve()));
    return {
      child,
      ask<T>(message: object, reply: string) {
        return new Promise<T>((resolve) => {
          const on = (m: { type: string }) => {
            if (m.type !== reply) return;
            child.off("message", on);
            resolve(m as T);
          };
          child.on("message", on);
          child.send(message);
        });
      },
    };
  }),
);

// Two documents: a dashboard row's, and a fuller one (the same viewer in two groups).
const DOCS = [
  "subscription Row { statementsUpdated { id visibleCharges programAccount { id bn15 } } }",
  "subscription Full { statementsUpdated { id status view visibleCharges totalPayable programAccount { bn15 } } }",
];
const sees = (person: number) => people[person]!.kind !== "other";

function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

// Warm-up: the account's statement exists, and A and B have prepared their statements (a few events each).
await file();
{
  const warm = Array.from({ length: 20 }, (_, i) => ({ index: i, url: (i % 2 ? B : A).url.replace(/^http/, "ws"), token: tokens[i]!, query: DOCS[i % 2]! }));
  await clients[0]!.ask({ type: "open", sockets: warm, concurrency: 10 }, "opened");
  await waitFor(async () => (await scrape(A)).carm_subscriptions_open + (await scrape(B)).carm_subscriptions_open === 20, 30_000, "the warm-up subscriptions");
  for (let i = 0; i < 5; i++) await file();
  await sleep(1000);
  await clients[0]!.ask({ type: "close" }, "closed");
}
await waitFor(async () => (await scrape(A)).carm_subscriptions_open + (await scrape(B)).carm_subscriptions_open === 0, 30_000, "the warm-up to close");
await sleep(2000);
const idleFrom = now();
await sleep(4000);
const idleP50 = bystanderP50(idleFrom, now());
log(`bystander idle p50 ${idleP50.toFixed(1)} ms`);

const results: Record<string, unknown>[] = [];
for (const n of sizes) {
  log(`N = ${n}: opening sockets`);
  const memBefore = { A: await memoryAfterGc(A), B: await memoryAfterGc(B) };
  // Socket i: process i % 2, person i % PEOPLE, document floor(i / PEOPLE) % 2 (each person's sockets
  // alternate between the two), client i % CLIENTS.
  const specs = Array.from({ length: n }, (_, i) => ({ i, url: (i % 2 ? B : A).url.replace(/^http/, "ws"), token: tokens[i % PEOPLE]!, query: DOCS[Math.floor(i / PEOPLE) % 2]!, person: i % PEOPLE }));
  const opened = Date.now();
  const replies = await Promise.all(
    clients.map((c, k) => {
      const mine = specs.filter((s) => s.i % CLIENTS === k);
      return c.ask<{ failed: number }>({ type: "open", sockets: mine.map(({ i, url, token, query }) => ({ index: i, url, token, query })), concurrency: 25 }, "opened");
    }),
  );
  const failed = replies.reduce((s, r) => s + r.failed, 0);
  await waitFor(async () => (await scrape(A)).carm_subscriptions_open + (await scrape(B)).carm_subscriptions_open >= n - failed, 300_000, `${n} subscriptions`);
  log(`N = ${n}: ${n - failed} subscriptions open in ${((Date.now() - opened) / 1000).toFixed(1)} s${failed ? ` (${failed} sockets failed)` : ""}`);
  await sleep(3000); // idle, settled
  const open = { A: await scrape(A), B: await scrape(B) };
  const memOpen = { A: await memoryAfterGc(A), B: await memoryAfterGc(B) };

  // Events flow: the filings, timed from their commits.
  for (const c of clients) await c.ask({ type: "records" }, "records"); // drop anything before
  const base = filed;
  const commits: number[] = [];
  const flowFrom = now();
  const cpuFrom = cpuSnapshot();
  for (let f = 0; f < FILINGS; f++) {
    commits.push(await file());
    await sleep(PAUSE);
  }
  // Every socket that may see the account must end with the state of the last filing.
  const finalCents = filed * CAD_CENTS;
  const last = new Map<number, number>();
  const records: [number, number, number][] = [];
  const seeing = specs.filter((s) => sees(s.person)).map((s) => s.i);
  const lagging = () => seeing.filter((i) => (last.get(i) ?? 0) < finalCents).length;
  const gather = async () => {
    for (const c of clients) {
      const r = await c.ask<{ records: [number, number, number][] }>({ type: "records" }, "records");
      for (const rec of r.records) {
        records.push(rec);
        if (rec[2] >= 0) last.set(rec[0], Math.max(last.get(rec[0]) ?? 0, rec[2]));
      }
    }
  };
  const settleUntil = Date.now() + 60_000;
  await gather();
  while (lagging() > 0 && Date.now() < settleUntil) {
    await sleep(250);
    await gather();
  }
  const flowTo = now();
  const cpuTo = cpuSnapshot();
  const left = lagging();
  const latencies: number[] = [];
  let deliveries = 0;
  let wrong = 0;
  for (const [i, at, cents] of records) {
    if (cents < 0) continue;
    deliveries++;
    const k = cents / CAD_CENTS - base - 1; // the filing whose state it shows
    if (!sees(specs[i]!.person) || !Number.isInteger(k)) wrong++;
    if (k >= 0 && k < commits.length) latencies.push(at - commits[k]!);
  }
  const resyncs = records.filter((r) => r[2] === -1).length;
  const errors = records.filter((r) => r[2] === -2).length;
  const byP50 = bystanderP50(flowFrom, flowTo);

  // A quiet phase (no bystander): SQL statements per event on each process.
  bystanderOn = false;
  await sleep(200);
  const q0 = { A: await scrape(A), B: await scrape(B) };
  const quietCpu0 = cpuSnapshot();
  for (let f = 0; f < QUIET_FILINGS; f++) {
    await file();
    await sleep(PAUSE);
  }
  const quietFinal = filed * CAD_CENTS;
  await waitFor(async () => (await gather(), seeing.every((i) => (last.get(i) ?? 0) >= quietFinal)), 60_000, "the quiet phase's deliveries");
  const q1 = { A: await scrape(A), B: await scrape(B) };
  const quietCpu1 = cpuSnapshot();
  // One outbox count per scrape runs after the counter is read: the first scrape's lands in the second's total.
  const perEvent = (p: "A" | "B") => {
    const events = q1[p].carm_live_events_total - q0[p].carm_live_events_total;
    return { events, sql: (q1[p].carm_sql_statements_total - q0[p].carm_sql_statements_total - 1) / events, renders: (q1[p].carm_live_renders_total - q0[p].carm_live_renders_total) / events };
  };
  const quiet = { A: perEvent("A"), B: perEvent("B") };
  startBystander();

  // Close every socket: what the subscriptions held is released.
  await Promise.all(clients.map((c) => c.ask({ type: "close" }, "closed")));
  await waitFor(async () => (await scrape(A)).carm_subscriptions_open + (await scrape(B)).carm_subscriptions_open === 0, 60_000, "every subscription to close");
  await sleep(3000);
  const memClosed = { A: await memoryAfterGc(A), B: await memoryAfterGc(B) };
  const subsOn = { A: open.A.carm_subscriptions_open, B: open.B.carm_subscriptions_open };
  const perSub = (p: "A" | "B", what: "rss" | "heap") => Number(((memOpen[p][what] - memBefore[p][what]) / Math.max(1, subsOn[p])).toFixed(1));

  const row = {
    n,
    subscriptions: subsOn.A + subsOn.B,
    failedSockets: failed,
    deliveries,
    expectedAtLeast: seeing.length * FILINGS,
    wrongDeliveries: wrong,
    resyncs,
    errors,
    leftWithoutFinalState: left,
    p50Ms: Number(percentile(latencies, 0.5).toFixed(1)),
    p99Ms: Number(percentile(latencies, 0.99).toFixed(1)),
    maxMs: Number(Math.max(...latencies).toFixed(1)),
    sqlPerEvent: { A: quiet.A.sql, B: quiet.B.sql },
    groups: { A: open.A.carm_live_groups, B: open.B.carm_live_groups },
    rendersPerEvent: { A: quiet.A.renders, B: quiet.B.renders },
    rssPerSubscriptionKb: { A: perSub("A", "rss"), B: perSub("B", "rss") },
    heapPerSubscriptionKb: { A: perSub("A", "heap"), B: perSub("B", "heap") },
    // After a full collection: before the sockets opened, with them open and idle, after they closed.
    memoryKb: { before: memBefore, open: memOpen, closed: memClosed },
    // CPU ms used during the filings (all processes of the bench), and per event on A and B in the quiet phase.
    cpuMsDuringFilings: cpuUsed(cpuFrom, cpuTo),
    cpuMsPerEvent: { A: Math.round(cpuUsed(quietCpu0, quietCpu1).A! / quiet.A.events), B: Math.round(cpuUsed(quietCpu0, quietCpu1).B! / quiet.B.events) },
    bystanderP50Ms: { idle: Number(idleP50.toFixed(1)), during: Number(byP50.toFixed(1)), ratio: Number((byP50 / idleP50).toFixed(2)) },
  };
  results.push(row);
  console.log(JSON.stringify(row));
}

// The table for docs/performance.md.
console.log("");
console.log("| sockets (subscriptions) | deliveries | p50 / p99 from commit | left without the final state | SQL per event (A / B) | groups per process (A / B) | RSS per open subscription (A / B) | bystander p50 idle -> during |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of results as any[]) {
  console.log(
    `| ${r.n.toLocaleString("en")} | ${r.deliveries.toLocaleString("en")} (${r.expectedAtLeast.toLocaleString("en")} filings x seeing subscribers) | ${r.p50Ms} / ${r.p99Ms} ms | ${r.leftWithoutFinalState} | ${r.sqlPerEvent.A} / ${r.sqlPerEvent.B} | ${r.groups.A} / ${r.groups.B} | ${r.rssPerSubscriptionKb.A} / ${r.rssPerSubscriptionKb.B} KB | ${r.bystanderP50Ms.idle} -> ${r.bystanderP50Ms.during} ms (${r.bystanderP50Ms.ratio}x) |`,
  );
}
if (!commitTimestamps) console.log("(track_commit_timestamp is off on this database: latencies run from each filing's response, not its commit)");

bystanderOn = false;
for (const c of children) c.kill("SIGTERM");
await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))));
await db.destroy();
await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
await admin.end();
await stopEmbedded?.();
fs.rmSync(tmp, { recursive: true, force: true });
