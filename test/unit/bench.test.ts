// Guards the benchmark's own arithmetic and its equality check: a percentile or a rate computed
// wrongly, or a digest that calls different pages equal, would make `npm run bench` print figures
// about the wrong thing.
import { describe, expect, it } from "vitest";
import { pages } from "../../bench/pages.js";
import { median, percentile, Tally } from "../../bench/stats.js";

describe("percentile (nearest rank)", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted

  it("is the smallest value that p % of the values do not exceed", () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile([7, 3, 5], 50)).toBe(5);
    expect(percentile([7, 3, 5], 99)).toBe(7);
  });

  it("leaves its input as it was, and has no value for no values", () => {
    const xs = [3, 1, 2];
    percentile(xs, 50);
    expect(xs).toEqual([3, 1, 2]);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile(xs, 101)).toThrow(RangeError);
  });

  it("median averages the two middle values of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
  });
});

describe("Tally: a target's figures over several rounds", () => {
  it("rates answered requests over all the rounds' seconds, and takes percentiles over every round's responses", () => {
    const t = new Tally();
    t.add(2, [10, 20, 30, 40].map((ms) => ({ ms, bytes: 100, status: 200 })));
    t.add(3, [50, 60].map((ms) => ({ ms, bytes: 300, status: 200 })));
    expect(t.requests).toBe(6);
    expect(t.rate).toBeCloseTo(6 / 5, 10);
    expect(t.p(50)).toBe(30);
    expect(t.p(99)).toBe(60);
    expect(t.averageBytes).toBeCloseTo(1000 / 6, 10);
    expect(t.errors).toBe(0);
  });

  it("counts failed statuses, unexpected bodies and failed connections as errors, not as requests", () => {
    const t = new Tally();
    t.add(1, [{ ms: 5, bytes: 10, status: 200 }, { ms: 6, bytes: 10, status: 200 }, { ms: 1, bytes: 10, status: 503 }], 1, 2);
    expect(t.requests).toBe(1);
    expect(t.errors).toBe(4);
    expect(t.rate).toBe(1);
  });
});

const byName = (part: string) => pages.find((p) => p.name.includes(part))!;
const edges = (...nodes: unknown[]) => ({ edges: nodes.map((node) => ({ node })) });

describe("page digests: the API and PostGraphile are equal only when they hold the same rows", () => {
  const apiBroker = (bn15: string, role: string) => ({
    data: { businesses: { ...edges({ bn9: "300000015", legalName: "Bench Client 00001 Ltd.", programAccounts: edges({ bn15, name: "Account 1", myRole: role }) }), pageInfo: { hasNextPage: true, endCursor: "api" } } },
  });
  const pglBroker = (bn15: string) => ({
    data: {
      postgraphileBenchBrokerClients: {
        ...edges({ bn9: "300000015", legalName: "Bench Client 00001 Ltd.", programAccountsByBusinessId: edges({ bn15, name: "Account 1", rm: "RM0001" }) }),
        pageInfo: { hasNextPage: true, endCursor: "pgl" },
      },
    },
  });

  it("the broker page: same clients and accounts are equal (myRole, rm and cursors aside); another account is not", () => {
    const broker = byName("broker page");
    expect(broker.digest(apiBroker("300000015RM0001", "EDITOR"))).toEqual(broker.digest(pglBroker("300000015RM0001")));
    expect(broker.digest(apiBroker("300000015RM0001", "EDITOR"))).not.toEqual(broker.digest(pglBroker("300000015RM0002")));
  });

  it("the dashboard page: a different transaction under an account makes them differ", () => {
    const dashboard = byName("dashboard page");
    const t = (n: string) => ({ transactionNumber: n, releasedOn: "2026-11-06", totalDutiesAndTaxes: "1182.50" });
    const api = (n: string) => ({ data: { businesses: edges({ bn9: "300000015", legalName: "B", programAccounts: edges({ bn15: "300000015RM0001", name: "A", transactions: edges(t(n)) }) }) } });
    const pgl = (n: string) => ({
      data: { postgraphileBenchBrokerClients: edges({ bn9: "300000015", legalName: "B", programAccountsByBusinessId: edges({ bn15: "300000015RM0001", name: "A", transactionsSeenBy: edges(t(n)) }) }) },
    });
    expect(dashboard.digest(api("90000000000001"))).toEqual(dashboard.digest(pgl("90000000000001")));
    expect(dashboard.digest(api("90000000000001"))).not.toEqual(dashboard.digest(pgl("90000000000005")));
  });

  it("the importer page compares each transaction's submitter too", () => {
    const importer = byName("importer page");
    const t = (by: string) => ({ transactionNumber: "1", releasedOn: "2026-11-06", totalDutiesAndTaxes: "1.00", submittedBy: { legalName: by }, businessBySubmittedByBusinessId: { legalName: by } });
    const api = (by: string) => ({ data: { business: { bn9: "123456782", legalName: "M", programAccounts: edges({ bn15: "123456782RM0001", name: "W", transactions: edges(t(by)) }) } } });
    const pgl = (by: string) => ({
      data: { allBusinesses: { nodes: [{ bn9: "123456782", legalName: "M", programAccountsByBusinessId: edges({ bn15: "123456782RM0001", name: "W", transactionsByProgramAccountId: edges(t(by)) }) }] } },
    });
    expect(importer.digest(api("Maple"))).toEqual(importer.digest(pgl("Maple")));
    expect(importer.digest(api("Maple"))).not.toEqual(importer.digest(pgl("Northern")));
  });

  it("an error answer is never digested as a page", () => {
    for (const page of pages) {
      expect(() => page.digest({ errors: [{ message: "Not Authorised!" }] })).toThrow(/answered/);
      expect(() => page.digest({ data: null })).toThrow(/answered/);
    }
  });
});
