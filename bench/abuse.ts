/**
 * What a flood of worst-case requests does to the server's memory. Starts the real server (the
 * built `dist/src/main.js`, as `npm start` runs it) on embedded PostgreSQL in a temporary directory,
 * adds 300 transactions with versions and lines so that every page is full, then fires rounds of 64
 * concurrent requests as alice:
 *
 * - "heaviest allowed": aliases of `transactions(first: 100)` with nested versions, just under the
 *   cost limit: the most one request may make the server resolve;
 * - "over the cost limit": the same with larger nested pages (refused before it runs);
 * - "alias bomb": more aliases than allowed (refused);
 *
 * and reports what was served, refused (400) or shed (503), and the server process's resident
 * memory (VmRSS sampled every 20 ms, and the kernel's high-water mark VmHWM).
 *
 * Usage: npm run bench:abuse [-- --rounds 5] [-- --env MAX_CONCURRENT_REQUESTS=1000 ...]
 * Only loopback addresses are used; every process started here is stopped here.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const rounds = Number(arg("rounds", "5"));
const CONCURRENCY = 64;
const extraEnv = Object.fromEntries(
  args.flatMap((a, i) => (args[i - 1] === "--env" ? [[a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] as const] : [])),
);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const MAIN = path.join(root, "dist", "src", "main.js");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process in MiB: now (VmRSS) and its peak so far (VmHWM). */
function memory(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "carm-abuse-"));
fs.chmodSync(dataDir, 0o755);
const pgPort = await freePort();
let child: ChildProcess | null = null;

