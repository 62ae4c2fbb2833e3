import type { IncomingMessage } from "node:http";
import type { RequestHandler } from "express";
import type { Config } from "../config.js";
import { sendGraphQLError } from "./errors.js";

/**
 * Cross-origin access for browser front ends on other origins (a dev server on another port, a
 * portal on its own domain): CORS_ORIGINS lists them exactly; unset, CORS is off and only pages of
 * this origin (GraphiQL, the dashboard) call the API from a browser.
 *
 * Never credentials: the API authenticates by the `Authorization: Bearer` header only, which a
 * browser never attaches by itself, so there is nothing ambient (cookies) to allow. A request that
 * carries that header is not "simple" and is preflighted, and the preflight is where an origin
 * that is not listed is stopped.
 */

/** What a front end sends: the token, JSON, our request id, and the headers Apollo clients add. */
export const CORS_ALLOWED_HEADERS = [
  "authorization",
  "content-type",
  "accept",
  "x-request-id",
  "apollo-require-preflight",
  "x-apollo-operation-name",
  "apollographql-client-name",
  "apollographql-client-version",
];
/** What a front end may read of a response beyond the safelisted headers. */
export const CORS_EXPOSED_HEADERS = ["x-request-id", "retry-after"];
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** Whether a browser page of `origin` may call the API from another origin. */
export function corsAllows(config: Pick<Config, "corsOrigins">, origin: string): boolean {
  return config.corsOrigins === "*" || config.corsOrigins.includes(origin);
}

/** CORS for the GraphQL endpoint: response headers for listed origins, and answers to preflights. */
export function cors(config: Pick<Config, "corsOrigins">): RequestHandler {
  const on = config.corsOrigins === "*" || config.corsOrigins.length > 0;
  return (req, res, next) => {
    const origin = req.headers.origin;
    const preflight = req.method === "OPTIONS" && typeof req.headers["access-control-request-method"] === "string";
    if (on) res.vary("Origin");
    if (!origin || !on || !corsAllows(config, origin)) {
      if (preflight) {
        const why = on ? `the origin ${JSON.stringify(origin?.slice(0, 200) ?? "")} is not in CORS_ORIGINS` : "CORS is off on this server (set CORS_ORIGINS)";
        return sendGraphQLError(res, 403, "FORBIDDEN", `Cross-origin request refused: ${why}.`);
      }
      return next();
    }
    res.setHeader("access-control-allow-origin", config.corsOrigins === "*" ? "*" : origin);
    res.setHeader("access-control-expose-headers", CORS_EXPOSED_HEADERS.join(", "));
    if (!preflight) return next();
    res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
    res.setHeader("access-control-allow-headers", CORS_ALLOWED_HEADERS.join(", "));
    res.setHeader("access-control-max-age", String(PREFLIGHT_MAX_AGE_SECONDS));
    res.status(204).end();
  };
}

/**
 * Browsers do not preflight WebSockets: the upgrade carries the page's Origin and nothing stops a
 * page elsewhere from opening one. With CORS configured, an upgrade from a browser page is accepted
 * from this origin itself and the listed ones only; clients that are not browsers send no Origin.
 * (Without CORS_ORIGINS nothing is checked: a foreign page would still need a token, which it
 * cannot take from the browser, and a proxy that rewrites Host would otherwise break same-origin pages.)
 */
export function webSocketOriginAllowed(config: Pick<Config, "corsOrigins">, req: IncomingMessage): boolean {
  const on = config.corsOrigins === "*" || config.corsOrigins.length > 0;
  const origin = req.headers.origin;
  if (!on || !origin) return true;
  if (corsAllows(config, origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
