import { getArgumentValues } from "graphql";
import { roleAllowsSql, strongestRoleSql } from "../auth/compiled-authority.js";
import { grantsSql } from "../auth/grants.js";
import type { Context } from "../context.js";
import type { ListSpec } from "../common/lists.js";
import { MAX_PAGE_SIZE, type ConnectionArgs } from "../common/connection.js";
import { cursorMisfit, normaliseArgs, type NormalisedArgs } from "../common/cursor.js";
import { join, raw, sql, type Sql } from "../db/sql.js";
import type { Env } from "./catalogue.js";
import { bool, cursor, object, stringLiteral } from "./render.js";
import type { ConnectionPart, Part, Shape } from "./shape.js";

/**
 * One request's statement for a shape (shape.ts): PostGraphile's shape with the API's rules. The root
 * rows first (MATERIALIZED), the viewer's grants on the root's businesses once (MATERIALIZED, the
 * grants relation of grants.ts restricted to them), then the answer as one JSON text, each nested
 * page a correlated subquery through the list's index: the list spec's own table, order and policy
 * condition (`where`, over the grants as its parent rows, as grantsPerParent gives them to the
 * loaders), LIMIT n + 1 per grant, deduplicated, the first n kept.
 *
 * Where the general path would answer with an error (a rule refusing a row, an object not found, an
 * argument it refuses), the statement writes REFUSED in its place, or the request is not compiled
 * at all (null): either way the general path answers it, error and all.
 */

type AnyList = ListSpec<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Written where the general path would answer with an error: `{"` cannot occur inside a JSON string (a quote is escaped there), and keys are GraphQL names. */
export const REFUSED = '{"\\u0001":0}';
const refused = raw(`'${REFUSED}'`);

class Fallback extends Error {}
const fallback = (): never => {
  throw new Fallback();
};

/** The statement answering `shape` for this request, or null when the general path must answer (its arguments are refused there). */
export async function statementOf(shape: Shape, ctx: Context, variables: Record<string, unknown>): Promise<Sql | null> {
  try {
    return await build(shape, ctx, variables);
  } catch (e) {
    if (e instanceof Fallback) return null;
    throw e;
  }
}

async function build(shape: Shape, ctx: Context, variables: Record<string, unknown>): Promise<Sql> {
  const ctes: Sql[] = [];
  const businessRoots: string[] = [];
  const env: Env = { ctx, variables, grants: null };
  const answers: [string, Sql][] = [];
  let depth = 0;
  const alias = () => `x${depth++}`;
  for (const [i, part] of shape.roots.entries()) {
    const args = getArgumentValues(part.definition, part.node, variables);
    const rows = `r${i}`;
    const x = alias();
    if (part.root.type === "Business") businessRoots.push(rows);
    if (part.root.kind === "one") {
      const found = part.root.find(ctx, args[part.root.key]);
      if (!found) fallback();
      ctes.push(sql`${raw(rows)} AS MATERIALIZED (SELECT b.* FROM ${found})`);
      // Not found (or not the viewer's) is NOT_FOUND there.
      const from = shape.grants ? withGrants(rows) : raw(rows);
      answers.push([part.key, sql`coalesce((SELECT ${objectText(part.selection as Part[], x, rootEnv(env, shape.grants, x), alias)} FROM ${from} ${raw(x)}), ${refused})`]);
    } else {
      for (const name of part.root.unsupported) if (args[name] != null) fallback();
      const spec = await part.root.spec(ctx);
      const page = pageArgs(spec, args);
      ctes.push(sql`${raw(rows)} AS MATERIALIZED (${numbered(rootPage(spec, page), spec)})`);
      const from = shape.grants && part.root.type === "Business" ? withGrants(rows) : raw(rows);
      answers.push([part.key, connectionText(part.selection as ConnectionPart[], from, x, page, spec, rootEnv(env, shape.grants && part.root.type === "Business", x), alias)]);
    }
  }
  if (shape.grants) {
    const businesses = join(businessRoots.map((r) => sql`SELECT id FROM ${raw(r)}`), " UNION ALL ");
    ctes.push(sql`grants AS MATERIALIZED (SELECT * FROM (${grantsSql({ ...ctx.access.grantRestriction(), businesses: sql`ARRAY(${businesses})` })}) g)`);
  }
  return sql`WITH ${join(ctes, ",\n")}\nSELECT ${object(answers)} AS data`;
}

