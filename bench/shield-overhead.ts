/**
 * What the permission layer costs: the same large query executed against the schema with and
 * without graphql-shield, in-process (no HTTP), against a real PostgreSQL, as alice.
 * Usage: npm run bench:shield [-- iterations]
 *
 * The query returns 100 transactions x 2 versions x 5 lines (about 3,600 resolved fields), so the
 * per-field wrapper cost of the shield is visible next to the database time.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execute, parse, type GraphQLSchema } from "graphql";
import pg from "pg";
import { loadConfig } from "../src/config.js";
import { createDataSource } from "../src/db/data-source.js";
import { withDatabase } from "../src/db/database.js";
import { startEmbeddedPostgres } from "../src/db/embedded.js";
import { createLogger } from "../src/logger.js";
import { User } from "../src/modules/user/user.entity.js";
import { seedDemo } from "../src/seed/demo.js";
import { buildAppSchema } from "../src/schema.js";
import { buildContext } from "../src/context.js";

const iterations = Number(process.argv[2] ?? 40);
const logger = createLogger("warn");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "carm-bench-"));
fs.chmodSync(tmp, 0o755);
const config = loadConfig();
let url = config.databaseUrl;
let stop: (() => Promise<void>) | undefined;
if (!url) {
  const pgEmbedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg"), port: 54400 + Math.floor(Math.random() * 500), database: "postgres", logger });
  url = pgEmbedded.url;
  stop = pgEmbedded.stop;
}
const dbName = `carm_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`CREATE DATABASE "${dbName}"`);
const db = createDataSource(withDatabase(url, dbName), logger);
await db.initialize();
await db.runMigrations();
await seedDemo(db, logger);
await db.query(`
  WITH pa AS (SELECT id, business_id FROM program_accounts WHERE bn15 = '123456782RM0001'),
  t AS (INSERT INTO transactions (transaction_number, program_account_id, submitted_by_business_id, released_on, current_version_no, total_duties_and_taxes)
        SELECT lpad((90000000000000 + g)::text, 14, '0'), pa.id, pa.business_id, DATE '2026-12-01', 2, 100 FROM pa, generate_series(1, 100) g
        RETURNING id, submitted_by_business_id),
  v AS (INSERT INTO transaction_versions (transaction_id, version_no, kind, status, submitted_by_business_id, customs_duty, sima, excise, gst, total_duties_and_taxes)
        SELECT t.id, n, 'ORIGINAL', 'ACCEPTED', t.submitted_by_business_id, 60, 0, 0, 40, 100 FROM t, generate_series(1, 2) n RETURNING id)
  INSERT INTO transaction_lines (version_id, line_no, classification_code, description, value_for_duty, tariff_treatment, customs_duty_rate, sima, excise, customs_duty, value_for_tax, gst)
  SELECT v.id, l, '7610100000', 'Frames', 1000, '2', 6.5, 0, 0, 65, 1065, 53.25 FROM v, generate_series(1, 5) l`);

const document = parse(`{
  transactions(first: 100) { edges { node {
    transactionNumber releasedOn totalDutiesAndTaxes submittedBy { legalName } programAccount { bn15 }
    versions(first: 10) { edges { node { versionNo kind totalDutiesAndTaxes
      lines(first: 10) { edges { node { lineNo classificationCode valueForDuty customsDuty valueForTax gst } } } } } }
  } } }
}`);
const alice = await db.getRepository(User).findOneByOrFail({ username: "alice" });
const { raw, schema } = await buildAppSchema();

async function time(s: GraphQLSchema): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < iterations + 5; i++) {
    const contextValue = await buildContext(db, logger, alice, "bench");
    const started = performance.now();
    const result = await execute({ schema: s, document, contextValue });
    const ms = performance.now() - started;
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    if (i >= 5) samples.push(ms); // warm-up
  }
  return samples.sort((a, b) => a - b);
}
const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) => xs[Math.floor(xs.length * 0.9)]!;
// Interleave to share any drift between the two.
const without: number[] = [];
const withShield: number[] = [];
for (let round = 0; round < 2; round++) {
  without.push(...(await time(raw)));
  withShield.push(...(await time(schema)));
}
without.sort((a, b) => a - b);
withShield.sort((a, b) => a - b);
const row = (name: string, xs: number[]) => `${name.padEnd(16)} median ${median(xs).toFixed(1)} ms   p90 ${p90(xs).toFixed(1)} ms`;
console.log(`query: 100 transactions x 2 versions x 5 lines, ${without.length} runs each, as alice`);
console.log(row("without shield", without));
console.log(row("with shield", withShield));
console.log(`overhead         ${(((median(withShield) - median(without)) / median(without)) * 100).toFixed(0)} % at the median`);

await db.destroy();
await admin.query(`DROP DATABASE "${dbName}" WITH (FORCE)`);
await admin.end();
await stop?.();
fs.rmSync(tmp, { recursive: true, force: true });
