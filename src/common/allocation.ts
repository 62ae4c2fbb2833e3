import type { Cents } from "./money.js";

export interface OpenItem {
  id: string;
  /** What is still unpaid (a debt) or unapplied (a credit), in cents, positive. */
  open: Cents;
}

export interface Allocation {
  credit: string;
  debit: string;
  amount: Cents;
}

/**
 * "Payments and credits offset the oldest debts first" (domain spec): each credit, oldest first, is
 * applied to the debts in the order given (the ledger orders them by due date, then journal line)
 * until one side is used up. Whatever is left stays open: unpaid debts, or a credit balance waiting
 * for the next debt.
 */
export function planAllocations(credits: readonly OpenItem[], debits: readonly OpenItem[]): Allocation[] {
  const out: Allocation[] = [];
  const debts = debits.map((d) => ({ ...d }));
  let i = 0;
  for (const c of credits) {
    let left = c.open;
    while (left > 0n && i < debts.length) {
      const debt = debts[i]!;
      const amount = left < debt.open ? left : debt.open;
      if (amount > 0n) out.push({ credit: c.id, debit: debt.id, amount });
      left -= amount;
      debt.open -= amount;
      if (debt.open === 0n) i++;
    }
  }
  return out;
}
