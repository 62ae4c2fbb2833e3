/**
 * The floor the API is measured against: the benchmark's pages produced by hand-written SQL (one
 * statement per page, JSON built by PostgreSQL) and JSON.stringify over node:http, with the same
 * bearer-token check. Its visibility SQL covers the paths the benchmark's personas use (the owner's
 * BAM; a service provider's BAM through an active relationship, with its level and visibility
 * rules), which is all a hand-written endpoint for these pages would need; the API applies the whole
 * policy. Started by bench/load.ts: `node dist/bench/floor.js` with DATABASE_URL, PORT and DATA_DIR.
 */
import http from "node:http";
import pg from "pg";
import { createTokenVerifier } from "../src/auth/identity.js";
import { loadConfig } from "../src/config.js";

const config = loadConfig();
const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
const verifier = await createTokenVerifier(config.auth, config.dataDir);

/** Provider relationships of the viewer's businesses that are in force, for a client business `b`. */
const PROVIDER = (client: string) => `SELECT r.* FROM relationships r
   JOIN business_memberships m ON m.business_id = r.provider_business_id AND m.user_id = $1 AND m.is_bam AND m.status = 'ACTIVE'
  WHERE r.client_business_id = ${client} AND r.status = 'ACTIVE' AND (r.expires_at IS NULL OR r.expires_at > now())`;
const OWN = (business: string) =>
  `EXISTS (SELECT 1 FROM business_memberships m WHERE m.user_id = $1 AND m.business_id = ${business} AND m.is_bam AND m.status = 'ACTIVE')`;
const ACCOUNT_VISIBLE = `(${OWN("pa.business_id")} OR EXISTS (SELECT 1 FROM (${PROVIDER("pa.business_id")}) r
   WHERE r.level = 'BUSINESS' OR EXISTS (SELECT 1 FROM relationship_program_accounts x WHERE x.relationship_id = r.id AND x.program_account_id = pa.id)))`;
const TRANSACTION_VISIBLE = `(${OWN("pa.business_id")} OR EXISTS (SELECT 1 FROM (${PROVIDER("pa.business_id")}) r
   WHERE (r.level = 'BUSINESS' OR EXISTS (SELECT 1 FROM relationship_program_accounts x WHERE x.relationship_id = r.id AND x.program_account_id = pa.id))
     AND CASE WHEN t.submitted_by_business_id = r.provider_business_id THEN r.see_submitted_by_provider
              WHEN t.submitted_by_business_id = r.client_business_id THEN r.see_submitted_by_client ELSE r.see_submitted_by_others END))`;
const ROLE = `CASE WHEN ${OWN("pa.business_id")} THEN 'BAM' ELSE (SELECT max(r.role::text) FROM (${PROVIDER("pa.business_id")}) r) END`;
const CLIENTS = `SELECT b.* FROM businesses b
  WHERE EXISTS (SELECT 1 FROM business_memberships m WHERE m.user_id = $1 AND m.business_id = b.id AND m.status = 'ACTIVE')
     OR EXISTS (${PROVIDER("b.id")} AND EXISTS (SELECT 1 FROM program_accounts pa WHERE pa.business_id = b.id
        AND (r.level = 'BUSINESS' OR EXISTS (SELECT 1 FROM relationship_program_accounts x WHERE x.relationship_id = r.id AND x.program_account_id = pa.id))))
  ORDER BY b.legal_name, b.id LIMIT 50`;
const transactionsOf = (limit: number, fields: string) => `(SELECT coalesce(json_agg(json_build_object(${fields}) ORDER BY t.released_on DESC, t.id DESC), '[]')
   FROM (SELECT t.* FROM transactions t WHERE t.program_account_id = pa.id AND ${TRANSACTION_VISIBLE} ORDER BY t.released_on DESC, t.id DESC LIMIT ${limit}) t)`;

