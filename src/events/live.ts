import crypto from "node:crypto";
import { createSourceEventStream, execute, GraphQLError, print, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from "graphql";
import type { DataSource } from "typeorm";
import type { Access, Principal } from "../auth/access.js";
import { defaultAccessLoader, type AccessLoader } from "../auth/access-loader.js";
import type { Context } from "../context.js";
import { Loaders } from "../loaders.js";
import type { Logger } from "../logger.js";
import type { User } from "../modules/user/user.entity.js";
import { coalesceEvents, eventKey, eventRoutes, type AppEvent, type AppEvents, type EventKind } from "./events.js";
import { Sink, type Outlet, type ResyncReason, type SinkLimits } from "./sink.js";

/**
 * Live events for thousands of subscribers: per event, one decision and one rendering per group,
 * never one of each per subscriber.
 *
 * A subscription resolver authorizes subscribing and answers a ticket for a feed (`Feed`): which
 * kind of event it follows, for which route (one program account) or all of them, and whether an
 * event its viewer may not see is skipped or answered with the resolver's error. This process's hub
 * keeps every subscription in a group: the same feed and route, viewer, document and variables.
 * When an event arrives (from the bus: LISTEN/NOTIFY), the hub
 *   1. asks the feed's decision, once, for every viewer of every group the event concerns: one SQL
 *      statement (auth/audience.ts), which also reads each viewer's access and what rendering needs
 *      (the statement, its account, each viewer's view of its money);
 *   2. renders the event once per group, with a context of its own (the viewer's access as of this
 *      event, loaders primed with what the decision read): a viewer whose access ended since
 *      subscribing gets nothing (or the resolver's FORBIDDEN), at once; and serializes it once (the
 *      `Transport`: errors formatted, logged and counted as HTTP does);
 *   3. hands that one payload to every subscriber of the group (`Sink`), which writes it to its
 *      socket, without the hub waiting for any socket.
 * So an event costs one statement, plus a rendering per group (which asks PostgreSQL nothing for the
 * fields the decision read), plus a write per socket; a group that may see the event in the
 * RESTRICTED view never shares a rendering with one that sees it FULL (they are different viewers,
 * or the same one at another event).
 *
 * Events wait in one queue per process, coalesced by their ids while they wait (an event says "look
 * again"; the rendering reads the state as it is then), and are taken one at a time, in order, so
 * that what a subscriber receives last is the latest state. Long fan-outs yield to other work between
 * groups, so a request made meanwhile is not held up behind them.
 *
 * Why not @graphql-yoga/subscription's `pipe(filter, map)` per subscriber (what type-graphql's pubsub
 * offers): those operators build one async iterator per subscriber, so the decision (the filter) and
 * the rendering (the map) would run once per subscriber per event, which is the cost this hub exists
 * to remove; a mapper that throws would also end that subscriber's stream instead of failing one
 * event. What is left per subscriber is a bounded, coalescing outbox (sink.ts), which neither
 * operator expresses. type-graphql still gets yoga's createPubSub (it requires one) and never uses it.
 */

/** Per viewer: their access as of this event, whether the feed may show it to them, and what to hand the rendering. */
export interface Verdict {
  access: Access;
  allowed: boolean;
  /**
   * Whether the change is one this viewer can see (undefined: yes). A viewer allowed to see the
   * object but not this change (a journal line their rules hide) is sent nothing, whatever the feed:
   * being told "look again" just then would tell them when something they may not see happened.
   */
  concerned?: boolean;
  /** Gives the rendering's loaders what the decision already read (so rendering asks PostgreSQL nothing more). */
  prime?(ctx: Context): void;
}

/** One decision for one event and many viewers: every viewer given must have an answer. */
/** `loader` is the process's: its clock is the instant the rules are judged at, and it makes each viewer's Access. */
export type Decide<K extends EventKind> = (db: DataSource, event: AppEvents[K], viewers: readonly Principal[], loader: AccessLoader) => Promise<Map<string, Verdict>>;

export interface Feed<K extends EventKind = EventKind> {
  /** For logs and metrics. */
  name: string;
  kind: K;
  /** Routed: reaches the subscriptions made for the event's route (eventRoutes) only; otherwise every subscription of the feed. */
  routed: boolean;
  /**
   * Filtered: an event the viewer may not see is not sent. Otherwise it is rendered anyway, the
   * resolver answers its error (statementUpdated: the account was named, so the subscriber is told
   * its access ended), and that is the subscription's last message: it ends, so that a viewer
   * without access is not told of every later change.
   */
  filtered: boolean;
  /** Every feed of a kind decides with the same function, so that one statement serves all of them. */
  decide: Decide<K>;
}

const TICKET = Symbol("carm.liveFeed");

/** What a subscription resolver answers: the feed it follows (an async iterable to graphql-js; only the hub reads it). */
export interface FeedTicket extends AsyncIterable<never> {
  readonly [TICKET]: { feed: Feed; route: string | null };
}

/** How resolvers ask for a feed (the request context's `events`). */
export interface LiveFeeds {
  feed<K extends EventKind>(feed: Feed<K>, route?: string): FeedTicket;
}

export function feedTicket<K extends EventKind>(feed: Feed<K>, route?: string): FeedTicket {
  if (feed.routed !== (route !== undefined)) throw new Error(`feed ${feed.name}: ${feed.routed ? "a route is required" : "takes no route"}`);
  return {
    [TICKET]: { feed: feed as unknown as Feed, route: route ?? null },
    [Symbol.asyncIterator]() {
      throw new Error(`feed ${feed.name} is delivered by the process's live hub (events/live.ts), not read directly`);
    },
  };
}

function isTicket(value: unknown): value is FeedTicket {
  return typeof value === "object" && value !== null && TICKET in value;
}

/** The subscription's own context (graphql-ws keeps it while the subscription lives: small on purpose). */
export interface SubscriptionContext {
  viewer: User | null;
  subject: string | null;
}

/** Runs a group's operation for one event (graphql-js's `execute`, or the operation compiled once). */
export type Runner = (payload: unknown, context: Context, variables: Record<string, unknown> | null | undefined) => Promise<ExecutionResult> | ExecutionResult;

/** How this process's sockets take a rendered event: the payload of a graphql-ws `next` message. */
export interface Transport {
  /** How `operation` is run at each event, when not by graphql-js (e.g. compiled by graphql-jit); null: graphql-js. */
  prepare?(operation: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null }): Runner | null;
  /**
   * The payload, as JSON, of a result rendered once for `subscribers` subscribers of one operation:
   * errors formatted (and logged, counted) once, as HTTP formats them.
   */
  serialize(result: ExecutionResult, operation: { document: DocumentNode; operationName?: string | null }, subscribers: number): string;
}

