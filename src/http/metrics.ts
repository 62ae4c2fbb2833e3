import crypto from "node:crypto";
import express, { type Router } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { DataSource } from "typeorm";
import type { Config } from "../config.js";
import { CountingOrmLogger } from "../db/sql-counter.js";
import type { LiveStats } from "../events/live.js";
import type { Logger } from "../logger.js";
import { fromLoopback } from "./dev.js";
import { sendGraphQLError } from "./errors.js";

/**
 * What operators scrape at `/metrics` (Prometheus text format, prom-client). One registry per
 * server, so that several servers in one process (the tests) do not mix their numbers.
 *
 * Label values are bounded: an operation is labelled by its name only for the first
 * MAX_OPERATION_NAMES names this process sees (a client choosing names cannot grow the series
 * without end), unnamed operations are `anonymous`, later names `other`; error codes outside the
 * API's own list are `OTHER`.
 */
export const MAX_OPERATION_NAMES = 100;

/** The `extensions.code` values the API gives (docs/front-end.md, "The API in brief"); others are counted as OTHER. */
const KNOWN_CODES = new Set([
  "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "BAD_USER_INPUT", "BAD_REQUEST", "QUERY_TOO_COMPLEX", "RATE_LIMITED", "CONFLICT",
  "SERVICE_UNAVAILABLE", "INTERNAL_SERVER_ERROR", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED", "OPERATION_RESOLUTION_FAILURE", "PERSISTED_QUERY_HASH_MISMATCH", "REQUEST_TIMEOUT", "RESPONSE_TOO_LARGE", "TOO_MANY_SUBSCRIPTIONS",
]);

export interface Metrics {
  registry: Registry;
  /** The label for an operation's name (bounded, see above). */
  operationLabel(name: string | null | undefined): string;
  requests: Counter<"operation" | "type">;
  duration: Histogram<"operation" | "type">;
  errors: Counter<"code">;
  eventsDelivered: Counter<"subscription">;
  /** Operations executed over HTTP by the path that answered them: compiled (one planned statement) or general. */
  executionPath: Counter<"operation" | "path">;
  /** Count an error by its code. */
  countError(code: unknown): void;
}

