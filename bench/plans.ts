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
 * second with nothing but PostgreSQL working. `--explain` prints each plan (planned for its values),
 * `--explain-generic` the generic plan PostgreSQL may keep for a prepared statement.
 *
 * `--grants-table`: the broker page with the grants computed from the tables (grants.ts's
 * definition, as every statement read them before the table), alternated with the same page reading
 * the maintained grants table (as the API reads them), and the page probing the table per account
 * instead of reading the viewer's grants once into the statement, two rounds each: what the table
 * changes in PostgreSQL, and which shape uses it best.
 *
 * `--compiled`: each page's statement as the planner writes it (src/planner) for its persona, checked
 * to be the API's answer byte for byte, then timed the same way (with `--explain`, its generic plan,
 * executed: the plan the API keeps).
 *
 * Options (after `--`): --clients 1000,10000  --runs 15  --seconds 4  --connections 8  --explain  --explain-generic  --print  --grants-table  --compiled
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { parse } from "graphql";
import { buildContext } from "../src/context.js";
import { createDataSource } from "../src/db/data-source.js";
import { User } from "../src/modules/user/user.entity.js";
import { compileOperation } from "../src/planner/planner.js";
import { statementOf as compiledStatementOf } from "../src/planner/statement.js";
import { buildAppSchema } from "../src/schema.js";
import { bindArraysOnce } from "../src/db/sql.js";
import { graphqlTarget, logger, openCluster, send, startApi } from "./harness.js";
import { pages } from "./pages.js";
import { statementOf, viewerOf } from "./single-statement.js";
import { median } from "./stats.js";
import { buildWorld } from "./world.js";

const { values: opts } = parseArgs({
  options: {
    clients: { type: "string", default: "1000,10000" },
    runs: { type: "string", default: "15" },
    seconds: { type: "string", default: "4" },
    connections: { type: "string", default: "8" },
    explain: { type: "boolean", default: false },
    "explain-generic": { type: "boolean", default: false },
    print: { type: "boolean", default: false },
    "grants-table": { type: "boolean", default: false },
    compiled: { type: "boolean", default: false },
  },
});

/**
 * `connections` clients running the statement for `seconds`: statements per second. `name`: as a
 * named prepared statement (PostgreSQL may keep a generic plan after five executions,
 * plan_cache_mode auto); without: unnamed, planned for its values every time.
 */
