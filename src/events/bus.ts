import pg from "pg";
import type { EntityManager } from "typeorm";
import { backoffDelay } from "../common/backoff.js";
import { sql, type Sql } from "../db/sql.js";
import type { Logger } from "../logger.js";
import { parseEvent, type AppEvent, type EventKind } from "./events.js";
import { feedTicket, type Feed, type FeedTicket, type LiveFeeds } from "./live.js";

/**
 * Events shared by every API process through PostgreSQL LISTEN/NOTIFY.
 *
 * A change publishes with `publish(em, event)` inside its own transaction: PostgreSQL delivers a
 * NOTIFY only when the transaction commits, so subscribers never hear of a change that rolled back,
 * and never before it is visible to the query they run next. Each process keeps one dedicated
 * connection that LISTENs (a pooled connection would be handed to other work) and hands every event
 * to the process's live hub (live.ts), which decides and renders it for its subscribers. The
 * publishing process receives its own events the same way: there is one path, whatever the process.
 *
 * NOTIFY is not a queue: an event sent while a listener is reconnecting is not replayed. So when the
 * connection comes back, the bus says so (`onReconnect`) and the hub tells every subscriber to read
 * again what it shows: an event only says "look again", and reading again gives the current state.
 */

/** One channel for every kind: the payload names the kind. LISTEN/NOTIFY is per database. */
export const EVENT_CHANNEL = "carm_events";

/** NOTIFY refuses payloads of 8000 bytes or more; ours carry a kind and ids and stay far below. */
export const MAX_EVENT_BYTES = 1000;

/**
 * Queues `event` for delivery when the transaction of `em` commits (nothing is sent if it rolls
 * back). `em` must be the change's transactional EntityManager, e.g. the one `mutate` passes.
 */
export async function publish(em: EntityManager, event: AppEvent): Promise<void> {
  if (!em.queryRunner?.isTransactionActive) {
    throw new Error(`publish(${event.kind}) must run inside the transaction of the change it announces`);
  }
  const { text, values } = sql`SELECT ${publishing(event)}`;
  await em.query(text, values);
}

/**
 * The same as an SQL expression, for a change that sends its event in the statement that makes the
 * change (one round trip less while it holds a lock: the ledger's postings). It must be evaluated
 * once, in the change's transaction.
 */
export function publishing(event: AppEvent, fill?: { placeholder: string; value: Sql }): Sql {
  const payload = JSON.stringify(event);
  if (Buffer.byteLength(payload, "utf8") > MAX_EVENT_BYTES) {
    throw new Error(`Event ${event.kind} is ${Buffer.byteLength(payload, "utf8")} bytes; events carry ids only (at most ${MAX_EVENT_BYTES} bytes)`);
  }
  // An id the statement itself creates (a journal line's) is written where `placeholder`, an id of
  // the same length, stands in the event: the size checked here is the size sent.
  if (fill) return sql`pg_notify(${EVENT_CHANNEL}, replace(${payload}::text, ${fill.placeholder}::text, coalesce(${fill.value}, ${fill.placeholder}::text)))`;
  return sql`pg_notify(${EVENT_CHANNEL}, ${payload})`;
}

export interface EventBusOptions {
  /** First reconnection delay; doubled after each failed attempt up to `maxBackoffMs`, with jitter (common/backoff.ts). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often the listening connection is probed, so that a silently dead one is replaced. */
  heartbeatMs?: number;
}

type State = "starting" | "listening" | "reconnecting" | "closed";

