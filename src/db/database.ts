import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { createDataSource } from "./data-source.js";
import { startEmbeddedPostgres, untraversable } from "./embedded.js";

export interface Database {
  dataSource: DataSource;
  url: string;
  embedded: boolean;
  /** Closes the pool and, for the embedded server, stops PostgreSQL. */
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL in the data directory. */
export async function openDatabase(config: Config, logger: Logger, opts: { poolSize?: number } = {}): Promise<Database> {
  let url = config.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    let dataDir = path.join(config.dataDir, "postgres");
    // As root the server runs as "postgres": a default data directory inside a checkout it cannot
    // enter moves to the temp directory (one per checkout, so it still survives restarts).
    if (os.userInfo().uid === 0 && !config.dataDirExplicit && untraversable(config.dataDir).length > 0) {
      const key = crypto.createHash("sha256").update(config.dataDir).digest("hex").slice(0, 12);
      dataDir = path.join(os.tmpdir(), `carm-portal-data-${key}`, "postgres");
      logger.warn("the checkout is not reachable by the postgres user; keeping the embedded cluster in the temp directory", { dataDir });
    }
    const embedded = await startEmbeddedPostgres({
      dataDir,
      port: config.embeddedPort,
      database: "carm",
      logger,
    });
    url = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const dataSource = createDataSource(url, logger, { ...opts, timeouts: config.db });
  try {
    await dataSource.initialize();
  } catch (err) {
    await stopEmbedded?.();
    throw new Error(`Could not connect to PostgreSQL at ${redact(url)}: ${err instanceof Error ? err.message : err}`);
  }
  return {
    dataSource,
    url,
    embedded: Boolean(stopEmbedded),
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await stopEmbedded?.();
    },
  };
}

/** The same server URL, naming another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

/**
 * Runs pending migrations, all in one transaction (all or nothing), on a connection of their own:
 * the API's statement timeout is for requests, and a migration on a large table may take longer.
 */
export async function migrate(dataSource: DataSource, logger: Logger): Promise<string[]> {
  const own = createDataSource((dataSource.options as { url: string }).url, logger, { poolSize: 1 });
  await own.initialize();
  try {
    const ran = await own.runMigrations({ transaction: "all" });
    if (ran.length) logger.info("migrations applied", { migrations: ran.map((m) => m.name) });
    return ran.map((m) => m.name);
  } finally {
    await own.destroy();
  }
}
