import { registerEnumType } from "type-graphql";
import type { SortType } from "./cursor.js";
import type { Sql } from "../db/sql.js";

/**
 * The orders a client may ask a list for (`orderBy`): a field and a direction, read by the keyset
 * engine as (sort value, id). Each order has a name that every cursor of the list carries
 * (KeysetSpec.order): a cursor read in one order is refused in another, since its position means
 * nothing there.
 */

export enum OrderDirection {
  ASC = "ASC",
  DESC = "DESC",
}
registerEnumType(OrderDirection, {
  name: "OrderDirection",
  description: "Ascending (smallest, earliest, A first) or descending. Ties are broken by the row's id, in the same direction.",
  valuesConfig: {
    ASC: { description: "Smallest, earliest or A first." },
    DESC: { description: "Largest, latest or Z first." },
  },
});

/** How a list reads one of its orders: the sort expression and its PostgreSQL type. */
export interface SortKey {
  expr: string | Sql;
  type: SortType;
}

/** The keyset parts of an order: sort key, direction, and the name cursors carry. */
export function orderSpec(field: string, direction: OrderDirection, key: SortKey): { sort: SortKey; direction: "ASC" | "DESC"; order: string } {
  return { sort: key, direction, order: `${field}:${direction}` };
}
