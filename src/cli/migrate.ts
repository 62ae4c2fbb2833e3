/** Applies pending migrations (npm run migrate). The server also does this at start. */
import { loadConfig } from "../config.js";
import { migrate, openDatabase } from "../db/database.js";
import { createLogger } from "../logger.js";

const config = loadConfig();
const logger = createLogger(config.logLevel);
const db = await openDatabase(config, logger);
try {
  const ran = await migrate(db.dataSource, logger);
  console.log(ran.length ? `Applied: ${ran.join(", ")}` : "Database is up to date.");
} finally {
  await db.close();
}
