/**
 * `npm run bench:profile -- <DATABASE_URL of a bench world> [case name part]`: where a page's time
 * goes, in process (no HTTP): for each benchmark page, the Node CPU time per request and the
 * throughput of 8 concurrent executions, then the SQL statements of one execution with their times.
 * Point it at a database that `npm run bench` would build (or any database with the demo world and
 * `seedBrokerBook` applied). Operations run compiled, as the server runs them once seen
 * (`--interpreted`: by graphql-js). `--explain` also prints each statement's plan (EXPLAIN ANALYZE). Pair it
 * with `node --cpu-prof` for a flame graph.
 */
import { execute, parse } from "graphql";
import { compileQuery, isCompiledQuery } from "graphql-jit";
import { buildContext } from "../src/context.js";
import { createDataSource } from "../src/db/data-source.js";
import { createLogger } from "../src/logger.js";
import { User } from "../src/modules/user/user.entity.js";
import { buildAppSchema } from "../src/schema.js";
import { pages as cases } from "./pages.js";

const args = process.argv.slice(2);
const explain = args.includes("--explain");
// As the server runs a repeated operation: compiled (src/http/executor.ts); --interpreted: graphql-js.
const interpreted = args.includes("--interpreted");
const [url, only] = args.filter((a) => !a.startsWith("--"));
if (!url) {
  console.error("usage: npm run bench:profile -- <DATABASE_URL> [case name part]");
  process.exit(2);
}
const logger = createLogger("warn");
const db = createDataSource(url, logger);
await db.initialize();
const { schema } = await buildAppSchema();

const statements: { ms: number; text: string; params?: unknown[] }[] = [];
const original = db.query.bind(db);
(db as unknown as { query: typeof db.query }).query = async (q: string, params?: unknown[]) => {
  const started = performance.now();
  try {
    return await original(q, params);
  } finally {
    const text = typeof q === "string" ? q : (q as { text: string }).text;
    statements.push({ ms: performance.now() - started, text, params });
  }
};

for (const c of cases.filter((x) => !only || x.name.includes(only))) {
  const user = await db.getRepository(User).findOneByOrFail({ username: c.persona });
  const document = parse(c.query);
  const compiled = compileQuery(schema, document);
  if (!isCompiledQuery(compiled)) throw new Error(`${c.name}: ${JSON.stringify(compiled.errors)}`);
  const run = async () => {
    const contextValue = await buildContext(db, logger, user, "profile");
    const result = interpreted ? await execute({ schema, document, contextValue }) : await compiled.query(undefined, contextValue, {});
    if (result.errors) throw new Error(JSON.stringify(result.errors));
  };
  for (let i = 0; i < 20; i++) await run(); // warm-up: plans, JIT
  const n = 200;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let i = 0; i < n / 8; i++) await run();
  }));
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - started;
  statements.length = 0;
  await run();
  console.log(`\n${c.name} (as ${c.persona}): Node CPU ${((used.user + used.system) / 1000 / n).toFixed(2)} ms/request, ${((n / wall) * 1000).toFixed(0)} requests/s with 8 at a time`);
  for (const s of [...statements]) {
    console.log(`  ${s.ms.toFixed(1).padStart(6)} ms  ${s.text.replace(/\s+/g, " ").slice(0, 110)}`);
    if (explain) {
      const plan: { "QUERY PLAN": string }[] = await original(`EXPLAIN (ANALYZE, BUFFERS OFF) ${s.text}`, s.params);
      for (const line of plan) console.log(`            ${line["QUERY PLAN"]}`);
    }
  }
}
await db.destroy();
