/**
 * The benchmark's pages, each as one SQL statement written by hand with the portal's grants joined:
 * what a planner compiling an operation to one statement would send (plans.ts checks each against
 * the API's answer and times it).
 *
 * The shape is PostGraphile's: the root page, and under each row its nested page as a correlated
 * subquery ordered and limited through an index, aggregated to JSON by PostgreSQL; the answer is the
 * JSON the API sends. The rules are the API's, from its own SQL (src/auth): the grants relation
 * restricted to the page's businesses, computed once (a MATERIALIZED CTE, as the API's drivers are),
 * then at each level the role x action table (grantAllows) and, for transactions and their
 * versions, the visibility rules (transactionRules) of the grants on the row's account.
 *
 * Why correlated, not set-wise (every level read once, grouped, joined by hash): a kept (generic)
 * plan cannot see how many rows a CTE holds, estimates one, and joins nested pages by nested loops
 * over whole CTEs (the dashboard's set-wise statement took 96 ms with its generic plan against 14
 * planned for its values). Correlated levels are index lookups whatever the estimate: the plan is
 * the same kept or not, and can be kept (planning these statements costs 3-14 ms each time).
 */
import type { DataSource } from "typeorm";
import { AccessLoader } from "../src/auth/access-loader.js";
import { grantAllows, grantLetsThrough, grantsFromScratchSql, grantsSql, type GrantPath, type GrantRestriction } from "../src/auth/grants.js";
import { sql, uuids, type Sql } from "../src/db/sql.js";
import type { PageCase } from "./pages.js";

export interface Viewer {
  id: string;
  /** Businesses the viewer is a member of. */
  own: string[];
  /** Paths of the grants that apply (importers' people have no relationship paths). */
  paths: GrantPath[] | undefined;
  now: Date;
  /** Read the grants computed from the tables (grants.ts's definition) instead of the maintained table the API reads: `--grants-table` compares the two. */
  fromScratch?: boolean;
  /** Probe the grants per row (an index lookup on the table for each account) instead of scanning the statement's grants, computed once (`--grants-table`). */
  probe?: boolean;
}

/** The grants as the viewer's statements read them. */
const grantsOf = (v: Viewer, rx: GrantRestriction) => (v.fromScratch ? grantsFromScratchSql(rx) : grantsSql(rx));

/** The viewer as the statements need them. */
export async function viewerOf(ds: DataSource, username: string, now = new Date()): Promise<Viewer> {
  const [user] = await ds.query(`SELECT id, platform_role FROM users WHERE username = $1`, [username]);
  const access = await new AccessLoader({ clock: () => now }).load(ds, { id: user.id, platformRole: user.platform_role });
  return { id: user.id, own: [...access.memberships.keys()], paths: access.actsForClients ? undefined : ["BAM", "PROGRAM_ROLE"], now };
}

/** The policy's ranking of roles (policy.ts), strongest last. */
const RANKED = sql`ARRAY['EXPIRED', 'READER', 'EDITOR', 'PAM', 'BAM']::text[]`;

/** Businesses the viewer reaches (businessList's condition): their own, and clients whose profile a provider grant shows. */
const businessVisible = (v: Viewer) => sql`(b.id = ANY(${uuids(v.own)}) OR EXISTS (
    SELECT 1 FROM (${grantsOf(v, { now: v.now, user: v.id, business: sql`b.id`, paths: ["RELATIONSHIP"] })}) g WHERE ${grantAllows("g", "VIEW_BUSINESS_PROFILE")}))`;

/** The viewer's grants on the root businesses' accounts, once for the statement. */
const grantsOnRoot = (v: Viewer) => sql`grants AS MATERIALIZED (SELECT g.* FROM (${grantsOf(v, { now: v.now, user: v.id, businesses: sql`ARRAY(SELECT id FROM root)`, paths: v.paths })}) g)`;

/** The viewer's grants on `account` (a column): the statement's, computed once, or probed in the table per row. */
const grantsOn = (v: Viewer, account: Sql) =>
  v.probe ? sql`(${grantsSql({ now: v.now, user: v.id, account, paths: v.paths })}) g` : sql`grants g`;

/** `rows` as a connection's JSON: edges of `node`, in `order` (empty: `[]`). */
const connection = (node: Sql, order: Sql, rows: Sql) =>
  sql`json_build_object('edges', coalesce((SELECT json_agg(json_build_object('node', ${node}) ORDER BY ${order}) FROM ${rows}), '[]'::json))`;

/** Up to `first` accounts of business `b` that a grant lets the viewer see. */
const accountsOf = (first: number, v: Viewer) => sql`(SELECT pa.id, pa.rm, pa.bn15, pa.name FROM program_accounts pa
     WHERE pa.business_id = b.id AND EXISTS (SELECT 1 FROM ${grantsOn(v, sql`pa.id`)} WHERE g.program_account_id = pa.id AND ${grantAllows("g", "VIEW_PROGRAM_ACCOUNT")})
     ORDER BY pa.rm, pa.id LIMIT ${first}) a`;

