import pg from "pg";
import { backoffDelay } from "../common/backoff.js";
import type { Logger } from "../logger.js";

/**
 * Whether the database answers, as one process-wide state. While it does not, GraphQL requests are
 * refused at once with 503 SERVICE_UNAVAILABLE and Retry-After, rather than each waiting on a dead
 * pool and failing with an internal error; the outage is logged when it starts and when it ends,
 * not once per request.
 *
 * The probe uses its own short-lived connection with timeouts: a pool saturated by load is not an
 * outage, and a database that stopped answering must not hang the probe.
 *
 * A frozen database (stopped, not killed: SIGSTOP, a hung host) accepts connections and answers
 * nothing. A probe that times out is taken for such a database at once when this process was not
 * itself too busy to read an answer: its timer fired on time (a busy event loop fires it late).
 * Otherwise three timeouts in a row are needed, since an overloaded process is not a dead database.
 * With the defaults (a probe every 2 s, 1.5 s to answer) a freeze is noticed within about 4 s; the
 * requests already waiting on it end by the statement timeout (data-source.ts).
 */
export class DatabaseAvailability {
  private up = true;
  private timer: NodeJS.Timeout | null = null;
  private probing: Promise<boolean> | null = null;
  private stopped = false;
  private failures = 0;
  private lastProbeEnded = 0;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly opts: { upIntervalMs?: number; downIntervalMs?: number; timeoutMs?: number } = {},
  ) {}

  get available(): boolean {
    return this.up;
  }

  /** Seconds a client should wait before trying again. */
  readonly retryAfterSeconds = 2;

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** A request failed: if it looks like the connection, check now (the probe decides). */
  reportFailure(err: unknown): void {
    if (isConnectionError(err)) void this.check(true);
  }

  /**
   * Probes once (joining a probe under way, or answering from one that ended less than a second
   * ago: `/readyz` hammered by a client must not open a connection per call) and updates the state.
   */
  check(fresh = false): Promise<boolean> {
    if (!fresh && !this.probing && Date.now() - this.lastProbeEnded < 1000) return Promise.resolve(this.up);
    this.probing ??= this.probe().finally(() => {
      this.probing = null;
      this.lastProbeEnded = Date.now();
    });
    return this.probing;
  }

  private async probe(): Promise<boolean> {
    const timeout = this.opts.timeoutMs ?? 1500;
    const started = performance.now();
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: timeout, query_timeout: timeout, statement_timeout: timeout });
    client.on("error", () => undefined); // a connection dying under the probe is its answer, not a crash
    let ok: boolean;
    let reason: unknown = null;
    try {
      await client.connect();
      await client.query("SELECT 1");
      ok = true;
    } catch (err) {
      ok = false;
      reason = err;
    } finally {
      await client.end().catch(() => undefined);
    }
    if (this.stopped) return ok;
    this.failures = ok ? 0 : this.failures + 1;
    // Refused or cut: the database is down. Timed out with this process responsive (the timer fired
    // within a quarter second of its time): the database is frozen. Timed out late: maybe this
    // process was too busy to read the answer (an overload is not an outage): down after three in a row.
    const onTime = performance.now() - started < timeout + 250;
    const down = !ok && ((isConnectionError(reason) && !isTimeout(reason)) || (isTimeout(reason) && onTime) || this.failures >= 3);
    if (ok && !this.up) {
      this.up = true;
      this.logger.info("database available again");
    } else if (down && this.up) {
      this.up = false;
      this.logger.error("database unavailable: GraphQL requests answer 503 until it is back", { err: reason instanceof Error ? reason.message : String(reason) });
    }
    this.schedule();
    return this.up;
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    // While down, or while a failed probe awaits confirmation, look again soon, backing off (up to
    // the healthy interval) while the failures go on.
    const upEvery = this.opts.upIntervalMs ?? 2000;
    const every = this.up && this.failures === 0 ? upEvery : backoffDelay(this.failures, { baseMs: this.opts.downIntervalMs ?? 1000, maxMs: upEvery, jitter: 0.2 });
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.check().finally(() => {
        if (!this.timer) this.schedule();
      });
    }, every);
    this.timer.unref();
  }
}

const CONNECTION_CODES = new Set(["57014", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "57P01", "57P02", "57P03"]);
const CONNECTION_MESSAGES =
  /Connection terminated|connection error|timeout exceeded when trying to connect|terminating connection due to|the database system is (starting up|shutting down|in recovery)|Client was closed|Connection is not established|Query read timeout/i;

const isTimeout = (err: unknown) => err instanceof Error && /timeout|timed out/i.test(err.message);

/**
 * Whether an error (or what it wraps) is the database connection failing rather than a query. A
 * statement the server cancelled for its timeout (57014) counts: the request could not be served
 * within the bound, and a probe then tells whether the database is still there.
 */
export function isConnectionError(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 5) return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  if (typeof e.code === "string" && (CONNECTION_CODES.has(e.code) || e.code.startsWith("08"))) return true;
  if (typeof e.message === "string" && CONNECTION_MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isConnectionError(x, depth + 1))) return true; // AggregateError (IPv4 + IPv6)
  return [e.driverError, e.cause, e.originalError].some((x) => isConnectionError(x, depth + 1));
}
