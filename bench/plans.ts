/**
 * `npm run bench:plans`: each benchmark page as one SQL statement, written by hand, with the portal's
 * grants joined: what a planner compiling an operation to a single statement would send. It is the
 * target of that work, measured in PostgreSQL alone.
 *
 * Each statement has PostGraphile's shape (the root page, then each nested page under its parent,
 * aggregated to JSON by PostgreSQL) and the API's rules: the grants relation of src/auth/grants.ts,
 * restricted to the page's businesses once (a MATERIALIZED CTE, like the API's drivers), and the
 * role x action table (grantAllows) and visibility rules (transactionRules) applied per row, exactly
 * as the API's statements apply them. It answers the JSON the API answers (`data`, edges, nodes).
 *
 * For each book size: the API is started on the world and each statement's answer must have the
 * API's rows (the page's digest, pages.ts); then the statement is timed with EXPLAIN ANALYZE (planning
 * and execution, median of `--runs`) and, as a named prepared statement (its plan kept, as a
 * compiled operation's would be), run by `--connections` connections for `--seconds`: statements per
 * second with nothing but PostgreSQL working. `--explain` prints each plan.
 *
 * Options (after `--`): --clients 1000,10000  --runs 15  --seconds 4  --connections 8  --explain  --print
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { Access, transactionRules } from "../src/auth/access.js";
import { grantAllows, grantsSql, type GrantPath } from "../src/auth/grants.js";
import { createDataSource } from "../src/db/data-source.js";
import { bindArraysOnce, raw, sql, uuids, type Sql } from "../src/db/sql.js";
import { graphqlTarget, logger, openCluster, send, startApi } from "./harness.js";
import { pages, type PageCase } from "./pages.js";
import { median } from "./stats.js";
import { buildWorld } from "./world.js";

const { values: opts } = parseArgs({
  options: {
    clients: { type: "string", default: "1000,10000" },
    runs: { type: "string", default: "15" },
    seconds: { type: "string", default: "4" },
    connections: { type: "string", default: "8" },
    explain: { type: "boolean", default: false },
    print: { type: "boolean", default: false },
  },
});

interface Viewer {
  id: string;
  own: string[];
  paths: GrantPath[] | undefined;
  now: Date;
}

/** The strongest of a set of roles (the policy's ranking: policy.ts). */
const RANKED = sql`ARRAY['EXPIRED', 'READER', 'EDITOR', 'PAM', 'BAM']::text[]`;

/** Businesses the viewer reaches (businessList's condition): their own, and clients whose profile a provider grant shows. */
const businessVisible = (v: Viewer) => sql`(b.id = ANY(${uuids(v.own)}) OR EXISTS (
    SELECT 1 FROM (${grantsSql({ now: v.now, user: v.id, business: sql`b.id`, paths: ["RELATIONSHIP"] })}) g WHERE ${grantAllows("g", "VIEW_BUSINESS_PROFILE")}))`;

/** The viewer's grants on the page's businesses' accounts, once for the statement (the API's drivers). */
const grantsOnRoot = (v: Viewer) => sql`grants AS MATERIALIZED (SELECT g.* FROM (${grantsSql({ now: v.now, user: v.id, businesses: sql`ARRAY(SELECT id FROM root)`, paths: v.paths })}) g)`;

/** Up to `first` accounts of each root business that a grant lets the viewer see. */
const accountsOfRoot = (first: number) => sql`accounts AS MATERIALIZED (
  SELECT x.* FROM root b CROSS JOIN LATERAL (
    SELECT pa.id, pa.business_id, pa.rm, pa.bn15, pa.name FROM program_accounts pa
     WHERE pa.business_id = b.id AND pa.id IN (SELECT g.program_account_id FROM grants g WHERE ${grantAllows("g", "VIEW_PROGRAM_ACCOUNT")})
     ORDER BY pa.rm, pa.id LIMIT ${first}) x)`;

/** The viewer's strongest role on each account (myRole), from the same grants. */
const rolesOfAccounts = sql`roles AS (SELECT g.program_account_id, (array_agg(g.role ORDER BY array_position(${RANKED}, g.role) DESC NULLS LAST))[1] AS role
  FROM grants g WHERE g.program_account_id IN (SELECT id FROM accounts) GROUP BY 1)`;

/**
 * Up to `first` transactions of each account, newest release first, that the viewer's grants let
 * through: each grant on an account reads its own page through the account's index with its rules
 * (an account is seen through one grant, or a few), then each account keeps its first `first`.
 */
