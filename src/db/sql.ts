import crypto from "node:crypto";
import { LRUCache } from "lru-cache";
import sql, { empty, join, raw, Sql } from "sql-template-tag";
import type { DataSource, EntityManager } from "typeorm";

/**
 * SQL fragments with bound parameters (`sql\`... ${value}\``): values never enter the SQL text, and
 * fragments nest, so the policy's conditions compose into list queries and single-row checks alike.
 */
export { sql, empty, join, raw, Sql };

/** Where a query can run: the pool, or a mutation's transaction. */
export type Queryable = DataSource | EntityManager;

/**
 * Prepared statements' names by their text (a name is a hash of the text: the same statement has the
 * same name on every connection), so that the hash is computed once per text. The code writes a few
 * hundred texts; the bound holds whatever a future statement does (the least recently used name is
 * forgotten, and simply computed again).
 */
const names = new LRUCache<string, string>({ max: 5000 });

export interface QueryOptions {
  /**
   * "reuse": a lookup whose best plan does not depend on its values (the viewer's grants on some
   * accounts, keyed by ids): sent as a named prepared statement, parsed once per connection, its plan
   * kept once PostgreSQL finds a generic plan as good as the ones made for the values
   * (plan_cache_mode=auto). Planning the policy's unions costs more than running them, so this is
   * where the time goes. Default "fresh": an unnamed statement, planned for its values on every
   * execution: how a list is read depends on them (a viewer's handful of accounts or a broker's
   * thousands, a page size, a cursor), which a generic plan would not see.
   */
  plan?: "fresh" | "reuse";
  /**
   * What the statement is, as a comment at the head of its text (`/* page of Transaction *\/`): seen in
   * PostgreSQL's views (pg_stat_activity, pg_stat_statements), in logs, and by tests that count a
   * request's statements by what they are rather than by how their SQL happens to be written.
   */
  label?: string;
}

/**
 * For statements driven by lists of ids (the viewer's grants on the accounts at hand, joined to the
 * rows asked for): each id is looked up through an index whatever the list's length, so the plan
 * is kept ("reuse"). Planning the policy's unions costs more than running them.
 */
export const DRIVEN_BY_IDS: QueryOptions = { plan: "reuse" };

/**
 * The statement's text and values, each array bound once however many times its fragment appears
 * (the policy restricts each branch of its union by the same id list: the parents of a nested list
 * were sent, and parsed, five times). Only arrays, by identity: a fragment such as `uuids(ids)`
 * carries its cast, so every place it appears reads the parameter as the same type.
 */
export function bindArraysOnce(statement: Sql): { text: string; values: unknown[] } {
  const { strings, values } = statement;
  const seen = new Set<unknown>();
  if (!values.some((v) => Array.isArray(v) && (seen.has(v) || !seen.add(v)))) return { text: statement.text, values };
  const slots = new Map<unknown, number>();
  const bound: unknown[] = [];
  let text = strings[0]!;
  values.forEach((v, i) => {
    let slot = Array.isArray(v) ? slots.get(v) : undefined;
    if (slot === undefined) {
      slot = bound.push(v);
      if (Array.isArray(v)) slots.set(v, slot);
    }
    text += `$${slot}${strings[i + 1]}`;
  });
  return { text, values: bound };
}

/** Runs a statement (see QueryOptions for how it is planned). */
export function query<T>(db: Queryable, statement: Sql, opts: QueryOptions = {}): Promise<T[]> {
  const bound = bindArraysOnce(statement);
  const { values } = bound;
  const text = opts.label ? `${labelComment(opts.label)}${bound.text}` : bound.text;
  if (opts.plan !== "reuse") return db.query(text, values);
  // TypeORM hands the statement to node-postgres as is (logging, counting and errors unchanged).
  return db.query({ name: nameOf(text), text } as unknown as string, values);
}

/** A prepared statement's name: a hash of its text, the same on every connection. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `carm_${crypto.createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

interface RawPool {
  query(config: { name: string; text: string; values: unknown[]; rowMode: "array" }): Promise<{ rows: unknown[][] }>;
}

/**
 * The first column of the first row of a kept-plan statement ("reuse"), sent on the data source's
 * own pool straight to node-postgres: TypeORM's query path (a query runner made, connected and
 * released, its events broadcast, the rows copied into a result) was about half a millisecond per
 * request of the compiled path, whose answer is one value. What the rest of the code gets from
 * TypeORM is kept: the pool is the same (its statement timeout, connect timeout and type parsers,
 * data-source.ts), the statement is logged and counted by the data source's logger (the
 * `carm_sql_statements_total` metric, `extensions.sqlStatements`), slow statements and errors are
 * logged, and an error is node-postgres' own, which the outage handling recognises by its code or
 * message (isConnectionError: 503 SERVICE_UNAVAILABLE).
 */
export async function queryValue<T>(db: DataSource, statement: Sql, label: string): Promise<T | undefined> {
  const pool = (db.driver as unknown as { master?: RawPool }).master;
  if (!pool) throw new Error("the data source is not connected");
  const bound = bindArraysOnce(statement);
  const text = `${labelComment(label)}${bound.text}`;
  const logger = db.logger;
  logger.logQuery(text);
  const started = Date.now();
  try {
    const result = await pool.query({ name: nameOf(text), text, values: bound.values, rowMode: "array" });
    const ms = Date.now() - started;
    const slow = db.options.maxQueryExecutionTime;
    if (slow && ms > slow) logger.logQuerySlow(ms, text);
    return result.rows[0]?.[0] as T | undefined;
  } catch (err) {
    logger.logQueryError(err as Error, text);
    throw err;
  }
}

const labels = new Map<string, string>();

/** `/* label *\/ `, made once per label (a label is one of the code's own names, never a value). */
function labelComment(label: string): string {
  let comment = labels.get(label);
  if (comment === undefined) {
    if (!/^[\w .:,()+-]+$/.test(label)) throw new Error(`a statement label is a plain name: ${label}`);
    labels.set(label, (comment = `/* ${label} */ `));
  }
  return comment;
}

/** The label a statement's text starts with (QueryOptions.label), or null. */
export function labelOfStatement(text: string): string | null {
  return /^\/\* ([\w .:,()+-]+) \*\/ /.exec(text)?.[1] ?? null;
}

/** A PostgreSQL uuid[] parameter (an empty array matches nothing with `= ANY`). */
export const uuids = (ids: Iterable<string>) => sql`${[...ids]}::uuid[]`;

/**
 * Runs an UPDATE/INSERT/DELETE ... RETURNING in a transaction and returns the rows it touched
 * (TypeORM's plain `query` answers UPDATE and DELETE with `[rows, count]`).
 */
export async function returning<T = Record<string, unknown>>(em: EntityManager, statement: string | Sql, params: unknown[] = []): Promise<T[]> {
  if (!em.queryRunner) throw new Error("returning() must run inside a transaction");
  const result = typeof statement === "string" ? await em.queryRunner.query(statement, params, true) : await em.queryRunner.query(statement.text, statement.values, true);
  return result.records as T[];
}
