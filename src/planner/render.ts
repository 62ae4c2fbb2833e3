import { join, raw, sql, type Sql } from "../db/sql.js";

/**
 * JSON text written by PostgreSQL exactly as the API's GraphQL scalars serialize and as
 * `JSON.stringify` writes them (no spaces, keys in selection order), so that the compiled path's
 * answer is the general path's byte for byte (test/planner-render.test.ts compares them over random
 * values). Every expression here is SQL text that is never NULL: a null value is the text `null`.
 */

/** A value as JSON text: strings escaped as JSON.stringify escapes them (to_json), SQL NULL as `null`. */
export const json = (value: Sql): Sql => sql`coalesce(to_json(${value})::text, 'null')`;

/** `true`/`false` (never null). */
export const bool = (value: Sql): Sql => sql`(CASE WHEN ${value} THEN 'true' ELSE 'false' END)`;

/** Base64url without padding of a text's UTF-8 bytes (Buffer's "base64url"; PostgreSQL's base64 breaks lines every 76 characters). */
export const base64url = (text: Sql): Sql => sql`rtrim(translate(encode(convert_to(${text}, 'UTF8'), 'base64'), '+/' || chr(10), '-_'), '=')`;

/** A global id (common/node.ts, toGlobalId) of the row id `id` of GraphQL type `type`, as JSON text. */
export function globalId(type: string, id: Sql): Sql {
  if (!/^[A-Z][A-Za-z]+$/.test(type)) throw new Error(`not a type name: ${type}`);
  return sql`('"' || ${base64url(sql`${raw(`'${type}:'`)} || ${id}::text`)} || '"')`;
}

/** A cursor (common/cursor.ts, encodeCursor) of a row's sort value (text) and id, in the list's order (if named), as JSON text. */
export function cursor(sortText: Sql, id: Sql, order: string | undefined): Sql {
  const parts = [sql`to_json(${sortText})::text`, sql`to_json(${id}::text)::text`];
  if (order) parts.push(sql`to_json(${order}::text)::text`);
  const array = sql`'[' || ${join(parts, " || ',' || ")} || ']'`;
  return sql`('"' || ${base64url(array)} || '"')`;
}

/** Money (common/money.ts, MoneyScalar): two decimals, as a JSON string. */
export const money = (value: Sql): Sql => json(sql`(${value})::numeric(14,2)::text`);

/** A calendar date (LocalDate): YYYY-MM-DD, as a JSON string. */
export const localDate = (value: Sql): Sql => json(sql`to_char(${value}, 'YYYY-MM-DD')`);

/** A JSON object of `entries` (key, JSON text), in order. */
export function object(entries: readonly (readonly [string, Sql])[]): Sql {
  if (!entries.length) return sql`'{}'`;
  const parts: Sql[] = [];
  entries.forEach(([key, value], i) => {
    parts.push(raw(quote(`${i === 0 ? "{" : ","}${JSON.stringify(key)}:`)));
    parts.push(value);
  });
  parts.push(raw("'}'"));
  return concat(parts);
}

/**
 * Texts concatenated in one allocation (`concat`, at most 100 arguments a call; its parts here are
 * never NULL): a chain of `||` copies the growing text at each step, quadratic in an object's size.
 */
export function concat(parts: readonly Sql[]): Sql {
  if (parts.length === 1) return parts[0]!;
  if (parts.length <= 100) return sql`concat(${join(parts as Sql[], ", ")})`;
  const chunks: Sql[] = [];
  for (let i = 0; i < parts.length; i += 100) chunks.push(concat(parts.slice(i, i + 100)));
  return concat(chunks);
}

/** A JSON string literal (a `__typename`). */
export const stringLiteral = (value: string): Sql => raw(quote(JSON.stringify(value)));

/** An SQL string literal of a text made by this module (keys and type names: GraphQL names, no quotes). */
function quote(text: string): string {
  if (text.includes("'") || text.includes("\\")) throw new Error(`unexpected character in ${text}`);
  return `'${text}'`;
}
