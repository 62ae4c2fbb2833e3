import type { EntityTarget, ObjectLiteral } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata.js";
import type { EntityMetadata } from "typeorm/metadata/EntityMetadata.js";
import { raw, sql, type Queryable, type Sql } from "./sql.js";

/**
 * Entities read with hand-written SQL (lists, by-id loaders, sign-in): the columns to select and the
 * conversion of the rows, as TypeORM would do for what it loads itself.
 */

const dataSourceOf = (db: Queryable) => ("connection" in db ? db.connection : db);

/** Per entity, once: its select lists per form and table alias, and how each column is converted (see ColumnPlan). */
const selectLists = new WeakMap<EntityMetadata, Map<string, Sql>>();
const hydrationPlans = new WeakMap<EntityMetadata, ColumnPlan[]>();

/** An entity's select list for `alias`, each column rendered by `column`, built once per entity, form and alias. */
function selectList(db: Queryable, entity: EntityTarget<ObjectLiteral>, form: "rows" | "json", alias: string, column: (c: ColumnMetadata, metadata: EntityMetadata) => string): Sql {
  const metadata = dataSourceOf(db).getMetadata(entity);
  let lists = selectLists.get(metadata);
  if (!lists) selectLists.set(metadata, (lists = new Map()));
  const key = `${form}:${alias}`;
  let list = lists.get(key);
  if (!list) lists.set(key, (list = raw(metadata.columns.map((c) => column(c, metadata)).join(", "))));
  return list;
}

/**
 * An entity's columns of table alias `alias`, as a select list (what `hydrate` reads). Named, not
 * `*`: a prepared statement's result keeps its shape when a migration adds a column while it runs.
 */
export function columnsOf(db: Queryable, entity: EntityTarget<ObjectLiteral>, alias: string): Sql {
  return selectList(db, entity, "rows", alias, (c) => `${alias}."${c.databaseName}"`);
}

/**
 * How each column type travels when rows are read back as one JSON value (`rowsAsJson`), so that
 * `hydrate` gets what node-postgres would have given: "same" where JSON carries the value as the
 * driver reads it (a timestamp as an ISO text, which TypeORM converts as it converts the driver's
 * Date); "text" where a JSON number would lose what the driver keeps as a string (numeric: money
 * stays exact; bigint). Any other type fails when the list is first built, not with a wrong value.
 */
const IN_JSON: Record<string, "same" | "text"> = {
  uuid: "same", varchar: "same", "character varying": "same", text: "same", char: "same", int: "same", integer: "same",
  smallint: "same", boolean: "same", date: "same", timestamptz: "same", enum: "same", json: "same", jsonb: "same",
  numeric: "text", decimal: "text", bigint: "text",
};

/** As columnsOf, for rows read back as JSON (rowsAsJson): numeric and bigint columns as text. */
export function jsonColumnsOf(db: Queryable, entity: EntityTarget<ObjectLiteral>, alias: string): Sql {
  return selectList(db, entity, "json", alias, (c, metadata) => {
    const how = typeof c.type === "string" && !c.isArray && !c.transformer ? IN_JSON[c.type] : undefined;
    if (!how) throw new Error(`${metadata.name}.${c.propertyName}: its type cannot be read back as JSON; add it to IN_JSON (db/rows.ts)`);
    return how === "text" ? `${alias}."${c.databaseName}"::text AS "${c.databaseName}"` : `${alias}."${c.databaseName}"`;
  });
}

/**
 * A statement whose rows come back as one JSON array, in `order` (an ORDER BY over the columns of
 * `q`). node-postgres parses each field of each row on its own, about a microsecond a field; one
 * JSON value is parsed by V8 at a fraction of that (a list of 150 accounts: 3.5 -> 1.7 ms of the API's
 * CPU). Select the entity's columns with jsonColumnsOf.
 */
export const rowsAsJson = (statement: Sql, order: Sql): Sql =>
  sql`SELECT coalesce(json_agg(q ORDER BY ${order}), '[]') AS rows FROM (${statement}) q`;

/** Entities from raw rows, converted as TypeORM converts what it loads itself. */
export function hydrate<T extends ObjectLiteral>(db: Queryable, entity: EntityTarget<T>, rows: Record<string, unknown>[]): T[] {
  const connection = dataSourceOf(db);
  const metadata = connection.getMetadata(entity);
  let plan = hydrationPlans.get(metadata);
  if (!plan) hydrationPlans.set(metadata, (plan = hydrationPlan(metadata.columns)));
  const driver = connection.driver;
  return rows.map((raw) => {
    const e = metadata.create() as Record<string, unknown>;
    for (const { column, property, convert } of plan!) {
      if (!(column.databaseName in raw)) continue;
      const value = raw[column.databaseName];
      if (convert === "as-read") e[property] = value;
      // TypeORM's own conversion of a timestamp (DateUtils.normalizeHydratedDate): a text (read as JSON) becomes a Date.
      else if (convert === "timestamp") e[property] = typeof value === "string" && value ? new Date(value) : value;
      else column.setEntityValue(e, driver.prepareHydratedValue(value, column));
    }
    return e as T;
  });
}

/**
 * Which columns node-postgres already gives as TypeORM would (uuid, text, numeric as text, integers,
 * json: copied as read) and which go through TypeORM's own conversion and placement (dates, booleans,
 * enums, arrays, transformers, embedded or relation columns). Lists hydrate thousands of rows per
 * request: asking TypeORM column by column costs more than reading them.
 */
interface ColumnPlan {
  column: ColumnMetadata;
  property: string;
  convert: "as-read" | "timestamp" | "typeorm";
}
/**
 * Types whose value TypeORM's PostgreSQL driver (prepareHydratedValue) hands on unchanged: booleans
 * (true/false stay so), dates (already YYYY-MM-DD text: see data-source.ts), and the others as read.
 */
const AS_READ = new Set<unknown>(["uuid", "varchar", "character varying", "text", "numeric", "decimal", "int", "integer", "smallint", "json", "jsonb", "boolean", Boolean, "date"]);
const TIMESTAMPS = new Set<unknown>(["timestamptz", "timestamp with time zone"]);

function hydrationPlan(columns: ColumnMetadata[]): ColumnPlan[] {
  return columns.map((column) => {
    const plain = !column.embeddedMetadata && !column.isVirtual && !column.transformer && !column.isArray;
    // An enum of texts is read as it is; TypeORM turns a value that is one of a numeric enum's members into a number.
    const textEnum = column.type === "enum" && !(column.enum ?? []).some((v) => typeof v === "number");
    const convert = !plain ? "typeorm" : AS_READ.has(column.type) || textEnum ? "as-read" : TIMESTAMPS.has(column.type) ? "timestamp" : "typeorm";
    return { column, property: column.propertyName, convert };
  });
}
