/** Writes schema.graphql from the code (npm run schema:emit). A test fails when the committed file is stale. */
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../config.js";
import { buildRawSchema, printSdl } from "../schema.js";

const file = path.join(projectRoot, "schema.graphql");
fs.writeFileSync(file, printSdl(await buildRawSchema()));
console.log(`Wrote ${path.relative(process.cwd(), file) || file}`);
