// Guards the billing cycle: releases from the 18th to the next 17th go on the statement of the 25th, due 10 weekdays after the 17th.
import { describe, expect, it } from "vitest";
import { accountingDeadline, accountingPeriod, addBusinessDays, addDays, addWeekdays, businessDate, cycleFor, isHoliday, isLateFiling, nextCycle } from "../../src/common/billing.js";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);

describe("addWeekdays", () => {
  it.each([
    ["2025-03-17", 1, "2025-03-18"], // Mon -> Tue
    ["2025-03-17", 5, "2025-03-24"], // Mon -> next Mon
    ["2025-01-17", 1, "2025-01-20"], // Fri -> Mon
    ["2025-05-17", 1, "2025-05-19"], // Sat -> Mon
    ["2025-08-17", 1, "2025-08-18"], // Sun -> Mon
    ["2025-01-17", 10, "2025-01-31"], // Fri + 2 weeks
    ["2025-03-17", 0, "2025-03-17"],
  ])("%s + %d weekdays = %s", (from, n, to) => {
    expect(iso(addWeekdays(day(from), n))).toBe(to);
  });

  it("does not change the date it is given", () => {
    const d = day("2025-01-17");
    addWeekdays(d, 10);
    expect(iso(d)).toBe("2025-01-17");
  });
});

describe("cycleFor", () => {
  it("a release on the 17th closes the cycle that ends that day", () => {
    // Mon 2025-03-17 + 10 weekdays: 18 19 20 21 | 24 25 26 27 28 | 31
    expect(cycleFor("2025-03-17")).toEqual({ start: "2025-02-18", end: "2025-03-17", issueDate: "2025-03-25", dueDate: "2025-03-31" });
  });

  it("a release on the 18th opens the next cycle", () => {
    // Thu 2025-04-17 + 10 weekdays: 18 | 21 22 23 24 25 | 28 29 30 | May 1
    expect(cycleFor("2025-03-18")).toEqual({ start: "2025-03-18", end: "2025-04-17", issueDate: "2025-04-25", dueDate: "2025-05-01" });
  });

  it("Dec 18 belongs to the cycle ending Jan 17 of the next year (a Friday)", () => {
    // Fri 2025-01-17 + 10 weekdays: 20..24 | 27..31
    expect(cycleFor("2024-12-18")).toEqual({ start: "2024-12-18", end: "2025-01-17", issueDate: "2025-01-25", dueDate: "2025-01-31" });
  });

  it("Jan 10 belongs to the cycle that started Dec 18 of the previous year", () => {
    // Fri 2025-01-17 + 10 weekdays: 20..24 | 27..31
    expect(cycleFor("2025-01-10")).toEqual({ start: "2024-12-18", end: "2025-01-17", issueDate: "2025-01-25", dueDate: "2025-01-31" });
  });

  it("Dec 17 closes the cycle ending that day, due across the new-year week", () => {
    // Tue 2024-12-17 + 10 weekdays: 18 19 20 | 23 24 25 26 27 | 30 31
    expect(cycleFor("2024-12-17")).toEqual({ start: "2024-11-18", end: "2024-12-17", issueDate: "2024-12-25", dueDate: "2024-12-31" });
  });

  it("a 17th on a Saturday still counts 10 weekdays from the day after", () => {
    // Sat 2025-05-17 + 10 weekdays: 19..23 | 26..30
    expect(cycleFor("2025-05-01")).toEqual({ start: "2025-04-18", end: "2025-05-17", issueDate: "2025-05-25", dueDate: "2025-05-30" });
  });

  it("a 17th on a Sunday", () => {
    // Sun 2025-08-17 + 10 weekdays: 18..22 | 25..29
    expect(cycleFor("2025-08-17")).toEqual({ start: "2025-07-18", end: "2025-08-17", issueDate: "2025-08-25", dueDate: "2025-08-29" });
  });

  it("month ends and leap days fall in the cycle ending on the next 17th", () => {
    expect(cycleFor("2025-01-31").end).toBe("2025-02-17");
    expect(cycleFor("2025-02-28").end).toBe("2025-03-17");
    expect(cycleFor("2024-02-29")).toMatchObject({ start: "2024-02-18", end: "2024-03-17" });
  });

  it("every day from Dec 18 to Jan 17 is in one cycle, and the days either side are not", () => {
    const expected = { start: "2024-12-18", end: "2025-01-17", issueDate: "2025-01-25", dueDate: "2025-01-31" };
    for (let d = day("2024-12-18"); d <= day("2025-01-17"); d = new Date(d.getTime() + 86_400_000)) {
      expect(cycleFor(iso(d)), iso(d)).toEqual(expected);
    }
    expect(cycleFor("2024-12-17").end).toBe("2024-12-17");
    expect(cycleFor("2025-01-18").start).toBe("2025-01-18");
  });
});

