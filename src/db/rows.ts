import type { DataSource, EntityTarget, ObjectLiteral } from "typeorm";
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
 * How each column type travels when rows are read back as one JSON value (`arrayRowsOf`), so that
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

/** As columnsOf, for rows read back as JSON (arrayRowsOf): numeric and bigint columns as text. */
export function jsonColumnsOf(db: Queryable, entity: EntityTarget<ObjectLiteral>, alias: string): Sql {
  return selectList(db, entity, "json", alias, (c, metadata) => {
    const how = typeof c.type === "string" && !c.isArray && !c.transformer ? IN_JSON[c.type] : undefined;
    if (!how) throw new Error(`${metadata.name}.${c.propertyName}: its type cannot be read back as JSON; add it to IN_JSON (db/rows.ts)`);
    return how === "text" ? `${alias}."${c.databaseName}"::text AS "${c.databaseName}"` : `${alias}."${c.databaseName}"`;
  });
}

/** An entity's columns (database names), in the order columnsOf and jsonColumnsOf select them. */
/** The entity's name (its class), e.g. for labelling the statements that read it. */
export function entityNameOf(db: Queryable, entity: EntityTarget<ObjectLiteral>): string {
  return dataSourceOf(db).getMetadata(entity).name;
}

export function columnNamesOf(db: Queryable, entity: EntityTarget<ObjectLiteral>): readonly string[] {
  const metadata = dataSourceOf(db).getMetadata(entity);
  let names = columnNames.get(metadata);
  if (!names) columnNames.set(metadata, (names = metadata.columns.map((c) => c.databaseName)));
  return names;
}
const columnNames = new WeakMap<EntityMetadata, string[]>();

/** json_build_array takes at most 100 arguments (PostgreSQL's FUNC_MAX_ARGS). */
const MAX_ARRAY_COLUMNS = 100;

/**
 * The rows of `from` (a FROM item aliased `q`) as one JSON array of arrays, each row's `columns` by
 * position, in `order` (an ORDER BY over the columns of `q`). node-postgres parses each field of
 * each row on its own, about a microsecond a field; one JSON value is parsed by V8 at a fraction of
 * that (a list of 150 accounts: 3.5 -> 1.7 ms of the API's CPU). Rows as arrays rather than objects
 * leave out the column names repeated in every row, and the columns the caller does not read (a
 * client list's page: 74 -> 44 KB, and less for PostgreSQL to write and V8 to parse). Select an
 * entity's columns with jsonColumnsOf and read them back with hydrateArrays.
 */
export function arrayRowsOf(from: Sql, columns: readonly string[], order: Sql): Sql {
  if (columns.length > MAX_ARRAY_COLUMNS) throw new Error(`${columns.length} columns cannot be read back as one JSON array (at most ${MAX_ARRAY_COLUMNS})`);
  return sql`(SELECT coalesce(json_agg(json_build_array(${raw(columns.map((c) => `q."${c}"`).join(", "))}) ORDER BY ${order}), '[]') FROM ${from} q)`;
}

/** A statement with one column, `rows`: its rows as arrays (arrayRowsOf). */
export const rowsAsArrays = (statement: Sql, columns: readonly string[], order: Sql): Sql =>
  sql`SELECT ${arrayRowsOf(sql`(${statement})`, columns, order)} AS rows`;

/** Entities from raw rows, converted as TypeORM converts what it loads itself. */
export function hydrate<T extends ObjectLiteral>(db: Queryable, entity: EntityTarget<T>, rows: Record<string, unknown>[]): T[] {
  const { metadata, plan, driver } = hydration(db, entity);
  return rows.map((raw) => {
    const e = metadata.create() as Record<string, unknown>;
    for (const p of plan) if (p.column.databaseName in raw) place(e, p, raw[p.column.databaseName], driver);
    return e as T;
  });
}

/** As hydrate, for rows read as arrays (arrayRowsOf) that begin with the entity's columns (columnNamesOf). */
export function hydrateArrays<T extends ObjectLiteral>(db: Queryable, entity: EntityTarget<T>, rows: readonly (readonly unknown[])[]): T[] {
  const { metadata, plan, driver } = hydration(db, entity);
  const entities = new Array<T>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const e = metadata.create() as Record<string, unknown>;
    for (let i = 0; i < plan.length; i++) place(e, plan[i]!, row[i], driver);
    entities[r] = e as T;
  }
  return entities;
}

function hydration(db: Queryable, entity: EntityTarget<ObjectLiteral>) {
  const connection = dataSourceOf(db);
  const metadata = connection.getMetadata(entity);
  let plan = hydrationPlans.get(metadata);
  if (!plan) hydrationPlans.set(metadata, (plan = hydrationPlan(metadata.columns)));
  return { metadata, plan, driver: connection.driver };
}

function place(e: Record<string, unknown>, { column, property, convert }: ColumnPlan, value: unknown, driver: DataSource["driver"]): void {
  if (convert === "as-read") e[property] = value;
  // TypeORM's own conversion of a timestamp (DateUtils.normalizeHydratedDate): a text (read as JSON) becomes a Date.
  else if (convert === "timestamp") e[property] = typeof value === "string" && value ? new Date(value) : value;
  else column.setEntityValue(e, driver.prepareHydratedValue(value, column));
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
