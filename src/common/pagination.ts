import "reflect-metadata"; // its decorators need the metadata API before anything else declares types
import { ArgsType, Field, Int, ObjectType, type ClassType } from "type-graphql";
import type { EntityTarget, ObjectLiteral } from "typeorm";
import { arrayRowsOf, columnNamesOf, hydrateArrays, jsonColumnsOf, rowsAsArrays } from "../db/rows.js";
import { DRIVEN_BY_IDS, empty, query, raw, sql, uuids, type QueryOptions, type Queryable, type Sql } from "../db/sql.js";
import { isCalendarDate } from "./dates.js";
import { badInput } from "./errors.js";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Page size, forward (at most ${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Return items after this cursor." })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Page size, backward (at most ${MAX_PAGE_SIZE}).` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: "Return items before this cursor." })
  before?: string | null;
}

@ObjectType({ simpleResolvers: true, description: "Relay page information." })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Counted on demand: a getter, read only when `totalCount` is selected. */
  readonly totalCount: Promise<number>;
}

/** Makes `<Name>Connection` and `<Name>Edge` GraphQL types for a node type. */
export function Connection<T extends object>(node: ClassType<T>, name: string = node.name) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class EdgeType {
    @Field(() => String, { description: "Opaque cursor of this edge." })
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true, description: `A page of ${name} items.` })
  class ConnectionType {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    // A promise (Page.totalCount): served by type-graphql's resolver, which awaits it (simple: false).
    @Field(() => Int, { description: "Number of items across all pages (counted only when asked for: on a long list it costs a count of the whole list).", simple: false })
    totalCount!: number;
  }
  return ConnectionType;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Cursor {
  sort: string;
  id: string;
}

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify([c.sort, c.id]), "utf8").toString("base64url");

function decodeCursor(value: string, argName: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === "string" && typeof parsed[1] === "string" && UUID_RE.test(parsed[1])) {
      return { sort: parsed[0], id: parsed[1] };
    }
  } catch {
    /* fall through */
  }
  throw badInput(`"${argName}" is not a cursor returned by this list; use an edge's cursor or pageInfo.endCursor.`, argName);
}

export interface NormalisedArgs {
  limit: number;
  backward: boolean;
  cursor: Cursor | null;
  key: string;
}

/** Validates first/after/last/before into one direction, a bounded limit and a decoded cursor. */
export function normaliseArgs(args: ConnectionArgs): NormalisedArgs {
  const { first, after, last, before } = args;
  if (first != null && last != null) throw badInput('Use either "first" or "last", not both.', "first");
  if (after != null && before != null) throw badInput('Use either "after" or "before", not both.', "after");
  // Forward pages continue after a cursor, backward pages before one; a mix has no clear meaning.
  if (first != null && before != null) throw badInput('"before" goes with "last" (paging backward); use "after" with "first".', "before");
  if (last != null && after != null) throw badInput('"after" goes with "first" (paging forward); use "before" with "last".', "after");
  const size = first ?? last;
  if (size != null && (size < 0 || size > MAX_PAGE_SIZE)) {
    throw badInput(`Page size must be between 0 and ${MAX_PAGE_SIZE}; got ${size}.`, first != null ? "first" : "last");
  }
  const backward = last != null || (first == null && before != null);
  const cursor = after != null ? decodeCursor(after, "after") : before != null ? decodeCursor(before, "before") : null;
  const limit = size ?? DEFAULT_PAGE_SIZE;
  return { limit, backward, cursor, key: JSON.stringify([limit, backward, cursor?.sort ?? null, cursor?.id ?? null]) };
}

function sortValueValid(type: ListSpec<never>["sort"]["type"], value: string): boolean {
  switch (type) {
    case "date":
      return isCalendarDate(value);
    case "int":
      // PostgreSQL's integer: anything wider is an out-of-range error, not an empty page.
      return /^-?\d{1,10}$/.test(value) && Math.abs(Number(value)) <= 2_147_483_647;
    case "timestamptz": {
      const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-](\d{2})(:\d{2})?$/.exec(value);
      return m !== null && isCalendarDate(m[1]) && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 60 && Number(m[6]) <= 15;
    }
    case "text":
      // PostgreSQL text holds no NUL.
      return value.length <= 1000 && !value.includes("\u0000");
  }
}