export class EventBus implements LiveFeeds {
  private readonly eventListeners = new Set<(event: AppEvent) => void>();
  private readonly reconnectListeners = new Set<() => void>();
  private client: pg.Client | null = null;
  private state: State = "starting";
  private attempts = 0;
  private lostAt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly opts: Required<EventBusOptions>;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    opts: EventBusOptions = {},
  ) {
    this.opts = { minBackoffMs: 250, maxBackoffMs: 30_000, heartbeatMs: 30_000, ...opts };
  }

  /** Connects and LISTENs; fails when the database cannot be reached at all (at start it must be). */
  async start(): Promise<this> {
    await this.connect();
    this.setState("listening");
    return this;
  }

  /** Every event heard, in the order PostgreSQL delivers them (commit order). Returns a function that stops listening. */
  onEvent(listener: (event: AppEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** The listening connection came back after a loss: events published meanwhile were not heard. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** A subscription resolver's ticket for `feed` (the hub of the process serving the socket delivers it). */
  feed<K extends EventKind>(feed: Feed<K>, route?: string): FeedTicket {
    return feedTicket(feed, route);
  }

  /** Whether the listening connection is up (events published now will be heard). */
  get listening(): boolean {
    return this.state === "listening";
  }

  /** The backend pid of the listening connection (for diagnostics and tests). */
  get backendPid(): number | null {
    return (this.client as unknown as { processID?: number } | null)?.processID ?? null;
  }

  async close(): Promise<void> {
    if (this.state === "closed") return;
    this.setState("closed");
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: "carm-events",
      keepAlive: true,
      // Bounds the heartbeat: a connection that does not answer within this is replaced.
      query_timeout: 10_000,
      connectionTimeoutMillis: 10_000,
    });
    // Registered before connecting: an error event without a listener would crash the process.
    client.on("error", (err) => this.lost(client, err));
    client.on("end", () => this.lost(client, null));
    client.on("notification", (msg) => this.deliver(msg));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENT_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.state === "closed") {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => {
      client.query("SELECT 1").catch((err: Error) => this.lost(client, err));
    }, this.opts.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  private deliver(msg: pg.Notification): void {
    if (msg.channel !== EVENT_CHANNEL || !msg.payload) return;
    const event = parseEvent(msg.payload);
    if (!event) {
      this.logger.warn("event bus: ignored a payload that is not one of our events", { payload: msg.payload.slice(0, 200) });
      return;
    }
    for (const listener of this.eventListeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error("event bus: a listener failed on an event", { err, kind: event.kind });
      }
    }
  }

  /** The listening connection failed or ended: drop it and reconnect with backoff. */
  private lost(client: pg.Client, err: Error | null): void {
    if (client !== this.client || this.state === "closed") return;
    this.client = null;
    clearInterval(this.heartbeatTimer);
    client.removeAllListeners("notification");
    client.end().catch(() => undefined);
    this.lostAt = Date.now();
    this.setState("reconnecting", { err: err?.message ?? "connection ended" });
    this.attempts = 0;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.state === "closed") return;
    this.attempts++;
    // Jitter, so that many processes losing the database at once do not return in lockstep.
    const delay = backoffDelay(this.attempts, { baseMs: this.opts.minBackoffMs, maxMs: this.opts.maxBackoffMs, jitter: 0.5 });
    this.reconnectTimer = setTimeout(() => {
      this.connect().then(
        () => {
          if (this.state === "closed") return;
          this.setState("listening", { attempts: this.attempts, downMs: Date.now() - this.lostAt });
          for (const listener of this.reconnectListeners) listener();
        },
        (err: Error) => {
          this.logger.debug("event bus: reconnection attempt failed", { err: err.message, attempt: this.attempts });
          this.scheduleReconnect();
        },
      );
    }, delay);
    this.reconnectTimer.unref();
  }

  /** Logs once per change of state, not once per attempt. */
  private setState(next: State, fields: Record<string, unknown> = {}): void {
    const previous = this.state;
    if (previous === next) return;
    this.state = next;
    if (next === "listening") {
      this.logger.info(previous === "starting" ? "event bus listening" : "event bus reconnected", { channel: EVENT_CHANNEL, ...fields });
    } else if (next === "reconnecting") {
      this.logger.warn("event bus lost its connection; reconnecting", fields);
    } else if (next === "closed") {
      this.logger.info("event bus closed");
    }
  }
}

/** Starts the bus of this process on the database at `url`. */
export function startEventBus(url: string, logger: Logger, opts?: EventBusOptions): Promise<EventBus> {
  return new EventBus(url, logger, opts).start();
}