/** The viewer's strongest role on account `a` (myRole). */
const roleOn = (v: Viewer) => sql`(SELECT g.role FROM ${grantsOn(v, sql`a.id`)} WHERE g.program_account_id = a.id ORDER BY array_position(${RANKED}, g.role) DESC NULLS LAST LIMIT 1)`;

/**
 * Up to `first` transactions of account `a`, newest release first, that a grant lets through: each
 * grant on the account reads its own page through the account's index with its rules (an account is
 * seen through one grant, or a few), then the account keeps its first `first`. With each, its total as
 * the viewer may see it (the API's totalDutiesAndTaxes): that of its latest ACCEPTED version a grant
 * lets through with the transaction (a version submitted by a business the rules hide never shows
 * its amount).
 */
const transactionsOf = (v: Viewer, first: number, extra: Sql = sql``) => sql`(
  SELECT DISTINCT ON (y.released_on, y.id) y.* FROM (
    SELECT t.id, t.transaction_number, t.released_on, t.submitted_by_business_id${extra}, tv.version_no, tv.total
      FROM ${grantsOn(v, sql`a.id`)}
      CROSS JOIN LATERAL (SELECT t.* FROM transactions t
                           WHERE t.program_account_id = a.id AND ${grantAllows("g", "VIEW_TRANSACTIONS")} AND ${grantLetsThrough("g", sql`t.submitted_by_business_id`)}
                           ORDER BY t.released_on DESC, t.id DESC LIMIT ${first}) t
      LEFT JOIN LATERAL (SELECT v.version_no, v.total_duties_and_taxes AS total FROM transaction_versions v
                          WHERE v.transaction_id = t.id AND v.status = 'ACCEPTED' AND ${grantLetsThrough("g", sql`v.submitted_by_business_id`)}
                          ORDER BY v.version_no DESC LIMIT 1) tv ON true
     WHERE g.program_account_id = a.id) y
  ORDER BY y.released_on DESC, y.id DESC, y.version_no DESC NULLS LAST LIMIT ${first}) t`;

const transactionNode = (extra: Sql = sql``) =>
  sql`json_build_object('transactionNumber', t.transaction_number, 'releasedOn', t.released_on::text, 'totalDutiesAndTaxes', t.total::text${extra})`;

/** The three pages, each one statement (the same selections as pages.ts's queries). */
export const statements: Record<string, (v: Viewer) => Sql> = {
  importer: (v) => sql`WITH root AS MATERIALIZED (
      SELECT b.id, b.bn9, b.legal_name FROM businesses b WHERE b.bn9 = '123456782' AND ${businessVisible(v)}),
    ${grantsOnRoot(v)}
    SELECT json_build_object('data', json_build_object('business', (
      SELECT json_build_object('bn9', b.bn9, 'legalName', b.legal_name, 'programAccounts', ${connection(
        sql`json_build_object('bn15', a.bn15, 'name', a.name, 'transactions', ${connection(
          transactionNode(sql`, 'submittedBy', json_build_object('legalName', (SELECT s.legal_name FROM businesses s WHERE s.id = t.submitted_by_business_id))`),
          sql`t.released_on DESC, t.id DESC`,
          transactionsOf(v, 20),
        )})`,
        sql`a.rm, a.id`,
        accountsOf(20, v),
      )}) FROM root b)))::text AS page`,
  broker: (v) => sql`WITH root AS MATERIALIZED (
      SELECT b.id, b.bn9, b.legal_name FROM businesses b WHERE ${businessVisible(v)} ORDER BY b.legal_name, b.id LIMIT 51),
    ${grantsOnRoot(v)}
    SELECT json_build_object('data', json_build_object('businesses', json_build_object(
      'edges', coalesce(json_agg(json_build_object('node', json_build_object('bn9', b.bn9, 'legalName', b.legal_name, 'programAccounts', ${connection(
        sql`json_build_object('bn15', a.bn15, 'name', a.name, 'myRole', ${roleOn(v)})`,
        sql`a.rm, a.id`,
        accountsOf(5, v),
      )})) ORDER BY b.legal_name, b.id), '[]'::json),
      'pageInfo', json_build_object('hasNextPage', (SELECT count(*) > 50 FROM root)))))::text AS page
      FROM (SELECT * FROM root ORDER BY legal_name, id LIMIT 50) b`,
  dashboard: (v) => sql`WITH root AS MATERIALIZED (
      SELECT b.id, b.bn9, b.legal_name FROM businesses b WHERE ${businessVisible(v)} ORDER BY b.legal_name, b.id LIMIT 50),
    ${grantsOnRoot(v)}
    SELECT json_build_object('data', json_build_object('businesses', json_build_object(
      'edges', coalesce(json_agg(json_build_object('node', json_build_object('bn9', b.bn9, 'legalName', b.legal_name, 'programAccounts', ${connection(
        sql`json_build_object('bn15', a.bn15, 'name', a.name, 'transactions', ${connection(transactionNode(), sql`t.released_on DESC, t.id DESC`, transactionsOf(v, 5))})`,
        sql`a.rm, a.id`,
        accountsOf(5, v),
      )})) ORDER BY b.legal_name, b.id), '[]'::json))))::text AS page
      FROM root b`,
};

export const statementOf = (page: PageCase): ((v: Viewer) => Sql) => statements[page.name.split(" ")[0]!]!;


