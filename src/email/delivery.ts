import { createTransport, type Mail } from "nodemailer";
import type { DataSource, QueryRunner } from "typeorm";
import type { Logger } from "../logger.js";
import { backoffDelay } from "../common/backoff.js";

/**
 * Sends the email outbox through SMTP.
 *
 * A polling loop over the outbox table rather than a pg-boss job per email: the outbox row already is
 * the durable queue (written in the notification's own transaction, with its status, attempts and
 * next attempt), so a second queue would only duplicate that state and its retry policy, and
 * queueing a pg-boss job from inside `notify(em, ...)` would tie every producer to the job runner.
 *
 * Each email is claimed in a transaction of its own with `FOR UPDATE SKIP LOCKED`, so any number of
 * workers (in any number of processes) share the outbox and never take the same row. In that
 * transaction the row is first marked SENT, then the message is handed to the SMTP server, then the
 * transaction commits. The row lock is the claim: a crash before the server accepts rolls everything
 * back and the row is retried; a refusal overwrites the mark with a retry (exponential backoff) or,
 * after `maxAttempts`, FAILED. The one window for a duplicate is a crash (or a lost database
 * connection) between the server's acceptance and the COMMIT, a single round trip; the Message-ID is
 * the row's id, so a duplicate is recognisable as one.
 */
export interface EmailDeliveryOptions {
  /** e.g. smtp://user:pass@mail.example:587 (STARTTLS when offered) or smtps://…:465. */
  smtpUrl: string;
  /** The From header, e.g. "CARM Client Portal <no-reply@portal.example>". */
  from: string;
  /** Attempts before an email is given up (FAILED). */
  maxAttempts: number;
  /** Wait before the first retry, doubled after each failure up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Emails per run, at most (a run continues at once when it was full). */
  batchSize?: number;
}

interface ClaimedRow {
  id: string;
  to_address: string;
  subject: string;
  body_text: string;
  attempts: number;
}

export type DeliveryOutcome = "sent" | "retry" | "failed";

export interface DeliveryRun {
  sent: number;
  retried: number;
  failed: number;
}

export class EmailDelivery {
  private readonly transport: Mail;
  private readonly opts: Required<EmailDeliveryOptions>;
  private readonly messageIdDomain: string;

  constructor(
    private readonly db: DataSource,
    private readonly logger: Logger,
    opts: EmailDeliveryOptions,
  ) {
    this.opts = { baseBackoffMs: 60_000, maxBackoffMs: 6 * 3600_000, batchSize: 50, ...opts };
    this.transport = createTransport({
      url: opts.smtpUrl,
      // Bounded, because the row stays locked (and a pool connection busy) while the server answers.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    this.messageIdDomain = /@([^>\s]+)/.exec(opts.from)?.[1] ?? "carm-portal.invalid";
  }

  /** Emails per run, at most. */
  get batchSize(): number {
    return this.opts.batchSize;
  }

  /** The delay before retry number `attempts + 1`, after `attempts` failed attempts. */
  backoffMs(attempts: number): number {
    return backoffDelay(attempts, { baseMs: this.opts.baseBackoffMs, maxMs: this.opts.maxBackoffMs });
  }

  /**
   * Sends what is due at `now` (the database's clock unless given: tests move time forward), one
   * email per transaction, until nothing is due or a batch is done.
   */
  async runOnce(opts: { now?: Date } = {}): Promise<DeliveryRun> {
    const run: DeliveryRun = { sent: 0, retried: 0, failed: 0 };
    for (let i = 0; i < this.opts.batchSize; i++) {
      const outcome = await this.sendOne(opts.now ?? null);
      if (!outcome) break;
      run[outcome === "sent" ? "sent" : outcome === "retry" ? "retried" : "failed"]++;
      // A server that refuses one message is likely to refuse the next: leave the rest for later.
      if (outcome !== "sent") break;
    }
    if (run.sent || run.retried || run.failed) this.logger.info("email delivery", { ...run });
    return run;
  }

  /** Claims, sends and records one due email; null when none is due. */
  private async sendOne(now: Date | null): Promise<DeliveryOutcome | null> {
    const qr = this.db.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction("READ COMMITTED");
      const [row] = (await qr.query(
        `SELECT id, to_address, subject, body_text, attempts FROM email_outbox
          WHERE status = 'PENDING' AND next_attempt_at <= COALESCE($1::timestamptz, now())
          ORDER BY next_attempt_at, id
          LIMIT 1
          FOR UPDATE SKIP LOCKED`,
        [now],
      )) as ClaimedRow[];
      if (!row) {
        await qr.rollbackTransaction();
        return null;
      }
      const attempt = row.attempts + 1;
      // Marked first, so that after the server accepts only the COMMIT remains.
      await qr.query(
        `UPDATE email_outbox SET status = 'SENT', sent_at = COALESCE($2::timestamptz, now()), attempts = $3, last_error = NULL WHERE id = $1`,
        [row.id, now, attempt],
      );
      let outcome: DeliveryOutcome = "sent";
      try {
        await this.transport.sendMail({
          from: this.opts.from,
          to: row.to_address,
          subject: row.subject,
          text: row.body_text,
          messageId: `<${row.id}@${this.messageIdDomain}>`,
          headers: { "Auto-Submitted": "auto-generated" },
        });
      } catch (err) {
        outcome = attempt >= this.opts.maxAttempts ? "failed" : "retry";
        await this.recordFailure(qr, row.id, attempt, outcome, err, now);
      }
      await qr.commitTransaction();
      return outcome;
    } catch (err) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await qr.release();
    }
  }

  private async recordFailure(qr: QueryRunner, id: string, attempt: number, outcome: DeliveryOutcome, err: unknown, now: Date | null): Promise<void> {
    const e = err as { message?: string; responseCode?: number; code?: string };
    const message = [e.responseCode ?? e.code, e.message ?? String(err)].filter(Boolean).join(" ").slice(0, 1000);
    const waitMs = this.backoffMs(attempt);
    await qr.query(
      `UPDATE email_outbox
          SET status = $3::email_status, sent_at = NULL, last_error = $4,
              next_attempt_at = COALESCE($5::timestamptz, now()) + make_interval(secs => $6::double precision / 1000)
        WHERE id = $1 AND attempts = $2`,
      [id, attempt, outcome === "failed" ? "FAILED" : "PENDING", message, now, waitMs],
    );
    const fields = { email: id, attempt, error: message };
    if (outcome === "failed") this.logger.error("email given up after the maximum number of attempts", fields);
    else this.logger.warn("email refused; will retry", { ...fields, retryInMs: waitMs });
  }

  /** Checks that the SMTP server answers and accepts our credentials. */
  verify(): Promise<true> {
    return this.transport.verify();
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * Runs `work` every `intervalMs` (and again at once when a run was full), one run at a time, until
 * stopped; `stop()` waits for the run in progress. A failing run (say, the database is away) is
 * logged when it starts failing and when it recovers, not at every interval.
 */
export function pollEvery(intervalMs: number, work: () => Promise<boolean>, logger: Logger, name: string): { stop(): Promise<void> } {
  let stopped = false;
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      let again = false;
      try {
        again = await work();
        if (failing) logger.info(`${name} recovered`);
        failing = false;
      } catch (err) {
        if (!failing) logger.error(`${name} failed; retrying every ${intervalMs} ms`, { err });
        else logger.debug(`${name} still failing`, { err: err instanceof Error ? err.message : String(err) });
        failing = true;
      }
      if (!stopped) timer = setTimeout(tick, again ? 0 : intervalMs);
    })();
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
