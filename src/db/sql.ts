import crypto from "node:crypto";
import sql, { empty, join, raw, Sql } from "sql-template-tag";
import type { DataSource, EntityManager } from "typeorm";

/**
 * SQL fragments with bound parameters (`sql\`... ${value}\``): values never enter the SQL text, and
 * fragments nest, so the policy's conditions compose into list queries and single-row checks alike.
 */
export { sql, empty, join, raw, Sql };

/** Where a query can run: the pool, or a mutation's transaction. */
export type Queryable = DataSource | EntityManager;

const names = new Map<string, string>();

/**
 * Runs a statement as a named prepared statement: its text (the policy's conditions make it long)
 * is sent and parsed once per connection, then only its parameters travel. Plans stay per execution
 * (plan_cache_mode=force_custom_plan, see data-source.ts): how a list is read depends on the values,
 * e.g. a viewer's handful of accounts versus a broker's thousands.
 */
export function query<T>(db: Queryable, statement: Sql): Promise<T[]> {
  const text = statement.text;
  let name = names.get(text);
  if (!name) {
    name = `carm_${crypto.createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    if (names.size > 5000) names.clear();
    names.set(text, name);
  }
  // TypeORM hands the statement to node-postgres as is (logging, counting and errors unchanged).
  return db.query({ name, text } as unknown as string, statement.values);
}

/** A PostgreSQL uuid[] parameter (an empty array matches nothing with `= ANY`). */
export const uuids = (ids: Iterable<string>) => sql`${[...ids]}::uuid[]`;
