/** Small statistics for the benchmarks, kept apart so that they are unit-tested (test/unit/bench-stats.test.ts). */

/**
 * The p-th percentile (0-100) of `values` by the nearest-rank method: the smallest value that at
 * least p % of the values do not exceed. NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be within 0-100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** The median of `values` (average of the two middle ones for an even count). NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * What one target did over all its rounds: requests answered as expected over the seconds it was
 * measured, and latency percentiles over the answered requests of every round. A response with a
 * status other than 2xx, or whose body was not the expected one (`mismatches`), is an error.
 */
export class Tally {
  requests = 0;
  seconds = 0;
  errors = 0;
  bytes = 0;
  readonly latencies: number[] = [];

  /** One measured slice: its duration, each response (latency in ms, size, HTTP status), and the bodies that were not the expected one. */
  add(seconds: number, responses: readonly { ms: number; bytes: number; status: number }[], mismatches = 0, connectionErrors = 0): void {
    this.seconds += seconds;
    this.errors += connectionErrors;
    let answered = 0;
    for (const r of responses) {
      if (r.status < 200 || r.status > 299) {
        this.errors++;
        continue;
      }
      answered++;
      this.bytes += r.bytes;
      this.latencies.push(r.ms);
    }
    const wrong = Math.min(mismatches, answered);
    this.errors += wrong;
    this.requests += answered - wrong;
  }

  /** Average response size in bytes. */
  get averageBytes(): number {
    return this.latencies.length ? this.bytes / this.latencies.length : NaN;
  }

  get rate(): number {
    return this.seconds > 0 ? this.requests / this.seconds : NaN;
  }

  p(percent: number): number {
    return percentile(this.latencies, percent);
  }
}

/** A figure for a table: a ratio with two decimals, a count with thousands separators. */
export const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : "-");
export const count = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "-");
