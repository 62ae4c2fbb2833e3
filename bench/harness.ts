/**
 * What the benchmarks share: a PostgreSQL server to build worlds on, and the servers under test as
 * processes of their own (started here, stopped here, whatever happens). HTTP load: http-load.ts.
 */
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { loadDevIssuer } from "../src/auth/identity.js";
import { personaSubject } from "../src/auth/personas.js";
import { loadConfig, projectRoot } from "../src/config.js";
import { startEmbeddedPostgres } from "../src/db/embedded.js";
import { freePort } from "../src/common/net.js";
import { createLogger } from "../src/logger.js";

// Errors only: building a world runs statements that the warning level reports as slow, on stdout, where the JSON lines go.
export const logger = createLogger("error");

export interface Cluster {
  adminUrl: string;
  admin: pg.Client;
  /** Temp directory of this run (the development token issuer's key, the embedded data). */
  tmp: string;
  embedded: boolean;
  sign(persona: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * DATABASE_URL's server (a role with CREATEDB), or an embedded PostgreSQL in a temp directory.
 * `settings` are server settings for the embedded one (e.g. shared_preload_libraries), applied
 * with ALTER SYSTEM and a restart; ignored with DATABASE_URL.
 */
export async function openCluster(settings: Record<string, string> = {}): Promise<Cluster> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "carm-bench-"));
  fs.chmodSync(tmp, 0o755);
  let adminUrl = loadConfig().databaseUrl;
  let stopPg: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    const options = { dataDir: path.join(tmp, "pg"), port: await freePort(), database: "postgres", logger };
    let embedded = await startEmbeddedPostgres(options);
    if (Object.keys(settings).length) {
      const c = new pg.Client({ connectionString: embedded.url });
      await c.connect();
      for (const [k, v] of Object.entries(settings)) await c.query(`ALTER SYSTEM SET ${k} = '${v.replace(/'/g, "''")}'`);
      await c.end();
      await embedded.stop();
      embedded = await startEmbeddedPostgres(options);
    }
    adminUrl = embedded.url;
    stopPg = embedded.stop;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on("error", () => undefined); // the embedded server stopping at exit ends it
  await admin.connect();
  const issuer = await loadDevIssuer(tmp);
  return {
    adminUrl,
    admin,
    tmp,
    embedded: stopPg !== undefined,
    sign: (persona) => issuer.sign(personaSubject(persona), { expiresIn: "2h" }),
    async close() {
      await admin.end().catch(() => undefined);
      await stopPg?.();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

const children = new Set<ChildProcess>();
// Whatever happens, the servers a benchmark started stop with it.
process.on("exit", () => children.forEach((c) => c.exitCode === null && c.kill("SIGKILL")));

export interface Server {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    children.delete(child);
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners("exit");
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

async function waitFor(url: string, child: ChildProcess) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it was ready`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

/** The API (dist/src/main.js) on `databaseUrl`, as production runs it (`npm run serve`'s flags). */
export async function startApi(cluster: Cluster, databaseUrl: string, extra: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  // COST_BUDGET_MAX=0: the benchmark measures the server's capacity; its few signed-in people stand for
  // many clients, whose allowance over time (the per-client cost budget) is not what is measured here.
  const env = { DATABASE_URL: databaseUrl, DATA_DIR: cluster.tmp, SEED_DEMO: "off", LOG_LEVEL: "warn", NODE_ENV: "development", PORT: String(port), HOST: "127.0.0.1", COST_BUDGET_MAX: "0" };
  const child = fork(path.join(projectRoot, "dist", "src", "main.js"), [], {
    execArgv: ["--max-semi-space-size=64", ...(process.env.BENCH_API_NODE_OPTIONS?.split(" ").filter(Boolean) ?? [])],
    env: { ...process.env, ...env, ...extra },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  children.add(child);
  await waitFor(`http://127.0.0.1:${port}/readyz`, child);
  return { child, url: `http://127.0.0.1:${port}/graphql`, stop: () => stopChild(child) };
}

/** PostGraphile (bench/postgraphile.ts) on `databaseUrl`. */
export async function startPostGraphile(databaseUrl: string, extra: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const child = fork(path.join(projectRoot, "dist", "bench", "postgraphile.js"), [], {
    // Production mode, as it would serve: no development checks.
    env: { ...process.env, GRAPHILE_ENV: "production", DATABASE_URL: databaseUrl, PORT: String(port), ...extra },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  children.add(child);
  await new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`PostGraphile exited (${code}) before it was ready`)));
    child.on("message", (m) => m === "ready" && resolve());
  });
  child.removeAllListeners("exit");
  return { child, url: `http://127.0.0.1:${port}/graphql`, stop: () => stopChild(child) };
}

export { graphqlTarget, load, send, type Slice, type Target } from "./http-load.js";
