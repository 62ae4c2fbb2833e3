import { unwrapResolverError } from "@apollo/server/errors";
import type { Response } from "express";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { isConnectionError } from "../db/availability.js";

/**
 * How errors leave the server, the same over HTTP and over the WebSocket: deliberate errors keep
 * their code and message; a database that went away is SERVICE_UNAVAILABLE (retry later); anything
 * else is INTERNAL_SERVER_ERROR, with its message masked and never a stack trace in production.
 */
export function createErrorFormatter(opts: { production: boolean; stacktraces: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    if ((!code || code === "INTERNAL_SERVER_ERROR") && isConnectionError(original)) {
      return { message: UNAVAILABLE_MESSAGE, locations: formatted.locations, path: formatted.path, extensions: { code: "SERVICE_UNAVAILABLE" } };
    }
    // Apollo's own refusals of a request it could not take (a persisted query whose hash does not match
    // its text, an unsupported persisted-query version) carry a 4xx status and no code: the request's
    // fault, said as such, not an internal error.
    if ((!code || code === "INTERNAL_SERVER_ERROR") && isClientError(error)) {
      return { ...formatted, extensions: { ...formatted.extensions, code: "BAD_REQUEST" } };
    }
    // Errors we did not raise on purpose never reach the client with their internals.
    if (!code || code === "INTERNAL_SERVER_ERROR") {
      return {
        message: opts.production ? "Internal server error." : formatted.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: "INTERNAL_SERVER_ERROR", ...(opts.stacktraces ? { stacktrace: formatted.extensions?.stacktrace } : {}) },
      };
    }
    if (!opts.stacktraces && formatted.extensions && "stacktrace" in formatted.extensions) {
      const { stacktrace: _dropped, ...extensions } = formatted.extensions;
      return { ...formatted, extensions };
    }
    return formatted;
  };
}

/**
 * An error raised without a code of its own that sets a 4xx HTTP status for its response (Apollo's
 * `extensions.http`): the request's fault. (Apollo fills in INTERNAL_SERVER_ERROR for a missing code
 * before formatting; the error as raised tells them apart.)
 */
export function isClientError(error: unknown): boolean {
  const ext = (unwrapResolverError(error) as { extensions?: { code?: unknown; http?: { status?: number } } } | null)?.extensions;
  const status = ext?.http?.status;
  return !ext?.code && typeof status === "number" && status >= 400 && status < 500;
}

export const UNAVAILABLE_MESSAGE = "The service is temporarily unavailable (its database does not answer); try again shortly.";

/** A GraphQL-shaped error response written directly (before Apollo: gates, body errors, 404). */
export function sendGraphQLError(res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  if (res.locals) res.locals.errorCode = code; // counted by the metrics (http/metrics.ts)
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.status(status).type("application/json").send(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/**
 * GraphQL errors refused before Apollo (the operation validation): as Apollo would send them, with
 * their locations and codes, without the HTTP details they carry for Apollo.
 */
export function sendGraphQLErrors(res: Response, status: number, errors: readonly GraphQLError[], extensions?: Record<string, unknown>): void {
  if (res.headersSent) return;
  const formatted = errors.map((e) => {
    const { http: _http, ...ext } = e.extensions ?? {};
    return { ...e.toJSON(), extensions: ext };
  });
  if (res.locals) res.locals.errorCode = formatted[0]?.extensions.code;
  res.status(status).type("application/json").send(JSON.stringify({ errors: formatted, ...(extensions ? { extensions } : {}) }));
}

/** An error thrown before execution (context creation) that Apollo answers with this status and header. */
export function unavailableError(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(UNAVAILABLE_MESSAGE, {
    extensions: { code: "SERVICE_UNAVAILABLE", http: { status: 503, headers: new Map([["retry-after", String(retryAfterSeconds)]]) } },
  });
}
