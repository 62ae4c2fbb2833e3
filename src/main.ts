import "reflect-metadata";
import { loadConfig } from "./config.js";
import { migrate, openDatabase, redact } from "./db/database.js";
import { startEventBus } from "./events/bus.js";
import { jobRegistry } from "./jobs/registry.js";
import { startJobs } from "./jobs/runner.js";
import { createLogger } from "./logger.js";
import { seedDemo } from "./seed/demo.js";
import { startServer } from "./server.js";

/**
 * `npm start`: database (embedded unless DATABASE_URL), migrations, demo seed, then the API and
 * GraphiQL. SIGINT/SIGTERM drain requests, close sockets and stop the embedded database.
 */
const config = loadConfig();
const logger = createLogger(config.logLevel);

async function main() {
  const db = await openDatabase(config, logger);
  logger.info("database", { url: redact(db.url), embedded: db.embedded });
  await migrate(db.dataSource, logger);
  if (config.seedDemo) await seedDemo(db.dataSource, logger);
  const events = await startEventBus(db.url, logger);
  // After the migrations: jobs read and write the tables they create.
  const jobs = config.jobs.enabled ? await startJobs({ url: db.url, db: db.dataSource, logger, config, registry: jobRegistry }) : null;
  if (!jobs) logger.info("jobs are off in this process (JOBS=off)");
  const server = await startServer(config, db.dataSource, logger, events);
  if (config.auth.devIssuer) {
    logger.info("development token issuer is on: pick a persona in GraphiQL, or run `npm run token -- alice`");
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    const force = setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      await server.stop();
      await jobs?.stop();
      await events.close();
      await db.close();
      logger.info("stopped");
      process.exit(0);
    } catch (err) {
      logger.error("shutdown failed", { err });
      process.exit(1);
    }
  };
  // The order matters: stop taking requests, finish them, let running jobs finish, stop listening
  // for events, close the pool, then stop PostgreSQL.
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
  logger.error("failed to start", { err: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
