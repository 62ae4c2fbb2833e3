import { execute, parse } from "graphql";
import { buildContext } from "../src/context.js";
import { createDataSource } from "../src/db/data-source.js";
import { createLogger } from "../src/logger.js";
import { User } from "../src/modules/user/user.entity.js";
import { buildAppSchema } from "../src/schema.js";
import { cases } from "./pages.js";
const logger = createLogger("warn");
const db = createDataSource(process.argv[2]!, logger);
await db.initialize();
const { schema, raw } = await buildAppSchema();
const c = cases.find((x) => x.name.includes(process.argv[3] ?? "importer"))!;
const n = Number(process.argv[4] ?? 200);
const user = await db.getRepository(User).findOneByOrFail({ username: c.persona });
const doc = parse(c.query);
for (const [name, s] of [["app", schema], ["raw", raw]] as const) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const ctx = await buildContext(db, logger, user, "p");
    const r = await execute({ schema: s, document: doc, contextValue: ctx });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(name, c.name, "median", times[n >> 1]!.toFixed(1), "p90", times[Math.floor(n * 0.9)]!.toFixed(1));
}
await db.destroy();
