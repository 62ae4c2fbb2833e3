/**
 * Exponential backoff, the one rule for waiting after failures: the event bus reconnecting its
 * LISTEN connection, email delivery retrying a refused message, the availability probe looking
 * again at a database that does not answer.
 *
 * The wait after the `failures`-th failure in a row is `baseMs` doubled for each failure before it,
 * at most `maxMs`. With `jitter` (0 to 1), that share of the wait is drawn at random, so that many
 * processes that lost the same database at once do not all come back in the same instant.
 */
export interface Backoff {
  /** The wait after the first failure. */
  baseMs: number;
  /** No wait is longer. */
  maxMs: number;
  /** The share of each wait drawn at random: 0 (default) none, 0.5 a wait between half and all of it. */
  jitter?: number;
}

export function backoffDelay(failures: number, { baseMs, maxMs, jitter = 0 }: Backoff, random: () => number = Math.random): number {
  const full = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(full * (1 - jitter + jitter * random()));
}
