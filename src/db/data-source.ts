import "reflect-metadata";
import pg from "pg";
import { DataSource } from "typeorm";
import type { DatabaseTimeouts } from "../config.js";
import type { Logger } from "../logger.js";
import { migrations } from "../../migrations/index.js";
import { entities } from "./entities.js";
import { SnakeNamingStrategy } from "./naming.js";
import { CountingOrmLogger } from "./sql-counter.js";

/**
 * PostgreSQL's `date` (a calendar date: release, cycle, due dates) is read as its text, YYYY-MM-DD,
 * which is what the entities and the API hold. node-postgres would make it a JavaScript Date at local
 * midnight, which TypeORM then turns back into the same text: two conversions per value (about 3 % of
 * the Node CPU of a dashboard page). PostgreSQL's own text is passed on as it is, so the session must
 * keep the default DateStyle (ISO), and the special values (`infinity`) would arrive as such: no
 * column of the schema holds them.
 */
const DATE_ARRAY = 1182;
const TEXT_ARRAY = 1009;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (format === "binary") return pg.types.getTypeParser(oid, format);
    if (oid === pg.types.builtins.DATE) return (value: string) => value;
    // An array of dates likewise: an array of YYYY-MM-DD texts.
    if (oid === DATE_ARRAY) return (pg.types.getTypeParser as (oid: number, format: "text") => (value: string) => unknown)(TEXT_ARRAY, "text");
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

/**
 * Schema changes happen only through committed migrations; `synchronize` is never on.
 *
 * With `timeouts` (the API's data source), no request waits on PostgreSQL past a known bound: a
 * statement runs at most `statementTimeoutMs` (PostgreSQL cancels it, the connection stays usable),
 * and when the server does not answer at all (frozen, or its host gone quiet) the client gives up a
 * second after that (node-postgres' query_timeout); a pool connection is waited for, or a new one
 * made, within `connectTimeoutMs`. Either is then 503 SERVICE_UNAVAILABLE (http/errors.ts).
 * Without (migrations, tooling), statements take as long as they take.
 */
export function createDataSource(url: string, logger: Logger, opts: { poolSize?: number; timeouts?: DatabaseTimeouts } = {}): DataSource {
  const t = opts.timeouts;
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
      types,
      // Lists are planned for their values on every execution and the policy's lookups keep their
      // plans (see QueryOptions in db/sql.ts); PostgreSQL's default (auto) chooses for the latter.
      options: "-c plan_cache_mode=auto",
      ...(t
        ? {
            statement_timeout: t.statementTimeoutMs,
            query_timeout: t.statementTimeoutMs + 1000,
            connectionTimeoutMillis: t.connectTimeoutMs,
            // A connection cut without a word (a host gone, a firewall) is noticed by TCP itself.
            keepAlive: true,
            keepAliveInitialDelayMillis: 10_000,
          }
        : {}),
    },
  });
}
