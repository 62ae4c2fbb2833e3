import type { ObjectLiteral } from "typeorm";
import { arrayRowsOf, entityNameOf, jsonColumnsOf, rowsAsArrays } from "../db/rows.js";
import { DRIVEN_BY_IDS, empty, query, raw, sql, uuids, type Sql } from "../db/sql.js";
import { MAX_PAGE_SIZE, type ConnectionArgs, type Page } from "./connection.js";
import { cursorMisfit, normaliseArgs, type NormalisedArgs } from "./cursor.js";
import { badInput } from "./errors.js";
import type { KeysetSpec, PageSource } from "./keyset-spec.js";
import { pagesOf, rowLayout, type PageRow, type RowLayout } from "./pages.js";

export type { KeysetSpec, PageSource, RowsRead } from "./keyset-spec.js";

/**
 * The keyset engine: pages of a list read by (sort value, id), one statement whatever the number of
 * parents of a nested list, each parent's page read through the indexes with LIMIT (never the whole
 * list). It knows tables, sort keys and parents, and nothing of who may see what: the policy
 * decorates a list (auth/list-policy.ts) with its condition (`where`), the rows a nested list is
 * read for (`parentRows`), a value per row read from them (`perRowFromParents`), and what it learns
 * from the rows read (`onRows`).
 */

const parentCondition = <T extends ObjectLiteral>(spec: KeysetSpec<T>, parent: Sql) =>
  typeof spec.parent === "function" ? spec.parent(parent) : sql`${raw(spec.parent!)} = ${parent}`;

/** A list's page query for some arguments: the SELECT of one page (of one parent, or the root), and its direction. */
function pageQuery<T extends ObjectLiteral>(source: PageSource, spec: KeysetSpec<T>, args: NormalisedArgs) {
  const a = raw(spec.alias);
  const sortExpr = typeof spec.sort.expr === "string" ? raw(spec.sort.expr) : spec.sort.expr;
  // Walking backwards reverses the order; the page is reversed again below.
  const ascending = (spec.direction === "ASC") !== args.backward;
  const dir = raw(ascending ? "ASC" : "DESC");
  let cursorCondition = sql``;
  if (args.cursor) {
    // A forged cursor must not reach PostgreSQL's casts (that would be a 500, not a clear error), nor
    // a cursor of another order be read as a position in this one.
    const misfit = cursorMisfit(args.cursor, spec.sort.type, spec.order);
    if (misfit) throw badInput(misfit, args.backward ? "before" : "after");
    cursorCondition = sql` AND (${sortExpr}, ${a}.id) ${raw(ascending ? ">" : "<")} (${args.cursor.sort}::${raw(spec.sort.type)}, ${args.cursor.id}::uuid)`;
  }
  // A root list's page size is written into the text, not bound: a plan kept for it (spec.plan) is then
  // costed for its real LIMIT (the other root lists are planned for their values anyway).
  if (!Number.isInteger(args.limit) || args.limit < 0 || args.limit > MAX_PAGE_SIZE) throw new Error(`page size ${args.limit} out of range`);
  const fetch = raw(String(args.limit + 1));
  // The entity's columns by name, not `*` (see columnsOf); the rows come back as one JSON value (arrayRowsOf).
  const page = (parentFilter: Sql, limit: Sql = fetch) => sql`SELECT ${jsonColumnsOf(source.db, spec.entity, spec.alias)}, (${sortExpr})::text AS sort_text, ${sortExpr} AS sort_key
      FROM ${spec.from} WHERE ${parentFilter}(${spec.where})${cursorCondition}
     ORDER BY ${sortExpr} ${dir}, ${a}.id ${dir} LIMIT ${limit}`;
  return { page, dir, rootOrder: sql`q.sort_key ${dir}, q.id ${dir}` };
}

/** What a list's statements are labelled with (db/sql.ts, QueryOptions.label): which list, read how. */
const labelOf = <T extends ObjectLiteral>(source: PageSource, spec: KeysetSpec<T>, what: string) => `${what} ${entityNameOf(source.db, spec.entity)}`;

