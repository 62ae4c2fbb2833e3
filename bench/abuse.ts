/**
 * What misbehaving clients do to everyone else. Starts the real server (the built `dist/src/main.js`,
 * as `npm start` runs it) on embedded PostgreSQL in a temporary directory, adds 300 transactions with
 * versions and lines so that every page is full, and then, one attack after another, times a
 * well-behaved bystander (carol, `{ viewer { roles } }`, one request after the other) while the
 * attack runs:
 *
 * - idle: the bystander alone (the reference), after 3 s of warming up;
 * - alias flood: rounds of 64 concurrent requests as alice (each round waits for its last answer), two thirds the heaviest the limits allow
 *   (aliases of `transactions(first: 100)` with nested versions), the rest over the cost limit or an
 *   alias bomb;
 * - coercion flood: anonymous, rounds of 3, `estimateDutiesAndTaxes` with 20,000 empty objects (60 KB);
 * - slow bodies: 64 anonymous sockets announcing a 100 KB body and sending a byte a second;
 * - registration burst: harry, rounds of 40 concurrent `registerBusiness` with wrong answers on a business
 *   whose attempts are spaced (many failures);
 * - broker burst: erin, rounds of 64 concurrent heavy legitimate pages of her clients' transactions;
 *
 * and reports, for each: the bystander's p50/p99 and its 503s (and other failures), what the attacker
 * got, the largest response an attacker received, and the server process's peak resident memory
 * (VmRSS sampled every 20 ms; VmHWM over the whole run).
 *
 * Usage: npm run bench:abuse [-- --seconds 8] [-- --env MAX_CONCURRENT_REQUESTS=32 ...]
 * Only loopback addresses are used; every process and socket started here is stopped here.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
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
const seconds = Number(arg("seconds", "8"));
const extraEnv = Object.fromEntries(
  args.flatMap((a, i) => (args[i - 1] === "--env" ? [[a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] as const] : [])),
);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const MAIN = path.join(root, "dist", "src", "main.js");

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
  const tokenOf = (name: string) => personas.personas.find((p) => p.username === name)!.token;

  const page = (alias: string, versions: number, lines: number) =>
    `${alias}: transactions(first: 100) { edges { node { transactionNumber releasedOn totalDutiesAndTaxes
      versions(first: ${versions}) { edges { node { versionNo lines(first: ${lines}) { edges { node { lineNo valueForDuty } } } } } } } } }`;
  const aliases = (n: number, versions: number, lines: number) => `{ ${Array.from({ length: n }, (_, i) => page(`a${i}`, versions, lines)).join(" ")} }`;
  const floodKinds = [
    aliases(3, 2, 2), // the heaviest allowed
    aliases(15, 10, 10), // over the cost limit
    `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: transactions(first: 100) { totalCount }`).join(" ")} }`, // alias bomb
  ];

  type Outcome = { status: number; code: string | null; bytes: number };
  const ask = async (body: unknown, token?: string): Promise<Outcome> => {
    try {
      const res = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let code: string | null = null;
      // The code of the first error, read without parsing a large answer (the bench shares the
      // server's cores: its own CPU is not what is measured).
      const m = /"code":"([A-Z_]+)"/.exec(text.length < 10_000 ? text : text.slice(0, 2000));
      if (m) code = m[1]!;
      else if (!text.startsWith("{")) code = "not JSON";
      // The cost budget's refusals apart from the fair share's and registration's (all RATE_LIMITED), by their sentence.
      if (code === "RATE_LIMITED" && text.includes("query budget is spent")) code = "RATE_LIMITED (budget)";
      return { status: res.status, code, bytes: text.length };
    } catch {
      return { status: 0, code: "no answer (connection failed)", bytes: 0 };
    }
  };

  const heaviest = await ask({ query: floodKinds[0] }, tokenOf("alice"));
  if (heaviest.status !== 200 || heaviest.code) throw new Error(`the heaviest allowed query is refused (${heaviest.status} ${heaviest.code}): adjust it to the limits`);

  // A business whose registration attempts are spaced: many failures by others in the window.
  let spacedBn9: string;
  {
    const db = new pg.Client({ connectionString: `postgres://postgres:carm-dev@127.0.0.1:${pgPort}/carm` });
    await db.connect();
    spacedBn9 = (await db.query(`SELECT bn9 FROM businesses WHERE legal_name LIKE 'Laurentian%'`)).rows[0].bn9;
    await db.query(
      `INSERT INTO registration_attempts (business_id, user_id, succeeded)
       SELECT b.id, u.id, false FROM businesses b, users u, generate_series(1, 3) WHERE b.bn9 = $1 AND u.username IN ('alice', 'bob', 'carol', 'dave', 'erin', 'frank')`,
      [spacedBn9],
    );
    await db.end();
  }

  const pid = child!.pid!;
  let peakRss = processMemory(pid).rss;
  let phasePeak = peakRss;
  const sampler = setInterval(() => {
    if (child!.exitCode !== null || child!.signalCode !== null) return;
    try {
      const { rss } = processMemory(pid);
      peakRss = Math.max(peakRss, rss);
      phasePeak = Math.max(phasePeak, rss);
    } catch {
      /* the process just ended */
    }
  }, 20);

  /** The bystander: carol asks who she is, one request after the other, until told to stop. */
  const bystander = async (until: () => boolean) => {
    const token = tokenOf("carol");
    const times: number[] = [];
    const statuses = new Map<string, number>();
    while (!until()) {
      const started = performance.now();
      const r = await ask({ query: "{ viewer { roles } }" }, token);
      times.push(performance.now() - started);
      const key = r.status === 200 && !r.code ? "200" : `${r.status} ${r.code}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? NaN;
    return { n: times.length, p50: q(0.5), p99: q(0.99), statuses };
  };

  /** Runs an attack (a loop of its own until `stop`) beside the bystander for `seconds`. */
  const phase = async (name: string, attack: (stop: () => boolean, record: (o: Outcome) => void) => Promise<void>) => {
    phasePeak = processMemory(pid).rss;
    const got = new Map<string, number>();
    let largest = 0;
    const record = (o: Outcome) => {
      const key = o.status === 200 && !o.code ? "200 served" : `${o.status} ${o.code}`;
      got.set(key, (got.get(key) ?? 0) + 1);
      largest = Math.max(largest, o.bytes);
    };
    const deadline = Date.now() + seconds * 1000;
    const stop = () => Date.now() > deadline;
    const [seen] = await Promise.all([bystander(stop), attack(stop, record)]);
    return { name, seen, got, largest, peak: phasePeak };
  };

  /** Rounds of `n` requests at once (each round waits for the last answer), until `stop`. */
  const rounds = async (stop: () => boolean, n: number, one: (i: number) => Promise<void>) => {
    while (!stop()) await Promise.all(Array.from({ length: n }, (_, i) => one(i)));
  };

  // Warm up first (compiled operations, JIT, the pool's connections): a cold idle run would make every ratio look better than it is.
  const warmUntil = Date.now() + 3000;
  await bystander(() => Date.now() > warmUntil);
  const results = [];
  results.push(await phase("idle", async () => undefined));
  results.push(
    await phase("alias flood (alice, rounds of 64)", (stop, record) =>
      // Two thirds of each round the heaviest allowed, the rest over the cost limit or an alias bomb.
      rounds(stop, 64, async (i) => record(await ask({ query: floodKinds[i % 3 === 2 ? 1 + (((i / 3) | 0) % 2) : 0] }, tokenOf("alice")))),
    ),
  );
  // Sent as written (60 KB), not rebuilt per request: the attacker's own CPU is not the server's.
  const coercionBody = `{"query":"query ($l: [EstimateLineInput!]!) { estimateDutiesAndTaxes(lines: $l) { total } }","variables":{"l":${JSON.stringify(Array.from({ length: 20_000 }, () => ({})))}}}`;
  results.push(
    await phase("coercion flood (anonymous, rounds of 3, 20,000 empty objects)", (stop, record) =>
      rounds(stop, 3, async () => record(await ask(coercionBody))),
    ),
  );
  results.push(
    await phase("slow bodies (64 anonymous sockets, a byte a second)", async (stop, record) => {
      const port = Number(new URL(url).port);
      await Promise.all(Array.from({ length: 64 }, async () => {
        while (!stop()) {
          await new Promise<void>((resolve) => {
            const socket = net.connect(port, "127.0.0.1");
            let answer = "";
            socket.on("data", (d) => (answer += d.toString()));
            socket.on("error", () => undefined);
            const drip = setInterval(() => (stop() ? socket.destroy() : socket.write("x")), 1000);
            socket.once("connect", () => socket.write(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`));
            socket.once("close", () => {
              clearInterval(drip);
              const status = Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1] ?? 0);
              record({ status, code: /"code":"([A-Z_]+)"/.exec(answer)?.[1] ?? (status ? null : "closed by the client"), bytes: answer.length });
              resolve();
            });
          });
        }
      }));
    }),
  );
  const wrongRegistration = {
    query: `mutation ($input: RegisterBusinessInput!) { registerBusiness(input: $input) { bn9 } }`,
    variables: {
      input: {
        bn9: spacedBn9,
        rm: "RM0001",
        legalName: "Nobody Inc.",
        address: { addressLine: "1 Main St", city: "Ottawa", province: "ON", postalCode: "K1A 0B1" },
        acceptTerms: true,
        affinity: { lastPaymentAmount: "1.00", lastStatementBalance: "2.00" },
      },
    },
  };
  results.push(
    await phase("registration burst (harry, rounds of 40, wrong answers)", (stop, record) =>
      rounds(stop, 40, async () => record(await ask(wrongRegistration, tokenOf("harry")))),
    ),
  );
  const brokerPage = `{ transactions(first: 100) { totalCount edges { node { transactionNumber releasedOn totalDutiesAndTaxes late dueDate
    submittedBy { legalName } programAccount { bn15 name business { legalName } } versions(first: 3) { edges { node { versionNo status totalDutiesAndTaxes } } } } } } }`;
  results.push(
    await phase("broker burst (erin, rounds of 64 heavy pages)", (stop, record) => rounds(stop, 64, async () => record(await ask({ query: brokerPage }, tokenOf("erin"))))),
  );
  clearInterval(sampler);
  const crashed = child!.exitCode !== null || child!.signalCode !== null;
  const hwm = crashed ? peakRss : Math.max(peakRss, processMemory(pid).hwm);

  const idle = results[0]!.seen;
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  console.log(`\nbench:abuse: ${seconds} s per attack, ${os.cpus().length} cores`);
  console.log(`settings: ${Object.entries(extraEnv).filter(([k]) => k !== "LOG_LEVEL").map(([k, v]) => `${k}=${v}`).join(" ") || "defaults"}`);
  console.log(`one "heaviest allowed" response: ${(heaviest.bytes / 1024).toFixed(0)} KiB of JSON\n`);
  console.log(`| attack | bystander requests | p50 | p99 | p50 vs idle | bystander 503s | other bystander failures | attacker got | largest response | peak RSS |`);
  console.log(`| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`);
  for (const r of results) {
    const failures = [...r.seen.statuses].filter(([k]) => k !== "200");
    const s503 = failures.filter(([k]) => k.startsWith("503")).reduce((n, [, c]) => n + c, 0);
    const other = failures.filter(([k]) => !k.startsWith("503")).map(([k, c]) => `${k}: ${c}`).join(", ") || "0";
    const got = [...r.got].sort((a, b) => b[1] - a[1]).map(([k, c]) => `${k}: ${c}`).join(", ") || "";
    console.log(
      `| ${r.name} | ${r.seen.n} | ${ms(r.seen.p50)} | ${ms(r.seen.p99)} | ${(r.seen.p50 / idle.p50).toFixed(2)}x | ${s503} | ${other} | ${got} | ${(r.largest / 1024).toFixed(0)} KiB | ${r.peak.toFixed(0)} MiB |`,
    );
  }
  console.log(crashed ? `\nTHE SERVER DIED (exit code ${child!.exitCode}, signal ${child!.signalCode}): see its output above` : `\nserver peak RSS over the whole run: ${hwm.toFixed(0)} MiB (VmHWM)`);
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
