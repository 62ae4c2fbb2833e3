/**
 * A CSV export of a million transactions, and what it does to the server's memory. Starts the real
 * server (the built `dist/src/main.js`, as `npm start` runs it) on embedded PostgreSQL in a temporary
 * directory, adds `--rows` transactions (default 1,000,000, each with one version) to Maple Leaf's
 * RM0001, asks the API for a download link as `--as` (default alice, the importer's BAM; erin
 * reads the same rows as Maple Leaf's broker, each checked against her relationship), and downloads
 * it, reading as fast as it comes. The server process's resident memory (VmRSS) is sampled every
 * 100 ms and printed at each tenth of the rows, with its high-water mark (VmHWM): flat means the
 * rows stream through, not pile up.
 *
 * Usage: npm run bench:export [-- --rows 1000000] [-- --as erin]
 * Only loopback addresses are used; every process started here is stopped here.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { freePort } from "../src/common/net.js";
import { processMemory } from "./process-memory.js";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const ROWS = Number(arg("rows", "1000000"));
const AS = arg("as", "alice");

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const MAIN = path.join(root, "dist", "src", "main.js");

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "carm-export-"));
fs.chmodSync(dataDir, 0o755);
const pgPort = await freePort();
let child: ChildProcess | null = null;

async function startApi(): Promise<string> {
  // The same V8 flags as `npm start` (package.json "serve").
  child = spawn(process.execPath, ["--max-semi-space-size=64", MAIN], {
    env: { ...process.env, NODE_ENV: "development", PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), DATABASE_URL: "", LOG_LEVEL: "info", JOBS: "off" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the API did not start within 120 s")), 120_000);
    let buffered = "";
    child!.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const m = /"graphql":"http:\/\/[^:]+:(\d+)\/graphql"/.exec(buffered);
      if (m) {
        clearTimeout(timer);
        buffered = "";
        resolve(Number(m[1]));
      }
    });
    child!.once("exit", (code) => reject(new Error(`the API exited with ${code}`)));
  });
  return `http://127.0.0.1:${port}`;
}

async function stopApi() {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child!.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

try {
  const url = await startApi();
  const db = new pg.Client({ connectionString: `postgres://postgres:carm-dev@127.0.0.1:${pgPort}/carm` });
  await db.connect();
  const seeding = performance.now();
  // Maple Leaf's own filings (every persona that reaches Maple Leaf sees them), spread over four years.
  await db.query(
    `WITH pa AS (SELECT id, business_id FROM program_accounts WHERE bn15 = '123456782RM0001'),
     t AS (INSERT INTO transactions (transaction_number, program_account_id, submitted_by_business_id, released_on, current_version_no, total_duties_and_taxes)
           SELECT lpad((70000000000000 + g)::text, 14, '0'), pa.id, pa.business_id, DATE '2022-01-01' + (g % 1400), 1, 118.25 FROM pa, generate_series(1, $1::int) g
           RETURNING id, submitted_by_business_id)
     INSERT INTO transaction_versions (transaction_id, version_no, kind, status, submitted_by_business_id, customs_duty, sima, excise, gst, total_duties_and_taxes)
     SELECT t.id, 1, 'ORIGINAL', 'ACCEPTED', t.submitted_by_business_id, 65, 0, 0, 53.25, 118.25 FROM t`,
    [ROWS],
  );
  await db.query("VACUUM (ANALYZE) transactions, transaction_versions");
  await db.end();
  const seeded = (performance.now() - seeding) / 1000;

  const personas = (await (await fetch(`${url}/dev/personas`)).json()) as { personas: { username: string; token: string }[] };
  const token = personas.personas.find((p) => p.username === AS)!.token;
  const link = (await (
    await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ transactionsExport { url } transactions { totalCount } }" }),
    })
  ).json()) as { data: { transactionsExport: { url: string }; transactions: { totalCount: number } } };
  // The added rows, and the demo world's that the persona sees.
  const expected = link.data.transactions.totalCount;

  const pid = child!.pid!;
  // A server that has just started has garbage left from seeding and start-up: settle first.
  await new Promise((r) => setTimeout(r, 2000));
  const before = processMemory(pid);
  const samples: { rows: number; rss: number }[] = [];
  let rows = -1; // the header line
  let bytes = 0;
  let peak = before.rss;
  const sampler = setInterval(() => {
    const m = processMemory(pid);
    peak = Math.max(peak, m.rss);
    samples.push({ rows, rss: m.rss });
  }, 100);
  const started = performance.now();
  const res = await fetch(`${url}${link.data.transactionsExport.url}`);
  if (res.status !== 200) throw new Error(`the download answered ${res.status}: ${await res.text()}`);
  const reader = res.body!.getReader();
  let firstByte = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!firstByte) firstByte = performance.now() - started;
    bytes += value.length;
    for (const b of value) if (b === 10) rows++;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const after = processMemory(pid);

  console.log(`\nbench:export: ${rows.toLocaleString("en-CA")} rows (${(bytes / 1024 / 1024).toFixed(0)} MiB of CSV) exported as ${AS} in ${seconds.toFixed(1)} s`);
  console.log(`  ${Math.round(rows / seconds).toLocaleString("en-CA")} rows/s; first byte after ${firstByte.toFixed(0)} ms; seeding took ${seeded.toFixed(0)} s; ${os.cpus().length} cores`);
  console.log(`  server RSS before: ${before.rss.toFixed(0)} MiB (high-water mark so far ${before.hwm.toFixed(0)} MiB)`);
  for (let tenth = 1; tenth <= 10; tenth++) {
    const at = samples.find((s) => s.rows >= (rows * tenth) / 10);
    if (at) console.log(`  after ${String(tenth * 10).padStart(3)} % of the rows: ${at.rss.toFixed(0)} MiB`);
  }
  console.log(`  peak during the download: ${peak.toFixed(0)} MiB (sampled every 100 ms); after: ${after.rss.toFixed(0)} MiB; VmHWM ${after.hwm.toFixed(0)} MiB`);
  if (rows !== expected) throw new Error(`expected ${expected} rows (the list's totalCount), got ${rows}`);
} finally {
  await stopApi();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