describe("business dates", () => {
  it("are calendar days in Ottawa, whatever the server's time zone", () => {
    expect(businessDate(new Date("2026-11-18T03:30:00Z"))).toBe("2026-11-17"); // 22:30 EST on the 17th
    expect(businessDate(new Date("2026-11-18T05:00:00Z"))).toBe("2026-11-18"); // midnight EST
    expect(businessDate(new Date("2026-07-01T03:59:00Z"))).toBe("2026-06-30"); // 23:59 EDT
    expect(businessDate(new Date("2026-07-01T04:00:00Z"))).toBe("2026-07-01");
  });

  it("add calendar days across months, years and leap days", () => {
    expect(addDays("2026-01-31", 1)).toBe("2026-02-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });

  it("add business days skipping weekends", () => {
    expect(addBusinessDays("2026-11-20", 5)).toBe("2026-11-27"); // Fri -> next Fri
    expect(addBusinessDays("2026-11-18", 5)).toBe("2026-11-25"); // Wed -> next Wed
  });
});

describe("late filing", () => {
  it("is more than 5 business days after release", () => {
    // Released Fri 2026-11-20: 5 business days are Mon 23 .. Fri 27.
    expect(isLateFiling("2026-11-20", "2026-11-20")).toBe(false);
    expect(isLateFiling("2026-11-20", "2026-11-27")).toBe(false); // the 5th business day
    expect(isLateFiling("2026-11-20", "2026-11-29")).toBe(false); // the Sunday after: still 5 business days
    expect(isLateFiling("2026-11-20", "2026-11-30")).toBe(true); // Monday: the 6th business day
  });
});

describe("nextCycle", () => {
  it("is the cycle starting the day after", () => {
    // Thu 2026-12-17 + 10 weekdays: Fri 18 | Mon 21..Fri 25 | Mon 28..Thu 31
    expect(nextCycle({ start: "2026-10-18", end: "2026-11-17", issueDate: "2026-11-25", dueDate: "2026-12-01" })).toEqual({
      start: "2026-11-18", end: "2026-12-17", issueDate: "2026-12-25", dueDate: "2026-12-31",
    });
  });
});

describe("due dates deferred past holidays (Accounting Regulations s.10.3(3); Interpretation Act s.26; CBSA's \"Deferred to\" dates)", () => {
  it("the 10th weekday after the 17th counts holidays as weekdays; falling on one, it is deferred to the next business day", () => {
    // Wed 2026-06-17 + 10 weekdays: Thu 18, Fri 19 | Mon 22 .. Fri 26 | Mon 29, Tue 30, Wed Jul 1 = Canada Day -> Thu Jul 2.
    expect(cycleFor("2026-06-17").dueDate).toBe("2026-07-02");
    // Sun 2024-03-17 + 10 weekdays: Mon 18 .. Fri 22 | Mon 25 .. Fri 29 = Good Friday -> Mon Apr 1.
    expect(cycleFor("2024-03-17").dueDate).toBe("2024-04-01");
    // Fri 2033-06-17 + 10 weekdays: Mon 20 .. Fri 24 | Mon 27 .. Fri Jul 1 = Canada Day -> (Sat, Sun) Mon Jul 4.
    expect(cycleFor("2033-06-17").dueDate).toBe("2033-07-04");
    // Christmas in the count is a weekday like another: Thu 2026-12-17 -> Thu Dec 31 (not a holiday).
    expect(cycleFor("2026-12-17").dueDate).toBe("2026-12-31");
  });

  it("no due date from 2024 to 2040 falls on a weekend or a holiday", () => {
    for (let y = 2024; y <= 2040; y++) {
      for (let m = 1; m <= 12; m++) {
        const due = cycleFor(`${y}-${String(m).padStart(2, "0")}-17`).dueDate;
        const wd = new Date(`${due}T00:00:00Z`).getUTCDay();
        expect(wd !== 0 && wd !== 6 && !isHoliday(due), due).toBe(true);
      }
    }
  });

  it("the holidays are Canada's nationwide public holidays", () => {
    expect(["2026-01-01", "2026-04-03", "2026-07-01", "2026-09-07", "2026-12-25"].map(isHoliday)).toEqual([true, true, true, true, true]);
    expect(["2026-07-02", "2026-11-11", "2026-02-16"].map(isHoliday)).toEqual([false, false, false]);
  });
});

describe("the billing period of a declaration (Customs Act s.33.4(2)(a))", () => {
  it("the earlier of the day it is accounted for and its deadline (the 5th business day after release)", () => {
    // Released Fri 2026-11-13: Mon 16, Tue 17, Wed 18, Thu 19, Fri 20 -> deadline 11-20.
    expect(accountingDeadline("2026-11-13")).toBe("2026-11-20");
    expect(accountingPeriod("2026-11-13", "2026-11-19")).toMatchObject({ start: "2026-11-18", end: "2026-12-17", dueDate: "2026-12-31" });
    // Filed on release day in the earlier period: that period.
    expect(accountingPeriod("2026-11-13", "2026-11-13")).toMatchObject({ end: "2026-11-17", dueDate: "2026-12-01" });
    // Filed late (12-10): the deadline's period, 11-18..12-17.
    expect(accountingPeriod("2026-11-13", "2026-12-10").end).toBe("2026-12-17");
    // Released Mon 2026-08-03, filed 09-28 (late): deadline Mon 08-10, period 07-18..08-17, due 08-31.
    expect(accountingPeriod("2026-08-03", "2026-09-28")).toMatchObject({ end: "2026-08-17", dueDate: "2026-08-31" });
  });

  it("a holiday is not a business day for the deadline", () => {
    // Released Tue 2026-06-30: Thu Jul 2, Fri 3, Mon 6, Tue 7, Wed 8 (Canada Day skipped) -> 07-08.
    expect(accountingDeadline("2026-06-30")).toBe("2026-07-08");
    expect(addBusinessDays("2026-12-24", 1)).toBe("2026-12-28");
  });
});
