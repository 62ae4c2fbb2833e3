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
const { schema } = await buildAppSchema();
for (const c of cases) {
  const user = await db.getRepository(User).findOneByOrFail({ username: c.persona });
  const doc = parse(c.query);
  for (let i = 0; i < 20; i++) await execute({ schema, document: doc, contextValue: await buildContext(db, logger, user, "w") });
  const n = 100;
  const cpu0 = process.cpuUsage(); const t0 = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => { for (let i = 0; i < n / 8; i++) { const r = await execute({ schema, document: doc, contextValue: await buildContext(db, logger, user, "w") }); if (r.errors) throw new Error(JSON.stringify(r.errors)); } }));
  const cpu = process.cpuUsage(cpu0); const wall = performance.now() - t0;
  console.log(c.name.padEnd(60), "node cpu/request", ((cpu.user + cpu.system) / 1000 / n).toFixed(2), "ms", "  throughput", (n / wall * 1000).toFixed(0), "rps");
}
await db.destroy();
