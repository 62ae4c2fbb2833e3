/**
 * A broker's book of business at scale, on top of the demo world: `clients` extra importers, each
 * with 3 program accounts and 20 transactions per account (one version, one or two lines), all
 * delegated to Northern Customs Brokers (business level, Editor, visibility "submitted by provider"
 * and "submitted by client", like Maple Leaf). Submitters rotate: the client 2/5, Northern 2/5,
 * Coastal Freight 1/5 (hidden from Northern by the visibility rules). Written with set-based SQL so
 * that 10,000 clients (600,000 transactions) load in well under a minute.
 */
import type { DataSource } from "typeorm";
import type pg from "pg";
import { luhnCheckDigit } from "../src/common/identifiers.js";
import { createDataSource } from "../src/db/data-source.js";
import { withDatabase } from "../src/db/database.js";
import type { Logger } from "../src/logger.js";
import { DEMO_BN, seedDemo } from "../src/seed/demo.js";

export const TRANSACTIONS_PER_ACCOUNT = 20;
export const ACCOUNTS_PER_CLIENT = 3;

/** Valid, distinct BN9s for the bench clients (prefix 3, never one of the demo world's). */
export function benchBn9(i: number): string {
  const payload = `3${String(i).padStart(7, "0")}`;
  return payload + luhnCheckDigit(payload);
}

export async function seedBrokerBook(db: DataSource, clients: number): Promise<void> {
  if (clients <= 0) return;
  const [northern] = await db.query(`SELECT id FROM businesses WHERE bn9 = $1`, [DEMO_BN.northern]);
  const [coastal] = await db.query(`SELECT id FROM businesses WHERE bn9 = $1`, [DEMO_BN.coastal]);
  const bn9s = Array.from({ length: clients }, (_, i) => benchBn9(i + 1));
  await db.transaction(async (em) => {
    await em.query(
      `INSERT INTO businesses (bn9, legal_name, address_line, city, province, postal_code, country, is_service_provider, registered_at)
       SELECT bn9, 'Bench Client ' || lpad(i::text, 5, '0') || ' Ltd.', i || ' Bench Road', 'Toronto', 'ON', 'M5V 1A1', 'CA', false, now()
         FROM unnest($1::text[]) WITH ORDINALITY AS x(bn9, i)`,
      [bn9s],
    );
    await em.query(
      `INSERT INTO program_accounts (business_id, rm, bn15, name)
       SELECT b.id, 'RM000' || k, b.bn9 || 'RM000' || k, 'Account ' || k
         FROM businesses b, generate_series(1, ${ACCOUNTS_PER_CLIENT}) k WHERE b.bn9 = ANY($1)`,
      [bn9s],
    );
    await em.query(
      `INSERT INTO relationships (client_business_id, provider_business_id, status, level, role, expires_at,
              see_submitted_by_provider, see_submitted_by_client, see_submitted_by_others, request_comment, decided_at)
       SELECT b.id, $2, 'ACTIVE', 'BUSINESS', 'EDITOR', NULL, true, true, false, 'Bench delegation', now()
         FROM businesses b WHERE b.bn9 = ANY($1)`,
      [bn9s, northern.id],
    );
    // Transaction numbers: 14 digits starting with 9 (no demo ASEC does), unique per row.
    await em.query(
      `WITH pa AS (
         SELECT pa.id, pa.business_id, row_number() OVER (ORDER BY pa.bn15) AS n
           FROM program_accounts pa JOIN businesses b ON b.id = pa.business_id WHERE b.bn9 = ANY($1)
       ), t AS (
         INSERT INTO transactions (transaction_number, program_account_id, submitted_by_business_id, released_on, current_version_no, total_duties_and_taxes)
         SELECT '9' || lpad(((pa.n - 1) * ${TRANSACTIONS_PER_ACCOUNT} + g)::text, 13, '0'), pa.id,
                CASE g % 5 WHEN 0 THEN $3::uuid WHEN 1 THEN $2::uuid WHEN 2 THEN $2::uuid ELSE pa.business_id END,
                DATE '2026-11-24' - ((pa.n * 7 + g * 11) % 400)::int, 1, 1182.50
           FROM pa, generate_series(1, ${TRANSACTIONS_PER_ACCOUNT}) g
         RETURNING id, submitted_by_business_id
       ), v AS (
         INSERT INTO transaction_versions (transaction_id, version_no, kind, status, submitted_by_business_id, customs_duty, sima, excise, gst, total_duties_and_taxes)
         SELECT t.id, 1, 'ORIGINAL', 'ACCEPTED', t.submitted_by_business_id, 650.00, 0, 0, 532.50, 1182.50 FROM t
         RETURNING id
       )
       INSERT INTO transaction_lines (version_id, line_no, classification_code, description, value_for_duty, tariff_treatment, customs_duty_rate, sima, excise, customs_duty, value_for_tax, gst)
       SELECT v.id, l, '7610100000', 'Aluminium window frames', 5000.00, '2', 6.5, 0, 0, 325.00, 5325.00, 266.25 FROM v, generate_series(1, 2) l`,
      [bn9s, northern.id, coastal.id],
    );
  });
  // A database in service has been vacuumed since its rows were written: without this, autovacuum
  // works through the new rows while the pages are measured (taking CPU from whichever case runs
  // then), and index-only scans visit the heap until it has.
  await db.query("VACUUM (ANALYZE)");
}

/**
 * A new database `dbName` on the server of `admin`: migrated, the demo world seeded, `clients`
 * importers delegated to Northern, vacuumed. Returns its URL.
 */
export async function buildWorld(admin: pg.Client, adminUrl: string, dbName: string, clients: number, logger: Logger): Promise<string> {
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = withDatabase(adminUrl, dbName);
  const ds = createDataSource(url, logger);
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: "all" });
    await seedDemo(ds, logger);
    const seeded = performance.now();
    await seedBrokerBook(ds, clients);
    console.error(`# ${clients} clients loaded in ${Math.round(performance.now() - seeded)} ms`);
  } finally {
    await ds.destroy();
  }
  return url;
}
