import { LRUCache } from "lru-cache";

export interface CostBudgetOptions {
  /** What a bucket holds when full: the most a client can spend at once (at least the largest operation allowed). */
  max: number;
  /** Points given back per second to every bucket, up to `max`. */
  refillPerSecond: number;
  /** Clients remembered per kind (people, anonymous addresses). */
  clients?: number;
  /** The clock (ms), for tests. */
  now?: () => number;
}

/** A client's budget, as reported to it: what it spent (not yet refilled), what it may spend now, of how much, and how it refills (whole points). */
export interface BudgetStatus {
  spent: number;
  available: number;
  max: number;
  refillPerSecond: number;
}

/** A charge taken before execution; `settle` gives back what the operation did not use (once). */
export interface Charge {
  requested: number;
  /** Charges `actual` (at most what was taken) and gives the rest back; later calls change nothing. */
  settle(actual: number): BudgetStatus;
}

export type ChargeResult = { ok: true; charge: Charge } | { ok: false; retryAfterSeconds: number; status: BudgetStatus };

export interface CostBudget {
  readonly max: number;
  readonly refillPerSecond: number;
  /** Takes `cost` from the client's bucket, or says when the bucket will hold it. */
  charge(key: string, cost: number): ChargeResult;
  status(key: string): BudgetStatus;
  /** Clients remembered now (bounded). */
  size(): number;
}

interface Bucket {
  /** Points in the bucket at `at` (fractional: refilled continuously). */
  level: number;
  at: number;
}

/**
 * A per-client budget of cost points over time, a leaky bucket as Shopify's GraphQL APIs meter
 * query cost: each client (`subject:...` for a person, `address:...` when anonymous) has a bucket of
 * `max` points that refills at `refillPerSecond`. An operation's estimated cost is taken before it
 * runs; once it has run, what it did not use is given back (see graphql.ts for what is charged). A
 * client whose bucket cannot pay is told when it can (429 RATE_LIMITED, Retry-After). The fair shares
 * (concurrency.ts) bound what a client runs at once; this bounds what it runs over time, so that one
 * client running heavy operations back to back cannot keep the one event loop busy.
 *
 * Memory is bounded, and forgetting is never a gift:
 * - a bucket is remembered only while it is not full (an entry lives until its bucket would be full
 *   again: forgetting a full bucket changes nothing);
 * - people and anonymous addresses are remembered apart, each in its own LRU of `clients` entries: an
 *   attacker cannot mint tokens, so it cannot push a person's debt out by churning keys; churning
 *   addresses (which an attacker may own many of) only ever evicts other addresses, and evicts a bucket
 *   still in debt only when more than `clients` addresses were charged within one refill period
 *   (max / refillPerSecond: 30 s with the defaults): an attacker with that many addresses has as many
 *   fresh buckets anyway.
 */
export function costBudget(opts: CostBudgetOptions): CostBudget {
  const { max, refillPerSecond } = opts;
  const now = opts.now ?? Date.now;
  const clients = opts.clients ?? 50_000;
  const fullAfterMs = (level: number) => Math.max(1, Math.ceil(((max - level) / refillPerSecond) * 1000));
  // lru-cache's own clock is performance.now(): an entry's ttl is counted from when it is set, in ms.
  const people = new LRUCache<string, Bucket>({ max: clients, ttl: fullAfterMs(0), updateAgeOnGet: false });
  const addresses = new LRUCache<string, Bucket>({ max: clients, ttl: fullAfterMs(0), updateAgeOnGet: false });
  const storeOf = (key: string) => (key.startsWith("subject:") ? people : addresses);

  /** Points in the client's bucket now. */
  const levelOf = (key: string, t: number) => {
    const b = storeOf(key).get(key);
    return b ? Math.min(max, b.level + ((t - b.at) / 1000) * refillPerSecond) : max;
  };
  const store = (key: string, level: number, t: number) => {
    const s = storeOf(key);
    if (level >= max) s.delete(key);
    else s.set(key, { level, at: t }, { ttl: fullAfterMs(level) });
  };
  const statusAt = (level: number): BudgetStatus => ({ spent: max - Math.floor(level), available: Math.floor(level), max, refillPerSecond });

  return {
    max,
    refillPerSecond,
    charge(key, cost) {
      const t = now();
      const level = levelOf(key, t);
      if (level < cost) {
        // Whole seconds, never 0: the bucket holds `cost` points by then (less whatever else is charged).
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - level) / refillPerSecond)), status: statusAt(level) };
      }
      store(key, level - cost, t);
      let settled: BudgetStatus | null = null;
      return {
        ok: true,
        charge: {
          requested: cost,
          settle(actual) {
            if (settled) return settled;
            const refund = cost - Math.min(cost, Math.max(0, actual));
            const t2 = now();
            const after = Math.min(max, levelOf(key, t2) + refund);
            store(key, after, t2);
            return (settled = statusAt(after));
          },
        },
      };
    },
    status: (key) => statusAt(levelOf(key, now())),
    size: () => people.size + addresses.size,
  };
}
