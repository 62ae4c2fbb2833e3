/**
 * Once per test run: a real PostgreSQL (embedded in a temp dir, or DATABASE_URL), with a template
 * database that has every migration applied and the demo world seeded. Each test file clones it
 * (CREATE DATABASE ... TEMPLATE), so files run in parallel without seeing each other's writes.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { createDataSource } from "../../src/db/data-source.js";
import { withDatabase } from "../../src/db/database.js";
import { freePort } from "./net.js";
import { startEmbeddedPostgres } from "../../src/db/embedded.js";
import { createLogger } from "../../src/logger.js";
import { seedDemo } from "../../src/seed/demo.js";

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
    dataDir: string;
  }
}

export default async function setup(project: TestProject) {
  const logger = createLogger((process.env.LOG_LEVEL as "warn") ?? "warn");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "carm-test-"));
  fs.chmodSync(dataDir, 0o755);
  let adminUrl = process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), port: await freePort(), database: "postgres", logger });
    adminUrl = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const templateDb = `carm_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${templateDb}"`);
  await admin.query(`CREATE DATABASE "${templateDb}"`);
  const ds = createDataSource(withDatabase(adminUrl, templateDb), logger);
  await ds.initialize();
  await ds.runMigrations({ transaction: "all" });
  await seedDemo(ds, logger);
  await ds.destroy();

  project.provide("adminUrl", adminUrl);
  project.provide("templateDb", templateDb);
  project.provide("dataDir", dataDir);

  return async () => {
    const leftovers = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'carm_test_%' OR datname = $1`, [templateDb]);
    for (const row of leftovers.rows as { datname: string }[]) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    await admin.end();
    await stopEmbedded?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
