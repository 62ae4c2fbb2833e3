import { ArgsType, Field, Int, ObjectType, type ClassType } from "type-graphql";
import { In, type DataSource, type EntityTarget, type ObjectLiteral, type SelectQueryBuilder } from "typeorm";
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

@ObjectType({ description: "Relay page information." })
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
  totalCount: number;
}

/** Makes `<Name>Connection` and `<Name>Edge` GraphQL types for a node type. */
export function Connection<T extends object>(node: ClassType<T>, name: string = node.name) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String, { description: "Opaque cursor of this edge." })
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items.` })
  class ConnectionType {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: "Number of items across all pages." })
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
  alias: string;
  /** Sort expression over the alias and its PostgreSQL type; ties are broken by id. */
  sort: { expr: string; type: "date" | "timestamptz" | "text" | "int" };
  /** Newest first by default for time-ordered lists. */
  direction: "ASC" | "DESC";
  /** Column holding the parent's id, for a list nested under another object. */
  parentExpr?: string;
  /** Filters and the access-scope condition. */
  where: (qb: SelectQueryBuilder<T>) => void;
}

/**
 * Keyset pagination of one list, or of many sibling lists at once (one per parent id: the
 * DataLoader path for nested connections). Two statements whatever the number of parents:
 * one window query for ids, counts and cursors, one to load the entities.
 */
export async function loadPages<T extends ObjectLiteral & { id: string }>(
  db: DataSource,
  spec: ListSpec<T>,
  parentIds: readonly string[] | null,
  args: NormalisedArgs,
): Promise<Map<string, Page<T>>> {
  const parentExpr = spec.parentExpr ?? "'root'";
  const qb = db
    .createQueryBuilder(spec.entity, spec.alias)
    .select(`${spec.alias}.id`, "id")
    .addSelect(`(${parentExpr})::text`, "parent_id")
    .addSelect(spec.sort.expr, "sort_key")
    .addSelect(`(${spec.sort.expr})::text`, "sort_text")
    .addSelect(`count(*) OVER (PARTITION BY ${parentExpr})`, "total");
  spec.where(qb);
  if (parentIds) qb.andWhere(`${parentExpr} = ANY(:__parentIds)`, { __parentIds: [...parentIds] });
  const [innerSql, innerParams] = qb.getQueryAndParameters();

  // Walking backwards reverses the order; the page is reversed again below.
  const ascending = (spec.direction === "ASC") !== args.backward;
  const dir = ascending ? "ASC" : "DESC";
  const params: unknown[] = [...innerParams];
  let cursorCondition = "";
  if (args.cursor) {
    // A forged cursor must not reach PostgreSQL's casts (that would be a 500, not a clear error).
    if (!sortValueValid(spec.sort.type, args.cursor.sort)) {
      throw badInput("That cursor does not belong to this list; use an edge's cursor from this list.", args.backward ? "before" : "after");
    }
    params.push(args.cursor.sort, args.cursor.id);
    const a = params.length - 1;
    cursorCondition = `WHERE (s.sort_key, s.id) ${ascending ? ">" : "<"} ($${a}::${spec.sort.type}, $${a + 1}::uuid)`;
  }
  params.push(args.limit + 1);
  const sql = `SELECT r.id, r.parent_id, r.sort_text, r.total FROM (
      SELECT s.*, row_number() OVER (PARTITION BY s.parent_id ORDER BY s.sort_key ${dir}, s.id ${dir}) AS rn
      FROM (${innerSql}) s ${cursorCondition}
    ) r WHERE r.rn <= $${params.length} ORDER BY r.parent_id, r.rn`;
  const rows: { id: string; parent_id: string; sort_text: string; total: string }[] = await db.query(sql, params);

  const ids = rows.filter((r) => r.id).map((r) => r.id);
  const entities = ids.length ? await db.getRepository(spec.entity).findBy({ id: In(ids) } as never) : [];
  const byId = new Map(entities.map((e) => [e.id, e]));

  const grouped = new Map<string, typeof rows>();
  for (const r of rows) {
    const list = grouped.get(r.parent_id) ?? [];
    list.push(r);
    grouped.set(r.parent_id, list);
  }
  const result = new Map<string, Page<T>>();
  for (const key of parentIds ?? ["root"]) {
    const list = grouped.get(key) ?? [];
    const totalCount = Number(grouped.get(key)?.[0]?.total ?? 0);
    const hasMore = list.length > args.limit;
    let page = list.slice(0, args.limit);
    if (args.backward) page = page.reverse();
    const edges = page
      .map((r) => ({ cursor: encodeCursor({ sort: r.sort_text, id: r.id }), node: byId.get(r.id) }))
      .filter((e): e is Edge<T> => e.node !== undefined);
    result.set(key, {
      edges,
      totalCount,
      pageInfo: {
        hasNextPage: args.backward ? args.cursor !== null : hasMore,
        hasPreviousPage: args.backward ? hasMore : args.cursor !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    });
  }
  return result;
}
