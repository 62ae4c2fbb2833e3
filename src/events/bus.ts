import { createPubSub, type PubSub } from "@graphql-yoga/subscription";
import { Repeater } from "@repeaterjs/repeater";
import pg from "pg";
import type { EntityManager } from "typeorm";
import type { Logger } from "../logger.js";
import { eventRoutes, parseEvent, type AppEvent, type AppEvents, type EventKind } from "./events.js";

/**
 * Events shared by every API process through PostgreSQL LISTEN/NOTIFY.
 *
 * A change publishes with `publish(em, event)` inside its own transaction: PostgreSQL delivers a
 * NOTIFY only when the transaction commits, so subscribers never hear of a change that rolled back,
 * and never before it is visible to the query they run next. Each process keeps one dedicated
 * connection that LISTENs (a pooled connection would be handed to other work) and fans every event
 * out to its local subscribers through the pubsub that type-graphql's subscriptions use. The
 * publishing process receives its own events the same way: there is one path, whatever the process.
 *
 * NOTIFY is not a queue: an event sent while a listener is reconnecting is not replayed. That is
 * acceptable here because an event only says "look again" (ids and a kind) and the next one brings
 * the current state.
 */

/** One channel for every kind: the payload names the kind. LISTEN/NOTIFY is per database. */
export const EVENT_CHANNEL = "carm_events";

/** NOTIFY refuses payloads of 8000 bytes or more; ours carry a kind and ids and stay far below. */
export const MAX_EVENT_BYTES = 1000;

/** The pubsub channels type-graphql sees: one per kind, routed by an id (e.g. a program account). */
export type EventChannels = { [K in EventKind]: [routeId: string, event: AppEvents[K]] };

/**
 * How many distinct events a subscriber may fall behind by before the oldest is dropped. Events
 * only say "look again", so a subscriber busy with one event needs each *distinct* event once, not
 * every repetition: repeats coalesce while they wait, and a burst costs a slow socket nothing. (The
 * pubsub's own default would queue every repetition and throw from inside the dispatch once 1024
 * wait for one socket.)
 */
export const SUBSCRIBER_BUFFER = 64;

/** type-graphql's pubsub (graphql-yoga's), with a coalescing, bounded queue for every subscription. */
function createCoalescingPubSub(): PubSub<EventChannels> {
  const target = new EventTarget();
  const { publish } = createPubSub<EventChannels>({ eventTarget: target as never });
  const subscribe = (kind: string, routeId?: string) => {
    const topic = routeId === undefined ? kind : `${kind}:${routeId}`;
    const waiting = new Map<string, unknown>(); // by payload, oldest first
    let wake: (() => void) | null = null;
    let stopped = false;
    const listener = (event: Event) => {
      const detail = (event as CustomEvent).detail as unknown;
      const key = JSON.stringify(detail);
      if (!waiting.has(key)) {
        waiting.set(key, detail);
        if (waiting.size > SUBSCRIBER_BUFFER) waiting.delete(waiting.keys().next().value!);
      }
      wake?.();
    };
    const end = () => {
      stopped = true;
      target.removeEventListener(topic, listener);
      wake?.();
    };
    // Listening starts when the subscription is made, not when it is first read: an event published
    // between the two (the server registering the subscription, then reading it) is kept, not lost.
    target.addEventListener(topic, listener);
    const repeater = new Repeater<unknown>(async (push, stop) => {
      void stop.then(end);
      while (!stopped) {
        const first = waiting.entries().next();
        if (first.done) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        waiting.delete(first.value[0]);
        // Resolves once the subscriber is ready for more: meanwhile, new events wait (and coalesce).
        await push(first.value[1]);
      }
    });
    // A subscription ended before it was ever read lets go of its listener too.
    const finish = repeater.return.bind(repeater);
    repeater.return = (value?: unknown) => {
      end();
      return finish(value as never);
    };
    return repeater;
  };
  // Every event reaches the subscribers of its route (e.g. one program account) and those of its whole
  // kind (e.g. statementsUpdated, which filters each event by the viewer's access).
  const publishRoutedAndAll = (kind: string, routeId: string, payload: unknown) => {
    (publish as (k: string, id: string, p: unknown) => void)(kind, routeId, payload);
    (publish as (k: string, p: unknown) => void)(kind, payload);
  };
  return { publish: publishRoutedAndAll, subscribe } as PubSub<EventChannels>;
}

/**
 * Queues `event` for delivery when the transaction of `em` commits (nothing is sent if it rolls
 * back). `em` must be the change's transactional EntityManager, e.g. the one `mutate` passes.
 */
export async function publish(em: EntityManager, event: AppEvent): Promise<void> {
  if (!em.queryRunner?.isTransactionActive) {
    throw new Error(`publish(${event.kind}) must run inside the transaction of the change it announces`);
  }
  const payload = JSON.stringify(event);
  if (Buffer.byteLength(payload, "utf8") > MAX_EVENT_BYTES) {
    throw new Error(`Event ${event.kind} is ${Buffer.byteLength(payload, "utf8")} bytes; events carry ids only (at most ${MAX_EVENT_BYTES} bytes)`);
  }
  await em.query(`SELECT pg_notify($1, $2)`, [EVENT_CHANNEL, payload]);
}

/** What a subscription resolver needs from the bus (the request context carries it). */
export interface EventSubscriptions {
  subscribe<K extends EventKind>(kind: K, routeId: string): AsyncIterable<AppEvents[K]>;
  /** Every event of a kind, whatever its route: the subscriber must filter each by what its viewer may see. */
  subscribeAll<K extends EventKind>(kind: K): AsyncIterable<AppEvents[K]>;
}

export interface EventBusOptions {
  /** First reconnection delay; doubled after each failed attempt up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often the listening connection is probed, so that a silently dead one is replaced. */
  heartbeatMs?: number;
}

type State = "starting" | "listening" | "reconnecting" | "closed";

export class EventBus implements EventSubscriptions {
  /** Local fan-out; also given to type-graphql's buildSchema. */
  readonly pubSub: PubSub<EventChannels> = createCoalescingPubSub();
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

  subscribe<K extends EventKind>(kind: K, routeId: string): AsyncIterable<AppEvents[K]> {
    return (this.pubSub.subscribe as (k: string, id: string) => AsyncIterable<AppEvents[K]>)(kind, routeId);
  }

  subscribeAll<K extends EventKind>(kind: K): AsyncIterable<AppEvents[K]> {
    return (this.pubSub.subscribe as (k: string) => AsyncIterable<AppEvents[K]>)(kind);
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
    const { kind, ...ids } = event;
    const route = (eventRoutes[kind] as (e: typeof ids) => string)(ids);
    (this.pubSub.publish as (k: string, id: string, payload: unknown) => void)(kind, route, ids);
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
    const base = Math.min(this.opts.maxBackoffMs, this.opts.minBackoffMs * 2 ** this.attempts);
    // Jitter, so that many processes losing the database at once do not return in lockstep.
    const delay = Math.round(base * (0.5 + Math.random() / 2));
    this.attempts++;
    this.reconnectTimer = setTimeout(() => {
      this.connect().then(
        () => {
          if (this.state === "closed") return;
          this.setState("listening", { attempts: this.attempts, downMs: Date.now() - this.lostAt });
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