/** The statement reading the pages of a nested list for its parent rows (KeysetSpec.parentRows). */
function nestedPagesStatement<T extends ObjectLiteral>(
  source: PageSource,
  spec: KeysetSpec<T>,
  args: NormalisedArgs,
  parentRows: Sql,
): { statement: Sql; rows: Sql; layout: RowLayout } {
  const extra = spec.perRowFromParents;
  const { page, dir } = pageQuery(source, spec, args);
  // Each parent row reads its page through the indexes (LATERAL ... LIMIT); a parent with several
  // rows (several grants) gets the union of their pages, cut to the page size again.
  // The plan is kept (named statement): it is driven from the parents whatever their number, each
  // parent's page read through an index, so the values do not change what the best plan is. The page
  // size is bound here, so that one statement serves every page size.
  const bound = sql`${args.limit + 1}::int`;
  // page_parent is inlined where it is read once, computed once where page_extra reads it too.
  const statement = sql`WITH page_parent AS (SELECT * FROM ${parentRows})${extra ? sql`,
             page_extra AS (${extra.cte})` : empty} SELECT r.*${extra ? sql`, coalesce(page_extra.value, ${extra.orElse}) AS ${raw(extra.name)}` : empty} FROM (
        SELECT d.*, row_number() OVER (PARTITION BY d.parent_id ORDER BY d.sort_key ${dir}, d.id ${dir}) AS rn FROM (
          SELECT DISTINCT ON (page_parent.parent_id, x.id) page_parent.parent_id::text AS parent_id, page_parent.ord AS page_ord, x.*
            FROM page_parent
            CROSS JOIN LATERAL (${page(sql`${parentCondition(spec, sql`page_parent.parent_id`)} AND `, bound)}) x
           ORDER BY page_parent.parent_id, x.id) d
      ) r${extra ? sql` LEFT JOIN page_extra ON page_extra.key = r.${raw(extra.column)}` : empty} WHERE r.rn <= ${bound}`;
  const layout = rowLayout(source, spec, true);
  // The rows as one value (`rows`), or the whole statement returning it (`statement`).
  const rows = arrayRowsOf(sql`(${statement})`, layout.columns, sql`q.page_ord, q.rn`);
  return { statement: sql`SELECT ${rows} AS rows`, rows, layout };
}

/**
 * Keyset pagination of one list, or of many sibling lists at once (one per parent id: the
 * DataLoader path for nested connections). One statement whatever the number of parents, reading
 * the page's rows with their cursors (each parent's page read through the indexes with LIMIT, never
 * the whole list). `totalCount` is counted only when asked for.
 */
export async function loadPages<T extends ObjectLiteral & { id: string }>(
  source: PageSource,
  spec: KeysetSpec<T>,
  parentIds: readonly string[] | null,
  args: NormalisedArgs,
): Promise<Map<string, Page<T>>> {
  if (parentIds) {
    const { statement, layout } = nestedPagesStatement(source, spec, args, await parentRowsAt(spec, parentIds));
    const [result] = await query<{ rows: PageRow[] }>(source.db, statement, { ...DRIVEN_BY_IDS, label: labelOf(source, spec, "nested pages of") });
    return pagesOf(source, spec, args, result!.rows, layout, parentIds, (ids) => countRows(source, spec, ids));
  }
  const { page, rootOrder } = pageQuery(source, spec, args);
  const layout = rowLayout(source, spec, false);
  const [result] = await query<{ rows: PageRow[] }>(source.db, rowsAsArrays(page(sql``), layout.columns, rootOrder), { plan: spec.plan, label: labelOf(source, spec, "page of") });
  return pagesOf(source, spec, args, result!.rows, layout, null, (ids) => countRows(source, spec, ids));
}

/** A list nested under every row of a root list, and its arguments (see loadRootWithChildren). */
export interface ChildList<C extends ObjectLiteral & { id: string }> {
  spec: KeysetSpec<C>;
  args: NormalisedArgs;
}

/**
 * The arguments normalised for `spec`, or null where reading with them would fail (a bad page size,
 * a cursor that is not one of this list's): for reading ahead of the field that owns them, which
 * then reports the error at its own path.
 */
export function argsIfValid<T extends ObjectLiteral>(spec: KeysetSpec<T>, args: ConnectionArgs): NormalisedArgs | null {
  let normalised: NormalisedArgs;
  try {
    normalised = normaliseArgs(args);
  } catch {
    return null;
  }
  return normalised.cursor && cursorMisfit(normalised.cursor, spec.sort.type, spec.order) ? null : normalised;
}

/** Whether a nested list can be read in its parent list's statement: its parent rows can take the parents as SQL. */
export const readableWithParents = <T extends ObjectLiteral>(spec: KeysetSpec<T>): boolean => !spec.parentRows;

