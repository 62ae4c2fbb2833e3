/**
 * PostGraphile v5 (amber preset) serving the benchmark's pages from the same database as the API:
 * the yardstick `npm run bench` measures the API against. Started and stopped by bench/load.ts as a
 * process of its own: `node dist/bench/postgraphile.js` with DATABASE_URL and PORT; it tells its
 * parent "ready" once it listens.
 *
 * PostGraphile has no notion of the portal's rules: no sign-in, no roles, no grants, no field rules.
 * What it is given is the data that decides which rows these pages hold (schema
 * `postgraphile_bench`, installed by `installPostGraphileFunctions`, see pages.ts for why):
 * a broker's clients through the relationships table, and the transactions a relationship's
 * visibility flags let its provider see. Everything else it plans itself from the tables, as a
 * team using it would have it do.
 */
import http from "node:http";

// PostGraphile 5 targets Node 22 and calls Promise.withResolvers (Node 22+): on Node 20 it must exist
// before PostGraphile's modules load, hence the dynamic imports below.
const promise = Promise as unknown as { withResolvers?: () => unknown };
promise.withResolvers ??= () => {
  let resolve!: (value: unknown) => void;
  let reject!: (reason: unknown) => void;
  const p = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise: p, resolve, reject };
};

const { postgraphile } = await import("postgraphile");
const { PostGraphileAmberPreset } = await import("postgraphile/presets/amber");
const { makePgService } = await import("postgraphile/adaptors/pg");
const { grafserv } = await import("postgraphile/grafserv/node");
const { pgSmartTags } = await import("postgraphile/utils");

const connectionString = process.env.DATABASE_URL;
const port = Number(process.env.PORT);
if (!connectionString || !port) throw new Error("bench/postgraphile.js needs DATABASE_URL and PORT");

// The tables the pages read; the portal's other tables are left out of PostGraphile's schema (some of
// their names collide with enum types' in its naming, and the pages do not need them).
const TABLES = new Set(["businesses", "program_accounts", "transactions"]);

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  plugins: [pgSmartTags([{ kind: "class", match: (c) => c.getNamespace()?.nspname === "public" && !TABLES.has(c.relname), tags: { behavior: "-*" } }])],
  pgServices: [makePgService({ connectionString, schemas: ["public", "postgraphile_bench"], poolConfig: { max: 10 } })],
  grafserv: { port, graphqlPath: "/graphql", graphiql: false, watch: false },
  grafast: { explain: process.env.POSTGRAPHILE_EXPLAIN === "on" },
});
const serv = pgl.createServ(grafserv);
const server = http.createServer();
await serv.addTo(server, false);
server.listen(port, "127.0.0.1", () => process.send?.("ready"));
process.on("SIGTERM", () => {
  server.close();
  void Promise.resolve(pgl.release()).then(() => process.exit(0));
});
