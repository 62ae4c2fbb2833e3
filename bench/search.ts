/**
 * `npm run bench:search -- [--clients 10000] [--runs 15] [--warmup 3]`: searching a broker's clients
 * by words of the legal name, trigram matching (pg_trgm, what the API uses) against full text search
 * (a GIN index of to_tsvector('simple', legal_name), built here for the comparison), and the
 * transaction orders and filters that read each row's amount as the viewer sees it.
 *
 * The world: Northern with N extra clients (world.ts: 3 program accounts and 60 transactions each),
 * their legal names made of words (23 x 29 x 5 combinations) so that a search finds a few, some
 * hundreds or none. Each request is erin's (Northern's BAM: the large book, every row checked by
 * her grants), read in process through the list the API reads (page of 25 and its totalCount),
 * after --warmup runs: the median and slowest of --runs, in ms. Embedded PostgreSQL in a temp dir.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { ObjectLiteral } from "typeorm";
import { withListPolicy } from "../src/auth/list-policy.js";
import { normaliseArgs } from "../src/common/cursor.js";
import { loadPages } from "../src/common/keyset.js";
import type { ListSpec } from "../src/common/lists.js";
import { freePort } from "../src/common/net.js";
import { OrderDirection } from "../src/common/order.js";
import { buildContext, type Context } from "../src/context.js";
import { createDataSource } from "../src/db/data-source.js";
import { startEmbeddedPostgres } from "../src/db/embedded.js";
import { createLogger } from "../src/logger.js";
import { fullTextMatch, trigramMatch, type NameMatcher } from "../src/modules/business/business.search.js";
import { businessList } from "../src/modules/business/business.service.js";
import { TransactionOrderField, transactionList, type TransactionFilter } from "../src/modules/transaction/transaction.service.js";
import { User } from "../src/modules/user/user.entity.js";
import { DEMO_BN, seedDemo } from "../src/seed/demo.js";
import { seedBrokerBook } from "./world.js";

const { values } = parseArgs({ options: { clients: { type: "string", default: "10000" }, runs: { type: "string", default: "15" }, warmup: { type: "string", default: "3" } } });
const clients = Number(values.clients);
const runs = Number(values.runs);
const warmup = Number(values.warmup);
const logger = createLogger("warn");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "carm-bench-search-"));
fs.chmodSync(tmp, 0o755);
const embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, "postgres"), port: await freePort(), database: "postgres", logger });
const db = createDataSource(embedded.url, logger);
await db.initialize();
await db.runMigrations({ transaction: "all" });
await seedDemo(db, logger);
const loaded = performance.now();
await seedBrokerBook(db, clients);
await db.query(
  `UPDATE businesses SET legal_name = (ARRAY['Aurora','Beacon','Cedar','Delta','Ember','Fjord','Granite','Harbour','Iron','Juniper','Kestrel','Lakeshore','Meridian',
           'Nordic','Osprey','Pioneer','Quarry','Ridge','Summit','Tundra','Union','Valley','Willow'])[n % 23 + 1]
        || ' ' || (ARRAY['Foods','Steel','Textiles','Windows','Doors','Lumber','Paper','Motors','Optics','Glass','Tools','Toys','Wines','Coffee','Tea','Spices',
           'Plastics','Cables','Marine','Pharma','Medical','Apparel','Footwear','Furniture','Lighting','Ceramics','Bicycles','Audio','Printing'])[(n / 23) % 29 + 1]
        || ' ' || (ARRAY['Inc.','Ltd.','Corp.','Co.','Trading Ltd.'])[n % 5 + 1]
     FROM (SELECT id, row_number() OVER (ORDER BY bn9)::int AS n FROM businesses WHERE legal_name LIKE 'Bench Client %') x WHERE x.id = businesses.id`,
);
await db.query(`CREATE INDEX businesses_legal_name_fts ON businesses USING gin (to_tsvector('simple', legal_name))`);
await db.query(`ANALYZE`);
console.error(`# ${clients} clients loaded in ${Math.round(performance.now() - loaded)} ms`);

const erin = await db.getRepository(User).findOneByOrFail({ username: "erin" });
const context = (): Promise<Context> => buildContext(db, logger, erin, "bench");

/** One page of 25 and its totalCount, as the API reads them. */
async function read<T extends ObjectLiteral & { id: string }>(spec: (ctx: Context) => Promise<ListSpec<T>>): Promise<{ rows: number; total: number }> {
  const ctx = await context();
  const page = (await loadPages({ db }, withListPolicy(ctx.access, await spec(ctx)), null, normaliseArgs({ first: 25 }))).get("root")!;
  return { rows: page.edges.length, total: await page.totalCount };
}

async function time<T extends ObjectLiteral & { id: string }>(request: Record<string, unknown>, spec: (ctx: Context) => Promise<ListSpec<T>>) {
  for (let i = 0; i < warmup; i++) await read(spec);
  const ms: number[] = [];
  let last = { rows: 0, total: 0 };
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = await read(spec);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(JSON.stringify({ ...request, clients, matched: last.total, median_ms: +ms[Math.floor(ms.length / 2)]!.toFixed(1), slowest_ms: +ms.at(-1)!.toFixed(1) }));
}

const matchers: Record<string, NameMatcher> = { trigram: trigramMatch, full_text: fullTextMatch };
const terms = ["cedar foods", "foods", "cedar foods inc", "harbour", "xylophone"];
for (const term of terms) {
  for (const [method, matcher] of Object.entries(matchers)) await time({ request: "businesses search", term, method }, (ctx) => businessList(ctx, term, null, matcher));
}
// Without the trigram index: what the index buys.
await db.query(`DROP INDEX businesses_legal_name_trgm`);
for (const term of ["cedar foods", "foods"]) await time({ request: "businesses search", term, method: "trigram, no index" }, (ctx) => businessList(ctx, term, null, trigramMatch));

// Transactions: orders and filters (erin sees 2/3 of 600,000 rows: her rules hide Coastal's).
const orders: [string, TransactionOrderField, OrderDirection][] = [
  ["release date (default)", TransactionOrderField.RELEASED_ON, OrderDirection.DESC],
  ["number", TransactionOrderField.TRANSACTION_NUMBER, OrderDirection.ASC],
  ["amount", TransactionOrderField.AMOUNT, OrderDirection.DESC],
];
for (const [name, field, direction] of orders) await time({ request: "transactions orderBy", order: name }, (ctx) => transactionList(ctx, null, { field, direction }));
const filters: [string, TransactionFilter][] = [
  ["number prefix (ASEC)", { transactionNumber: "90000000" }],
  ["submitter", { submitterBn9: DEMO_BN.northern }],
  ["status UNDER_REVIEW", { status: "UNDER_REVIEW" as TransactionFilter["status"] }],
  ["amount range", { amountMin: "1000.00", amountMax: "2000.00" }],
  ["amount range + account", { amountMin: "1000.00", amountMax: "2000.00", bn15: `${DEMO_BN.mapleLeaf}RM0001` }],
];
for (const [name, filter] of filters) await time({ request: "transactions filter", filter: name }, (ctx) => transactionList(ctx, filter));

await db.destroy();
await embedded.stop();
fs.rmSync(tmp, { recursive: true, force: true });
