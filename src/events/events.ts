/**
 * The events that reach GraphQL subscribers, typed. An event says *what* changed (a kind and ids),
 * never the data itself: every subscriber loads the current state through its own, freshly
 * authorized context, so an event can go to every process without leaking anything.
 *
 * To add an event: a kind here with its id fields, its route (which subscribers it reaches) and its
 * fields list; publish it with `publish(em, { kind, ... })` inside the change's transaction.
 */
export interface AppEvents {
  /**
   * A statement changed. Reaches subscribers of its program account. With `postingIds`, the change
   * is what those journal lines moved (a line posted on this statement, or on another whose balance
   * carries into this one or whose credit paid this one's debts): it concerns a viewer with a FULL
   * view, and otherwise only one who may see one of those lines on this very statement. Without,
   * the statement itself changed (issued): it concerns everyone who may view it.
   */
  STATEMENT_UPDATED: { statementId: string; programAccountId: string; postingIds?: string[] };
  /**
   * Who reaches what through a business may have changed: a relationship of it was approved, changed
   * or ended, a client group or a member's roles changed. Reaches the business's own subscribers.
   */
  ACCESS_CHANGED: { businessId: string };
}

export type EventKind = keyof AppEvents;

/** One event as published: its kind and its ids. */
export type AppEvent = { [K in EventKind]: { kind: K } & AppEvents[K] }[EventKind];

/** The topic id an event is routed on (type-graphql's pubsub delivers it to subscribers of that id). */
export const eventRoutes: { [K in EventKind]: (event: AppEvents[K]) => string } = {
  STATEMENT_UPDATED: (e) => e.programAccountId,
  ACCESS_CHANGED: (e) => e.businessId,
};

type ListFields<T> = { [F in keyof T]-?: NonNullable<T[F]> extends string[] ? F : never }[keyof T] & string;
type IdFields<T> = Exclude<keyof T & string, ListFields<T>>;

/**
 * The fields of each kind: an incoming payload must have exactly its `ids`, each a uuid, and may have
 * its `lists`, each a non-empty list of at most MAX_EVENT_LIST uuids.
 */
export const eventFields: { [K in EventKind]: { ids: readonly IdFields<AppEvents[K]>[]; lists: readonly ListFields<AppEvents[K]>[] } } = {
  STATEMENT_UPDATED: { ids: ["statementId", "programAccountId"], lists: ["postingIds"] },
  ACCESS_CHANGED: { ids: ["businessId"], lists: [] },
};

/** Ids in one list of an event (NOTIFY payloads stay far below 8000 bytes). */
export const MAX_EVENT_LIST = 16;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The event in a NOTIFY payload, or null when it is not one of ours (unknown kind, extra or bad fields). */
export function parseEvent(payload: string): AppEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { kind, ...ids } = value as Record<string, unknown>;
  if (typeof kind !== "string" || !Object.hasOwn(eventFields, kind)) return null;
  const { ids: expected, lists } = eventFields[kind as EventKind] as { ids: readonly string[]; lists: readonly string[] };
  const isUuid = (v: unknown) => typeof v === "string" && UUID_RE.test(v);
  for (const key of Object.keys(ids)) {
    if (expected.includes(key)) continue;
    const list = ids[key];
    if (!lists.includes(key) || !Array.isArray(list) || list.length === 0 || list.length > MAX_EVENT_LIST || !list.every(isUuid)) return null;
  }
  if (!expected.every((f) => isUuid(ids[f]))) return null;
  return value as AppEvent;
}

/** The change an event names, without its lists: what a subscriber's outbox coalesces by (a statement, a business). */
export function eventKey(event: AppEvent): string {
  const { lists } = eventFields[event.kind] as { lists: readonly string[] };
  if (!lists.length) return JSON.stringify(event);
  const rest = Object.fromEntries(Object.entries(event).filter(([k]) => !lists.includes(k)));
  return JSON.stringify(rest);
}

/** Ids a waiting event may gather from the events coalesced into it (beyond, a new one waits beside it). */
export const MAX_COALESCED_LIST = 512;

/**
 * One event that says what `waiting` and `next` (the same key) say: each list is the union of
 * theirs, and an event without a list (it concerns everyone who may see the object) absorbs one
 * with. Null when a union would exceed MAX_COALESCED_LIST: the caller keeps them apart.
 */
export function coalesceEvents(waiting: AppEvent, next: AppEvent): AppEvent | null {
  const { lists } = eventFields[waiting.kind] as { lists: readonly string[] };
  const merged: Record<string, unknown> = { ...waiting };
  for (const field of lists) {
    const a = (waiting as Record<string, unknown>)[field] as string[] | undefined;
    const b = (next as Record<string, unknown>)[field] as string[] | undefined;
    if (!a || !b) {
      delete merged[field];
      continue;
    }
    const union = [...new Set([...a, ...b])];
    if (union.length > MAX_COALESCED_LIST) return null;
    merged[field] = union;
  }
  return merged as AppEvent;
}
