import type http from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type Request, type RequestHandler, type Router } from "express";
import { GraphQLError, type GraphQLSchema } from "graphql";
import type { DataSource } from "typeorm";
import type { TokenVerifier } from "../auth/identity.js";
import type { Config } from "../config.js";
import type { AccessLoader } from "../auth/access-loader.js";
import { buildContext, type Context } from "../context.js";
import { isConnectionError, type DatabaseAvailability } from "../db/availability.js";
import type { EventBus } from "../events/bus.js";
import { sqlCounter } from "../db/sql-counter.js";
import type { Logger } from "../logger.js";
import type { ClientAddress } from "../limits/client-address.js";
import { concurrencyLimit } from "../limits/concurrency.js";
import type { CostBudget } from "../limits/cost-budget.js";
import { refusalPacer } from "../limits/refusal-pacing.js";
import { bodyDeadline, bodyErrors, jsonBody } from "./body.js";
import { chargeCost, costPlugin, withCost, type CostRecord } from "./cost.js";
import { jitGateway, stringifyAnswer } from "./executor.js";
import { createErrorFormatter, sendGraphQLError, sendGraphQLErrors, unavailableError, UNAVAILABLE_MESSAGE } from "./errors.js";
import type { Metrics, RequestObservation } from "./metrics.js";
import { observePlugin, withObservation } from "./observation.js";
import { queryHash, type OperationValidator } from "./operation.js";
import { responseSizeCap } from "./response-cap.js";
import { identify, profileOf, WWW_AUTHENTICATE, type Identity } from "./sign-in.js";

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
  /** The operation validation shared with the WebSocket (operation.ts). */
  operations: OperationValidator;
  /** Reads each request's access: the process's clock and book strategy (auth/access-loader.ts). */
  accessLoader: AccessLoader;
  /** Each client's budget of cost points over time (null: off), shared with the WebSocket. */
  budget: CostBudget | null;
  /** An anonymous client's key: its address, or the one a trusted proxy relays. */
  addressOf: ClientAddress;
}

export async function createApollo(deps: GraphQLEndpointDeps): Promise<ApolloServer<Context>> {
  const { schema, config, logger, availability, httpServer } = deps;
  const production = config.env === "production";
  const stacktraces = !production && config.env !== "test";
  const apollo = new ApolloServer<Context>({
    ...(config.jit.enabled || config.compiled
      ? { gateway: jitGateway(schema, { ...config.jit, compiled: { enabled: config.compiled, onPath: (name, path) => deps.metrics.executionPath.inc({ operation: deps.metrics.operationLabel(name), path }) } }) }
      : { schema }),
    introspection: config.introspection,
    // Every operation reaches Apollo validated (graphqlRouter's `validateOperation`): its document
    // store is that validation's cache, and persisted queries live where the validation reads them.
    documentStore: deps.operations.documentStore,
    persistedQueries: { cache: deps.operations.persistedQueries },
    hideSchemaDetailsFromClientErrors: !config.introspection,
    // graphql-js's own bound on variable coercion errors, should a request reach execution unchecked.
    executionOptions: { maxCoercionErrors: 20 },
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
      observePlugin(config, logger, availability, deps.metrics),
      ...(deps.budget ? [costPlugin()] : []),
    ],
    formatError: createErrorFormatter({ production, stacktraces }),
    // Compiled answers are written as PostgreSQL wrote them (executor.ts, CompiledData).
    stringifyResult: stringifyAnswer,
  });
  await apollo.start();
  return apollo;
}

/**
 * How much of a client's share of execution an operation takes: a unit per this much estimated cost
 * (at least one). An ordinary screen costs a few hundred (one unit); the heaviest the limits allow,
 * about 9,000, takes four: a client runs one such at a time, or several light ones.
 */
const COST_PER_SHARE = 2500;