/**
 * The grants relation's columns, as each root business's row carries its grants (an array of
 * records: a lookup per account then reads that business's few grants, not the whole relation).
 */
const GRANT_COLUMNS: [string, string][] = [
  ["user_id", "uuid"], ["program_account_id", "uuid"], ["business_id", "uuid"], ["role", "text"], ["via", "text"],
  ["relationship_id", "uuid"], ["provider_business_id", "uuid"], ["relationship_status", "text"], ["relationship_role", "text"],
  ["client_group_id", "uuid"], ["assignment_role", "text"], ["see_provider", "boolean"], ["see_client", "boolean"], ["see_others", "boolean"],
];
const grantRecord = raw(`ROW(${GRANT_COLUMNS.map(([c, t]) => `g.${c}::${t}`).join(", ")})`);
const grantColumns = raw(GRANT_COLUMNS.map(([c, t]) => `${c} ${t}`).join(", "));

/** The root rows `rows` with the viewer's grants on each business (`viewer_grants`, from the statement's `grants`). */
const withGrants = (rows: string): Sql => sql`(SELECT r.*, gg.viewer_grants FROM ${raw(rows)} r LEFT JOIN (
    SELECT g.business_id, array_agg(${grantRecord}) AS viewer_grants FROM grants g GROUP BY g.business_id) gg ON gg.business_id = r.id)`;

/** What objects under the root business row `x` read the viewer's grants from: that business's own. */
const rootEnv = (env: Env, grants: boolean, x: string): Env =>
  grants ? { ...env, grants: (alias) => sql`unnest(${raw(x)}.viewer_grants) AS ${raw(alias)}(${grantColumns})` } : env;

/** A connection's arguments as the general path reads them (the field's default page size), or the general path when it would refuse them or page backward. */
function pageArgs(spec: AnyList, args: Record<string, unknown>, defaultPageSize?: number): NormalisedArgs {
  let connection = args as ConnectionArgs;
  if (connection.last != null || connection.before != null) fallback();
  if (connection.first == null && defaultPageSize !== undefined) connection = { ...connection, first: defaultPageSize };
  let page: NormalisedArgs;
  try {
    page = normaliseArgs(connection);
  } catch {
    return fallback();
  }
  if (page.cursor && cursorMisfit(page.cursor, spec.sort.type, spec.order)) fallback();
  if (!Number.isInteger(page.limit) || page.limit < 0 || page.limit > MAX_PAGE_SIZE) fallback();
  return page;
}

const sortOf = (spec: AnyList): Sql => (typeof spec.sort.expr === "string" ? raw(spec.sort.expr) : spec.sort.expr);

/** The rows of a page (n + 1 at most), with the cursor's sort value, in the list's order (`extra`: conditions before the list's own). */
function rootPage(spec: AnyList, page: NormalisedArgs, extra: Sql = sql``): Sql {
  const a = raw(spec.alias);
  const sort = sortOf(spec);
  const dir = raw(spec.direction);
  const after = page.cursor
    ? sql` AND (${sort}, ${a}.id) ${raw(spec.direction === "ASC" ? ">" : "<")} (${page.cursor.sort}::${raw(spec.sort.type)}, ${page.cursor.id}::uuid)`
    : sql``;
  return sql`SELECT ${a}.*, (${sort})::text AS sort_text, ${sort} AS sort_key FROM ${spec.from}
     WHERE ${extra}(${spec.where})${after} ORDER BY ${sort} ${dir}, ${a}.id ${dir} LIMIT ${raw(String(page.limit + 1))}`;
}

/** Rows (ordered, limited) numbered in the list's order: `rn`. */
function numbered(rows: Sql, spec: AnyList): Sql {
  const dir = raw(spec.direction);
  return sql`SELECT p.*, row_number() OVER (ORDER BY p.sort_key ${dir}, p.id ${dir}) AS rn FROM (${rows}) p`;
}

/**
 * The page of a nested list under the row aliased `parent`: through each of the viewer's grants on
 * it (the list's parent rows, `page_parent`, as grantsPerParent gives them), the list's own page,
 * deduplicated, the first n + 1 kept (the loader's nestedPagesStatement, for one parent).
 */
