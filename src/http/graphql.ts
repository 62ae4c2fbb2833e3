import type http from "node:http";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { unwrapResolverError } from "@apollo/server/errors";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type RequestHandler, type Router } from "express";
import { GraphQLError, type GraphQLSchema } from "graphql";
import type { DataSource } from "typeorm";
import type { TokenVerifier } from "../auth/identity.js";
import type { Config } from "../config.js";
import { buildContext, type Context } from "../context.js";
import { isConnectionError, type DatabaseAvailability } from "../db/availability.js";
import type { EventBus } from "../events/bus.js";
import { sqlCounter } from "../db/sql-counter.js";
import type { Logger } from "../logger.js";
import { concurrencyLimit } from "../limits/concurrency.js";
import { checkLimits, nulInInput, parseWithLimit, QUERY_TOO_COMPLEX } from "../limits/operation-limits.js";
import { bodyErrors, jsonBody } from "./body.js";
import { jitGateway } from "./executor.js";
import { createErrorFormatter, sendGraphQLError, unavailableError, UNAVAILABLE_MESSAGE } from "./errors.js";
import type { Metrics, RequestObservation } from "./metrics.js";
import { signIn } from "./sign-in.js";

/**
 * The metrics' record of a request, carried by its context under a key of its own: Apollo's plugins
 * do not see express's `res`, and Apollo hands them a (shallow) copy of the context made for the
 * request. An AsyncLocalStorage would follow the request, at the price of promise hooks on every
 * request (see sqlCounter).
 */
const OBSERVATION = Symbol("observation");
type Observed = Context & { [OBSERVATION]?: RequestObservation };

export interface GraphQLEndpointDeps {
  schema: GraphQLSchema;
  config: Config;
  db: DataSource;
  logger: Logger;
  verifier: TokenVerifier;
  availability: DatabaseAvailability;
  httpServer: http.Server;
  events: EventBus;
  metrics: Metrics;
}

/**
 * Once graphql's own validation passed (the token limit came before parsing, see `tokenLimit`): a
 * subscription sent over HTTP, NUL in text, and the operation limits (depth, aliases, directives,
 * cost with the request's variables), all before anything executes.
 */
function guardPlugin(schema: GraphQLSchema, config: Config): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (operation?.operation === "subscription") {
            throw new GraphQLError("Subscriptions are served over WebSocket (graphql-ws) at /graphql, not over HTTP.", {
              extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
            });
          }
          const refusal =
            nulInInput(document, request.variables) ??
            checkLimits(schema, config.limits, { document, variables: request.variables, operationName: request.operationName });
          if (refusal) throw refusal;
        },
      };
    },
  };
}

/**
 * Logs each request and hands its operation, SQL count and errors to the metrics; test mode reports
 * its SQL statements; a database outage answers 503.
 */
function observePlugin(config: Config, logger: Logger, availability: DatabaseAvailability, metrics: Metrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request }) {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, response, errors, operation }) {
          const store = sqlCounter.getStore();
          const observation = (contextValue as Observed | undefined)?.[OBSERVATION];
          if (observation) {
            // Named by the document itself, never by a client's free-text operationName.
            observation.operation = operation?.name?.value ?? null;
            observation.type = operation?.operation;
            observation.errorsCounted = true;
          }
          if (response.body.kind === "single") {
            for (const e of response.body.singleResult.errors ?? []) metrics.countError(e.extensions?.code);
          }
          if (config.exposeSqlCount && store && response.body.kind === "single") {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, sqlStatements: store.count };
          }
          if (response.body.kind === "single" && response.body.singleResult.errors?.some((e) => e.extensions?.code === "SERVICE_UNAVAILABLE")) {
            response.http.status = 503;
            response.http.headers.set("retry-after", String(availability.retryAfterSeconds));
          }
          contextValue?.logger?.info("graphql", {
            operation: request.operationName ?? null,
            ms: Math.round(performance.now() - started),
            sql: store?.count,
            errors: errors?.map((e) => e.extensions?.code ?? "INTERNAL_SERVER_ERROR"),
          });
        },
        async didEncounterErrors({ errors, contextValue }) {
          for (const e of errors) {
            const original = unwrapResolverError(e);
            if (isConnectionError(original)) {
              availability.reportFailure(original); // logged once per outage, not per request
            } else if (!e.extensions?.code || e.extensions.code === "INTERNAL_SERVER_ERROR") {
              (contextValue?.logger ?? logger).error("unexpected error", { err: e.originalError ?? e, path: e.path });
            }
          }
        },
      };
    },
  };
}

