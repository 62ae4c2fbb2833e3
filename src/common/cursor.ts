import { isCalendarDate } from "./dates.js";
import { badInput } from "./errors.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type ConnectionArgs } from "./connection.js";

/**
 * Cursors and page arguments: a cursor is the page's sort value and the row's id, and for a list a
 * client may sort, the name of the order it was read in (base64url of a JSON array), opaque to
 * clients, and checked before any query sees it (a forged one is BAD_USER_INPUT, never a database
 * error); the arguments are one direction, a bounded size and a decoded cursor.
 */

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface Cursor {
  sort: string;
  id: string;
  /**
   * The order the cursor's list was read in (KeysetSpec.order), absent for lists with one order. A
   * position in one order means nothing in another: (amount, id) is no place in a list by number.
   */
  order?: string;
}

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c.order ? [c.sort, c.id, c.order] : [c.sort, c.id]), "utf8").toString("base64url");

function decodeCursor(value: string, argName: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (
      Array.isArray(parsed) &&
      (parsed.length === 2 || (parsed.length === 3 && typeof parsed[2] === "string" && parsed[2] !== "")) &&
      typeof parsed[0] === "string" &&
      typeof parsed[1] === "string" &&
      UUID_RE.test(parsed[1])
    ) {
      return parsed.length === 3 ? { sort: parsed[0], id: parsed[1], order: parsed[2] as string } : { sort: parsed[0], id: parsed[1] };
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
  return { limit, backward, cursor, key: JSON.stringify([limit, backward, cursor?.sort ?? null, cursor?.id ?? null, cursor?.order ?? null]) };
}

/** The PostgreSQL types a list can be sorted by. */
export type SortType = "date" | "timestamptz" | "text" | "bpchar" | "int" | "numeric";

/** Whether a cursor's sort value is one of that type (a forged cursor must not reach PostgreSQL's casts). */
export function sortValueValid(type: SortType, value: string): boolean {
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
    case "numeric":
      // A money column (numeric(14,2)) as PostgreSQL writes it.
      return /^-?\d{1,12}(\.\d{1,2})?$/.test(value);
    case "text":
    case "bpchar":
      // PostgreSQL text holds no NUL.
      return value.length <= 1000 && !value.includes("\u0000");
  }
}


/**
 * Why a cursor cannot be used with a list read by `type` in order `order`, or null when it can: its
 * sort value must be of the list's type (a forged cursor must not reach PostgreSQL's casts) and it
 * must have been read in the same order.
 */
export function cursorMisfit(cursor: Cursor, type: SortType, order: string | undefined): string | null {
  if ((cursor.order ?? "") !== (order ?? "")) {
    return "That cursor was read in another order; page with cursors read in the same orderBy, or start again without one.";
  }
  if (!sortValueValid(type, cursor.sort)) return "That cursor does not belong to this list; use an edge's cursor from this list.";
  return null;
}