async function startApi(): Promise<string> {
  // The same V8 flags as `npm start` (package.json "serve").
  child = spawn(process.execPath, ["--max-semi-space-size=64", MAIN], {
    env: { ...process.env, NODE_ENV: "development", PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), DATABASE_URL: "", LOG_LEVEL: "warn", ...extraEnv },
    stdio: ["ignore", "pipe", "inherit"],
  });
  // "listening" is logged at info; ask for it through a readiness poll instead.
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the API did not start within 120 s")), 120_000);
    let buffered = "";
    child!.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const m = /"graphql":"http:\/\/[^:]+:(\d+)\/graphql"/.exec(buffered);
      if (m) {
        clearTimeout(timer);
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
  // LOG_LEVEL=warn hides the "listening" line; keep info for the start only.
  extraEnv.LOG_LEVEL ??= "info";
  const url = await startApi();

  const db = new pg.Client({ connectionString: `postgres://postgres:carm-dev@127.0.0.1:${pgPort}/carm` });
  await db.connect();
  await db.query(`
    WITH pa AS (SELECT id, business_id FROM program_accounts WHERE bn15 = '123456782RM0001'),
    t AS (INSERT INTO transactions (transaction_number, program_account_id, submitted_by_business_id, released_on, current_version_no, total_duties_and_taxes)
          SELECT lpad((80000000000000 + g)::text, 14, '0'), pa.id, pa.business_id, DATE '2026-11-01' + (g % 40), 3, 100 FROM pa, generate_series(1, 300) g
          RETURNING id, submitted_by_business_id),
    v AS (INSERT INTO transaction_versions (transaction_id, version_no, kind, status, submitted_by_business_id, customs_duty, sima, excise, gst, total_duties_and_taxes)
          SELECT t.id, n, CASE WHEN n = 1 THEN 'ORIGINAL'::transaction_version_kind ELSE 'CORRECTION'::transaction_version_kind END, 'ACCEPTED', t.submitted_by_business_id, 60, 0, 0, 40, 100
          FROM t, generate_series(1, 3) n RETURNING id)
    INSERT INTO transaction_lines (version_id, line_no, classification_code, description, value_for_duty, tariff_treatment, customs_duty_rate, sima, excise, customs_duty, value_for_tax, gst)
    SELECT v.id, l, '7610100000', 'Aluminium window frames', 1000, '2', 6.5, 0, 0, 65, 1065, 53.25 FROM v, generate_series(1, 5) l`);
  await db.end();

  const personas = (await (await fetch(`${url}/dev/personas`)).json()) as { personas: { username: string; token: string }[] };
  const token = personas.personas.find((p) => p.username === "alice")!.token;

  const page = (alias: string, versions: number, lines: number) =>
    `${alias}: transactions(first: 100) { edges { node { transactionNumber releasedOn totalDutiesAndTaxes
      versions(first: ${versions}) { edges { node { versionNo lines(first: ${lines}) { edges { node { lineNo valueForDuty } } } } } } } } }`;
  const aliases = (n: number, versions: number, lines: number) => `{ ${Array.from({ length: n }, (_, i) => page(`a${i}`, versions, lines)).join(" ")} }`;
  const kinds = {
    "heaviest allowed": aliases(3, 2, 2),
    "over the cost limit": aliases(15, 10, 10),
    "alias bomb": `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: transactions(first: 100) { totalCount }`).join(" ")} }`,
  };

  const ask = async (query: string) => {
    try {
      const res = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
      const body = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      return { status: res.status, code: body.errors?.[0]?.extensions?.code ?? null, bytes: JSON.stringify(body).length };
    } catch {
      return { status: 0, code: "no answer (connection failed)", bytes: 0 };
    }
  };

  const heaviest = await ask(kinds["heaviest allowed"]);
  if (heaviest.status !== 200 || heaviest.code) throw new Error(`the heaviest allowed query is refused (${heaviest.status} ${heaviest.code}): adjust it to the limits`);

  const pid = child!.pid!;
  const before = memory(pid);
  let peakRss = before.rss;
  let last = before;
  const sampler = setInterval(() => {
    if (child!.exitCode !== null || child!.signalCode !== null) return;
    try {
      last = memory(pid);
      peakRss = Math.max(peakRss, last.rss);
    } catch {
      /* the process just ended */
    }
  }, 20);
  const counts = new Map<string, number>();
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    const names = Object.keys(kinds) as (keyof typeof kinds)[];
    // Two thirds of each round are the heaviest allowed request: what memory must survive.
    const batch = Array.from({ length: CONCURRENCY }, (_, i) => (i % 3 === 2 ? names[1 + ((i / 3) | 0) % 2]! : names[0]));
    const results = await Promise.all(batch.map(async (name) => ({ name, ...(await ask(kinds[name])) })));
    for (const x of results) {
      const key = `${x.name}: ${x.status} ${x.code ?? "served"}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const crashed = child!.exitCode !== null || child!.signalCode !== null;
  const after = crashed ? last : memory(pid);

  console.log(`\nbench:abuse: ${rounds} rounds of ${CONCURRENCY} concurrent requests in ${seconds.toFixed(1)} s (${os.cpus().length} cores)`);
  console.log(`settings: ${Object.entries(extraEnv).filter(([k]) => k !== "LOG_LEVEL").map(([k, v]) => `${k}=${v}`).join(" ") || "defaults"}`);
  console.log(`one "heaviest allowed" response: ${(heaviest.bytes / 1024).toFixed(0)} KiB of JSON`);
  for (const [key, n] of [...counts].sort()) console.log(`  ${key.padEnd(52)} ${n}`);
  console.log(
    crashed
      ? `server RSS: ${before.rss.toFixed(0)} MiB before, peak ${peakRss.toFixed(0)} MiB (sampled) until it died`
      : `server RSS: ${before.rss.toFixed(0)} MiB before, peak ${Math.max(peakRss, after.hwm).toFixed(0)} MiB (VmHWM), ${after.rss.toFixed(0)} MiB after`,
  );
  if (crashed) console.log(`THE SERVER DIED during the flood (exit code ${child!.exitCode}, signal ${child!.signalCode}): see its output above`);
} finally {
  await stopApi();
  // A server that died hard (out of memory) left its PostgreSQL running: stop that too.
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    process.kill(pid, "SIGINT");
    for (let i = 0; i < 300; i++) {
      process.kill(pid, 0); // throws once it is gone
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch {
    /* not running */
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}
