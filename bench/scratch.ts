import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { createDataSource } from "../src/db/data-source.js";
import { withDatabase } from "../src/db/database.js";
import { startEmbeddedPostgres } from "../src/db/embedded.js";
import { createLogger } from "../src/logger.js";
import { seedDemo } from "../src/seed/demo.js";
import { seedBrokerBook } from "./world.js";
const logger = createLogger("warn");
const dir = "/tmp/carm-scratch"; fs.mkdirSync(dir, { recursive: true, mode: 0o755 }); fs.chmodSync(dir, 0o755);
const emb = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: 55432, database: "postgres", logger });
const n = Number(process.argv[2] ?? 10000);
const name = `w${n}`;
const admin = new pg.Client({ connectionString: emb.url }); await admin.connect();
const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname=$1", [name])).rowCount;
if (!exists) {
  await admin.query(`CREATE DATABASE ${name}`);
  const ds = createDataSource(withDatabase(emb.url, name), logger); await ds.initialize(); await ds.runMigrations();
  await seedDemo(ds, logger); const t0 = Date.now(); await seedBrokerBook(ds, n); console.log("seeded", n, Date.now() - t0, "ms"); await ds.destroy();
}
console.log("ready", withDatabase(emb.url, name));
process.on("SIGTERM", async () => { await emb.stop(); process.exit(0); });
setInterval(() => {}, 1 << 30);
