import { isCalendarDate } from "./dates.js";
import { badInput } from "./errors.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type ConnectionArgs } from "./connection.js";

/**
 * Cursors and page arguments: a cursor is the page's sort value and the row's id (base64url of a JSON
 * pair), opaque to clients, and checked before any query sees it (a forged one is BAD_USER_INPUT,
 * never a database error); the arguments are one direction, a bounded size and a decoded cursor.
 */

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface Cursor {
  sort: string;
  id: string;
}

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify([c.sort, c.id]), "utf8").toString("base64url");

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

/** The PostgreSQL types a list can be sorted by. */
export type SortType = "date" | "timestamptz" | "text" | "int";

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
    case "text":
      // PostgreSQL text holds no NUL.
      return value.length <= 1000 && !value.includes("\u0000");
  }
}