function nestedPage(spec: AnyList, page: NormalisedArgs, parent: string, key: string, grants: (alias: string) => Sql): Sql {
  if (typeof spec.parent !== "string") throw new Error("a nested list tied to its parent by a column");
  const dir = raw(spec.direction);
  const inner = rootPage(spec, page, sql`${raw(spec.parent)} = page_parent.parent_id AND `);
  return numbered(
    sql`SELECT d.* FROM (
        SELECT DISTINCT ON (y.id) y.* FROM (SELECT g.${raw(key)} AS parent_id, g.* FROM ${grants("g")} WHERE g.${raw(key)} = ${raw(parent)}.id) page_parent
         CROSS JOIN LATERAL (${inner}) y ORDER BY y.id) d
      ORDER BY d.sort_key ${dir}, d.id ${dir} LIMIT ${raw(String(page.limit + 1))}`,
    spec,
  );
}

/** An object's JSON text from the row aliased `x`. */
function objectText(parts: Part[], x: string, env: Env, alias: () => string): Sql {
  return object(
    parts.map(({ key, value }): [string, Sql] => {
      switch (value.kind) {
        case "typename":
          return [key, stringLiteral(value.name)];
        case "scalar":
          return [key, value.field.render(x, env)];
        case "object": {
          const y = alias();
          return [key, sql`(SELECT ${objectText(value.selection, y, env, alias)} FROM ${value.field.from(x, y)})`];
        }
        case "connection": {
          const args = getArgumentValues(value.definition, value.node, env.variables);
          const spec = value.field.spec(env.ctx);
          const size = value.definition.extensions?.defaultPageSize;
          const page = pageArgs(spec, args, typeof size === "number" ? size : undefined);
          const y = alias();
          const text = connectionText(value.selection, sql`(${nestedPage(spec, page, x, value.field.grantsKey, env.grants!)})`, y, page, spec, env, alias);
          if (!value.guard || value.guard.kind !== "role on account") return [key, text];
          // The field's rule (onAccount): where it refuses, the general path answers with its error.
          return [key, sql`(CASE WHEN ${roleAllowsSql(strongestRoleSql(env.grants!, raw(`${x}.id`)), value.guard.action)} THEN ${text} ELSE ${refused} END)`];
        }
      }
    }),
  );
}

/** A connection's JSON text over its rows (`rows`, aliased `x`, numbered `rn`, at most n + 1). */
function connectionText(parts: ConnectionPart[], rows: Sql, x: string, page: NormalisedArgs, spec: AnyList, env: Env, alias: () => string): Sql {
  const X = raw(x);
  const n = raw(String(page.limit));
  const cursorOf = cursor(sql`${X}.sort_text`, sql`${X}.id`, spec.order);
  const list = (item: Sql) => sql`('[' || coalesce(string_agg(${item}, ',' ORDER BY ${X}.rn) FILTER (WHERE ${X}.rn <= ${n}), '') || ']')`;
  const entries = parts.map(({ key, value }): [string, Sql] => {
    switch (value.kind) {
      case "typename":
        return [key, stringLiteral(value.name)];
      case "edges":
        return [
          key,
          list(
            object(
              value.selection.map(({ key: k, value: v }): [string, Sql] => {
                if (v.kind === "typename") return [k, stringLiteral(v.name)];
                if (v.kind === "cursor") return [k, cursorOf];
                return [k, objectText(v.selection, x, env, alias)];
              }),
            ),
          ),
        ];
      case "pageInfo":
        return [
          key,
          object(
            value.selection.map(({ key: k, value: v }): [string, Sql] => {
              switch (v.kind) {
                case "typename":
                  return [k, stringLiteral(v.name)];
                case "hasNextPage":
                  return [k, bool(sql`count(*) > ${n}`)];
                case "hasPreviousPage":
                  return [k, raw(page.cursor ? "'true'" : "'false'")];
                case "startCursor":
                  return [k, page.limit === 0 ? raw("'null'") : sql`coalesce(max(CASE WHEN ${X}.rn = 1 THEN ${cursorOf} END), 'null')`];
                case "endCursor":
                  return [k, sql`coalesce((array_agg(${cursorOf} ORDER BY ${X}.rn DESC) FILTER (WHERE ${X}.rn <= ${n}))[1], 'null')`];
              }
            }),
          ),
        ];
    }
  });
  return sql`(SELECT ${object(entries)} FROM ${rows} ${X})`;
}
