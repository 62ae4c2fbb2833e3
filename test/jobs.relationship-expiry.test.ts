/**
 * Both sides of a delegation hear that it is about to expire: the provider's BAMs and the client's
 * BAMs, once when 30 days are left and once more at 7. Guarded: a reminder sent twice because the
 * daily job ran twice, or in two processes at once; a reminder for a relationship already ended;
 * a renewed relationship never reminded again; email copies not following the preferences.
 * The job's "now" is a parameter, so each case runs it for the date it needs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { createDataSource } from "../src/db/data-source.js";
import { relationshipExpiryJob } from "../src/jobs/registry.js";
import { startJobs } from "../src/jobs/runner.js";
import { noticeThreshold, notifyExpiringRelationships } from "../src/modules/relationship/relationship-expiry.js";
import { captureLogger, waitFor } from "./support/log.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
const { logger } = captureLogger({ component: "expiry-test" });
const DAY = 24 * 3600_000;
const now = new Date();
const at = (days: number) => new Date(now.getTime() + days * DAY);

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

/** RELATIONSHIP_EXPIRING notifications per persona. */
async function reminders(): Promise<Partial<Record<Persona, string[]>>> {
  const rows: { username: Persona; body: string }[] = await server.db.query(
    `SELECT u.username, n.body FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'RELATIONSHIP_EXPIRING' ORDER BY u.username, n.created_at`,
  );
  const out: Partial<Record<Persona, string[]>> = {};
  for (const r of rows) (out[r.username] ??= []).push(r.body);
  return out;
}

const count = (r: Partial<Record<Persona, string[]>>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v!.length]));

async function setExpiry(providerPrefix: string, clientBn9: string, expiresAt: Date | string) {
  await server.db.query(
    `UPDATE relationships SET expires_at = $3::timestamptz
      WHERE status = 'ACTIVE' AND provider_business_id = (SELECT id FROM businesses WHERE legal_name LIKE $1 || '%')
        AND client_business_id = (SELECT id FROM businesses WHERE bn9 = $2)`,
    [providerPrefix, clientBn9, expiresAt],
  );
}

describe("noticeThreshold", () => {
  it("is the smallest threshold within reach: 30, then 7; none after expiry or further out", () => {
    expect(noticeThreshold(at(31), now)).toBeNull();
    expect(noticeThreshold(at(30), now)).toBe(30);
    expect(noticeThreshold(at(8), now)).toBe(30);
    expect(noticeThreshold(at(7), now)).toBe(7);
    expect(noticeThreshold(at(0.1), now)).toBe(7);
    expect(noticeThreshold(at(-1), now)).toBeNull();
  });
});