/** A request's GraphQL parameters, from a POST's JSON body or a GET's query string; null when not in a shape Apollo accepts. */
function operationParams(req: Request): { query?: unknown; variables?: unknown; operationName?: unknown; extensions?: unknown } | null {
  if (req.method === "GET") {
    const q = req.query as Record<string, unknown>;
    const json = (v: unknown) => {
      if (typeof v !== "string") return v;
      try {
        return JSON.parse(v) as unknown;
      } catch {
        return Symbol.for("malformed");
      }
    };
    return { query: q.query, variables: json(q.variables), operationName: q.operationName, extensions: json(q.extensions) };
  }
  const body = req.body as unknown;
  return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The operation validation (operation.ts), before the request's sender is looked up and before it
 * takes an execution slot; persisted queries (APQ) are resolved here, with their own codes. What is
 * not in a shape Apollo accepts is left for Apollo to refuse (400); Apollo executes nothing that did
 * not pass here (the context refuses it).
 */
function validateOperation(operations: OperationValidator, pace: ReturnType<typeof refusalPacer>, addressOf: ClientAddress): RequestHandler {
  return (req, res, next) => {
    const params = operationParams(req);
    if (!params) return next();
    const { variables, operationName, extensions } = params;
    let query = params.query;
    if (!(variables == null || isObject(variables)) || !(operationName == null || typeof operationName === "string") || !(extensions == null || isObject(extensions))) {
      return next();
    }
    const persisted = extensions?.persistedQuery;
    if (persisted !== undefined) {
      const p = persisted as { version?: unknown; sha256Hash?: unknown };
      if (!isObject(persisted) || p.version !== 1) {
        return sendGraphQLError(res, 400, "PERSISTED_QUERY_NOT_SUPPORTED", "Only persisted queries of version 1 are supported.");
      }
      if (typeof p.sha256Hash !== "string" || !/^[0-9a-f]{64}$/.test(p.sha256Hash)) {
        return sendGraphQLError(res, 400, "PERSISTED_QUERY_HASH_MISMATCH", "extensions.persistedQuery.sha256Hash must be the SHA-256 of the query, in 64 lower-case hexadecimal digits.");
      }
      if (query === undefined) {
        query = operations.persistedQuery(p.sha256Hash);
        // Apollo's protocol: 200 and this code, upon which the client sends the query with its hash.
        if (query === undefined) return sendGraphQLError(res, 200, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound", { "cache-control": "private, no-cache, must-revalidate" });
      } else if (typeof query === "string" && queryHash(query) !== p.sha256Hash) {
        return sendGraphQLError(res, 400, "PERSISTED_QUERY_HASH_MISMATCH", "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it.");
      }
    }
    if (typeof query !== "string" || query === "") return next();
    const verdict = operations.check({ query, variables, operationName }, "http");
    if (!verdict.ok) {
      const store = sqlCounter.getStore();
      // Keyed by address: the sender is not known yet (its token is checked after this).
      return pace(res, `address:${addressOf(req)}`, () => sendGraphQLErrors(res, verdict.status, verdict.errors, store ? { sqlStatements: store.count } : undefined));
    }
    res.locals.validated = verdict.hash;
    res.locals.cost = verdict.cost;
    res.locals.weight = Math.max(1, Math.ceil(verdict.cost / COST_PER_SHARE));
    next();
  };
}

/**
 * Who sends the request, from the token alone (cached: no database), before a slot is taken: the
 * key of its fair share. A token that is not valid is refused here (401).
 */
function identifyClient(verifier: TokenVerifier, addressOf: ClientAddress): RequestHandler {
  return (req, res, next) => {
    identify(req.headers.authorization, verifier).then(
      (identity) => {
        res.locals.identity = identity;
        res.locals.clientKey = identity ? `subject:${identity.subject}` : `address:${addressOf(req)}`;
        next();
      },
      (err: unknown) => {
        // The challenge (RFC 6750) tells a client that a bearer token is what failed, and why.
        if (err instanceof GraphQLError) return sendGraphQLError(res, 401, "UNAUTHENTICATED", err.message, { "www-authenticate": `${WWW_AUTHENTICATE}, error="invalid_token"` });
        next(err);
      },
    );
  };
}

/** POST/GET /graphql: availability and concurrency gates, the JSON body, then Apollo. */
export function graphqlRouter(apollo: ApolloServer<Context>, deps: GraphQLEndpointDeps): Router {
  const { config, db, logger, verifier, availability, events, operations, accessLoader, budget, addressOf } = deps;
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
  const pace = refusalPacer(config.refusalPacing);
  const slots = concurrencyLimit({ max: config.maxConcurrentRequests, perClient: config.maxConcurrentPerClient, refuse: pace });
  // The order is the point: everything a client controls the pace or size of (its body, its
  // operation) is dealt with before a slot is taken; a slot is held while executing only.
  router.use(
    whileAvailable,
    countSql,
    bodyDeadline(config.http.bodyTimeoutMs),
    ...jsonBody(config.maxBodyBytes),
    bodyErrors(config.maxBodyBytes),
    validateOperation(operations, pace, addressOf),
    identifyClient(verifier, addressOf),
    chargeCost(budget, pace),
    slots,
    responseSizeCap(config.maxResponseBytes),
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        if (!res.locals.validated) {
          throw new GraphQLError("The request is not a GraphQL operation this server can read.", { extensions: { code: "BAD_REQUEST", http: { status: 400 } } });
        }
        // From here it runs: its charge is settled on what it resolves (cost.ts), even if its client goes away.
        res.locals.executing = true;
        const cost = res.locals.costRecord as CostRecord | undefined;
        try {
          const { user, subject, access, expiresAt } = await profileOf(res.locals.identity as Identity | null, db, accessLoader);
          const context = await buildContext(db, logger, user, res.locals.requestId as string, subject, events, access ?? accessLoader);
          context.tokenExpiresAt = expiresAt;
          return withCost(withObservation(context, res.locals.observation as RequestObservation | undefined), cost);
        } catch (err) {
          // Nothing resolved: nothing to pay.
          cost?.charge.settle(0);
          if (!isConnectionError(err)) throw err;
          availability.reportFailure(err);
          throw unavailableError(availability.retryAfterSeconds);
        }
      },
    }),
  );
  return router;
}