export async function createApollo(deps: GraphQLEndpointDeps): Promise<ApolloServer<Context>> {
  const { schema, config, logger, availability, httpServer } = deps;
  const production = config.env === "production";
  const stacktraces = !production && config.env !== "test";
  const apollo = new ApolloServer<Context>({
    ...(config.jit.enabled ? { gateway: jitGateway(schema, config.jit) } : { schema }),
    introspection: config.introspection,
    // main.ts owns SIGINT/SIGTERM and stops things in order (Apollo's own handler would race it).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: stacktraces,
    // Apollo's CSRF prevention refuses GET queries without a header that forces a preflight, which
    // breaks clients that send queries as GET by default (urql). It guards cookie (or network)
    // authenticated servers against cross-site requests that ride on the victim's ambient
    // credentials. Here identity is only ever the Authorization header, which no cross-site form,
    // image or script tag can attach: such a request runs anonymously (only `viewer` answers), its
    // response unreadable without CORS. Mutations are still never run over GET (Apollo answers 405),
    // and a POST must be JSON (a cross-site form's text/plain or urlencoded body is refused).
    csrfPrevention: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used (answers depend on who asks): without this plugin Apollo does not
      // wrap every field's resolver to collect them.
      ApolloServerPluginCacheControlDisabled(),
      guardPlugin(schema, config),
      observePlugin(config, logger, availability, deps.metrics),
    ],
    formatError: createErrorFormatter({ production, stacktraces }),
  });
  await apollo.start();
  return apollo;
}

/**
 * The token limit, before Apollo parses and before the request's context is built (no database
 * work for an operation that will be refused). Syntax errors are left to Apollo to report.
 */
function tokenLimit(config: Config): RequestHandler {
  return (req, res, next) => {
    const body = req.body as { query?: unknown } | undefined;
    const query = req.method === "GET" ? req.query.query : body && !Array.isArray(body) ? body.query : undefined;
    if (typeof query === "string") {
      try {
        parseWithLimit(query, config.limits);
      } catch (err) {
        if (err instanceof GraphQLError && err.extensions.code === QUERY_TOO_COMPLEX) return sendGraphQLError(res, 400, QUERY_TOO_COMPLEX, err.message);
      }
    }
    next();
  };
}

/** POST/GET /graphql: availability and concurrency gates, the JSON body, then Apollo. */
export function graphqlRouter(apollo: ApolloServer<Context>, deps: GraphQLEndpointDeps): Router {
  const { config, db, logger, verifier, availability, events } = deps;
  const router = express.Router();
  // A database known to be down: answer at once, without touching the pool.
  const whileAvailable: RequestHandler = (_req, res, next) => {
    if (!availability.available) {
      return sendGraphQLError(res, 503, "SERVICE_UNAVAILABLE", UNAVAILABLE_MESSAGE, { "retry-after": String(availability.retryAfterSeconds) });
    }
    next();
  };
  // Per-request SQL counts only when asked for (see sqlCounter for why not always).
  const countSql: RequestHandler = config.exposeSqlCount ? (_req, _res, next) => sqlCounter.run({ count: 0 }, next) : (_req, _res, next) => next();
  router.use(
    whileAvailable,
    concurrencyLimit(config.maxConcurrentRequests),
    countSql,
    ...jsonBody(config.maxBodyBytes),
    bodyErrors(config.maxBodyBytes),
    tokenLimit(config),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        try {
          const { user, subject, access } = await signIn(req.headers.authorization, verifier, db);
          const context: Observed = await buildContext(db, logger, user, res.locals.requestId as string, subject, events, access);
          context[OBSERVATION] = res.locals.observation as RequestObservation | undefined;
          return context;
        } catch (err) {
          if (!isConnectionError(err)) throw err;
          availability.reportFailure(err);
          throw unavailableError(availability.retryAfterSeconds);
        }
      },
    }),
  );
  return router;
}
