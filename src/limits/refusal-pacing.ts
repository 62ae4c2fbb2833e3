import type { Response } from "express";
import { LRUCache } from "lru-cache";

export interface RefusalPacingOptions {
  /** Delay added per refusal in the window, after the first (ms). */
  stepMs: number;
  /** At most this delay (ms). */
  maxMs: number;
  /** Refusals older than this are forgotten (ms). */
  windowMs: number;
}

/**
 * Refusals answered no faster than a client keeps earning them. A client that ignores its refusals
 * (429 over its share, 400 for an operation the validation refuses) and sends again at once makes the
 * server parse, validate and refuse at its own pace, which everyone else waits behind on the event
 * loop. Its first refusal in a while is answered at once; each further one within `windowMs` waits a
 * little longer (`stepMs` more, at most `maxMs`). The wait holds only a socket and a timer, never an
 * execution slot; answers that are not refusals are never delayed. Bounded: the 10,000 most recent
 * clients are remembered.
 */
export function refusalPacer(opts: RefusalPacingOptions): (res: Response, key: string, send: () => void) => void {
  const recent = new LRUCache<string, { n: number; at: number }>({ max: 10_000 });
  return (res, key, send) => {
    if (opts.maxMs <= 0) return send();
    const now = Date.now();
    const last = recent.get(key);
    const n = last && now - last.at < opts.windowMs ? last.n + 1 : 1;
    recent.set(key, { n, at: now });
    const delay = Math.min(opts.maxMs, (n - 1) * opts.stepMs);
    if (delay <= 0) return send();
    const timer = setTimeout(send, delay);
    res.once("close", () => clearTimeout(timer));
  };
}
