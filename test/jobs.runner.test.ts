/**
 * Background jobs run on pg-boss in the API's own database. Guarded here: a scheduled job running
 * twice for one tick when several processes run the scheduler, a job queued but never worked, a
 * schedule left behind by a job that no longer exists, shutdown abandoning a running job, and the
 * outbox worker not running where SMTP is configured.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { createDataSource } from "../src/db/data-source.js";
import { startJobs, type JobDefinition, type Jobs } from "../src/jobs/runner.js";
import { captureLogger, waitFor } from "./support/log.js";
import { startTestServer, type TestServer } from "./support/server.js";
import { startSmtpServer, type TestSmtp } from "./support/smtp.js";

let server: TestServer;
let smtp: TestSmtp;
const { logger } = captureLogger({ component: "jobs-test" });
const running: Jobs[] = [];

beforeAll(async () => {
  server = await startTestServer();
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await Promise.all(running.map((j) => j.stop()));
  await smtp?.stop();
  await server?.stop();
});

/** pg-boss with short intervals, so that the test sees cron ticks and jobs within seconds. */
const fast = { cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1, pollingIntervalSeconds: 0.5 };

async function runner(registry: JobDefinition<never>[], env: Record<string, string> = {}, db = server.db): Promise<Jobs> {
  const config = loadConfig({ NODE_ENV: "test", ...env });
  const jobs = await startJobs({ url: server.dbUrl, db, logger, config, registry, boss: fast, stopTimeoutMs: 5000 });
  running.push(jobs);
  return jobs;
}

describe("the job runner", () => {
  it("creates pg-boss's schema itself, works a sent job, and keeps its schedule in step with the registry", async () => {
    const seen: unknown[] = [];
    const echo: JobDefinition<{ n: number }> = { name: "echo-test", description: "test", run: async (_ctx, data) => void seen.push(data) };
    const jobs = await runner([echo as JobDefinition<never>]);
    const [{ exists }] = await server.db.query(`SELECT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = 'pgboss') AS exists`);
    expect(exists).toBe(true);
    await jobs.send("echo-test", { n: 1 });
    await waitFor(() => seen.length === 1, 15_000, "the job to run");
    expect(seen).toEqual([{ n: 1 }]);

    // A schedule whose job left the registry is removed at the next start.
    await jobs.boss.createQueue("retired-test");
    await jobs.boss.schedule("retired-test", "0 3 * * *");
    await jobs.stop();
    const again = await runner([echo as JobDefinition<never>]);
    expect((await again.boss.getSchedules()).map((s) => s.name)).not.toContain("retired-test");
    await again.stop();
  });

  it("runs a scheduled job once per tick although two processes run the scheduler and the worker", async () => {
    // Two processes: each its own pg-boss (own pool), scheduler and worker, and its own DataSource.
    const otherDb = createDataSource(server.dbUrl, logger);
    await otherDb.initialize();
    const runs: { by: string }[] = [];
    const tick = (by: string): JobDefinition<never> => ({ name: "tick-test", description: "test", cron: "* * * * *", run: async () => void runs.push({ by }) });
    const a = await runner([tick("A")]);
    const b = await runner([tick("B")], {}, otherDb);
    try {
      // "* * * * *" is due at once; the schedulers evaluate it every second from now on, each evaluation
      // taking the tick in pg-boss's version row (cron_on). Counted, not timed: two more evaluations
      // of the minute that already ran, by whichever process took each (pg-boss evaluates at most every second:
      // its interval cannot be shorter).
      await waitFor(() => runs.length >= 1, 20_000, "the first scheduled run");
      const evaluations = new Set<string>();
      const cronOn = async () => (await server.db.query(`SELECT cron_on::text AS at FROM pgboss.version`))[0].at as string;
      const first = await cronOn();
      await waitFor(async () => {
        const at = await cronOn();
        if (at !== first) evaluations.add(at);
        return evaluations.size >= 2;
      }, 15_000, "two more evaluations of the schedule");
      // And what those evaluations sent is worked: no scheduled send is still waiting to become a job.
      await waitFor(
        async () => (await server.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = '__pgboss__send-it' AND state IN ('created', 'retry', 'active')`))[0].n === 0,
        15_000,
        "the scheduled sends to be worked",
      );
      const perMinute: { minute: string; jobs: string }[] = await server.db.query(
        `SELECT date_trunc('minute', created_on)::text AS minute, count(*)::text AS jobs FROM pgboss.job WHERE name = 'tick-test' GROUP BY 1 ORDER BY 1`,
      );
      expect(perMinute.length).toBeGreaterThanOrEqual(1);
      expect(perMinute.every((m) => m.jobs === "1")).toBe(true);
      expect(runs.length).toBe(perMinute.length);
    } finally {
      await a.stop();
      await b.stop();
      await otherDb.destroy();
    }
  });

  it("a database role without CREATE on the database gets a message saying so (pg-boss creates its schema)", async () => {
    const role = `carm_nocreate_${process.pid}`;
    await server.db.query(`DROP ROLE IF EXISTS ${role}`);
    await server.db.query(`CREATE ROLE ${role} LOGIN PASSWORD 'x'`);
    try {
      const url = new URL(server.dbUrl);
      url.username = role;
      url.password = "x";
      const config = loadConfig({ NODE_ENV: "test", JOBS_SCHEMA: "pgboss_denied" });
      await expect(startJobs({ url: url.toString(), db: server.db, logger, config, registry: [] })).rejects.toThrow(/needs CREATE on the database; or set JOBS=off/);
    } finally {
      await server.db.query(`DROP ROLE IF EXISTS ${role}`);
    }
  });

  it("stop() waits for a running job to finish", async () => {
    let finished = false;
    let started = false;
    const slow: JobDefinition<never> = {
      name: "slow-test",
      description: "test",
      run: async () => {
        started = true;
        await new Promise((r) => setTimeout(r, 1500));
        finished = true;
      },
    };
    const jobs = await runner([slow]);
    await jobs.send("slow-test");
    await waitFor(() => started, 15_000, "the job to start");
    await jobs.stop();
    expect(finished).toBe(true);
  });

  it("with SMTP_URL, the outbox is delivered in the background; without it, there is no sender", async () => {
    const [{ id: aliceId }] = await server.db.query(`SELECT id FROM users WHERE username = 'alice'`);
    await server.db.query(`INSERT INTO notification_preferences (user_id, kind, email) VALUES ($1, 'STATEMENT_ISSUED', true) ON CONFLICT (user_id, kind) DO UPDATE SET email = true`, [aliceId]);
    const { notify } = await import("../src/application/notify.js");
    await server.db.transaction((em) => notify(em, [aliceId], { kind: "STATEMENT_ISSUED" as never, title: "Statement issued", body: "Your statement is ready.", businessId: null }));

    const off = await runner([], {});
    expect(off.delivery).toBeNull();
    await off.stop();

    const on = await runner([], { SMTP_URL: smtp.url, EMAIL_POLL_SECONDS: "1" });
    expect(on.delivery).not.toBeNull();
    await waitFor(() => smtp.messages.some((m) => m.subject === "CARM Client Portal: Statement issued"), 15_000, "the email");
    await on.stop();
    expect(smtp.messages.filter((m) => m.subject === "CARM Client Portal: Statement issued")).toHaveLength(1);
  });
});