export interface ListSpec<T extends ObjectLiteral> {
  entity: EntityTarget<T>;
  /** FROM clause: the table with the alias and any joins, e.g. sql`transactions t`. */
  from: Sql;
  alias: string;
  /** Filters and the viewer's access, as one condition (TRUE when there is none). */
  where: Sql;
  /** Sort expression over the alias and its PostgreSQL type; ties are broken by id. */
  sort: { expr: string; type: "date" | "timestamptz" | "text" | "int" };
  /** Newest first by default for time-ordered lists. */
  direction: "ASC" | "DESC";
  /**
   * For a list nested under another object: the column holding the parent's id, or the condition
   * tying a row to the parent (`parent` is the parent id).
   */
  parent?: string | ((parent: Sql) => Sql);
  /**
   * What drives a nested list: a FROM item named `page_parent` with at least `parent_id` and `ord`
   * (the parent's position), possibly several rows per parent, whose other columns `where` may use
   * (e.g. the viewer's grants on each parent: see grantDrivers). Default: one row per parent.
   */
  drivers?: (parentIds: readonly string[]) => Promise<Sql>;
  /**
   * Drivers written from the parents as SQL (a uuid[] expression), given instead of `drivers` where
   * they can be: the loader binds the parents' ids as that expression, and a parent list can read
   * this one in its own statement (loadRootWithChildren). A list with `drivers` is read by its loader only.
   */
  driversFor?: (parentIds: Sql) => Sql;
  /**
   * The drivers are the viewer's grants (Access.drivers) and role checks on the rows' accounts are
   * likely to follow (a program account's `myRole`): the column of a row holding its account. The
   * statement then also returns the viewer's relationship roles on each row's account (the drivers
   * hold every path to every account of a parent), handed to PageSource.rememberProviderRoles, so
   * that those checks need no statement of their own.
   */
  remembersRolesOn?: string;
  /** The GraphQL type whose visibility rule `where` applies: the rows it returns need no second check. */
  vouches?: string;
  /** Objects the rows' visibility implies the viewer may see too (a column of the rows holding their ids). */
  alsoVouches?: { type: string; column: string }[];
  /**
   * How a root list's statement is planned (QueryOptions in db/sql.ts). "reuse" only where the best
   * plan cannot depend on the values: a large book of business read in sort order, each row checked
   * by the viewer's grants. Default "fresh": planned for its values every time.
   */
  plan?: QueryOptions["plan"];
  /** How to count the whole list, when that differs from counting `where` (e.g. set-based for large lists). */
  count?: () => Sql;
}

export interface PageSource {
  db: Queryable;
  /** Told which rows a visibility-filtered list returned. */
  vouch?(type: string, ids: string[]): void;
  /** Told the viewer's relationship roles on the accounts of a list's rows (ListSpec.remembersRolesOn). */
  rememberProviderRoles?(roles: Map<string, string[]>): void;
}

const parentCondition = <T extends ObjectLiteral>(spec: ListSpec<T>, parent: Sql) =>
  typeof spec.parent === "function" ? spec.parent(parent) : sql`${raw(spec.parent!)} = ${parent}`;