/** The payload as it is (tests, and processes without a WebSocket server). */
export const plainTransport: Transport = { serialize: (result) => JSON.stringify(result) };

export interface LiveLimits extends SinkLimits {
  /** Distinct events that may wait for the hub; beyond, they are dropped and every subscriber is told to read again. */
  maxQueuedEvents: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = { maxPending: 64, maxBufferedBytes: 1024 * 1024, maxQueuedEvents: 10_000 };

/** What the hub has done since it started (for /metrics and the fan-out benchmark). */
export interface LiveStats {
  events: number;
  decisions: number;
  renders: number;
  deliveries: number;
  resyncs: number;
}

class Group {
  readonly sinks = new Set<Sink>();
  /** How its operation runs (undefined: not asked yet; null: graphql-js). */
  runner: Runner | null | undefined;
  constructor(
    readonly key: string,
    readonly feed: Feed,
    readonly route: string | null,
    readonly viewer: User,
    readonly subject: string | null,
    readonly schema: GraphQLSchema,
    readonly document: DocumentNode,
    readonly operationName: string | null | undefined,
    readonly variables: Record<string, unknown> | null | undefined,
  ) {}
}

interface KindIndex {
  decide: Decide<EventKind>;
  all: Set<Group>;
  byRoute: Map<string, Set<Group>>;
}

/** Work done per fan-out slice before other work (a request, another socket's message) gets its turn. */
const SLICE_MS = 2;

const yieldToOtherWork = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The printed text of a document, once per document object (the group key). */
const printed = new WeakMap<DocumentNode, string>();
const textOf = (document: DocumentNode) => {
  let text = printed.get(document);
  if (text === undefined) printed.set(document, (text = print(document)));
  return text;
};

/** Variables as a key: the same values in any order of their names. */
function variablesKey(value: unknown): string {
  return JSON.stringify(value ?? null, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

export class LiveHub {
  private readonly groups = new Map<string, Group>();
  private readonly kinds = new Map<EventKind, KindIndex>();
  private readonly queue = new Map<string, AppEvent>();
  private draining = false;
  private apart = 0;
  private sinks = 0;
  readonly stats: LiveStats = { events: 0, decisions: 0, renders: 0, deliveries: 0, resyncs: 0 };

  constructor(
    private readonly db: DataSource,
    private readonly logger: Logger,
    /** The request contexts' `events` of the renderings (they subscribe to nothing). */
    private readonly feeds: LiveFeeds,
    private readonly limits: LiveLimits = DEFAULT_LIVE_LIMITS,
    private readonly transport: Transport = plainTransport,
    /** How this process reads access (its clock and book strategy), as its requests do. */
    private readonly accessLoader: AccessLoader = defaultAccessLoader,
  ) {}

  /** Subscriptions open in this process. */
  get openSubscriptions(): number {
    return this.sinks;
  }

  /** No event waits or is being delivered (a busy machine may take a while: tests wait for this, never for a fixed time). */
  get idle(): boolean {
    return !this.draining && this.queue.size === 0;
  }

  /** Groups (renderings per event, at most) in this process. */
  get openGroups(): number {
    return this.groups.size;
  }

  /**
   * graphql-ws's `subscribe`: authorizes subscribing (the resolver's `subscribe`, with `context`,
   * made for this alone and dropped after), then keeps the subscription in its group; its events go
   * to `outlet` as `next` messages of subscription `id`. Answers the resolver's errors as a result,
   * or the subscription's iterator (which graphql-ws ends when the subscription ends).
   */
  async subscribe(args: ExecutionArgs, context: Context, outlet: Outlet, id: string): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const stream = await createSourceEventStream({ ...args, contextValue: context });
    if (!isTicket(stream)) {
      if (Symbol.asyncIterator in stream) throw new Error("a subscription resolver must answer a live feed (events/live.ts)");
      return stream;
    }
    const { feed, route } = stream[TICKET];
    const viewer = context.viewer;
    if (!viewer) throw new Error(`feed ${feed.name}: subscribing needs a signed-in viewer (the resolver checks it first)`);
    const key = [feed.name, route ?? "", viewer.id, textOf(args.document), args.operationName ?? "", variablesKey(args.variableValues)].join("\u0000");
    let group = this.groups.get(key);
    if (!group) {
      group = new Group(key, feed, route, viewer, context.subject, args.schema, args.document, args.operationName, args.variableValues);
      this.groups.set(key, group);
      this.index(group);
    } else {
      // The group's copy serves every subscription of it: graphql-ws keeps these arguments while the
      // subscription lives, and a second parse of the same text need not.
      (args as { document: DocumentNode }).document = group.document;
    }
    const joined = group;
    const sink = new Sink(this.limits, outlet, id, () => this.leave(joined, sink));
    group.sinks.add(sink);
    this.sinks++;
    return sink;
  }

  /** An event heard on the bus. */
  enqueue(event: AppEvent): void {
    if (!this.kinds.get(event.kind)) return; // nobody here follows that kind
    let key = eventKey(event);
    const waiting = this.queue.get(key);
    if (waiting) {
      // It will be rendered from the state as it is then, for whoever either change concerns.
      const merged = coalesceEvents(waiting, event);
      if (merged) return void this.queue.set(key, merged);
      key = `${key}\u0000${++this.apart}`; // too many changes gathered: this one waits beside it
    }
    if (this.queue.size >= this.limits.maxQueuedEvents) {
      this.logger.error("live events: more distinct events wait than the hub keeps; every subscriber is told to read again", { waiting: this.queue.size });
      this.queue.clear();
      this.resyncAll("BEHIND");
      return;
    }
    this.queue.set(key, event);
    if (!this.draining) void this.drain();
  }

  /** Tells every subscriber to read again what it shows (e.g. events were missed while LISTEN was down). */
  resyncAll(reason: ResyncReason): void {
    for (const group of this.groups.values()) this.resyncGroup(group, reason);
  }

  private resyncGroup(group: Group, reason: ResyncReason): void {
    for (const sink of group.sinks) sink.resync(reason);
    this.stats.resyncs += group.sinks.size;
  }

  private index(group: Group): void {
    let index = this.kinds.get(group.feed.kind);
    if (!index) this.kinds.set(group.feed.kind, (index = { decide: group.feed.decide as Decide<EventKind>, all: new Set(), byRoute: new Map() }));
    if (index.decide !== group.feed.decide) throw new Error(`feeds of ${group.feed.kind} must share one decision (feed ${group.feed.name})`);
    if (group.route === null) index.all.add(group);
    else {
      let routed = index.byRoute.get(group.route);
      if (!routed) index.byRoute.set(group.route, (routed = new Set()));
      routed.add(group);
    }
  }

  private leave(group: Group, sink: Sink): void {
    if (!group.sinks.delete(sink)) return;
    this.sinks--;
    if (group.sinks.size > 0) return;
    this.groups.delete(group.key);
    const index = this.kinds.get(group.feed.kind)!;
    if (group.route === null) index.all.delete(group);
    else {
      const routed = index.byRoute.get(group.route)!;
      routed.delete(group);
      if (routed.size === 0) index.byRoute.delete(group.route);
    }
    if (index.all.size === 0 && index.byRoute.size === 0) this.kinds.delete(group.feed.kind);
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (let next = this.queue.entries().next(); !next.done; next = this.queue.entries().next()) {
        const [key, event] = next.value;
        this.queue.delete(key);
        try {
          await this.deliver(eventKey(event), event);
        } catch (err) {
          this.logger.error("live events: an event could not be delivered", { err, kind: event.kind });
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** The groups an event concerns: its kind's unrouted groups, and those of its route. */
  private concerned(event: AppEvent): Group[] {
    const index = this.kinds.get(event.kind);
    if (!index) return [];
    const { kind: _kind, ...ids } = event;
    const route = (eventRoutes[event.kind] as (e: typeof ids) => string)(ids);
    return [...index.all, ...(index.byRoute.get(route) ?? [])];
  }

  private async deliver(key: string, event: AppEvent): Promise<void> {
    const groups = this.concerned(event);
    if (groups.length === 0) return;
    this.stats.events++;
    const { kind: _kind, ...payload } = event;
    const viewers = new Map<string, User>();
    for (const g of groups) viewers.set(g.viewer.id, g.viewer);
    let verdicts: Map<string, Verdict>;
    try {
      this.stats.decisions++;
      verdicts = await this.kinds.get(event.kind)!.decide(this.db, payload as never, [...viewers.values()], this.accessLoader);
    } catch (err) {
      // Without a decision nothing may be sent; what is sent instead carries no data at all.
      this.logger.error("live events: an event could not be decided, so its subscribers are told to read again", { err, kind: event.kind });
      for (const g of groups) this.resyncGroup(g, "EVENTS_MISSED");
      return;
    }
    let slice = performance.now();
    const breathe = async () => {
      if (performance.now() - slice < SLICE_MS) return;
      await yieldToOtherWork();
      slice = performance.now();
    };
    // One context per viewer for this event, shared by that viewer's groups (other documents): the
    // same person at the same instant, as one request would be; never shared between viewers or events.
    const contexts = new Map<string, Context>();
    for (const group of groups) {
      if (group.sinks.size === 0) continue; // everyone left meanwhile
      const verdict = verdicts.get(group.viewer.id);
      if (!verdict || (group.feed.filtered && !verdict.allowed) || (verdict.allowed && verdict.concerned === false)) continue;
      let context = contexts.get(group.viewer.id);
      if (!context) {
        try {
          context = this.contextFor(group, verdict);
        } catch (err) {
          this.logger.error("live events: a viewer's context could not be prepared, so their subscribers are told to read again", { err, feed: group.feed.name });
          this.resyncGroup(group, "EVENTS_MISSED");
          continue;
        }
        contexts.set(group.viewer.id, context);
      }
      const result = await this.render(group, payload, context);
      this.stats.renders++;
      const json = this.transport.serialize(result, group, group.sinks.size);
      let n = 0;
      const last = !verdict.allowed; // only an unfiltered feed renders for a refused viewer: its answer ends the subscription
      for (const sink of last ? [...group.sinks] : group.sinks) {
        if (last) sink.pushLast(key, json);
        else sink.push(key, json);
        this.stats.deliveries++;
        // Each push is a socket write: let other work in between every few dozen.
        if (++n % 64 === 0) await breathe();
      }
      await breathe();
    }
  }

  /** A viewer's context for one event: their access as the decision read it, loaders primed with what it read. */
  private contextFor(group: Group, verdict: Verdict): Context {
    const requestId = crypto.randomUUID();
    const context: Context = {
      requestId,
      logger: this.logger.child({ requestId, feed: group.feed.name }),
      db: this.db,
      viewer: group.viewer,
      subject: group.subject,
      access: verdict.access,
      loaders: new Loaders(this.db, verdict.access),
      decisions: new Map(),
      events: this.feeds,
    };
    verdict.prime?.(context);
    return context;
  }

  private async render(group: Group, payload: unknown, context: Context): Promise<ExecutionResult> {
    try {
      if (group.runner === undefined) group.runner = this.transport.prepare?.(group) ?? null;
      if (group.runner) return await group.runner(payload, context, group.variables);
      return await execute({
        schema: group.schema,
        document: group.document,
        rootValue: payload,
        contextValue: context,
        variableValues: group.variables,
        operationName: group.operationName,
      });
    } catch (err) {
      return { errors: [new GraphQLError("This event could not be prepared.", { originalError: err instanceof Error ? err : new Error(String(err)) })] };
    }
  }
}
