// The concurrency cap: at most `max` requests run, the next few wait their turn in order, and the
// rest (or those that waited too long) get 503 SERVICE_UNAVAILABLE with Retry-After at once.
import { EventEmitter } from "node:events";
import type { Request, Response } from "express";
import { describe, expect, it } from "vitest";
import { concurrencyLimit } from "../../src/limits/concurrency.js";

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

function call(limit: ReturnType<typeof concurrencyLimit>) {
  const res = new FakeResponse();
  let started = false;
  limit({} as Request, res as unknown as Response, () => (started = true));
  return { res, started: () => started };
}

describe("concurrencyLimit", () => {
  it("runs max at once, queues the next ones in order, sheds the rest with 503 and Retry-After", () => {
    const limit = concurrencyLimit(2, { queue: 1, waitMs: 60_000 });
    const [a, b, c, d] = [call(limit), call(limit), call(limit), call(limit)];
    expect([a.started(), b.started(), c.started(), d.started()]).toEqual([true, true, false, false]);
    expect(limit.waiting()).toBe(1);
    expect(d.res.statusCode).toBe(503);
    expect(d.res.headers["retry-after"]).toBe("1");
    expect(JSON.parse(d.res.body).errors[0].extensions.code).toBe("SERVICE_UNAVAILABLE");
    a.res.done(); // finish and close both fire: released once
    expect(c.started()).toBe(true);
    expect(limit.active()).toBe(2);
    b.res.done();
    c.res.done();
    expect(limit.active()).toBe(0);
  });

  it("a request that waited too long is shed; one whose client left is forgotten", async () => {
    const limit = concurrencyLimit(1, { queue: 5, waitMs: 10 });
    const a = call(limit);
    const b = call(limit);
    const c = call(limit);
    c.res.emit("close"); // gone before its turn
    expect(limit.waiting()).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(b.res.statusCode).toBe(503);
    expect(limit.waiting()).toBe(0);
    a.res.done();
    expect(c.started()).toBe(false);
    expect(limit.active()).toBe(0);
  });
});
