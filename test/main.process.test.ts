/**
 * The real entry point, as `npm start` runs it: embedded PostgreSQL in its data directory,
 * migrations, the demo seed once, the event bus, the job runner, the server; SIGTERM drains and
 * stops everything in order (HTTP, jobs, event bus, pool, PostgreSQL); a second start reuses the
 * data without seeding again, and JOBS=off keeps the job runner out of a process.
 */
import { spawn, execSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "./support/net.js";
import { DEFAULT_COST_BUDGET } from "../src/config.js";

const MAIN = path.join(import.meta.dirname, "..", "dist", "src", "main.js");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "carm-main-"));
fs.chmodSync(dataDir, 0o755);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function start(pgPort: number, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; lines: string[] }> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, NODE_ENV: "development", PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), DATABASE_URL: "", LOG_LEVEL: "info", JOBS: "", SMTP_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line:\n${lines.join("\n")}`)), 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        lines.push(line);
        if (line.includes('"msg":"listening"')) {
          clearTimeout(timer);
          resolve(JSON.parse(line).graphql.replace(/\/graphql$/, ""));
        }
      }
    });
    child.on("exit", (code) => reject(new Error(`exited early with ${code}:\n${lines.join("\n")}`)));
  });
  return { child, url, lines };
}

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    child.on("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });

const postgresRunning = () => {
  try {
    // "[p]" keeps the pattern from matching the shell that runs pgrep.
    return execSync(`pgrep -f "[p]ostgres -D ${dataDir}"`).toString().trim().length > 0;
  } catch {
    return false;
  }
};

describe("npm start", () => {
  it("starts on embedded PostgreSQL with the demo world, and SIGTERM stops it all", { timeout: 90_000 }, async () => {
    const pgPort = await freePort();
    const first = await start(pgPort);
    expect(first.lines.some((l) => l.includes("demo world seeded"))).toBe(true);
    expect(first.lines.some((l) => l.includes('"msg":"jobs started"'))).toBe(true);
    expect(await (await fetch(`${first.url}/readyz`)).json()).toEqual({ status: "ready" });
    expect(postgresRunning()).toBe(true);
    expect(await stop(first.child)).toBe(0);
    expect(first.lines.at(-1)).toContain('"msg":"stopped"');
    const order = ["shutting down", "jobs stopped", "event bus closed", "stopped"].map((m) => first.lines.findIndex((l) => l.includes(`"msg":"${m}"`)));
    expect(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!))).toBe(true);
    expect(postgresRunning()).toBe(false);

    // The data directory survives: a second start finds the demo world and does not seed again.
    const second = await start(pgPort, { JOBS: "off" });
    expect(second.lines.some((l) => l.includes("demo world seeded"))).toBe(false);
    expect(second.lines.some((l) => l.includes("jobs are off in this process"))).toBe(true);
    expect(second.lines.some((l) => l.includes('"msg":"jobs started"'))).toBe(false);
    const res = await fetch(`${second.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ viewer { user { username } } }" }) });
    // Outside the tests each client's cost budget is on (docs/operators.md, Limits and faults): the answer says what it cost.
    const { max, refillPerSecond } = DEFAULT_COST_BUDGET;
    const body = (await res.json()) as { data: unknown; extensions: { cost: { requested: number; actual: number; budget: { spent: number; available: number } } } };
    expect(body).toEqual({ data: { viewer: { user: null } }, extensions: { cost: { requested: 3, actual: 2, budget: expect.objectContaining({ max, refillPerSecond }) } } });
    // At 5,000 points a second, what it cost may be back already.
    expect(body.extensions.cost.budget.spent).toBeLessThanOrEqual(2);
    expect(body.extensions.cost.budget.available).toBe(max - body.extensions.cost.budget.spent);
    expect(await stop(second.child)).toBe(0);
    expect(postgresRunning()).toBe(false);
  });
});
