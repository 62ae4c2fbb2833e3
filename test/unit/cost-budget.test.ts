// A client's budget of cost points over time (src/limits/cost-budget.ts): one client running heavy
// operations back to back must run out, be told exactly when it may come back, and not get its debt
// forgiven because others (or its own other addresses) pushed it out of memory. Figures by hand.
import { describe, expect, it } from "vitest";
import { DEFAULT_COST_BUDGET } from "../../src/config.js";
import { costBudget, type ChargeResult } from "../../src/limits/cost-budget.js";

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const ok = (r: ChargeResult) => {
  if (!r.ok) throw new Error(`refused, retry after ${r.retryAfterSeconds} s`);
  return r.charge;
};

describe("costBudget", () => {
  it("takes the estimate, refuses what the bucket cannot pay with the seconds until it can, then pays after the refill", () => {
    const c = clock();
    const budget = costBudget({ max: 1000, refillPerSecond: 100, now: c.now });
    ok(budget.charge("subject:a", 700));
    expect(budget.status("subject:a")).toEqual({ spent: 700, available: 300, max: 1000, refillPerSecond: 100 });
    const refused = budget.charge("subject:a", 650);
    // 350 points short at 100 a second: 3.5 s, said as 4.
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 4, status: { spent: 700, available: 300, max: 1000, refillPerSecond: 100 } });
    c.advance(3400);
    expect(budget.charge("subject:a", 650).ok).toBe(false);
    c.advance(600);
    ok(budget.charge("subject:a", 650)); // 300 + 400 = 700 by then
    expect(budget.status("subject:a").available).toBe(50);
  });

  it("gives back what an operation did not use, once, and never fills past max", () => {
    const c = clock();
    const budget = costBudget({ max: 1000, refillPerSecond: 100, now: c.now });
    const charge = ok(budget.charge("subject:a", 900));
    expect(charge.settle(120)).toEqual({ spent: 120, available: 880, max: 1000, refillPerSecond: 100 });
    expect(charge.settle(0)).toEqual({ spent: 120, available: 880, max: 1000, refillPerSecond: 100 });
    expect(budget.status("subject:a").available).toBe(880);
    const second = ok(budget.charge("subject:a", 200));
    c.advance(60_000);
    // Full by now: the refund adds nothing past max.
    expect(second.settle(0).available).toBe(1000);
    // More than was taken is never charged.
    const third = ok(budget.charge("subject:a", 100));
    expect(third.settle(5000).available).toBe(900);
  });

  it("keeps one bucket per client: one client's spending leaves another's whole", () => {
    const budget = costBudget({ max: 1000, refillPerSecond: 1, now: clock().now });
    ok(budget.charge("subject:a", 1000));
    expect(budget.charge("subject:a", 1).ok).toBe(false);
    expect(budget.status("subject:b").available).toBe(1000);
    expect(budget.status("address:127.0.0.2").available).toBe(1000);
    ok(budget.charge("subject:b", 1000));
  });

  it("is bounded, and churning addresses never forgets a person's debt", () => {
    const budget = costBudget({ max: 1000, refillPerSecond: 1, clients: 100, now: clock().now });
    ok(budget.charge("subject:spender", 1000));
    for (let i = 0; i < 10_000; i++) budget.charge(`address:10.0.${i >> 8}.${i & 255}`, 10);
    expect(budget.size()).toBe(101); // 100 addresses at most, and the one person
    expect(budget.charge("subject:spender", 1).ok).toBe(false);
    expect(budget.status("subject:spender").available).toBe(0);
  });

  it("forgets a bucket only once it is full again (forgetting it then changes nothing)", () => {
    const c = clock();
    const budget = costBudget({ max: 1000, refillPerSecond: 100, now: c.now });
    const charge = ok(budget.charge("subject:a", 300));
    expect(budget.size()).toBe(1);
    charge.settle(0);
    expect(budget.size()).toBe(0);
  });

  // The defaults are meant never to stop a person: the dashboard's largest page (25 clients with 10
  // program accounts each, every account with its statement) resolves 6,707 fields
  // (dashboard/src/operations.graphql: 7 for the list and its pageInfo, 268 per client: 8 for the
  // client and its accounts' list, 26 per account) and is estimated at 7,301 (pages priced full).
  it("with the defaults, the dashboard's largest page is never refused paged every 1.4 s for ten minutes, or every second for 25 s", () => {
    const page = (budget: ReturnType<typeof costBudget>) => ok(budget.charge("subject:erin", 7301)).settle(6707);
    const steady = clock();
    const a = costBudget({ ...DEFAULT_COST_BUDGET, now: steady.now });
    for (let i = 0; i < 430; i++, steady.advance(1400)) page(a);
    const fast = clock();
    const b = costBudget({ ...DEFAULT_COST_BUDGET, now: fast.now });
    for (let i = 0; i < 25; i++, fast.advance(1000)) page(b);
    // A person paging faster than that for longer is told when to come back.
    for (let i = 0; i < 10; i++, fast.advance(1000)) b.charge("subject:erin", 7301);
    expect(b.charge("subject:erin", 7301).ok).toBe(false);
  });
});
