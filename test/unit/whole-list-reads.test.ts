/**
 * A list whose order or filter makes PostgreSQL read every row the person may see (a transaction's
 * amount or status as they see it: no index holds it) weighs WHOLE_LIST_READ more in the
 * operation's estimated cost than the same page read through an index, whether the argument is
 * written in the document or passed in variables.
 */
import { parse } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { operationCost } from "../../src/limits/operation-limits.js";
import { WHOLE_LIST_READ } from "../../src/limits/whole-list-reads.js";
import { buildRawSchema } from "../../src/schema.js";

let schema: Awaited<ReturnType<typeof buildRawSchema>>;
beforeAll(async () => {
  schema = await buildRawSchema();
});

const cost = (args: string, variables?: Record<string, unknown>) =>
  operationCost(schema, parse(`query ($o: TransactionOrder, $f: TransactionFilter) { transactions(first: 10${args}) { edges { node { id } } } }`), variables, undefined);

describe("whole-list reads in the cost estimate", () => {
  it("an amount order or an amount or status filter costs WHOLE_LIST_READ more; release date, number and plain filters do not", () => {
    const page = cost("");
    // The list 1, plus 10 times (edges, node, id).
    expect(page).toBe(1 + 10 * 3);
    expect(cost(", orderBy: { field: RELEASED_ON, direction: ASC }")).toBe(page);
    expect(cost(", orderBy: { field: TRANSACTION_NUMBER }")).toBe(page);
    expect(cost(', filter: { bn15: "123456782RM0001", submitterBn9: "123456782" }')).toBe(page);
    expect(cost(", orderBy: { field: AMOUNT }")).toBe(page + WHOLE_LIST_READ);
    expect(cost(', filter: { amountMin: "1.00" }')).toBe(page + WHOLE_LIST_READ);
    expect(cost(", filter: { status: UNDER_REVIEW }")).toBe(page + WHOLE_LIST_READ);
    // Once per list, however many of its arguments read the whole list.
    expect(cost(', orderBy: { field: AMOUNT }, filter: { amountMax: "9.00", status: ACCEPTED }')).toBe(page + WHOLE_LIST_READ);
  });

  it("counts arguments passed in variables the same", () => {
    const page = cost(", orderBy: $o, filter: $f", {});
    expect(cost(", orderBy: $o, filter: $f", { o: { field: "AMOUNT", direction: "DESC" } })).toBe(page + WHOLE_LIST_READ);
    expect(cost(", orderBy: $o, filter: $f", { f: { amountMax: "5.00" } })).toBe(page + WHOLE_LIST_READ);
    expect(cost(", orderBy: $o, filter: $f", { o: { field: "RELEASED_ON", direction: "DESC" } })).toBe(page);
  });
});
