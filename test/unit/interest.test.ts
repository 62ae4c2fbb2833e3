// Guards interest on overdue amounts: (prescribed rate + 6 points) a year, a 365th per day after the due date, on the unpaid part,
// summed exactly over debts and days and rounded once to the cent. Every expected figure is worked out by hand in the comments.
import { describe, expect, it } from "vitest";
import { interestFor, overdueRateOn, percentUnits } from "../../src/common/interest.js";

const debt = (amount: bigint, dueOn: string, allocations: { on: string; amount: bigint }[] = []) => ({ amount, dueOn, allocations });

describe("overdue rate", () => {
  it("is the prescribed rate of the day plus 6 points; 3 % before any configured period", () => {
    expect(overdueRateOn("2026-01-01", [])).toBe(90_000n); // 3 % + 6 = 9.0000 %
    const periods = [{ from: "2026-04-01", rate: "4.5" }, { from: "2026-07-01", rate: "5" }];
    expect(overdueRateOn("2026-03-31", periods)).toBe(90_000n); // before the first period: the default
    expect(overdueRateOn("2026-04-01", periods)).toBe(105_000n); // 4.5 + 6 = 10.5 %
    expect(overdueRateOn("2026-12-31", periods)).toBe(110_000n); // 5 + 6 = 11 %
    expect(overdueRateOn("2026-05-01", [...periods].reverse())).toBe(105_000n); // in any order
  });

  it("reads percentages exactly, up to 4 decimals", () => {
    expect(percentUnits("0")).toBe(0n);
    expect(percentUnits("6")).toBe(60_000n);
    expect(percentUnits("2.0625")).toBe(20_625n);
    expect(() => percentUnits("1.23456")).toThrow();
    expect(() => percentUnits("-1")).toThrow();
  });
});

describe("interestFor", () => {
  // The cycle of 2026-10-18 to 2026-11-17; a debt due 2026-10-30 is overdue from Oct 31:
  // Oct 31 (1 day) + Nov 1..17 (17 days) = 18 days in the cycle.
  const from = "2026-10-18";
  const to = "2026-11-17";

  it("10,000.00 unpaid for 18 days at 9 %: 10,000.00 x 9 % x 18 / 365 = 44.3835... -> 44.38", () => {
    // 1,000,000 cents x 0.09 x 18 / 365 = 1,620,000 / 365 = 4438.356... cents
    expect(interestFor([debt(1_000_000n, "2026-10-30")], from, to, [])).toBe(4438n);
  });

  it("a rate change on Nov 10: 10 days at 9 % and 8 days at 10 % -> 46.58", () => {
    // 1,000,000 x (0.09 x 10 + 0.10 x 8) / 365 = 1,700,000 / 365 = 4657.534... cents
    expect(interestFor([debt(1_000_000n, "2026-10-30")], from, to, [{ from: "2026-11-10", rate: "4" }])).toBe(4658n);
  });

  it("a payment of 4,000.00 applied on Nov 10 stops interest on that part from that day -> 36.49", () => {
    // Oct 31..Nov 9: 10 days on 10,000.00; Nov 10..17: 8 days on 6,000.00 (the day of the payment is not charged)
    // (1,000,000 x 10 + 600,000 x 8) x 0.09 / 365 = 14,800,000 x 0.09 / 365 = 1,332,000 / 365 = 3649.315... cents
    expect(interestFor([debt(1_000_000n, "2026-10-30", [{ on: "2026-11-10", amount: 400_000n }])], from, to, [])).toBe(3649n);
  });

  it("nothing before or on the due date, nothing once paid", () => {
    expect(interestFor([debt(1_000_000n, "2026-11-17")], from, to, [])).toBe(0n); // due on the last day
    expect(interestFor([debt(1_000_000n, "2026-10-30", [{ on: "2026-10-30", amount: 1_000_000n }])], from, to, [])).toBe(0n); // paid on time
    expect(interestFor([debt(1_000_000n, "2026-10-30", [{ on: "2026-10-31", amount: 1_000_000n }])], from, to, [])).toBe(0n); // paid the first overdue day
  });

  it("sums every debt and day exactly, then rounds once", () => {
    // Prescribed 30.5 % + 6 = 36.5 % a year = exactly 0.1 % a day. Two debts of 4.00, each one day overdue
    // (due Nov 16, the period ends Nov 17): 400 x 0.001 = 0.4 cent each. Rounded each, 0 + 0 = 0;
    // summed first, 0.8 -> 1 cent.
    const periods = [{ from: "2026-01-01", rate: "30.5" }];
    expect(interestFor([debt(400n, "2026-11-16")], from, to, periods)).toBe(0n);
    expect(interestFor([debt(400n, "2026-11-16"), debt(400n, "2026-11-16")], from, to, periods)).toBe(1n);
  });

  it("rounds half away from zero: 5.00 for one day at 0.1 % a day is 0.5 cent -> 1 cent", () => {
    expect(interestFor([debt(500n, "2026-11-16")], from, to, [{ from: "2026-01-01", rate: "30.5" }])).toBe(1n);
  });
});
