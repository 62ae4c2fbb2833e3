import "reflect-metadata";
import http from "node:http";
import express, { type ErrorRequestHandler } from "express";
import type { DataSource } from "typeorm";
import { AccessLoader } from "./auth/access-loader.js";
import { createTokenVerifier } from "./auth/identity.js";
import type { Config } from "./config.js";
import { DatabaseAvailability } from "./db/availability.js";
import type { EventBus } from "./events/bus.js";
import type { LiveHub } from "./events/live.js";
import { dashboardRouter, devPersonasRouter, graphiqlRouter, signInConfigRouter } from "./http/dev.js";
import { cors } from "./http/cors.js";
import { sendGraphQLError } from "./http/errors.js";
import { exportsEndpoint } from "./http/exports.js";
import { createApollo, graphqlRouter } from "./http/graphql.js";
import { createOperationValidator } from "./http/operation.js";
import { healthRouter } from "./http/health.js";
import { createMetrics, metricsRouter, observeRequests } from "./http/metrics.js";
import { requestId } from "./http/request-id.js";
import { subscriptionCharge } from "./http/cost.js";
import { startWebSocketServer } from "./http/websocket.js";
import { clientAddressOf } from "./limits/client-address.js";
import { costBudget } from "./limits/cost-budget.js";
import type { Logger } from "./logger.js";
import { buildAppSchema } from "./schema.js";

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  availability: DatabaseAvailability;
  /** This process's subscribers and their groups (events/live.ts). */
  hub: LiveHub;
  stop(): Promise<void>;
}

/**
 * Starts the HTTP + WebSocket server on `config.port` (0 picks a free one): GraphQL at /graphql
 * (src/http/graphql.ts, websocket.ts), health (health.ts), GraphiQL and development tokens (dev.ts);
 * `events` feeds its subscriptions.
 */
export async function startServer(
  config: Config,
  db: DataSource,
  logger: Logger,
  events: EventBus,
  /** How requests read access: real time and books judged by size, unless a test brings its own clock or book strategy. */
  opts: { accessLoader?: AccessLoader } = {},
): Promise<RunningServer> {
  const { schema } = await buildAppSchema();
  const verifier = await createTokenVerifier(config.auth, config.dataDir);
  const availability = new DatabaseAvailability((db.options as { url: string }).url, logger);

  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(
    {
      // Slow clients are bounded here and in the body's own deadline (http/body.ts): headers within
      // headersTimeout, the whole request within requestTimeout, checked every second rather than
      // Node's default 30 s.
      headersTimeout: config.http.headersTimeoutMs,
      requestTimeout: config.http.requestTimeoutMs,
      keepAliveTimeout: config.http.keepAliveTimeoutMs,
      connectionsCheckingInterval: 1000,
    },
    app,
  );
  // A socket with no traffic at all is closed (a WebSocket's pings, every 12 s, count as traffic).
  httpServer.setTimeout(config.http.idleSocketTimeoutMs);
  // Past this many open connections new ones are refused at once (each costs a file descriptor and buffers).
  httpServer.maxConnections = config.http.maxConnections;
  let live: LiveHub | null = null; // made with the WebSocket server, below
  const metrics = createMetrics({
    db,
    logger,
    openSubscriptions: () => live?.openSubscriptions ?? 0,
    live: () => ({ ...(live?.stats ?? { events: 0, decisions: 0, renders: 0, deliveries: 0, resyncs: 0 }), groups: live?.openGroups ?? 0 }),
  });
  const operations = createOperationValidator(schema, config);
  const accessLoader = opts.accessLoader ?? new AccessLoader();
  // One budget per process for HTTP and the WebSocket alike, keyed as the fair shares are.
  const budget = config.costBudget ? costBudget(config.costBudget) : null;
  const addressOf = clientAddressOf(config.trustProxy);
  const deps = { schema, config, db, logger, verifier, availability, httpServer, events, metrics, operations, accessLoader, budget, addressOf };
  const chargeSubscription = subscriptionCharge(budget, addressOf);

  const ws = startWebSocketServer({ ...deps, chargeSubscription });
  const hub = (live = ws.hub);
  // This process's subscribers: every event heard on the bus is decided and rendered for them here (events/live.ts).
  const stopHearing = [events.onEvent((event) => hub.enqueue(event)), events.onReconnect(() => hub.resyncAll("RECONNECTED"))];
  const apollo = await createApollo(deps);
  const exportsEp = exportsEndpoint(deps);

  app.use(requestId);
  app.use(healthRouter(availability));
  app.use(metricsRouter(config, metrics));
  app.use(await devPersonasRouter(config));
  app.use(signInConfigRouter(config));
  app.use(graphiqlRouter(config));
  app.use(dashboardRouter(config));
  app.use("/graphql", cors(config), observeRequests(metrics), graphqlRouter(apollo, deps));
  app.use(exportsEp.router);
  app.use((_req, res) => sendGraphQLError(res, 404, "NOT_FOUND", "No such path; the API is at /graphql."));
  // Whatever else goes wrong in a handler: JSON with a code, never express's HTML page and stack.
  const lastResort: ErrorRequestHandler = (err, _req, res, _next) => {
    logger.error("unexpected HTTP error", { err });
    sendGraphQLError(res, 500, "INTERNAL_SERVER_ERROR", "Internal server error.");
  };
  app.use(lastResort);

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  availability.start();
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host === "0.0.0.0" ? "localhost" : config.host;
  const url = `http://${host}:${port}`;
  logger.info("listening", {
    graphql: `${url}/graphql`,
    ...(config.graphiql ? { graphiql: `${url}/graphiql/` } : {}),
    ...(config.dashboard ? { dashboard: `${url}/dashboard/` } : {}),
  });

  let stopped: Promise<void> | null = null;
  return {
    url,
    port,
    httpServer,
    availability,
    hub,
    stop() {
      stopped ??= (async () => {
        availability.stop();
        for (const stop of stopHearing) stop();
        await ws.dispose();
        await apollo.stop(); // drains and closes the HTTP server
        await exportsEp.close();
      })();
      return stopped;
    },
  };
}
