/**
 * `npm run bench:grants`: what keeping the grants table costs the writes that change its inputs, on a
 * broker's book of `--clients` importers (bench/world.ts). Each write runs in its own transaction,
 * `--runs` times (alternately done and undone, so the world stays the same), once with the table kept
 * by its triggers and once with them disabled (what the same write cost before the table); the
 * median of each, in milliseconds, statement and COMMIT.
 *
 * Options (after `--`): --clients 1000,10000  --runs 21
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { DEMO_BN } from "../src/seed/demo.js";
import { logger, openCluster } from "./harness.js";
import { median } from "./stats.js";
import { buildWorld } from "./world.js";

const { values: opts } = parseArgs({
  options: { clients: { type: "string", default: "1000,10000" }, runs: { type: "string", default: "21" } },
});

/** The tables whose triggers keep the grants (migrations/1796701930690-GrantsTable.ts). */
const TABLES = ["business_memberships", "program_roles", "program_accounts", "relationships", "relationship_program_accounts", "client_groups", "client_group_clients", "client_group_assignments"];

const cluster = await openCluster();
const out = (line = "") => console.log(line);
for (const clients of opts.clients!.split(",").map(Number)) {
  const dbName = `carm_grants_${clients}_${process.pid}`;
  const url = await buildWorld(cluster.admin, cluster.adminUrl, dbName, clients, logger);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const one = async (text: string, values: unknown[] = []) => (await c.query(text, values)).rows[0];
  const northern = (await one(`SELECT id FROM businesses WHERE bn9 = $1`, [DEMO_BN.northern])).id;
  const frank = (await one(`SELECT id FROM users WHERE username = 'frank'`)).id;
  const group = (await one(`SELECT id FROM client_groups WHERE name = 'Ontario manufacturers'`)).id;
  const bench = (await one(`SELECT r.id, r.client_business_id FROM relationships r JOIN businesses b ON b.id = r.client_business_id WHERE b.bn9 LIKE '3%' ORDER BY b.bn9 LIMIT 1`));
  const rows = async () => Number((await one(`SELECT count(*) AS n FROM grant_paths`)).n);
  out(`\n=== ${clients.toLocaleString("en-US")} clients (grants table: ${(await rows()).toLocaleString("en-US")} rows) ===`);

  // [what, the write, its undoing]: each leaves the world as it found it after both.
  const writes: [string, string, string, unknown[]][] = [
    ["a relationship's role changed by its client (3 accounts, Northern's BAM)", `UPDATE relationships SET role = 'READER' WHERE id = $1`, `UPDATE relationships SET role = 'EDITOR' WHERE id = $1`, [bench.id]],
    ["a relationship revoked, and restored", `UPDATE relationships SET status = 'REVOKED' WHERE id = $1`, `UPDATE relationships SET status = 'ACTIVE' WHERE id = $1`, [bench.id]],
    ["a program account opened for a client of Northern", `INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT $1, 'RM0099', bn9 || 'RM0099', 'x' FROM businesses WHERE id = $1`, `DELETE FROM program_accounts WHERE business_id = $1 AND rm = 'RM0099'`, [bench.client_business_id]],
    ["frank (an employee in one group) leaves Northern, and comes back", `UPDATE business_memberships SET status = 'REMOVED' WHERE user_id = $1 AND business_id = $2`, `UPDATE business_memberships SET status = 'ACTIVE' WHERE user_id = $1 AND business_id = $2`, [frank, northern]],
    ["a client added to frank's group", `INSERT INTO client_group_clients (group_id, client_business_id) VALUES ($1, $2)`, `DELETE FROM client_group_clients WHERE group_id = $1 AND client_business_id = $2`, [group, bench.client_business_id]],
    [`frank made Northern's BAM (every client: ${clients * 3 + 6} accounts), and not`, `UPDATE business_memberships SET is_bam = true WHERE user_id = $1 AND business_id = $2`, `UPDATE business_memberships SET is_bam = false WHERE user_id = $1 AND business_id = $2`, [frank, northern]],
  ];
  for (const [what, doIt, undo, values] of writes) {
    const timed: Record<"kept" | "off", number[][]> = { kept: [[], []], off: [[], []] };
    for (const mode of ["kept", "off"] as const) {
      if (mode === "off") for (const t of TABLES) await c.query(`ALTER TABLE ${t} DISABLE TRIGGER USER`);
      for (let i = 0; i < Number(opts.runs); i++) {
        for (const [k, text] of [doIt, undo].entries()) {
          const started = performance.now();
          await c.query("BEGIN");
          await c.query(text, values);
          await c.query("COMMIT");
          timed[mode][k]!.push(performance.now() - started);
        }
      }
      if (mode === "off") for (const t of TABLES) await c.query(`ALTER TABLE ${t} ENABLE TRIGGER USER`);
    }
    const f = (xs: number[]) => median(xs).toFixed(2);
    out(`${what}: ${f(timed.kept[0]!)} / ${f(timed.kept[1]!)} ms kept, ${f(timed.off[0]!)} / ${f(timed.off[1]!)} ms without the triggers (write / undo, median of ${opts.runs})`);
  }
  const check = await one(`SELECT count(*) AS n FROM ((SELECT * FROM grant_paths EXCEPT ALL SELECT * FROM grant_paths_from_inputs) UNION ALL (SELECT * FROM grant_paths_from_inputs EXCEPT ALL SELECT * FROM grant_paths)) d`);
  out(`(the table after these writes: ${check.n} rows differ from the relation computed from the tables)`);
  await c.end();
  await cluster.admin.query(`DROP DATABASE "${dbName}" WITH (FORCE)`);
}
await cluster.close();
