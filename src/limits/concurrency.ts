import type { RequestHandler } from "express";
import { sendGraphQLError } from "../http/errors.js";

/**
 * At most `max` GraphQL requests executing at once in this process. Past that the request is
 * answered at once with 503 SERVICE_UNAVAILABLE and Retry-After, rather than queued: every request
 * in flight holds its result in memory, so the cap is what bounds memory under a flood (the cost
 * limit bounds one request; see bench/abuse.ts for the figures).
 */
export function concurrencyLimit(max: number, retryAfterSeconds = 1): RequestHandler & { active(): number } {
  let active = 0;
  const handler: RequestHandler = (_req, res, next) => {
    if (active >= max) {
      return sendGraphQLError(res, 503, "SERVICE_UNAVAILABLE", `The server is busy (${max} requests in progress); try again shortly.`, {
        "retry-after": String(retryAfterSeconds),
      });
    }
    active++;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        active--;
      }
    };
    res.once("finish", release);
    res.once("close", release);
    next();
  };
  return Object.assign(handler, { active: () => active });
}
