// Execution slots, shared fairly (src/limits/concurrency.ts): at most `max` requests run, each
// client at most `perClient` of them; the next ones wait, and a freed slot goes to the client with the
// fewest running, not to whoever queued first; one client's surplus is refused (429), overload shed (503).
import { EventEmitter } from "node:events";
import type { Request, Response } from "express";
import { describe, expect, it } from "vitest";
import { concurrencyLimit } from "../../src/limits/concurrency.js";
import { refusalPacer } from "../../src/limits/refusal-pacing.js";

class FakeResponse extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  headers: Record<string, string> = {};
  body = "";
  setHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  type() {
    return this;
  }
  send(body: string) {
    this.body = body;
    this.headersSent = true;
    this.emit("finish");
    return this;
  }
  done() {
    this.emit("finish");
    this.emit("close");
  }
}

class Res extends FakeResponse {
  locals: Record<string, unknown> = {};
}

function call(limit: ReturnType<typeof concurrencyLimit>, client = "a", weight = 1) {
  const res = new Res();
  res.locals.clientKey = client;
  res.locals.weight = weight;
  let started = false;
  limit({} as Request, res as unknown as Response, () => (started = true));
  return { res, started: () => started };
}

const code = (r: { res: Res }) => (r.res.body ? JSON.parse(r.res.body).errors[0].extensions.code : null);

describe("concurrencyLimit", () => {
  it("runs max at once, queues the next ones, sheds past the queue with 503 and Retry-After", () => {
    const limit = concurrencyLimit({ max: 2, perClient: 2, queue: 1, perClientQueue: 1 });
    const a = call(limit, "x");
    const b = call(limit, "y");
    const c = call(limit, "z");
    const d = call(limit, "w");
    expect([a.started(), b.started(), c.started(), d.started()]).toEqual([true, true, false, false]);
    expect(limit.waiting()).toBe(1);
    expect(d.res.statusCode).toBe(503);
    expect(d.res.headers["retry-after"]).toBe("1");
    expect(code(d)).toBe("SERVICE_UNAVAILABLE");
    a.res.done(); // finish and close both fire: released once
    expect(c.started()).toBe(true);
    expect(limit.active()).toBe(2);
    b.res.done();
    c.res.done();
    expect(limit.active()).toBe(0);
  });

  it("one client runs at most its share while slots stay free for others, and its surplus past its queue is 429", () => {
    const limit = concurrencyLimit({ max: 4, perClient: 2, queue: 8, perClientQueue: 2 });
    const burst = Array.from({ length: 5 }, () => call(limit, "burst"));
    expect(burst.map((r) => r.started())).toEqual([true, true, false, false, false]);
    expect(code(burst[4]!)).toBe("RATE_LIMITED");
    expect(burst[4]!.res.statusCode).toBe(429);
    expect(JSON.parse(burst[4]!.res.body).errors[0].message).toBe("You have 4 requests in progress (2 executing, 2 waiting at most); wait for some to finish, then try again.");
    const other = call(limit, "bystander");
    expect(other.started()).toBe(true);
    burst[0]!.res.done();
    expect(burst[2]!.started()).toBe(true);
    expect(limit.inFlight("burst")).toBe(3);
  });

  it("a freed slot goes to the waiting client with the fewest running, before an earlier burst", () => {
    const limit = concurrencyLimit({ max: 2, perClient: 2, queue: 8, perClientQueue: 8 });
    const a1 = call(limit, "a");
    const a2 = call(limit, "a");
    const a3 = call(limit, "a"); // waits first
    const b1 = call(limit, "b"); // waits second, but b runs nothing
    a1.res.done();
    expect(b1.started()).toBe(true);
    expect(a3.started()).toBe(false);
    a2.res.done();
    expect(a3.started()).toBe(true);
  });

  it("with the queue full, a newcomer takes the place of the newest waiting request of the client with the most in flight", () => {
    const limit = concurrencyLimit({ max: 1, perClient: 1, queue: 2, perClientQueue: 2 });
    const a1 = call(limit, "a");
    const a2 = call(limit, "a");
    const a3 = call(limit, "a");
    expect(limit.waiting()).toBe(2);
    const b1 = call(limit, "b");
    expect(code(a3)).toBe("SERVICE_UNAVAILABLE"); // shed for b
    expect(a2.res.body).toBe("");
    expect(limit.waiting()).toBe(2);
    a1.res.done();
    expect(a2.started()).toBe(true); // a runs nothing now: its request is the oldest
    expect(b1.started()).toBe(false);
    // A newcomer of a client as busy as the others is itself shed.
    const c1 = call(limit, "c");
    const c2 = call(limit, "c");
    expect(code(c2)).toBe("SERVICE_UNAVAILABLE");
    void c1;
  });

  it("a request that waited too long is shed; one whose client left is forgotten", async () => {
    const limit = concurrencyLimit({ max: 1, perClient: 1, queue: 5, waitMs: 10 });
    const a = call(limit, "x");
    const b = call(limit, "y");
    const c = call(limit, "z");
    c.res.emit("close"); // gone before its turn
    expect(limit.waiting()).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(b.res.statusCode).toBe(503);
    expect(limit.waiting()).toBe(0);
    a.res.done();
    expect(c.started()).toBe(false);
    expect(limit.active()).toBe(0);
  });

  it("a costly request takes more of its client's share: one heavy runs alone, light ones of that client wait, others' run", () => {
    const limit = concurrencyLimit({ max: 8, perClient: 4, queue: 16 });
    const heavy = call(limit, "a", 4);
    const heavier = call(limit, "b", 9); // over the share: runs, alone
    const light = call(limit, "a", 1);
    const other = call(limit, "c", 1);
    expect([heavy.started(), heavier.started(), light.started(), other.started()]).toEqual([true, true, false, true]);
    heavy.res.done();
    expect(light.started()).toBe(true);
    const fiveLight = [call(limit, "d"), call(limit, "d"), call(limit, "d"), call(limit, "d"), call(limit, "d")];
    // d's share is 4 light ones (3 slots are taken by a, b and c): the fifth waits.
    expect(fiveLight.map((r) => r.started())).toEqual([true, true, true, true, false]);
  });
});

describe("refusalPacer", () => {
  it("answers a client's first refusal at once and each further one in the window a step later, up to the cap", async () => {
    const pace = refusalPacer({ stepMs: 30, maxMs: 60, windowMs: 5000 });
    const when: number[] = [];
    const started = Date.now();
    const send = () => when.push(Date.now() - started);
    for (let i = 0; i < 4; i++) pace(new Res() as unknown as Response, "x", send);
    pace(new Res() as unknown as Response, "y", send); // another client: at once
    expect(when).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 150));
    expect(when).toHaveLength(5);
    expect(when.slice(2).every((t) => t >= 29)).toBe(true);
    // Off (maxMs 0): always at once.
    const off = refusalPacer({ stepMs: 30, maxMs: 0, windowMs: 5000 });
    let sent = 0;
    for (let i = 0; i < 3; i++) off(new Res() as unknown as Response, "x", () => sent++);
    expect(sent).toBe(3);
  });
});