/**
 * A root list's page and, in the same statement, a list nested under each of its rows: the rows'
 * ids go to the nested list's parent rows inside PostgreSQL (KeysetSpec.parentRowsFor), where the
 * loader would send them back in a statement of its own. The nested pages are the loader's exactly
 * (same parent rows, same page statement, same conversion); the statement is one round trip instead
 * of two, and one plan kept instead of two. Only for a root list whose plan is kept (KeysetSpec.plan
 * "reuse"): a root list planned for its values every time would have the nested list planned with it
 * (its plan is kept when it is read on its own).
 */
export async function loadRootWithChildren<T extends ObjectLiteral & { id: string }, C extends ObjectLiteral & { id: string }>(
  source: PageSource,
  spec: KeysetSpec<T>,
  args: NormalisedArgs,
  child: ChildList<C>,
): Promise<{ root: Page<T>; children: Map<string, Page<C>> }> {
  if (spec.plan !== "reuse") throw new Error("a root list read with its children must keep its plan (KeysetSpec.plan \"reuse\")");
  if (!readableWithParents(child.spec)) throw new Error("this nested list's parent rows need the parents' ids in Node (KeysetSpec.parentRowsFor)");
  const { page, rootOrder } = pageQuery(source, spec, args);
  const parents = sql`ARRAY(SELECT id FROM page_root)`;
  const nested = nestedPagesStatement(source, child.spec, child.args, (child.spec.parentRowsFor ?? oneRowPerParent)(parents));
  const layout = rowLayout(source, spec, false);
  const statement = sql`WITH page_root AS MATERIALIZED (${page(sql``)})
    SELECT ${arrayRowsOf(sql`page_root`, layout.columns, rootOrder)} AS rows, ${nested.rows} AS children`;
  const label = `${labelOf(source, spec, "page of")} with ${labelOf(source, child.spec, "nested pages of")}`;
  const [result] = await query<{ rows: PageRow[]; children: PageRow[] }>(source.db, statement, { ...DRIVEN_BY_IDS, label });
  const rows = result!.rows;
  const root = pagesOf(source, spec, args, rows, layout, null, (ids) => countRows(source, spec, ids)).get("root")!;
  const children = pagesOf(source, child.spec, child.args, result!.children, nested.layout, rows.map((r) => r[layout.id] as string), (ids) => countRows(source, child.spec, ids));
  return { root, children };
}

/** The number of rows of the list (per parent), counted only when a client asks for totalCount. */
async function countRows<T extends ObjectLiteral>(source: PageSource, spec: KeysetSpec<T>, parentIds: readonly string[] | null): Promise<Map<string, number>> {
  if (!parentIds) {
    const statement = spec.count ? spec.count() : sql`SELECT count(*)::int AS n FROM ${spec.from} WHERE ${spec.where}`;
    const [row] = await query<{ n: number }>(source.db, statement, { label: labelOf(source, spec, "count of") });
    return new Map([["root", Number(row?.n ?? 0)]]);
  }
  const parentRows = await parentRowsAt(spec, parentIds);
  const rows = await query<{ parent_id: string; n: number }>(
    source.db,
    sql`SELECT page_parent.parent_id::text AS parent_id, count(DISTINCT x.id)::int AS n
          FROM ${parentRows}
          CROSS JOIN LATERAL (SELECT ${raw(spec.alias)}.id FROM ${spec.from} WHERE ${parentCondition(spec, sql`page_parent.parent_id`)} AND (${spec.where})) x
         GROUP BY 1`,
    { ...DRIVEN_BY_IDS, label: labelOf(source, spec, "nested counts of") },
  );
  return new Map(rows.map((r) => [r.parent_id, Number(r.n)]));
}

/** One parent row per parent (`ids`: a uuid[] expression), for lists without parent rows of their own. */
const oneRowPerParent = (ids: Sql) => sql`unnest(${ids}) WITH ORDINALITY AS page_parent(parent_id, ord)`;

/** A nested list's parent rows for these parents (KeysetSpec.parentRows, parentRowsFor, or one row per parent). */
async function parentRowsAt<T extends ObjectLiteral>(spec: KeysetSpec<T>, parentIds: readonly string[]): Promise<Sql> {
  if (spec.parentRows) return spec.parentRows(parentIds);
  return (spec.parentRowsFor ?? oneRowPerParent)(uuids(parentIds));
}
