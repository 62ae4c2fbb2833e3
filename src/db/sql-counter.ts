import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger as OrmLogger } from "typeorm";
import type { Logger } from "../logger.js";

/**
 * Counts the SQL statements issued on behalf of one request, when the server is asked to
 * (EXPOSE_SQL_COUNT: development and the tests, which read the count to prove there is no N+1).
 * AsyncLocalStorage follows the request through resolvers and DataLoader batches, but on Node 20
 * a store in use installs promise hooks for the whole process, and every promise of every request
 * pays for them: about a sixth of a broker page's throughput (`npm run bench`). So production
 * counts only the total (`CountingOrmLogger.statements`, the metric `carm_sql_statements_total`).
 */
export const sqlCounter = new AsyncLocalStorage<{ count: number }>();

export class CountingOrmLogger implements OrmLogger {
  /** Every statement sent through the data source since it was made (requests, jobs, events). */
  statements = 0;
  constructor(private readonly logger: Logger) {}
  logQuery(query: string): void {
    this.statements++;
    const store = sqlCounter.getStore();
    if (store) store.count++;
    this.logger.debug("sql", { query });
  }
  logQueryError(error: string | Error, query: string): void {
    this.logger.warn("sql error", { err: error instanceof Error ? error.message : error, query });
  }
  logQuerySlow(time: number, query: string): void {
    this.logger.warn("slow sql", { ms: time, query });
  }
  logSchemaBuild(message: string): void {
    this.logger.debug("schema", { message });
  }
  logMigration(message: string): void {
    this.logger.info("migration", { message });
  }
  log(level: "log" | "info" | "warn", message: unknown): void {
    if (level === "warn") this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}
