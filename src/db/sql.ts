import sql, { empty, join, raw, Sql } from "sql-template-tag";
import type { DataSource, EntityManager } from "typeorm";

/**
 * SQL fragments with bound parameters (`sql\`... ${value}\``): values never enter the SQL text, and
 * fragments nest, so the policy's conditions compose into list queries and single-row checks alike.
 */
export { sql, empty, join, raw, Sql };

/** Where a query can run: the pool, or a mutation's transaction. */
export type Queryable = DataSource | EntityManager;

export function query<T>(db: Queryable, statement: Sql): Promise<T[]> {
  return db.query(statement.text, statement.values);
}

/** A PostgreSQL uuid[] parameter (an empty array matches nothing with `= ANY`). */
export const uuids = (ids: Iterable<string>) => sql`${[...ids]}::uuid[]`;
