/**
 * Faults of the embedded PostgreSQL, with real processes as `npm start` runs them: the postgres
 * child killed with SIGKILL is started again and the API recovers by itself (logged once each way);
 * an API killed with SIGKILL leaves its postmaster behind, and the next start stops that leftover
 * instead of failing on "lock file postmaster.pid already exists". Every process started here is
 * stopped here.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "./support/net.js";

const MAIN = path.join(import.meta.dirname, "..", "dist", "src", "main.js");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "carm-faults-proc-"));
fs.chmodSync(dataDir, 0o755);
const pgData = path.join(dataDir, "postgres");
const started: ChildProcess[] = [];

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** The running postmaster's pid, from its lock file. */
const postmasterPid = () => {
  try {
    const pid = Number(fs.readFileSync(path.join(pgData, "postmaster.pid"), "utf8").split("\n")[0]);
    return alive(pid) ? pid : null;
  } catch {
    return null;
  }
};

afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  const pid = postmasterPid();
  if (pid) {
    process.kill(pid, "SIGINT");
    const deadline = Date.now() + 15_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (alive(pid)) process.kill(pid, "SIGKILL");
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Api {
  child: ChildProcess;
  url: string;
  lines: string[];
  exited: Promise<number | null>;
}

async function start(pgPort: number): Promise<Api> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, NODE_ENV: "development", PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), DATABASE_URL: "", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line:\n${lines.join("\n")}`)), 60_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        lines.push(line);
        if (line.includes('"msg":"listening"')) {
          clearTimeout(timer);
          resolve(JSON.parse(line).graphql.replace(/\/graphql$/, ""));
        }
      }
    });
    void exited.then((code) => reject(new Error(`exited early with ${code}:\n${lines.join("\n")}`)));
  });
  return { child, url, lines, exited };
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ready = async (api: Api) => {
  try {
    return (await fetch(`${api.url}/readyz`)).status === 200;
  } catch {
    return false;
  }
};

const query = async (api: Api) => {
  const res = await fetch(`${api.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: '{ viewer { user { username } } }' }),
  });
  // Without the cost report every answer carries outside the tests (test/cost-budget.test.ts checks it).
  const { extensions: _cost, ...body } = (await res.json()) as Record<string, unknown>;
  return { status: res.status, body };
};

const count = (api: Api, msg: string) => api.lines.filter((l) => l.includes(`"msg":"${msg}`)).length;

describe("embedded PostgreSQL faults", () => {
  it("a postgres killed with SIGKILL is restarted and the API recovers; an API killed with SIGKILL does not block the next start", { timeout: 180_000 }, async () => {
    const pgPort = await freePort();
    const first = await start(pgPort);
    const before = postmasterPid();
    expect(before).not.toBeNull();
    expect(await query(first)).toEqual({ status: 200, body: { data: { viewer: { user: null } } } });

    // 1. The database process dies.
    process.kill(before!, "SIGKILL");
    await until("a new postmaster", () => {
      const now = postmasterPid();
      return now !== null && now !== before;
    });
    await until("ready again", () => ready(first));
    expect(await query(first)).toEqual({ status: 200, body: { data: { viewer: { user: null } } } });
    expect(count(first, "embedded PostgreSQL exited unexpectedly")).toBe(1);
    expect(count(first, "embedded PostgreSQL restarted")).toBe(1);
    // Whatever the API noticed of the outage, it logged it at most once each way.
    expect(count(first, "database unavailable")).toBeLessThanOrEqual(1);
    expect(count(first, "database available again")).toBe(count(first, "database unavailable"));

    // 2. The API dies hard: its postmaster is left running.
    const orphan = postmasterPid();
    first.child.kill("SIGKILL");
    await first.exited;
    expect(orphan).not.toBeNull();
    expect(alive(orphan!)).toBe(true);

    const second = await start(pgPort);
    expect(second.lines.some((l) => l.includes("stopping a PostgreSQL left running"))).toBe(true);
    expect(alive(orphan!)).toBe(false);
    expect(await query(second)).toEqual({ status: 200, body: { data: { viewer: { user: null } } } });

    // And a normal stop still stops everything.
    const pid = postmasterPid();
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(pid !== null && alive(pid)).toBe(false);
  });
});
