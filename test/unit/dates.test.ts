// Calendar dates: a day that exists, years 0001-9999, written YYYY-MM-DD; nothing JavaScript's lenient parsing lets through.
import { describe, expect, it } from "vitest";
import { daysInMonth, isCalendarDate } from "../../src/common/dates.js";

describe("isCalendarDate", () => {
  it.each(["2026-01-31", "2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2026-04-30"])("accepts %s", (d) => {
    expect(isCalendarDate(d)).toBe(true);
  });

  it.each(["2025-02-30", "2025-02-29", "1900-02-29", "0000-01-01", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-1-01", "26-01-01", "2026-01-01T00:00:00Z", " 2026-01-01", "", "10000-01-01"])(
    "refuses %j",
    (d) => {
      expect(isCalendarDate(d)).toBe(false);
    },
  );

  it("refuses what is not a string", () => {
    expect(isCalendarDate(20260101)).toBe(false);
    expect(isCalendarDate(null)).toBe(false);
  });

  it("knows the length of every month, leap years by the Gregorian rule", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2026, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect([2024, 2000, 1900, 2100].map((y) => daysInMonth(y, 2))).toEqual([29, 29, 28, 28]);
  });
});
