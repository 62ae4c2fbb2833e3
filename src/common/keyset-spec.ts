import type { EntityTarget, ObjectLiteral } from "typeorm";
import type { QueryOptions, Queryable, Sql } from "../db/sql.js";
import type { SortType } from "./cursor.js";

/**
 * What the keyset engine (keyset.ts) reads a list from: a table, a sort key, the policy's condition
 * and, for a list nested under others, how each row belongs to its parent.
 */

export interface KeysetSpec<T extends ObjectLiteral> {
  entity: EntityTarget<T>;
  /** FROM clause: the table with the alias and any joins, e.g. sql`transactions t`. */
  from: Sql;
  alias: string;
  /** Filters and the viewer's access, as one condition (TRUE when there is none). */
  where: Sql;
  /** Sort expression over the alias (or what `from` joins) and its PostgreSQL type; ties are broken by id. */
  sort: { expr: string | Sql; type: SortType };
  /**
   * The name of the order, for a list a client may sort (orderBy): written into every cursor, and a
   * cursor read in another order is refused. Lists with one order leave it out.
   */
  order?: string;
  /** Newest first by default for time-ordered lists. */
  direction: "ASC" | "DESC";
  /**
   * For a list nested under another object: the column holding the parent's id, or the condition
   * tying a row to the parent (`parent` is the parent id).
   */
  parent?: string | ((parent: Sql) => Sql);
  /**
   * The rows a nested list is read for: a FROM item named `page_parent` with at least `parent_id` and
   * `ord` (the parent's position), possibly several rows per parent, whose other columns `where` may
   * use (e.g. the viewer's grants on each parent: grants.ts, grantsPerParent). Default: one row per
   * parent.
   */
  parentRows?: (parentIds: readonly string[]) => Promise<Sql>;
  /**
   * The same written from the parents as SQL (a uuid[] expression), given instead of `parentRows`
   * where it can be: the loader binds the parents' ids as that expression, and a parent list can read
   * this one in its own statement (loadRootWithChildren). A list with `parentRows` is read by its
   * loader only.
   */
  parentRowsFor?: (parentIds: Sql) => Sql;
  /**
   * A value per row of a nested list, computed from its parent rows: `cte` is a query over
   * `page_parent` giving `(key, value)`; each row gets the value whose key is its `column`
   * (`orElse` when none), in a column `name` of the rows `onRows` is told of.
   */
  perRowFromParents?: { name: string; cte: Sql; column: string; orElse: Sql };
  /** Told the rows each statement read (the policy learns from them: see auth/list-policy.ts). */
  onRows?: (rows: RowsRead) => void;
  /**
   * How a root list's statement is planned (QueryOptions in db/sql.ts). "reuse" only where the best
   * plan cannot depend on the values: a large book of business read in sort order, each row checked
   * by the viewer's grants. Default "fresh": planned for its values every time.
   */
  plan?: QueryOptions["plan"];
  /** How to count the whole list, when that differs from counting `where` (e.g. set-based for large lists). */
  count?: () => Sql;
}

/** Where lists are read. */
export interface PageSource {
  db: Queryable;
}

/** The rows one statement read, as `onRows` sees them: their ids, and any column of theirs by name. */
export interface RowsRead {
  readonly count: number;
  /** The columns the rows hold, by name. */
  readonly columns: readonly string[];
  ids(): string[];
  column(name: string): unknown[];
}