const transactionsOfAccounts = (first: number) => sql`txns AS MATERIALIZED (
  SELECT * FROM (
    SELECT u.*, row_number() OVER (PARTITION BY u.program_account_id ORDER BY u.released_on DESC, u.id DESC) AS rn FROM (
      SELECT DISTINCT x.* FROM grants g CROSS JOIN LATERAL (
        SELECT t.id, t.program_account_id, t.transaction_number, t.released_on, t.total_duties_and_taxes, t.submitted_by_business_id
          FROM transactions t
         WHERE t.program_account_id = g.program_account_id AND ${transactionRules("g", "t")}
         ORDER BY t.released_on DESC, t.id DESC LIMIT ${first}) x
       WHERE g.program_account_id IN (SELECT id FROM accounts)) u) v
   WHERE v.rn <= ${first})`;

/** Each level's edges as JSON, aggregated once per parent (grouped, then joined by hash: no per-row scans). */
const transactionEdges = (node: Sql) => sql`txn_edges AS (
  SELECT t.program_account_id, json_agg(json_build_object('node', ${node}) ORDER BY t.released_on DESC, t.id DESC) AS edges FROM txns t GROUP BY 1)`;
const accountEdges = (node: Sql) => sql`account_edges AS (
  SELECT a.business_id, json_agg(json_build_object('node', ${node}) ORDER BY a.rm, a.id) AS edges FROM accounts a
    LEFT JOIN txn_edges te ON te.program_account_id = a.id LEFT JOIN roles r ON r.program_account_id = a.id GROUP BY 1)`;
const none = sql`SELECT NULL::uuid AS program_account_id, NULL::json AS edges WHERE false`;
const connection = (edges: string) => sql`json_build_object('edges', coalesce(${raw(edges)}, '[]'::json))`;

const txnNode = sql`json_build_object('transactionNumber', t.transaction_number, 'releasedOn', t.released_on::text, 'totalDutiesAndTaxes', t.total_duties_and_taxes::text)`;

/** The three pages, each one statement (the same selections as pages.ts's queries). */
const statements: Record<string, (v: Viewer) => Sql> = {
  importer: (v) => sql`WITH root AS MATERIALIZED (
      SELECT b.id, b.bn9, b.legal_name FROM businesses b WHERE b.bn9 = '123456782' AND ${businessVisible(v)}),
    ${grantsOnRoot(v)}, ${accountsOfRoot(20)}, ${rolesOfAccounts}, ${transactionsOfAccounts(20)},
    ${transactionEdges(sql`json_build_object('transactionNumber', t.transaction_number, 'releasedOn', t.released_on::text, 'totalDutiesAndTaxes', t.total_duties_and_taxes::text,
        'submittedBy', json_build_object('legalName', (SELECT s.legal_name FROM businesses s WHERE s.id = t.submitted_by_business_id)))`)},
    ${accountEdges(sql`json_build_object('bn15', a.bn15, 'name', a.name, 'transactions', ${connection("te.edges")})`)}
    SELECT json_build_object('data', json_build_object('business', (
      SELECT json_build_object('bn9', b.bn9, 'legalName', b.legal_name, 'programAccounts', ${connection("ae.edges")})
        FROM root b LEFT JOIN account_edges ae ON ae.business_id = b.id)))::text AS page`,
  broker: (v) => sql`WITH root AS MATERIALIZED (
      SELECT b.id, b.bn9, b.legal_name FROM businesses b WHERE ${businessVisible(v)} ORDER BY b.legal_name, b.id LIMIT 51),
    ${grantsOnRoot(v)}, ${accountsOfRoot(5)}, ${rolesOfAccounts}, txn_edges AS (${none}),
    ${accountEdges(sql`json_build_object('bn15', a.bn15, 'name', a.name, 'myRole', r.role)`)}
    SELECT json_build_object('data', json_build_object('businesses', json_build_object(
      'edges', coalesce(json_agg(json_build_object('node', json_build_object('bn9', b.bn9, 'legalName', b.legal_name, 'programAccounts', ${connection("ae.edges")}))
                 ORDER BY b.legal_name, b.id), '[]'::json),
      'pageInfo', json_build_object('hasNextPage', (SELECT count(*) > 50 FROM root)))))::text AS page
      FROM (SELECT * FROM root ORDER BY legal_name, id LIMIT 50) b LEFT JOIN account_edges ae ON ae.business_id = b.id`,
  dashboard: (v) => sql`WITH root AS MATERIALIZED (
      SELECT b.id, b.bn9, b.legal_name FROM businesses b WHERE ${businessVisible(v)} ORDER BY b.legal_name, b.id LIMIT 50),
    ${grantsOnRoot(v)}, ${accountsOfRoot(5)}, ${rolesOfAccounts}, ${transactionsOfAccounts(5)}, ${transactionEdges(txnNode)},
    ${accountEdges(sql`json_build_object('bn15', a.bn15, 'name', a.name, 'transactions', ${connection("te.edges")})`)}
    SELECT json_build_object('data', json_build_object('businesses', json_build_object(
      'edges', coalesce(json_agg(json_build_object('node', json_build_object('bn9', b.bn9, 'legalName', b.legal_name, 'programAccounts', ${connection("ae.edges")}))
                 ORDER BY b.legal_name, b.id), '[]'::json))))::text AS page
      FROM root b LEFT JOIN account_edges ae ON ae.business_id = b.id`,
};

