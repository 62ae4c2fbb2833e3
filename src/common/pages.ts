import type { ObjectLiteral } from "typeorm";
import { columnNamesOf, hydrateArrays } from "../db/rows.js";
import type { Edge, Page } from "./connection.js";
import { encodeCursor, type NormalisedArgs } from "./cursor.js";
import type { KeysetSpec, PageSource, RowsRead } from "./keyset-spec.js";

/**
 * The pages a keyset statement read (keyset.ts), built from its rows: the rows as the statement laid
 * them out, one entity per row, each parent's edges in order, and page information with a count made
 * only when asked for.
 */

/** A page's row as read (arrayRowsOf): the entity's columns, then the cursor's sort value and what the layout adds. */
export type PageRow = readonly unknown[];

/**
 * Where a page's rows hold what the pages are made of: the entity's columns first (columnNamesOf),
 * then the cursor's sort value, then, for a nested list, its parent's id and the value it reads from
 * its parent rows (KeysetSpec.perRowFromParents).
 */
export interface RowLayout {
  columns: string[];
  id: number;
  sort: number;
  parent: number;
  /** The position of a column (by database name). */
  of(column: string): number;
}

export function rowLayout<T extends ObjectLiteral>(source: PageSource, spec: KeysetSpec<T>, nested: boolean): RowLayout {
  const extra = nested && spec.perRowFromParents ? [spec.perRowFromParents.name] : [];
  const columns = [...columnNamesOf(source.db, spec.entity), "sort_text", ...(nested ? ["parent_id"] : []), ...extra];
  const of = (column: string) => {
    const i = columns.indexOf(column);
    if (i < 0) throw new Error(`no column ${column} in a page of ${columns.join(", ")}`);
    return i;
  };
  return { columns, id: of("id"), sort: of("sort_text"), parent: nested ? of("parent_id") : -1, of };
}

/** The pages of the rows a list's statement read (per parent, or "root"). */
export function pagesOf<T extends ObjectLiteral & { id: string }>(
  source: PageSource,
  spec: KeysetSpec<T>,
  args: NormalisedArgs,
  rows: PageRow[],
  layout: RowLayout,
  parentIds: readonly string[] | null,
  /** Counts the whole list (per parent), when a client asks for totalCount. */
  count: (parentIds: readonly string[] | null) => Promise<Map<string, number>>,
): Map<string, Page<T>> {
  if (spec.onRows && rows.length) spec.onRows(rowsRead(rows, layout));
  // The page's rows carry the entities' columns: no second statement to load them. One entity per
  // row; each parent's edges in the statement's order. No closure here holds the rows: the pages'
  // getters would keep them (and their parsed JSON) alive for the whole request.
  const entities = hydrateArrays(source.db, spec.entity, rows);
  const grouped = new Map<string, LazyEdge<T>[]>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const key = parentIds ? (row[layout.parent] as string) : "root";
    const edge = new LazyEdge(row[layout.sort] as string, row[layout.id] as string, spec.order, entities[i]!);
    const list = grouped.get(key);
    if (list) list.push(edge);
    else grouped.set(key, [edge]);
  }
  const counts = parentIds ? null : lazy(() => count(null).then((m) => m.get("root") ?? 0));
  const nestedCounts = parentIds ? lazy(() => count(parentIds)) : null;
  const result = new Map<string, Page<T>>();
  for (const key of parentIds ?? ["root"]) {
    const list = grouped.get(key) ?? [];
    const hasMore = list.length > args.limit;
    const edges = list.slice(0, args.limit);
    if (args.backward) edges.reverse();
    result.set(key, {
      edges,
      get totalCount() {
        return counts ? counts() : nestedCounts!().then((m) => m.get(key) ?? 0);
      },
      pageInfo: {
        hasNextPage: args.backward ? args.cursor !== null : hasMore,
        hasPreviousPage: args.backward ? hasMore : args.cursor !== null,
        get startCursor() {
          return edges[0]?.cursor ?? null;
        },
        get endCursor() {
          return edges[edges.length - 1]?.cursor ?? null;
        },
      },
    });
  }
  return result;
}

/** The rows as `onRows` reads them (made only when a list has a reader). */
function rowsRead(rows: PageRow[], layout: RowLayout): RowsRead {
  return {
    count: rows.length,
    columns: layout.columns,
    ids: () => rows.map((r) => r[layout.id] as string),
    column: (name) => {
      const i = layout.of(name);
      return rows.map((r) => r[i]);
    },
  };
}

/** An edge whose cursor is encoded only when read (most pages select a few cursors, or none). */
class LazyEdge<T> implements Edge<T> {
  private encoded?: string;
  constructor(
    private readonly sort: string,
    private readonly id: string,
    private readonly order: string | undefined,
    readonly node: T,
  ) {}
  get cursor(): string {
    return (this.encoded ??= encodeCursor({ sort: this.sort, id: this.id, order: this.order }));
  }
}

/** Runs `fn` once, on first call. */
function lazy<T>(fn: () => Promise<T>): () => Promise<T> {
  let memo: Promise<T> | undefined;
  return () => (memo ??= fn());
}
