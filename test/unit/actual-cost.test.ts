// What an operation cost once it ran (src/limits/actual-cost.ts), counted on its answer as the
// estimate counts (every field 1, a list what its items cost): clients pay this, so it must count
// aliases, fragments and lists exactly, and a leaf once whatever its value holds. Figures by hand.
import { getOperationAST, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { actualCost } from "../../src/limits/actual-cost.js";
import { payable } from "../../src/http/cost.js";

const cost = (query: string, data: unknown) => {
  const document = parse(query);
  return actualCost(document, getOperationAST(document)!, data);
};

describe("actualCost", () => {
  it("counts every field once, a list of scalars as one field", () => {
    expect(cost(`{ viewer { roles } }`, { viewer: { roles: ["BAM", "PAM", "EDITOR"] } })).toBe(2);
  });

  it("counts a page by what came back: 1 for the connection, 1 for edges, then each item", () => {
    const q = `{ transactions(first: 100) { totalCount edges { node { transactionNumber releasedOn } } } }`;
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ node: { transactionNumber: String(i), releasedOn: "2026-11-01" } }));
    // transactions 1 + totalCount 1 + edges 1 + n x (node 1 + 2 fields)
    expect(cost(q, { transactions: { totalCount: 100, edges: items(100) } })).toBe(303);
    expect(cost(q, { transactions: { totalCount: 1, edges: items(1) } })).toBe(6);
    expect(cost(q, { transactions: { totalCount: 0, edges: [] } })).toBe(3);
  });

  it("counts aliases apart, fragments and inline fragments as their fields, a null as its field alone", () => {
    const q = `query { a: viewer { ...Me } b: viewer { ... on Viewer { roles } user { username } } }
      fragment Me on Viewer { roles user { username displayName } }`;
    // a: 1 + roles 1 + user (1 + 2) = 5; b: 1 + roles 1 + user 1 (null) = 3
    expect(cost(q, { a: { roles: ["BAM"], user: { username: "alice", displayName: "Alice" } }, b: { roles: [], user: null } })).toBe(8);
  });

  it("counts a JSON scalar as one field, whatever it holds", () => {
    expect(cost(`{ auditEvent { after } }`, { auditEvent: { after: { a: 1, b: { c: [1, 2, 3] } } } })).toBe(2);
  });

  it("counts nothing when nothing ran", () => {
    expect(cost(`{ viewer { roles } }`, null)).toBe(0);
  });
});

describe("payable", () => {
  it("is what was resolved, at least a tenth of the estimate and 1, at most the estimate", () => {
    expect(payable(7301, 120)).toBe(731);
    expect(payable(9003, 7806)).toBe(7806);
    expect(payable(2, 2)).toBe(2);
    expect(payable(4, 0)).toBe(1);
    expect(payable(26, 40)).toBe(26);
  });
});
