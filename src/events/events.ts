/**
 * The events that reach GraphQL subscribers, typed. An event says *what* changed (a kind and ids),
 * never the data itself: every subscriber loads the current state through its own, freshly
 * authorized context, so an event can go to every process without leaking anything.
 *
 * To add an event: a kind here with its id fields, its route (which subscribers it reaches) and its
 * fields list; publish it with `publish(em, { kind, ... })` inside the change's transaction.
 */
export interface AppEvents {
  /** A statement's running totals changed, or it was issued. Reaches subscribers of its program account. */
  STATEMENT_UPDATED: { statementId: string; programAccountId: string };
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

/** The id fields of each kind: an incoming payload must have exactly these, each a uuid. */
export const eventFields: { [K in EventKind]: readonly (keyof AppEvents[K] & string)[] } = {
  STATEMENT_UPDATED: ["statementId", "programAccountId"],
  ACCESS_CHANGED: ["businessId"],
};

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
  const expected = eventFields[kind as EventKind];
  const keys = Object.keys(ids);
  if (keys.length !== expected.length || !expected.every((f) => typeof ids[f] === "string" && UUID_RE.test(ids[f] as string))) return null;
  return value as AppEvent;
}
