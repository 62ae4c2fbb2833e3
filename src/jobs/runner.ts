import PgBoss from "pg-boss";
import type { DataSource } from "typeorm";
import type { EmailConfig, JobsConfig } from "../config.js";
import { EmailDelivery, pollEvery } from "../email/delivery.js";
import type { Logger } from "../logger.js";

/**
 * Background work on PostgreSQL: pg-boss 10 for named jobs and their cron schedules, plus the email
 * outbox's delivery loop. Runs in every process where JOBS is on (the default); N API processes
 * can share one database with only some of them running jobs.
 *
 * pg-boss keeps its tables in its own schema (JOBS_SCHEMA, default `pgboss`), which it creates and
 * migrates itself when it starts: the database role needs CREATE on the database the first time
 * (and whenever pg-boss's own version changes). A scheduled job runs once per tick however many
 * processes run the scheduler: one of them takes the tick (pg-boss's `cron_on` timestamp), and the
 * job it queues for that minute is a singleton (a unique index on the queue, name and minute), so
 * a second process evaluating the same minute inserts nothing; any worker then fetches it once
 * (SKIP LOCKED). Handlers are idempotent anyway, since pg-boss retries a job that failed or whose
 * worker died.
 */

export interface JobContext {
  db: DataSource;
  logger: Logger;
}

export interface JobDefinition<D extends object = Record<string, unknown>> {
  /** The pg-boss queue name (letters, digits, hyphens). */
  name: string;
  description: string;
  /** A cron expression evaluated in UTC; omit for jobs that are only sent. */
  cron?: string;
  /** Retries after a failure (with exponential backoff from `retryDelaySeconds`). */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** A run taking longer than this is failed (and retried). */
  expireInSeconds?: number;
  run(ctx: JobContext, data: D): Promise<unknown>;
}

export interface Jobs {
  boss: PgBoss;
  /** The outbox's sender; null when SMTP_URL is not set (emails then stay queued). */
  delivery: EmailDelivery | null;
  /** Queues a run of a registered job now (e.g. a test, or an operator, running it for a date). */
  send(name: string, data?: object): Promise<string | null>;
  /** Stops taking jobs, waits for running ones (up to a timeout), and closes pg-boss's pool. */
  stop(): Promise<void>;
}

export interface StartJobsOptions {
  url: string;
  db: DataSource;
  logger: Logger;
  config: { jobs: JobsConfig; email: EmailConfig };
  registry: JobDefinition<never>[];
  /** pg-boss settings to override (tests shorten its intervals). */
  boss?: Partial<PgBoss.ConstructorOptions>;
  /** How long `stop()` waits for running jobs. */
  stopTimeoutMs?: number;
}

export async function startJobs(opts: StartJobsOptions): Promise<Jobs> {
  const { db, config, registry } = opts;
  const logger = opts.logger.child({ component: "jobs" });
  const boss = new PgBoss({
    connectionString: opts.url,
    schema: config.jobs.schema,
    application_name: "carm-jobs",
    max: 4,
    ...opts.boss,
  });
  boss.on("error", (err) => logger.error("job runner error", { err }));
  try {
    await boss.start();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(
      `The job runner (pg-boss) could not start in schema "${config.jobs.schema}": ${message}. ` +
        "It creates that schema itself, so the database role needs CREATE on the database; or set JOBS=off in this process.",
    );
  }

  const ctx: JobContext = { db, logger };
  for (const job of registry) {
    const queue = {
      name: job.name,
      retryLimit: job.retryLimit ?? 3,
      retryDelay: job.retryDelaySeconds ?? 60,
      retryBackoff: true,
      expireInSeconds: job.expireInSeconds ?? 15 * 60,
    };
    // Idempotent: created once, its settings kept in step with the code afterwards.
    await boss.createQueue(job.name, queue);
    await boss.updateQueue(job.name, queue);
    await boss.work<Record<string, unknown>>(job.name, { batchSize: 1 }, async ([j]) => {
      const started = Date.now();
      try {
        await job.run(ctx, (j!.data ?? {}) as never);
        logger.info("job done", { job: job.name, id: j!.id, ms: Date.now() - started });
      } catch (err) {
        logger.error("job failed", { job: job.name, id: j!.id, err });
        throw err; // pg-boss records the failure and retries
      }
    });
    if (job.cron) await boss.schedule(job.name, job.cron, {}, { tz: "UTC" });
  }
  // A job removed from the registry must not keep a schedule that nobody works.
  const names = new Set(registry.map((j) => j.name));
  for (const s of await boss.getSchedules()) {
    if (!names.has(s.name) || !registry.find((j) => j.name === s.name)?.cron) await boss.unschedule(s.name);
  }

  let delivery: EmailDelivery | null = null;
  let loop: { stop(): Promise<void> } | null = null;
  if (config.email.smtpUrl) {
    const sender = new EmailDelivery(db, logger, { smtpUrl: config.email.smtpUrl, from: config.email.from, maxAttempts: config.email.maxAttempts });
    delivery = sender;
    loop = pollEvery(config.email.pollSeconds * 1000, async () => (await sender.runOnce()).sent >= sender.batchSize, logger, "email delivery");
  } else {
    logger.info("SMTP_URL is not set: emails stay queued in the outbox (read them with viewer { emails })");
  }
  logger.info("jobs started", { schema: config.jobs.schema, jobs: registry.map((j) => (j.cron ? `${j.name} (${j.cron} UTC)` : j.name)), email: Boolean(delivery) });

  let stopped: Promise<void> | null = null;
  return {
    boss,
    delivery,
    send: (name, data = {}) => boss.send(name, data),
    stop() {
      stopped ??= (async () => {
        await loop?.stop();
        delivery?.close();
        await boss.stop({ graceful: true, wait: true, timeout: opts.stopTimeoutMs ?? 10_000 });
        logger.info("jobs stopped");
      })();
      return stopped;
    },
  };
}