/** A list's page query for some arguments: the SELECT of one page (of one parent, or the root), and its direction. */
function pageQuery<T extends ObjectLiteral>(source: PageSource, spec: ListSpec<T>, args: NormalisedArgs) {
  const a = raw(spec.alias);
  const sortExpr = raw(spec.sort.expr);
  // Walking backwards reverses the order; the page is reversed again below.
  const ascending = (spec.direction === "ASC") !== args.backward;
  const dir = raw(ascending ? "ASC" : "DESC");
  let cursorCondition = sql``;
  if (args.cursor) {
    // A forged cursor must not reach PostgreSQL's casts (that would be a 500, not a clear error).
    if (!sortValueValid(spec.sort.type, args.cursor.sort)) {
      throw badInput("That cursor does not belong to this list; use an edge's cursor from this list.", args.backward ? "before" : "after");
    }
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

/** A page's row as read (arrayRowsOf): the entity's columns, then the cursor's sort value and what the layout adds. */
type PageRow = readonly unknown[];

/**
 * Where a page's rows hold what the pages are made of: the entity's columns first (columnNamesOf),
 * then the cursor's sort value, then, for a nested list, its parent's id and, where the list
 * remembers roles, the viewer's relationship roles on the row's account.
 */
interface RowLayout {
  columns: string[];
  id: number;
  sort: number;
  parent: number;
  roles: number;
  /** The position of an entity column (by database name). */
  of(column: string): number;
}

function rowLayout<T extends ObjectLiteral>(source: PageSource, spec: ListSpec<T>, nested: boolean, roles: boolean): RowLayout {
  const columns = [...columnNamesOf(source.db, spec.entity), "sort_text", ...(nested ? ["parent_id"] : []), ...(roles ? ["provider_roles"] : [])];
  const of = (column: string) => {
    const i = columns.indexOf(column);
    if (i < 0) throw new Error(`no column ${column} in a page of ${columns.join(", ")}`);
    return i;
  };
  return { columns, id: of("id"), sort: of("sort_text"), parent: nested ? of("parent_id") : -1, roles: roles ? of("provider_roles") : -1, of };
}

/**
 * The statement reading the pages of a nested list for the parents its drivers name (see
 * ListSpec.drivers), and the column whose account's roles it also returns (ListSpec.remembersRolesOn).
 */
function nestedPagesStatement<T extends ObjectLiteral>(
  source: PageSource,
  spec: ListSpec<T>,
  args: NormalisedArgs,
  drivers: Sql,
): { statement: Sql; rows: Sql; layout: RowLayout; rolesOn?: string } {
  // Only grant drivers (Access.drivers) carry the columns the roles are read from.
  if (spec.remembersRolesOn && !spec.drivers && !spec.driversFor) throw new Error("remembersRolesOn needs the viewer's grants as drivers");
  const rolesOn = source.rememberProviderRoles ? spec.remembersRolesOn : undefined;
  const { page, dir } = pageQuery(source, spec, args);
  // Each driver row reads its page through the indexes (LATERAL ... LIMIT); a parent driven by
  // several rows (several grants) gets the union of their pages, cut to the page size again.
  // The plan is kept (named statement): it is driven from the parents whatever their number, each
  // parent's page read through an index, so the values do not change what the best plan is. The page
  // size is bound here, so that one statement serves every page size.
  const bound = sql`${args.limit + 1}::int`;
  // page_parent is inlined where it is read once, computed once where page_roles reads it too.
  const statement = sql`WITH page_parent AS (SELECT * FROM ${drivers})${
    rolesOn
      ? sql`,
             page_roles AS (SELECT program_account_id, array_agg(role) FILTER (WHERE via = 'RELATIONSHIP') AS roles FROM page_parent GROUP BY 1)`
      : empty
  } SELECT r.*${rolesOn ? sql`, coalesce(page_roles.roles, '{}') AS provider_roles` : empty} FROM (
        SELECT d.*, row_number() OVER (PARTITION BY d.parent_id ORDER BY d.sort_key ${dir}, d.id ${dir}) AS rn FROM (
          SELECT DISTINCT ON (page_parent.parent_id, x.id) page_parent.parent_id::text AS parent_id, page_parent.ord AS page_ord, x.*
            FROM page_parent
            CROSS JOIN LATERAL (${page(sql`${parentCondition(spec, sql`page_parent.parent_id`)} AND `, bound)}) x
           ORDER BY page_parent.parent_id, x.id) d
      ) r${rolesOn ? sql` LEFT JOIN page_roles ON page_roles.program_account_id = r.${raw(rolesOn)}` : empty} WHERE r.rn <= ${bound}`;
  const layout = rowLayout(source, spec, true, rolesOn !== undefined);
  // The rows as one value (`rows`), or the whole statement returning it (`statement`).
  const rows = arrayRowsOf(sql`(${statement})`, layout.columns, sql`q.page_ord, q.rn`);
  return { statement: sql`SELECT ${rows} AS rows`, rows, layout, rolesOn };
}

/**
 * Keyset pagination of one list, or of many sibling lists at once (one per parent id: the
 * DataLoader path for nested connections). One statement whatever the number of parents, reading
 * the page's rows with their cursors (each parent's page read through the indexes with LIMIT, never
 * the whole list). `totalCount` is counted only when asked for.
 */
export async function loadPages<T extends ObjectLiteral & { id: string }>(
  source: PageSource,
  spec: ListSpec<T>,
  parentIds: readonly string[] | null,
  args: NormalisedArgs,
): Promise<Map<string, Page<T>>> {
  if (parentIds) {
    const { statement, layout, rolesOn } = nestedPagesStatement(source, spec, args, await driversAt(spec, parentIds));
    const [result] = await query<{ rows: PageRow[] }>(source.db, statement, DRIVEN_BY_IDS);
    if (rolesOn) rememberRoles(source, result!.rows, layout, rolesOn);
    return pagesOf(source, spec, args, result!.rows, layout, parentIds);
  }
  const { page, rootOrder } = pageQuery(source, spec, args);
  const layout = rowLayout(source, spec, false, false);
  const [result] = await query<{ rows: PageRow[] }>(source.db, rowsAsArrays(page(sql``), layout.columns, rootOrder), { plan: spec.plan });
  return pagesOf(source, spec, args, result!.rows, layout, null);
}

/** A list nested under every row of a root list, and its arguments (see loadRootWithChildren). */
export interface ChildList<C extends ObjectLiteral & { id: string }> {
  spec: ListSpec<C>;
  args: NormalisedArgs;
}

/**
 * The arguments normalised for `spec`, or null where reading with them would fail (a bad page size,
 * a cursor that is not one of this list's): for reading ahead of the field that owns them, which
 * then reports the error at its own path.
 */
export function argsIfValid<T extends ObjectLiteral>(spec: ListSpec<T>, args: ConnectionArgs): NormalisedArgs | null {
  let normalised: NormalisedArgs;
  try {
    normalised = normaliseArgs(args);
  } catch {
    return null;
  }
  return normalised.cursor && !sortValueValid(spec.sort.type, normalised.cursor.sort) ? null : normalised;
}

/** Whether a nested list can be read in its parent list's statement: its drivers can take the parents as SQL. */
export const readableWithParents = <T extends ObjectLiteral>(spec: ListSpec<T>): boolean => !spec.drivers;

/**
 * A root list's page and, in the same statement, a list nested under each of its rows: the rows'
 * ids go to the nested list's drivers inside PostgreSQL (ListSpec.driversFor), where the loader
 * would send them back in a statement of its own. The nested pages are the loader's exactly (same
 * drivers, same page statement, same conversion); the statement is one round trip instead of two,
 * and one plan kept instead of two. Only for a root list whose plan is kept (ListSpec.plan "reuse"):
 * a root list planned for its values every time would have the nested list planned with it (its
 * plan is kept when it is read on its own).
 */
export async function loadRootWithChildren<T extends ObjectLiteral & { id: string }, C extends ObjectLiteral & { id: string }>(
  source: PageSource,
  spec: ListSpec<T>,
  args: NormalisedArgs,
  child: ChildList<C>,
): Promise<{ root: Page<T>; children: Map<string, Page<C>> }> {
  if (spec.plan !== "reuse") throw new Error("a root list read with its children must keep its plan (ListSpec.plan \"reuse\")");
  if (!readableWithParents(child.spec)) throw new Error("this nested list's drivers need the parents' ids in Node (ListSpec.driversFor)");
  const { page, rootOrder } = pageQuery(source, spec, args);
  const parents = sql`ARRAY(SELECT id FROM page_root)`;
  const drivers = (child.spec.driversFor ?? defaultDrivers)(parents);
  const nested = nestedPagesStatement(source, child.spec, child.args, drivers);
  const layout = rowLayout(source, spec, false, false);
  const statement = sql`WITH page_root AS MATERIALIZED (${page(sql``)})
    SELECT ${arrayRowsOf(sql`page_root`, layout.columns, rootOrder)} AS rows, ${nested.rows} AS children`;
  const [result] = await query<{ rows: PageRow[]; children: PageRow[] }>(source.db, statement, DRIVEN_BY_IDS);
  const rows = result!.rows;
  const root = pagesOf(source, spec, args, rows, layout, null).get("root")!;
  if (nested.rolesOn) rememberRoles(source, result!.children, nested.layout, nested.rolesOn);
  const children = pagesOf(source, child.spec, child.args, result!.children, nested.layout, rows.map((r) => r[layout.id] as string));
  return { root, children };
}

function rememberRoles(source: PageSource, rows: PageRow[], layout: RowLayout, rolesOn: string): void {
  const account = layout.of(rolesOn);
  source.rememberProviderRoles!(new Map(rows.map((r) => [r[account] as string, r[layout.roles] as string[]])));
}

/** The pages of the rows a list's statement read (per parent, or "root"). */
function pagesOf<T extends ObjectLiteral & { id: string }>(
  source: PageSource,
  spec: ListSpec<T>,
  args: NormalisedArgs,
  rows: PageRow[],
  layout: RowLayout,
  parentIds: readonly string[] | null,
): Map<string, Page<T>> {
  if (spec.vouches && rows.length) source.vouch?.(spec.vouches, rows.map((r) => r[layout.id] as string));
  for (const also of spec.alsoVouches ?? []) {
    const column = layout.of(also.column);
    if (rows.length) source.vouch?.(also.type, rows.map((r) => r[column] as string));
  }
  // The page's rows carry the entities' columns: no second statement to load them. One entity per
  // row; each parent's edges in the statement's order. No closure here holds the rows: the pages'
  // getters would keep them (and their parsed JSON) alive for the whole request.
  const entities = hydrateArrays(source.db, spec.entity, rows);
  const grouped = new Map<string, LazyEdge<T>[]>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const key = parentIds ? (row[layout.parent] as string) : "root";
    const edge = new LazyEdge(row[layout.sort] as string, row[layout.id] as string, entities[i]!);
    const list = grouped.get(key);
    if (list) list.push(edge);
    else grouped.set(key, [edge]);
  }
  const counts = parentIds ? null : lazy(() => countRows(source, spec, null).then((m) => m.get("root") ?? 0));
  const nestedCounts = parentIds ? lazy(() => countRows(source, spec, parentIds)) : null;
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

/** An edge whose cursor is encoded only when read (most pages select a few cursors, or none). */
class LazyEdge<T> implements Edge<T> {
  private encoded?: string;
  constructor(
    private readonly sort: string,
    private readonly id: string,
    readonly node: T,
  ) {}
  get cursor(): string {
    return (this.encoded ??= encodeCursor({ sort: this.sort, id: this.id }));
  }
}

/** The number of rows of the list (per parent), counted only when a client asks for totalCount. */
async function countRows<T extends ObjectLiteral>(source: PageSource, spec: ListSpec<T>, parentIds: readonly string[] | null): Promise<Map<string, number>> {
  if (!parentIds) {
    const statement = spec.count ? spec.count() : sql`SELECT count(*)::int AS n FROM ${spec.from} WHERE ${spec.where}`;
    const [row] = await query<{ n: number }>(source.db, statement);
    return new Map([["root", Number(row?.n ?? 0)]]);
  }
  const drivers = await driversAt(spec, parentIds);
  const rows = await query<{ parent_id: string; n: number }>(
    source.db,
    sql`SELECT page_parent.parent_id::text AS parent_id, count(DISTINCT x.id)::int AS n
          FROM ${drivers}
          CROSS JOIN LATERAL (SELECT ${raw(spec.alias)}.id FROM ${spec.from} WHERE ${parentCondition(spec, sql`page_parent.parent_id`)} AND (${spec.where})) x
         GROUP BY 1`,
    DRIVEN_BY_IDS,
  );
  return new Map(rows.map((r) => [r.parent_id, Number(r.n)]));
}

/** One driver row per parent (`ids`: a uuid[] expression), for lists without drivers of their own. */
const defaultDrivers = (ids: Sql) => sql`unnest(${ids}) WITH ORDINALITY AS page_parent(parent_id, ord)`;

/** A nested list's drivers for these parents (ListSpec.drivers, driversFor, or one row per parent). */
async function driversAt<T extends ObjectLiteral>(spec: ListSpec<T>, parentIds: readonly string[]): Promise<Sql> {
  if (spec.drivers) return spec.drivers(parentIds);
  return (spec.driversFor ?? defaultDrivers)(uuids(parentIds));
}

/** Runs `fn` once, on first call. */
function lazy<T>(fn: () => Promise<T>): () => Promise<T> {
  let memo: Promise<T> | undefined;
  return () => (memo ??= fn());
}
