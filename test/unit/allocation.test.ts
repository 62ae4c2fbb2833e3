// Guards "payments and credits offset the oldest debts first": each credit, oldest first, pays the debts in order until one side runs out.
import { describe, expect, it } from "vitest";
import { planAllocations } from "../../src/common/allocation.js";

describe("planAllocations", () => {
  it("a payment of 500.00 pays the oldest debt (300.00) in full and 200.00 of the next (400.00)", () => {
    expect(planAllocations([{ id: "P1", open: 50_000n }], [{ id: "D1", open: 30_000n }, { id: "D2", open: 40_000n }])).toEqual([
      { credit: "P1", debit: "D1", amount: 30_000n },
      { credit: "P1", debit: "D2", amount: 20_000n },
    ]);
  });

  it("several credits go, oldest first, to the debts in order; what is left of a credit stays open", () => {
    // D1 100.00 <- C1 60.00 + C2 40.00; D2 50.00 <- C2 10.00 + C3 40.00; C3 keeps 60.00 (a credit balance)
    expect(
      planAllocations(
        [{ id: "C1", open: 6_000n }, { id: "C2", open: 5_000n }, { id: "C3", open: 10_000n }],
        [{ id: "D1", open: 10_000n }, { id: "D2", open: 5_000n }],
      ),
    ).toEqual([
      { credit: "C1", debit: "D1", amount: 6_000n },
      { credit: "C2", debit: "D1", amount: 4_000n },
      { credit: "C2", debit: "D2", amount: 1_000n },
      { credit: "C3", debit: "D2", amount: 4_000n },
    ]);
  });

  it("nothing to do without credits or without debts; a debt already paid is skipped", () => {
    expect(planAllocations([], [{ id: "D1", open: 1n }])).toEqual([]);
    expect(planAllocations([{ id: "C1", open: 1n }], [])).toEqual([]);
    expect(planAllocations([{ id: "C1", open: 100n }], [{ id: "D0", open: 0n }, { id: "D1", open: 30n }])).toEqual([{ credit: "C1", debit: "D1", amount: 30n }]);
  });
});
