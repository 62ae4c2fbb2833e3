import type { RequestHandler } from "express";
import { sendGraphQLError } from "../http/errors.js";

/**
 * At most `max` GraphQL requests executing at once in this process; up to `queue` more wait their
 * turn (first come, first served) for at most `waitMs`; past that a request is answered at once with
 * 503 SERVICE_UNAVAILABLE and Retry-After. Every request in flight holds its result in memory, so
 * the cap is what bounds memory under a flood (the cost limit bounds one request; bench/abuse.ts
 * measures both). A waiting request holds only its socket: its body is read when its turn comes.
 */
export function concurrencyLimit(
  max: number,
  opts: { queue?: number; waitMs?: number; retryAfterSeconds?: number } = {},
): RequestHandler & { active(): number; waiting(): number } {
  const queueMax = opts.queue ?? max * 4;
  const waitMs = opts.waitMs ?? 5000;
  const retryAfter = String(opts.retryAfterSeconds ?? 1);
  let active = 0;
  const waiting: (() => void)[] = [];

  const shed = (res: Parameters<RequestHandler>[1]) =>
    sendGraphQLError(res, 503, "SERVICE_UNAVAILABLE", `The server is busy (${max} requests in progress, ${waiting.length} waiting); try again shortly.`, {
      "retry-after": retryAfter,
    });

  const handler: RequestHandler = (_req, res, next) => {
    const run = () => {
      active++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        active--;
        waiting.shift()?.();
      };
      res.once("finish", release);
      res.once("close", release);
      next();
    };
    if (active < max) return run();
    if (waiting.length >= queueMax) return shed(res);
    const turn = () => {
      clearTimeout(timer);
      res.removeListener("close", gaveUp);
      run();
    };
    const leave = () => {
      const i = waiting.indexOf(turn);
      if (i >= 0) waiting.splice(i, 1);
    };
    const gaveUp = () => {
      clearTimeout(timer);
      leave(); // the client went away while waiting
    };
    const timer = setTimeout(() => {
      leave();
      res.removeListener("close", gaveUp);
      shed(res);
    }, waitMs);
    res.once("close", gaveUp);
    waiting.push(turn);
  };
  return Object.assign(handler, { active: () => active, waiting: () => waiting.length });
}