const pages: Record<string, (params: URLSearchParams) => { text: string; values: unknown[] }> = {
  "/importer": (p) => ({
    text: `SELECT json_build_object('bn9', b.bn9, 'legalName', b.legal_name, 'accounts', (
        SELECT coalesce(json_agg(json_build_object('bn15', pa.bn15, 'name', pa.name, 'transactions', ${transactionsOf(
          20,
          `'transactionNumber', t.transaction_number, 'releasedOn', t.released_on, 'totalDutiesAndTaxes', t.total_duties_and_taxes,
           'submittedBy', json_build_object('legalName', (SELECT sb.legal_name FROM businesses sb WHERE sb.id = t.submitted_by_business_id))`,
        )}) ORDER BY pa.rm), '[]')
          FROM program_accounts pa WHERE pa.business_id = b.id AND ${ACCOUNT_VISIBLE})) AS page
      FROM businesses b WHERE b.bn9 = $2`,
    values: [p.get("bn9")],
  }),
  "/clients": () => ({
    text: `SELECT json_build_object('clients', coalesce(json_agg(json_build_object('bn9', b.bn9, 'legalName', b.legal_name, 'accounts', (
        SELECT coalesce(json_agg(json_build_object('bn15', pa.bn15, 'name', pa.name, 'myRole', ${ROLE}) ORDER BY pa.rm), '[]')
          FROM program_accounts pa WHERE pa.business_id = b.id AND ${ACCOUNT_VISIBLE})) ORDER BY b.legal_name, b.id), '[]')) AS page
      FROM (${CLIENTS}) b`,
    values: [],
  }),
  "/dashboard": () => ({
    text: `SELECT json_build_object('clients', coalesce(json_agg(json_build_object('bn9', b.bn9, 'legalName', b.legal_name, 'accounts', (
        SELECT coalesce(json_agg(json_build_object('bn15', pa.bn15, 'name', pa.name, 'transactions', ${transactionsOf(
          5,
          `'transactionNumber', t.transaction_number, 'releasedOn', t.released_on, 'totalDutiesAndTaxes', t.total_duties_and_taxes`,
        )}) ORDER BY pa.rm), '[]')
          FROM program_accounts pa WHERE pa.business_id = b.id AND ${ACCOUNT_VISIBLE})) ORDER BY b.legal_name, b.id), '[]')) AS page
      FROM (${CLIENTS}) b`,
    values: [],
  }),
  "/transactions": () => ({
    text: `SELECT json_build_object('transactions', coalesce(json_agg(json_build_object('transactionNumber', x.transaction_number,
        'releasedOn', x.released_on, 'totalDutiesAndTaxes', x.total_duties_and_taxes, 'programAccount', json_build_object('bn15', x.bn15),
        'submittedBy', json_build_object('legalName', x.submitter)) ORDER BY x.released_on DESC, x.id DESC), '[]')) AS page
      FROM (SELECT t.*, pa.bn15, (SELECT sb.legal_name FROM businesses sb WHERE sb.id = t.submitted_by_business_id) AS submitter
              FROM transactions t JOIN program_accounts pa ON pa.id = t.program_account_id
             WHERE ${TRANSACTION_VISIBLE} ORDER BY t.released_on DESC, t.id DESC LIMIT 100) x`,
    values: [],
  }),
};

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? "/", "http://floor");
    const page = Object.hasOwn(pages, url.pathname) ? pages[url.pathname] : undefined;
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!page || !bearer) {
      res.writeHead(page ? 401 : 404).end();
      return;
    }
    const { subject } = await verifier.verify(bearer);
    const { rows: users } = await pool.query("SELECT id FROM users WHERE subject = $1", [subject]);
    if (!users[0]) {
      res.writeHead(401).end();
      return;
    }
    const { text, values } = page(url.searchParams);
    const { rows } = await pool.query(text, [users[0].id, ...values]);
    const body = JSON.stringify(rows[0]?.page ?? null);
    res.writeHead(200, { "content-type": "application/json" }).end(body);
  } catch (err) {
    res.writeHead(500, { "content-type": "text/plain" }).end(String(err));
  }
});
server.listen(config.port, "127.0.0.1", () => process.send?.("ready"));
process.on("SIGTERM", () => server.close(() => pool.end().then(() => process.exit(0))));