// A calendar, day by day: each case counts the reminders the cases before it sent, so the cases keep
// their order even when tests are shuffled (--sequence.shuffle).
describe("relationship expiry notices", { shuffle: false }, () => {
  it("30 days before: erin (Northern's BAM) and alice (Maple Leaf's BAM) each get one; a second run sends nothing", async () => {
    // An expiry with microseconds, as SQL arithmetic makes it (a JS Date would round it).
    await server.db.query(
      `UPDATE relationships SET expires_at = $1::timestamptz + interval '30 days' - interval '1 hour' + interval '123 microseconds'
        WHERE status = 'ACTIVE' AND provider_business_id = (SELECT id FROM businesses WHERE legal_name LIKE 'Northern%')
          AND client_business_id = (SELECT id FROM businesses WHERE bn9 = '123456782')`,
      [now],
    );
    expect(await notifyExpiringRelationships(server.db, logger, now)).toEqual({ notices: 1 });
    const first = await reminders();
    expect(count(first)).toEqual({ alice: 1, erin: 1 });
    expect(first.erin![0]).toMatch(/^Your access to Maple Leaf Windows & Doors Inc\. expires in 30 days, on \d{4}-\d{2}-\d{2}\./);
    expect(first.alice![0]).toMatch(/^Northern Customs Brokers Ltd\.'s access to your business expires in 30 days/);

    expect(await notifyExpiringRelationships(server.db, logger, now)).toEqual({ notices: 0 });
    expect(await notifyExpiringRelationships(server.db, logger, at(10))).toEqual({ notices: 0 }); // still the 30-day window
    expect(count(await reminders())).toEqual({ alice: 1, erin: 1 });
  });

  it("7 days before: one more each; then nothing until it expires, however often the job runs", async () => {
    expect(await notifyExpiringRelationships(server.db, logger, at(23))).toEqual({ notices: 1 });
    const r = await reminders();
    expect(count(r)).toEqual({ alice: 2, erin: 2 });
    expect(r.erin![1]).toMatch(/expires in 7 days/);
    for (const day of [23, 25, 29.9, 31]) expect(await notifyExpiringRelationships(server.db, logger, at(day))).toEqual({ notices: 0 });
    expect(count(await reminders())).toEqual({ alice: 2, erin: 2 });
  });

  it("two processes running the job at the same moment send each reminder once", async () => {
    // Northern's relationship with Prairie Imports (no expiry in the seed) now expires in 6 days.
    const [{ bn9: prairieBn9 }] = await server.db.query(`SELECT bn9 FROM businesses WHERE legal_name LIKE 'Prairie%'`);
    await setExpiry("Northern", prairieBn9, at(6));
    const other = createDataSource(server.dbUrl, logger);
    await other.initialize();
    try {
      const results = await Promise.all([
        notifyExpiringRelationships(server.db, logger, now),
        notifyExpiringRelationships(other, logger, now),
        notifyExpiringRelationships(server.db, logger, now),
      ]);
      expect(results.reduce((n, r) => n + r.notices, 0)).toBe(1);
    } finally {
      await other.destroy();
    }
    expect(count(await reminders())).toEqual({ alice: 2, erin: 3, ivan: 1 });
  });

  it("an ended relationship is not reminded; a renewed one is reminded again before its new date, by email too when chosen", async () => {
    // Maple Leaf renews Northern for 20 days from now; alice wants these by email.
    await server.db.query(
      `INSERT INTO notification_preferences (user_id, kind, email) SELECT id, 'RELATIONSHIP_EXPIRING', true FROM users WHERE username = 'alice'
       ON CONFLICT (user_id, kind) DO UPDATE SET email = true`,
    );
    await setExpiry("Northern", "123456782", at(20));
    // Prairie ends its relationship before the 7-day reminder of a renewed date could go out.
    const [{ bn9: prairieBn9 }] = await server.db.query(`SELECT bn9 FROM businesses WHERE legal_name LIKE 'Prairie%'`);
    await setExpiry("Northern", prairieBn9, at(5));
    await server.db.query(
      `UPDATE relationships SET status = 'REVOKED', ended_at = now() WHERE status = 'ACTIVE' AND client_business_id = (SELECT id FROM businesses WHERE bn9 = $1)`,
      [prairieBn9],
    );

    expect(await notifyExpiringRelationships(server.db, logger, now)).toEqual({ notices: 1 });
    const r = await reminders();
    expect(count(r)).toEqual({ alice: 3, erin: 4, ivan: 1 });
    expect(r.alice![2]).toMatch(/expires in 20 days/);
    const emails: { to_address: string; subject: string }[] = await server.db.query(`SELECT to_address, subject FROM email_outbox WHERE kind = 'RELATIONSHIP_EXPIRING'`);
    expect(emails).toEqual([{ to_address: "alice@mapleleafwd.example", subject: "CARM Client Portal: A service provider's access expires soon" }]);
  });

  it("runs as the scheduled pg-boss job, for a given date", async () => {
    const jobs = await startJobs({
      url: server.dbUrl,
      db: server.db,
      logger,
      config: loadConfig({ NODE_ENV: "test" }),
      registry: [relationshipExpiryJob as never],
      boss: { pollingIntervalSeconds: 0.5 },
    });
    try {
      expect((await jobs.boss.getSchedules()).map((s) => ({ name: s.name, cron: s.cron }))).toEqual([{ name: "relationship-expiry-notices", cron: "0 11 * * *" }]);
      // 14 days later, the renewed relationship is within 7 days of its new date.
      await jobs.send("relationship-expiry-notices", { now: at(14).toISOString() });
      await waitFor(async () => count(await reminders()).alice === 4, 15_000, "the job to notify");
      expect(count(await reminders())).toEqual({ alice: 4, erin: 5, ivan: 1 });
    } finally {
      await jobs.stop();
    }
  });
});
