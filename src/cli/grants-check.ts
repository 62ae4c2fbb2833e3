/**
 * Checks that the grants table (kept by triggers: migrations/1796701930690-GrantsTable.ts) equals the
 * grants relation computed from scratch by src/auth/grants.ts (npm run grants:check). Prints what
 * differs and exits 1 if anything does: a stale row is an authorization defect. `-- --repair`
 * recomputes the whole table (under the lock every maintainer respects) after reporting.
 */
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/database.js";
import { grantsDrift } from "../auth/grants-check.js";
import { createLogger } from "../logger.js";

const repair = process.argv.includes("--repair");
const config = loadConfig();
const logger = createLogger(config.logLevel);
const db = await openDatabase(config, logger);
try {
  const drift = await grantsDrift(db.dataSource);
  const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM grant_paths`);
  if (!drift.length) {
    console.log(`The grants table is true: ${n} rows, equal to the relation computed from the tables.`);
  } else {
    console.log(`The grants table differs from the relation computed from the tables (${n} rows):`);
    for (const row of drift.slice(0, 50)) console.log(JSON.stringify(row));
    if (drift.length > 50) console.log(`... and ${drift.length - 50} more`);
    if (repair) {
      await db.dataSource.transaction("READ COMMITTED", (em) => em.query(`SELECT grants_refresh_all()`));
      const after = await grantsDrift(db.dataSource);
      console.log(after.length ? `Still ${after.length} rows differ after the repair.` : "Repaired: recomputed from the tables.");
    }
    process.exitCode = 1;
  }
} finally {
  await db.close();
}
