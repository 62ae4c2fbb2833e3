import "reflect-metadata";
import { DataSource } from "typeorm";
import type { Logger } from "../logger.js";
import { migrations } from "../../migrations/index.js";
import { entities } from "./entities.js";
import { SnakeNamingStrategy } from "./naming.js";
import { CountingOrmLogger } from "./sql-counter.js";

/** Schema changes happen only through committed migrations; `synchronize` is never on. */
export function createDataSource(url: string, logger: Logger, opts: { poolSize?: number } = {}): DataSource {
  return new DataSource({
    type: "postgres",
    url,
    entities,
    migrations,
    migrationsTableName: "migrations",
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install (none needs superuser).
    uuidExtension: "pgcrypto",
    installExtensions: false,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: ["query", "error", "warn", "schema", "migration"],
    logger: new CountingOrmLogger(logger),
    maxQueryExecutionTime: 1000,
    extra: {
      max: opts.poolSize ?? 10,
      // Prepared statements keep a plan per execution: how a list is read depends on its parameters
      // (see db/sql.ts), which a generic plan would not see.
      options: "-c plan_cache_mode=force_custom_plan",
    },
  });
}