async function throughput(url: string, name: string | undefined, text: string, values: unknown[], connections: number, seconds: number): Promise<number> {
  const statement = name ? { name, text, values } : { text, values };
  const clients = await Promise.all(Array.from({ length: connections }, async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    for (let i = 0; i < 6; i++) await c.query(statement); // past plan_cache_mode=auto's five custom plans
    return c;
  }));
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(clients.map(async (c) => {
    while (performance.now() < until) {
      await c.query(statement);
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
    const viewer = await viewerOf(ds, page.persona);
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
    const planned = await throughput(url, undefined, text, values, Number(opts.connections), Number(opts.seconds));
    const kept = await throughput(url, `plan_${dbName}_${page.name.split(" ")[0]}`, text, values, Number(opts.connections), Number(opts.seconds));
    out(
      `${page.name}: same rows as the API; ${Math.round(rows[0].page.length / 100) / 10} KB; planning ${median(planning).toFixed(2)} ms, execution ${median(execution).toFixed(2)} ms (EXPLAIN ANALYZE, median of ${runs}); ` +
        `with ${opts.connections} connections: ${Math.round(planned)} statements/s planned each time, ${Math.round(kept)}/s as a named prepared statement (plan_cache_mode auto)`,
    );
    if (opts.explain) for (const line of plan) out(`    ${line}`);
    if (opts["explain-generic"]) {
      // EXPLAIN with the values left as parameters: the plan a prepared statement keeps (PostgreSQL 16+).
      const { rows: generic } = await client.query(`EXPLAIN (GENERIC_PLAN) ${text}`);
      out(`  generic plan:`);
      for (const l of generic) out(`    ${l["QUERY PLAN"]}`);
    }
  }
  if (opts.compiled) {
    // The planner's statement for each page (src/planner), as the API sends it: the same answer, its timings.
    const { schema } = await buildAppSchema();
    for (const page of pages) {
      const user = await ds.getRepository(User).findOneByOrFail({ username: page.persona });
      const ctx = await buildContext(ds, logger, user, "plans");
      const compiled = compileOperation(schema, parse(page.query), null);
      if (!compiled.plan) throw new Error(`${page.name}: not compiled (${compiled.reason})`);
      const statement = await compiledStatementOf(compiled.plan.shape, ctx, {});
      const { text, values } = bindArraysOnce(statement!);
      if (opts.print) out(`\n-- compiled: ${page.name}\n${text}\n-- values: ${JSON.stringify(values)}`);
      const apiAnswer = await send(graphqlTarget(api.url, page.query, await cluster.sign(page.persona)));
      const { rows } = await client.query(text, values);
      if (`{"data":${rows[0].data}}` !== JSON.stringify(apiAnswer.json)) throw new Error(`${page.name}: the compiled statement's answer is not the API's`);
      const planning: number[] = [];
      const execution: number[] = [];
      for (let i = 0; i < runs; i++) {
        const { rows: lines } = await client.query(`EXPLAIN (ANALYZE, TIMING OFF, BUFFERS OFF, SUMMARY ON) ${text}`, values);
        const plan = lines.map((l) => l["QUERY PLAN"] as string).join("\n");
        planning.push(Number(/Planning Time: ([\d.]+)/.exec(plan)?.[1]));
        execution.push(Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1]));
      }
      const kept = await throughput(url, `compiled_${dbName}_${page.name.split(" ")[0]}`, text, values, Number(opts.connections), Number(opts.seconds));
      out(`compiled ${page.name}: the API's answer; planning ${median(planning).toFixed(2)} ms, execution ${median(execution).toFixed(2)} ms; ${Math.round(kept)} statements/s kept`);
      if (opts.explain) {
        await client.query(`PREPARE compiled_explain AS ${text}`);
        await client.query(`SET plan_cache_mode = force_generic_plan`);
        const literal = (v: unknown) => (v === null ? "NULL" : `'${(Array.isArray(v) ? `{${v.join(",")}}` : v instanceof Date ? v.toISOString() : String(v)).replaceAll("'", "''")}'`);
        const { rows: lines } = await client.query(`EXPLAIN (ANALYZE, BUFFERS OFF) EXECUTE compiled_explain(${values.map(literal).join(", ")})`);
        for (const l of lines) out(`    ${l["QUERY PLAN"]}`);
        await client.query(`RESET plan_cache_mode; DEALLOCATE compiled_explain`);
      }
    }
  }
  if (opts["grants-table"]) {
    const page = pages.find((p) => p.name.startsWith("broker"))!;
    const viewer = await viewerOf(ds, page.persona);
    const viaRelation = bindArraysOnce(statementOf(page)({ ...viewer, fromScratch: true }));
    const viaTable = bindArraysOnce(statementOf(page)(viewer));
    const probed = bindArraysOnce(statementOf(page)({ ...viewer, probe: true }));
    const answers = await Promise.all([viaRelation, viaTable, probed].map(async (x) => (await client.query(x.text, x.values)).rows[0].page));
    if (new Set(answers).size !== 1) throw new Error(`broker page from the grants table: not the same answer`);
    const rates: string[] = [];
    for (let round = 0; round < 2; round++) {
      const r = [];
      for (const [k, x] of [viaRelation, viaTable, probed].entries()) r.push(await throughput(url, `grants_${k}_${round}`, x.text, x.values, Number(opts.connections), Number(opts.seconds)));
      rates.push(r.map((x) => Math.round(x)).join(" / "));
    }
    out(`broker page, statements/s with ${opts.connections} connections, plan kept, two rounds (same answer): grants computed from the tables once / the table's rows read once / the table probed per row: ${rates.join(", ")}`);
  }
  await client.end();
  await ds.destroy();
  await api.stop();
  await cluster.admin.query(`DROP DATABASE "${dbName}" WITH (FORCE)`);
}
await cluster.close();