const statementOf = (page: PageCase) => statements[page.name.split(" ")[0]!]!;

/** `connections` clients running `text` as a named prepared statement for `seconds`: statements per second. */
async function throughput(url: string, name: string, text: string, values: unknown[], connections: number, seconds: number): Promise<number> {
  const clients = await Promise.all(Array.from({ length: connections }, async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    for (let i = 0; i < 6; i++) await c.query({ name, text, values }); // past plan_cache_mode=auto's five custom plans
    return c;
  }));
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(clients.map(async (c) => {
    while (performance.now() < until) {
      await c.query({ name, text, values });
      done++;
    }
  }));
  const rate = done / ((performance.now() - started) / 1000);
  await Promise.all(clients.map((c) => c.end()));
  return rate;
}

const cluster = await openCluster();
const out = (line = "") => console.log(line);
const runs = Number(opts.runs);
for (const clients of opts.clients!.split(",").map(Number)) {
  const dbName = `carm_plans_${clients}_${process.pid}`;
  const url = await buildWorld(cluster.admin, cluster.adminUrl, dbName, clients, logger);
  const api = await startApi(cluster, url);
  const ds = createDataSource(url, logger);
  await ds.initialize();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  out(`\n=== ${clients.toLocaleString("en-US")} clients ===`);
  for (const page of pages) {
    const [user] = await ds.query(`SELECT id, platform_role FROM users WHERE username = $1`, [page.persona]);
    const now = new Date();
    const access = await Access.load(ds, { id: user.id, platformRole: user.platform_role }, now);
    const viewer: Viewer = { id: user.id, own: [...access.memberships.keys()], paths: access.actsForClients ? undefined : ["BAM", "PROGRAM_ROLE"], now };
    const { text, values } = bindArraysOnce(statementOf(page)(viewer));
    if (opts.print) out(`\n-- ${page.name}\n${text}\n-- values: ${JSON.stringify(values)}`);

    // The same rows as the API's answer.
    const apiAnswer = await send(graphqlTarget(api.url, page.query, await cluster.sign(page.persona)));
    const { rows } = await client.query(text, values);
    const mine = JSON.parse(rows[0].page);
    const same = JSON.stringify(page.digest(mine)) === JSON.stringify(page.digest(apiAnswer.json));
    const sameRoles = !page.name.startsWith("broker") || JSON.stringify(mine.data.businesses.edges.map((e: any) => e.node.programAccounts.edges.map((x: any) => x.node.myRole))) === JSON.stringify(apiAnswer.json.data.businesses.edges.map((e: any) => e.node.programAccounts.edges.map((x: any) => x.node.myRole)));
    if (!same || !sameRoles) throw new Error(`${page.name} at ${clients} clients: the statement's rows are not the API's\nstatement: ${JSON.stringify(page.digest(mine)).slice(0, 300)}\nAPI:       ${JSON.stringify(page.digest(apiAnswer.json)).slice(0, 300)}`);

    // Planning and execution, EXPLAIN ANALYZE (timing per node off: its overhead is not the statement's).
    const planning: number[] = [];
    const execution: number[] = [];
    let plan: string[] = [];
    for (let i = 0; i < runs; i++) {
      const { rows: lines } = await client.query(`EXPLAIN (ANALYZE, TIMING OFF, BUFFERS OFF, SUMMARY ON) ${text}`, values);
      plan = lines.map((l) => l["QUERY PLAN"] as string);
      planning.push(Number(/Planning Time: ([\d.]+)/.exec(plan.join("\n"))?.[1]));
      execution.push(Number(/Execution Time: ([\d.]+)/.exec(plan.join("\n"))?.[1]));
    }
    const rate = await throughput(url, `plan_${dbName}_${page.name.split(" ")[0]}`, text, values, Number(opts.connections), Number(opts.seconds));
    out(
      `${page.name}: same rows as the API; ${Math.round(rows[0].page.length / 100) / 10} KB; planning ${median(planning).toFixed(2)} ms, execution ${median(execution).toFixed(2)} ms (EXPLAIN ANALYZE, median of ${runs}); ` +
        `${Math.round(rate)} statements/s with ${opts.connections} connections (a named prepared statement, plan_cache_mode auto)`,
    );
    if (opts.explain) for (const line of plan) out(`    ${line}`);
  }
  await client.end();
  await ds.destroy();
  await api.stop();
  await cluster.admin.query(`DROP DATABASE "${dbName}" WITH (FORCE)`);
}
await cluster.close();
