import type { RequestHandler, Response } from "express";
import { sendGraphQLError } from "../http/errors.js";

export interface FairShareOptions {
  /** Requests executing at once in this process. */
  max: number;
  /**
   * A client's (a person's, or an address's when anonymous) share of execution, in units: a request
   * weighs `res.locals.weight` units (1 by default; a costly operation more), and a client executes
   * requests weighing at most this much together, or one request alone whatever its weight.
   */
  perClient: number;
  /** Requests waiting for a slot, all clients together (default 4 x max). */
  queue?: number;
  /** Requests one client may have waiting (default half the queue). */
  perClientQueue?: number;
  /** How long a request waits for a slot before it is shed (ms). */
  waitMs?: number;
  retryAfterSeconds?: number;
  /** How a refusal (429) is sent: at once by default; paced (refusal-pacing.ts) in the server. */
  refuse?: (res: Response, key: string, send: () => void) => void;
}

interface Waiter {
  key: string;
  weight: number;
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
 *   at most `perClient` units at once (a request's weight grows with its estimated cost, so a client
 *   runs several light requests or one heavy one; the other slots stay free for others), and has at
 *   most `perClientQueue` requests waiting; one more is refused at once, 429 RATE_LIMITED;
 * - a freed slot goes to the waiting request whose client has the least executing (and room in its
 *   share), the oldest first among equals: not first come, first served, so a burst queued earlier
 *   does not go before a request of someone else;
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
  /** Per client: requests executing, their weight together, requests waiting. */
  const clients = new Map<string, { active: number; units: number; waiting: number }>();
  const of = (key: string) => {
    let c = clients.get(key);
    if (!c) clients.set(key, (c = { active: 0, units: 0, waiting: 0 }));
    return c;
  };
  /** Whether a client may start a request of this weight: within its share, or alone. */
  const fits = (key: string, weight: number) => {
    const c = clients.get(key);
    return !c || c.active === 0 || c.units + weight <= perClient;
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
      if (!fits(w.key, w.weight)) continue;
      const a = clients.get(w.key)?.units ?? 0;
      if (a < bestActive || (a === bestActive && w.seq < best!.seq)) {
        best = w;
        bestActive = a;
      }
    }
    return best;
  };

  const run = (key: string, weight: number, res: Response, go: () => void) => {
    active++;
    of(key).active++;
    of(key).units += weight;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      active--;
      of(key).active--;
      of(key).units -= weight;
      forget(key);
      // Possibly more than one: a heavy request leaving may make room for several light ones.
      for (let w = next(); w && active < max; w = next()) {
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
    const weight = typeof res.locals.weight === "number" && res.locals.weight >= 1 ? res.locals.weight : 1;
    const mine = clients.get(key);
    const inFlight = mine ? mine.active + mine.waiting : 0;
    if (mine && mine.waiting >= perClientQueue) {
      const message = `You have ${inFlight} requests in progress (${mine.active} executing, ${perClientQueue} waiting at most); wait for some to finish, then try again.`;
      const send = () => sendGraphQLError(res, 429, "RATE_LIMITED", message, { "retry-after": retryAfter });
      return opts.refuse ? opts.refuse(res, key, send) : send();
    }
    if (active < max && fits(key, weight)) return run(key, weight, res, go);
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
      weight,
      seq: seq++,
      res,
      start: () => {
        clearTimeout(timer);
        res.removeListener("close", gaveUp);
        run(key, weight, res, go);
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
