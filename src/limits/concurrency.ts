import type { RequestHandler, Response } from "express";
import { sendGraphQLError } from "../http/errors.js";

export interface FairShareOptions {
  /** Requests executing at once in this process. */
  max: number;
  /** Requests one client (a person, or an address when anonymous) may have executing at once. */
  perClient: number;
  /** Requests waiting for a slot, all clients together (default 4 x max). */
  queue?: number;
  /** Requests one client may have waiting (default half the queue). */
  perClientQueue?: number;
  /** How long a request waits for a slot before it is shed (ms). */
  waitMs?: number;
  retryAfterSeconds?: number;
}

interface Waiter {
  key: string;
  seq: number;
  res: Response;
  start(): void;
  shed(): void;
}

/**
 * Execution slots, shared fairly. At most `max` GraphQL requests execute at once (each holds its
 * result in memory: the cap bounds memory under a flood, the cost limit bounds one request); more
 * wait for at most `waitMs`. A slot is taken only once the request is read, parsed, validated and
 * its sender known: what holds a slot is execution, never a slow client.
 *
 * Fair shares, so that one client's burst is shed before anyone else's request:
 * - a client (`res.locals.clientKey`: the token's subject, or the address when anonymous) executes
 *   at most `perClient` requests at once (by default half the slots: the rest stay free for others),
 *   and has at most `perClientQueue` waiting; one more is refused at once, 429 RATE_LIMITED;
 * - a freed slot goes to the waiting request whose client has the fewest executing (and fewer than
 *   its share), the oldest first among equals: not first come, first served, so a burst queued
 *   earlier does not go before a request of someone else;
 * - with the queue full, a newcomer takes the place of the newest waiting request of the client with
 *   the most in flight, if that client has more than the newcomer's would be; otherwise the newcomer
 *   is shed. Shed requests get 503 SERVICE_UNAVAILABLE with Retry-After.
 */
export function concurrencyLimit(opts: FairShareOptions): RequestHandler & { active(): number; waiting(): number; inFlight(key: string): number } {
  const { max, perClient } = opts;
  const queueMax = opts.queue ?? max * 4;
  const perClientQueue = opts.perClientQueue ?? Math.max(1, Math.floor(queueMax / 2));
  const waitMs = opts.waitMs ?? 5000;
  const retryAfter = String(opts.retryAfterSeconds ?? 1);
  let active = 0;
  let seq = 0;
  const waiting: Waiter[] = [];
  const clients = new Map<string, { active: number; waiting: number }>();
  const of = (key: string) => {
    let c = clients.get(key);
    if (!c) clients.set(key, (c = { active: 0, waiting: 0 }));
    return c;
  };
  const forget = (key: string) => {
    const c = clients.get(key);
    if (c && c.active === 0 && c.waiting === 0) clients.delete(key);
  };
  const busy = (res: Response) =>
    sendGraphQLError(res, 503, "SERVICE_UNAVAILABLE", `The server is busy (${max} requests in progress, ${waiting.length} waiting); try again shortly.`, {
      "retry-after": retryAfter,
    });

  const leaveQueue = (w: Waiter) => {
    const i = waiting.indexOf(w);
    if (i < 0) return false;
    waiting.splice(i, 1);
    of(w.key).waiting--;
    forget(w.key);
    return true;
  };

  /** The waiting request to run next: its client has the fewest executing (under its share); the oldest among equals. */
  const next = (): Waiter | undefined => {
    let best: Waiter | undefined;
    let bestActive = Infinity;
    for (const w of waiting) {
      const a = clients.get(w.key)?.active ?? 0;
      if (a >= perClient) continue;
      if (a < bestActive || (a === bestActive && w.seq < best!.seq)) {
        best = w;
        bestActive = a;
      }
    }
    return best;
  };

  const run = (key: string, res: Response, go: () => void) => {
    active++;
    of(key).active++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      active--;
      of(key).active--;
      forget(key);
      const w = next();
      if (w) {
        leaveQueue(w);
        w.start();
      }
    };
    res.once("finish", release);
    res.once("close", release);
    go();
  };

  const handler: RequestHandler = (_req, res, go) => {
    const key = typeof res.locals.clientKey === "string" ? res.locals.clientKey : "unknown";
    const mine = clients.get(key);
    const inFlight = mine ? mine.active + mine.waiting : 0;
    if (mine && mine.waiting >= perClientQueue) {
      return sendGraphQLError(
        res,
        429,
        "RATE_LIMITED",
        `You have ${inFlight} requests in progress (${perClient} executing at most, ${perClientQueue} waiting); wait for some to finish, then try again.`,
        { "retry-after": retryAfter },
      );
    }
    if (active < max && (mine?.active ?? 0) < perClient) return run(key, res, go);
    if (waiting.length >= queueMax) {
      // Make room by shedding the burst of whoever has the most in flight, if that is not the newcomer.
      let top: string | undefined;
      let most = inFlight + 1;
      for (const [k, c] of clients) {
        if (c.waiting > 0 && c.active + c.waiting > most) {
          top = k;
          most = c.active + c.waiting;
        }
      }
      let victim: Waiter | undefined;
      for (const w of waiting) if (w.key === top && (!victim || w.seq > victim.seq)) victim = w;
      if (!victim) return busy(res);
      leaveQueue(victim);
      victim.shed();
    }
    const w: Waiter = {
      key,
      seq: seq++,
      res,
      start: () => {
        clearTimeout(timer);
        res.removeListener("close", gaveUp);
        run(key, res, go);
      },
      shed: () => {
        clearTimeout(timer);
        res.removeListener("close", gaveUp);
        busy(res);
      },
    };
    const gaveUp = () => {
      clearTimeout(timer);
      leaveQueue(w); // the client went away while waiting
    };
    const timer = setTimeout(() => {
      if (leaveQueue(w)) w.shed();
    }, waitMs);
    res.once("close", gaveUp);
    waiting.push(w);
    of(key).waiting++;
  };
  return Object.assign(handler, {
    active: () => active,
    waiting: () => waiting.length,
    inFlight: (key: string) => {
      const c = clients.get(key);
      return c ? c.active + c.waiting : 0;
    },
  });
}
