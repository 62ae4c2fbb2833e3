import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger as OrmLogger } from "typeorm";
import type { Logger } from "../logger.js";

/**
 * Counts the SQL statements issued on behalf of one request (AsyncLocalStorage follows the
 * request through resolvers and DataLoader batches). Tests read the count to prove there is no N+1.
 */
export const sqlCounter = new AsyncLocalStorage<{ count: number }>();

export class CountingOrmLogger implements OrmLogger {
  constructor(private readonly logger: Logger) {}
  logQuery(query: string): void {
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
