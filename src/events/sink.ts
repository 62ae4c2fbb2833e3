import type { ExecutionResult } from "graphql";

/**
 * Why a subscriber is told to read again what it shows (`extensions.resync.reason` of a `next` message
 * with `data: null`; docs/front-end.md, "Live events for front-end teams"):
 * - RECONNECTED: this process's LISTEN connection to PostgreSQL dropped and came back; events sent
 *   meanwhile were not heard.
 * - BEHIND: the subscriber fell further behind than its buffer holds (a slow socket), so some
 *   changes were dropped rather than queued without bound.
 * - EVENTS_MISSED: an event could not be decided (the database failed), so it was not sent.
 */
export type ResyncReason = "RECONNECTED" | "BEHIND" | "EVENTS_MISSED";

/** The message that says "read again": no data, so it needs no authorization and tells nothing of any change. */
export function resyncResult(reason: ResyncReason, at = new Date()): ExecutionResult {
  return { data: null, extensions: { resync: { reason, at: at.toISOString() } } };
}

export interface SinkLimits {
  /** Distinct changes (by key) that may wait for one subscriber; beyond, they are dropped for one resync. */
  maxPending: number;
  /** Bytes a socket may have written but not yet sent; above, its subscriptions get a resync instead of more data. */
  maxBufferedBytes: number;
}

/**
 * Where one subscription's messages go: its socket (a ws WebSocket: `send` calls back once the
 * message is written to the connection, `bufferedAmount` counts what is queued and not yet sent).
 */
export interface Outlet {
  readonly bufferedAmount: number;
  send(data: string, done: (err?: Error) => void): void;
}

const RESYNC_KEY = "\u0000resync";

/**
 * One subscription's outgoing events. The hub renders and serializes an event once per group and
 * hands the same `payload` (a graphql-ws `next` payload, as JSON) to every subscriber of the group;
 * the sink writes it to its socket as the protocol's `next` message for its subscription id.
 *
 * `push` never waits for a socket, so a slow one slows nobody else. One message per subscription is
 * in flight at a time (written, its callback not yet called); what arrives meanwhile waits, kept by
 * key (a statement, a business): a newer payload replaces an older one in its place, since each says
 * "this is how it looks now", so the subscriber still receives the latest state of everything it
 * follows. When more than `maxPending` keys wait, or its socket already holds more than
 * `maxBufferedBytes` unsent, what waits is dropped for one resync message (the subscriber reads again
 * what it shows) rather than kept without bound.
 *
 * To graphql-ws the sink is the subscription's async iterator, which yields nothing and ends when the
 * subscription does (the client completes it, or the socket closes): graphql-ws keeps the
 * subscription's lifecycle, the hub its events.
 */
export class Sink implements AsyncIterableIterator<ExecutionResult> {
  private pending: Map<string, string> | null = null;
  private writing = false;
  private ended = false;
  private waiting: ((result: IteratorResult<ExecutionResult>) => void) | null = null;
  /** Ends once what waits is written (pushLast). */
  private closing = false;
  private readonly prefix: string;

  constructor(
    private readonly limits: SinkLimits,
    private readonly outlet: Outlet,
    id: string,
    private readonly onEnd: (sink: Sink) => void,
  ) {
    this.prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  }

  /** Sends `payload` (the latest about `key`), or keeps it until the socket has taken the message before. */
  push(key: string, payload: string): void {
    if (this.ended) return;
    if (!this.writing && !this.pending && !this.overBuffered()) return this.write(payload);
    if (this.pending?.size === 1 && this.pending.has(RESYNC_KEY) && this.overBuffered()) return; // still behind: the resync covers it
    const pending = (this.pending ??= new Map());
    pending.set(key, payload);
    if (pending.size > this.limits.maxPending || this.overBuffered()) this.resync("BEHIND");
    else this.flush();
  }

  /**
   * Sends `payload` as this subscription's last message and then ends it (graphql-ws then sends
   * `complete`): what a subscriber is told when its access to what it follows has ended, once,
   * rather than at every later change it may no longer see.
   */
  pushLast(key: string, payload: string): void {
    if (this.ended) return;
    this.closing = true;
    this.push(key, payload);
    this.endIfDone();
  }

  /** Replaces whatever waits with one "read again" message (which also covers what it replaces). */
  resync(reason: ResyncReason): void {
    if (this.ended) return;
    this.pending = new Map([[RESYNC_KEY, JSON.stringify(resyncResult(reason))]]);
    this.flush();
  }

  /** Messages waiting for the socket (for metrics and tests). */
  get backlog(): number {
    return this.pending?.size ?? 0;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** The subscription ended (completed, or its socket closed): nothing more is kept or sent. */
  return(): Promise<IteratorResult<ExecutionResult>> {
    if (!this.ended) {
      this.ended = true;
      this.pending = null;
      const resolve = this.waiting;
      this.waiting = null;
      resolve?.({ done: true, value: undefined });
      this.onEnd(this);
    }
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(err: unknown): Promise<IteratorResult<ExecutionResult>> {
    void this.return();
    return Promise.reject(err);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private flush(): void {
    if (this.writing || this.ended || !this.pending) return;
    const first = this.pending.entries().next();
    if (first.done) return;
    this.pending.delete(first.value[0]);
    if (this.pending.size === 0) this.pending = null;
    this.write(first.value[1]);
  }

  private write(payload: string): void {
    this.writing = true;
    this.outlet.send(`${this.prefix}${payload}}`, (err) => {
      this.writing = false;
      // A socket that failed is closing: graphql-ws ends the subscription (return) when it has.
      if (err) this.pending = null;
      else this.flush();
      this.endIfDone();
    });
  }

  private endIfDone(): void {
    if (this.closing && !this.writing && !this.pending) void this.return();
  }

  private overBuffered(): boolean {
    return this.outlet.bufferedAmount > this.limits.maxBufferedBytes;
  }
}
