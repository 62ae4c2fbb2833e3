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
      // Lists are planned for their values on every execution and the policy's lookups keep their
      // plans (see QueryOptions in db/sql.ts); PostgreSQL's default (auto) chooses for the latter.
      options: "-c plan_cache_mode=auto",
    },
  });
}
