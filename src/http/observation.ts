import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import type { Config } from "../config.js";
import type { Context } from "../context.js";
import { isConnectionError, type DatabaseAvailability } from "../db/availability.js";
import { sqlCounter } from "../db/sql-counter.js";
import type { Logger } from "../logger.js";
import { isClientError } from "./errors.js";
import type { Metrics, RequestObservation } from "./metrics.js";
import { WWW_AUTHENTICATE } from "./sign-in.js";

/**
 * The metrics' record of a request, carried by its context under a key of its own: Apollo's plugins
 * do not see express's `res`, and Apollo hands them a (shallow) copy of the context made for the
 * request. An AsyncLocalStorage would follow the request, at the price of promise hooks on every
 * request (see sqlCounter).
 */
const OBSERVATION = Symbol("observation");
type Observed = Context & { [OBSERVATION]?: RequestObservation };

/** The context of a request, carrying its metrics' record for the plugin below. */
export function withObservation(context: Context, observation: RequestObservation | undefined): Context {
  const observed: Observed = context;
  observed[OBSERVATION] = observation;
  return observed;
}

/**
 * Logs each request and hands its operation, SQL count and errors to the metrics; test mode reports
 * its SQL statements; a database outage answers 503; an answer refused for want of sign-in, 401.
 */
export function observePlugin(config: Config, logger: Logger, availability: DatabaseAvailability, metrics: Metrics): ApolloServerPlugin<Context> {
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
          if (response.body.kind === "single" && refusedForWantOfSignIn(response.body.singleResult)) {
            response.http.status = 401;
            response.http.headers.set("www-authenticate", WWW_AUTHENTICATE);
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
            } else if ((!e.extensions?.code && !isClientError(e)) || e.extensions?.code === "INTERNAL_SERVER_ERROR") {
              (contextValue?.logger ?? logger).error("unexpected error", { err: e.originalError ?? e, path: e.path });
            }
          }
        },
      };
    },
  };
}

/**
 * An answer that holds nothing but UNAUTHENTICATED: no field gave data, because the request came
 * without a token or with a token whose person has no profile. It is answered 401, like a token that
 * could not be verified (sign-in.ts), so that a client's "sign in again" handler sees all three the
 * same way. A partial answer (`viewer` answered, another field needed a profile) stays 200: the
 * request did run, and its data is there.
 */
function refusedForWantOfSignIn(result: { data?: Record<string, unknown> | null; errors?: readonly { extensions?: Record<string, unknown> }[] }): boolean {
  if (!result.errors?.length || !result.errors.every((e) => e.extensions?.code === "UNAUTHENTICATED")) return false;
  return result.data === null || result.data === undefined || Object.values(result.data).every((v) => v === null);
}