interface Pool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export function createMetrics(deps: { db: DataSource; logger: Logger; openSubscriptions: () => number; live?: () => LiveStats & { groups: number } }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const names = new Set<string>();
  const operationLabel = (name: string | null | undefined) => {
    if (!name) return "anonymous";
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES) return "other";
    names.add(name);
    return name;
  };

  const requests = new Counter({
    name: "carm_graphql_requests_total",
    help: "GraphQL requests over HTTP, by operation name and type (operation unresolved, type unknown: refused before an operation was known).",
    labelNames: ["operation", "type"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "carm_graphql_request_duration_seconds",
    help: "Time from receiving a GraphQL HTTP request to sending its response, by operation name and type.",
    labelNames: ["operation", "type"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const executionPath = new Counter({
    name: "carm_graphql_execution_path_total",
    help: "GraphQL operations executed over HTTP, by operation name and the path that answered: compiled (planned into one SQL statement, src/planner) or general (resolvers).",
    labelNames: ["operation", "path"] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: "carm_graphql_errors_total",
    help: "GraphQL errors sent (HTTP and WebSocket), by extensions.code.",
    labelNames: ["code"] as const,
    registers: [registry],
  });
  // A running total, read when scraped (counting per request costs every request: see sqlCounter).
  const sqlTotal = () => (deps.db.logger instanceof CountingOrmLogger ? deps.db.logger.statements : 0);
  new Counter({
    name: "carm_sql_statements_total",
    help: "SQL statements this process sent through its database pool (requests, subscriptions, jobs). Per request: divide its rate by carm_graphql_requests_total's.",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(sqlTotal());
    },
  });
  const eventsDelivered = new Counter({
    name: "carm_subscription_events_delivered_total",
    help: "Events sent to subscribers over WebSocket, by subscription field.",
    labelNames: ["subscription"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "carm_subscriptions_open",
    help: "Subscriptions running on this process's WebSockets.",
    registers: [registry],
    collect() {
      this.set(deps.openSubscriptions());
    },
  });
  // The live hub (events/live.ts): per event one decision, a rendering per group, a send per subscriber.
  const live = deps.live;
  if (live) {
    new Gauge({
      name: "carm_live_groups",
      help: "Groups of subscriptions (same feed, viewer, document and variables) on this process: renderings per event, at most.",
      registers: [registry],
      collect() {
        this.set(live().groups);
      },
    });
    for (const [name, help, stat] of [
      ["carm_live_events_total", "Events this process decided for its subscribers (one SQL statement each).", "events"],
      ["carm_live_renders_total", "Event renderings, one per group the event's decision let see it.", "renders"],
      ["carm_live_deliveries_total", "Rendered events handed to subscribers (sent, or kept coalesced for a busy one).", "deliveries"],
      ["carm_live_resyncs_total", "Resync messages (read again: events missed or a subscriber too far behind).", "resyncs"],
    ] as const) {
      new Counter({
        name,
        help,
        registers: [registry],
        collect() {
          this.reset();
          this.inc(live()[stat]);
        },
      });
    }
  }
  const pool = () => (deps.db.driver as unknown as { master?: Pool }).master;
  new Gauge({
    name: "carm_db_pool_connections",
    help: "The database pool of this process: total connections open, idle ones, and requests waiting for one.",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const p = pool();
      if (!p) return;
      this.set({ state: "total" }, p.totalCount);
      this.set({ state: "idle" }, p.idleCount);
      this.set({ state: "waiting" }, p.waitingCount);
    },
  });
  new Gauge({
    name: "carm_email_outbox",
    help: "Emails in the outbox, by status (PENDING waits for delivery, FAILED gave up: see email_outbox.last_error).",
    labelNames: ["status"] as const,
    registers: [registry],
    async collect() {
      try {
        const rows = (await deps.db.query(`SELECT status::text AS status, count(*)::int AS n FROM email_outbox GROUP BY status`)) as { status: string; n: number }[];
        this.reset();
        for (const status of ["PENDING", "SENT", "FAILED"]) this.set({ status }, 0);
        for (const r of rows) this.set({ status: r.status }, r.n);
      } catch (err) {
        // A scrape during a database outage still answers (the process metrics); the outbox is left out.
        this.reset();
        deps.logger.debug("metrics: the outbox could not be counted", { err: err instanceof Error ? err.message : String(err) });
      }
    },
  });

  return {
    registry,
    operationLabel,
    requests,
    duration,
    errors,
    eventsDelivered,
    executionPath,
    countError(code) {
      errors.inc({ code: typeof code === "string" && KNOWN_CODES.has(code) ? code : "OTHER" });
    },
  };
}

/** Per HTTP request, filled in by the GraphQL endpoint once it knows the operation. */
export interface RequestObservation {
  operation?: string | null;
  type?: string;
  /** Apollo answered and its errors were counted already. */
  errorsCounted?: boolean;
}

/**
 * Observes every request to the GraphQL endpoint when its response is finished, whoever answered
 * it: Apollo (which fills in `res.locals.observation`), or a gate before it (503, 413, a refused
 * token count), whose error code `sendGraphQLError` leaves in `res.locals.errorCode`.
 */
export function observeRequests(metrics: Metrics): express.RequestHandler {
  return (_req, res, next) => {
    const started = performance.now();
    const observation: RequestObservation = {};
    res.locals.observation = observation;
    res.once("finish", () => {
      // An operation that did not parse or resolve has no name or type of its own.
      const labels = observation.type ? { operation: metrics.operationLabel(observation.operation), type: observation.type } : { operation: "unresolved", type: "unknown" };
      metrics.requests.inc(labels);
      metrics.duration.observe(labels, (performance.now() - started) / 1000);
      if (!observation.errorsCounted && res.locals.errorCode) metrics.countError(res.locals.errorCode);
    });
    next();
  };
}

/**
 * `/metrics`. With METRICS_TOKEN, a scrape must send it as a bearer token (compared in constant
 * time); without one, anyone who reaches the port may scrape, except in production, where only
 * clients on this machine may (a sidecar or node agent), since operation names and volumes are
 * not for the public. METRICS=off removes the path.
 */
export function metricsRouter(config: Config, metrics: Metrics): Router {
  const router = express.Router();
  if (!config.metrics.enabled) return router;
  const expected = config.metrics.token ? crypto.createHash("sha256").update(config.metrics.token).digest() : null;
  router.get("/metrics", async (req, res) => {
    if (expected) {
      const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
      const given = crypto.createHash("sha256").update(m?.[1] ?? "").digest();
      if (!m || !crypto.timingSafeEqual(given, expected)) {
        return sendGraphQLError(res, 401, "UNAUTHENTICATED", "Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.", { "www-authenticate": "Bearer" });
      }
    } else if (config.metrics.loopbackOnly && !fromLoopback(req)) {
      return sendGraphQLError(res, 403, "FORBIDDEN", "In production /metrics answers clients on this machine only, unless METRICS_TOKEN is set.");
    }
    res.setHeader("content-type", metrics.registry.contentType);
    res.setHeader("cache-control", "no-store");
    res.send(await metrics.registry.metrics());
  });
  return router;
}
