import type { ExecutionResult } from "graphql";

/**
 * Why a subscriber is told to read again what it shows (`extensions.resync.reason` of a `next` message
 * with `data: null`; README, "Live events for front-end teams"):
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

/** What a sink reads of its socket: the bytes queued for it and not yet sent (ws `bufferedAmount`). */
export interface Buffered {
  readonly bufferedAmount: number;
}

const RESYNC_KEY = "\u0000resync";

/**
 * One subscription's outgoing results, as the async iterator graphql-ws reads and sends one at a
 * time (it waits for each send to reach the socket before asking for the next).
 *
 * The process hands every subscriber of a group the same rendered result without waiting for any
 * socket (`push` never blocks), so a slow socket slows nobody else. What waits for a slow one is
 * bounded: results are kept by key (a statement, a business), a newer one replacing an older one in
 * its place, since each says "this is how it looks now"; so the subscriber still receives the latest
 * state of everything it follows. When more than `maxPending` keys wait, or its socket already holds
 * more than `maxBufferedBytes` unsent, the waiting results are dropped for one resync message: the
 * subscriber reads again what it shows, rather than the process keeping an unbounded backlog.
 */
export class Sink implements AsyncIterableIterator<ExecutionResult> {
  private pending: Map<string, ExecutionResult> | null = null;
  private waiting: ((result: IteratorResult<ExecutionResult>) => void) | null = null;
  private ended = false;

  constructor(
    private readonly limits: SinkLimits,
    private readonly socket: Buffered | null,
    private readonly onEnd: (sink: Sink) => void,
  ) {}

  /** Delivers `result` (the latest about `key`), or keeps it until the subscriber is ready. */
  push(key: string, result: ExecutionResult): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: result, done: false });
      return;
    }
    if (this.pending?.has(RESYNC_KEY) && this.pending.size === 1 && this.overBuffered()) return; // still behind: the resync covers it
    const pending = (this.pending ??= new Map());
    pending.set(key, result);
    if (pending.size > this.limits.maxPending || this.overBuffered()) this.resync("BEHIND");
  }

  /** Replaces whatever waits with one "read again" message (which also covers what it replaces). */
  resync(reason: ResyncReason): void {
    if (this.ended) return;
    const message = resyncResult(reason);
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: message, done: false });
      return;
    }
    this.pending = new Map([[RESYNC_KEY, message]]);
  }

  /** Results waiting for the subscriber (for metrics and tests). */
  get backlog(): number {
    return this.pending?.size ?? 0;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    const first = this.pending?.entries().next();
    if (first && !first.done) {
      this.pending!.delete(first.value[0]);
      if (this.pending!.size === 0) this.pending = null;
      return Promise.resolve({ done: false, value: first.value[1] });
    }
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** The subscriber left (complete, socket closed): nothing more is kept or delivered. */
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

  private overBuffered(): boolean {
    return this.socket !== null && this.socket.bufferedAmount > this.limits.maxBufferedBytes;
  }
}
