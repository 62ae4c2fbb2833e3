import type { EntityManager } from "typeorm";
import { planAllocations } from "../../common/allocation.js";
import { cycleFor, type BillingCycle } from "../../common/billing.js";
import { PostingKind } from "../../common/enums.js";
import { appError } from "../../common/errors.js";
import { formatCents, toCents, type Cents } from "../../common/money.js";
import { DRIVEN_BY_IDS, query, sql, type Sql } from "../../db/sql.js";
import { publish, publishing } from "../../events/bus.js";

/**
 * The ledger of a program account: an append-only journal of postings (statement_postings), the
 * running totals of its statements, and the allocation of payments and credits to debts.
 *
 * Invariants, each kept inside the transaction of the change that could break it:
 * - a statement's totals are the sums of its postings by kind (plus its previous balance), and its
 *   total payable is their sum (a CHECK in PostgreSQL as well);
 * - a statement's previous balance is the total payable of the account's previous statement, also
 *   while that one is still open (a posting on it shifts every later one);
 * - an ISSUED statement never changes; postings go to OPEN statements only;
 * - every open credit has been applied to every open debt it can pay: first where its payer chose
 *   (CARM's "Add and allocate payment"), then oldest debt first.
 *
 * Concurrency: every change to an account's money first takes the account's ledger lock (its
 * program_accounts row, FOR NO KEY UPDATE: foreign keys to the account still insert freely). Journal
 * line numbers, statement totals, allocation and the credit-card cap are then decided by one
 * transaction at a time per account; different accounts never wait for each other. Statements are
 * also locked when a posting reads them (openStatement). Lock order: a transaction's row
 * (amendments), then the ledger, then a business's transaction sequence.
 *
 * Every statement sent while the ledger lock is held is a round trip that every other change to the
 * account waits for (its rate is one over the lock's hold time): a posting is one statement, the
 * statement it goes on one more, and what reads no money (who may, which business acts, the payload)
 * happens before the lock or after COMMIT.
 */

export interface StatementRow {
  id: string;
  programAccountId: string;
  cycleStart: string;
  cycleEnd: string;
  issueDate: string;
  dueDate: string;
  status: "OPEN" | "ISSUED";
}

export interface PostingRow {
  id: string;
  statementId: string;
  lineNo: number;
  amount: Cents;
}

/** Takes the account's ledger lock until the end of the transaction. */
export async function lockLedger(em: EntityManager, programAccountId: string): Promise<void> {
  const rows = await query(em, sql`SELECT id FROM program_accounts WHERE id = ${programAccountId}::uuid FOR NO KEY UPDATE`);
  if (rows.length === 0) throw new Error(`lockLedger: no program account ${programAccountId}`);
}

const statementColumns = sql`id, program_account_id AS "programAccountId", cycle_start::text AS "cycleStart", cycle_end::text AS "cycleEnd",
  issue_date::text AS "issueDate", due_date::text AS "dueDate", status::text AS status`;

/**
 * The account's statement for `cycle`, opened if this is the cycle's first activity (race-free: the
 * unique index on account and cycle, and ON CONFLICT), and locked. A new statement's previous balance
 * is the total payable of the account's latest statement before it.
 */
export async function openStatement(em: EntityManager, programAccountId: string, cycle: BillingCycle): Promise<StatementRow> {
  const [row] = await query<StatementRow>(em, openingStatement(programAccountId, cycle), DRIVEN_BY_IDS);
  return row!;
}

/**
 * openStatement's one statement, to be sent alone or as a CTE of another that runs after the ledger
 * lock was granted (it reads the previous statement's total): inserted, or (ON CONFLICT DO UPDATE,
 * a change of nothing) the existing row, locked either way and returned as it is now.
 */
export function openingStatement(programAccountId: string, cycle: BillingCycle): Sql {
  return sql`INSERT INTO statements (program_account_id, cycle_start, cycle_end, issue_date, due_date, status, previous_balance, total_payable)
        SELECT ${programAccountId}::uuid, ${cycle.start}::date, ${cycle.end}::date, ${cycle.issueDate}::date, ${cycle.dueDate}::date, 'OPEN', b.total, b.total
          FROM (SELECT coalesce((SELECT total_payable FROM statements WHERE program_account_id = ${programAccountId}::uuid AND cycle_end < ${cycle.end}::date
                                  ORDER BY cycle_end DESC LIMIT 1), 0) AS total) b
        ON CONFLICT (program_account_id, cycle_end) DO UPDATE SET status = statements.status
        RETURNING ${statementColumns}`;
}

/**
 * The statement a posting goes on. A declaration goes on the statement of its release's cycle, and a
 * correction on its declaration's statement, while that statement is open (or not opened yet and not
 * due to be issued); otherwise, and for payments, interest and adjustments, on the statement of the
 * cycle `today` belongs to.
 */
export async function postingStatement(em: EntityManager, programAccountId: string, today: string, preferred?: BillingCycle): Promise<StatementRow> {
  const current = cycleFor(today);
  if (preferred && preferred.end < current.end) {
    const [existing] = await query<{ status: string }>(
      em,
      sql`SELECT status::text AS status FROM statements WHERE program_account_id = ${programAccountId}::uuid AND cycle_end = ${preferred.end}::date`,
    );
    if (existing ? existing.status === "OPEN" : preferred.issueDate > today) return openStatement(em, programAccountId, preferred);
  }
  return currentStatementOpen(await openStatement(em, programAccountId, current));
}

/**
 * The posting statement is the current cycle's (postingStatement), and postingStatement would open
 * it without looking at another: the statement it opens, for a caller that opened it itself
 * (openingStatement, in a statement of its own).
 */
export function postsOnCurrent(today: string, preferred?: BillingCycle): BillingCycle | null {
  const current = cycleFor(today);
  return preferred && preferred.end < current.end ? null : current;
}

/** The current cycle's statement, opened: it must be OPEN to be posted on. */
export function currentStatementOpen(statement: StatementRow): StatementRow {
  if (statement.status !== "OPEN") {
    // Only a run of statement issuing "as of" a day still to come can issue the current cycle early
    // (the job refuses such a date now): say so instead of failing with a server error.
    throw appError(
      "CONFLICT",
      `The statement of ${statement.programAccountId} for the cycle ending ${statement.cycleEnd} was issued before the cycle ended; nothing can be posted on it.`,
    );
  }
  return statement;
}

export interface NewPosting {
  kind: PostingKind;
  /** Positive: a debit (owed); negative: a credit. */
  amount: Cents;
  description: string;
  transactionId?: string | null;
  versionId?: string | null;
  paymentId?: string | null;
  penaltyId?: string | null;
  refundId?: string | null;
  submittedByBusinessId?: string | null;
  /**
   * A debit's due date when it is not its statement's: a late declaration is due with the billing
   * period of its deadline, a correction with its declaration, an accepted adjustment from the
   * original due date (interest runs until paid).
   */
  dueOn?: string;
  /** The last day whose interest on this debit is posted with it (an accepted adjustment's). */
  interestThrough?: string;
  /** For a credit: the debts its payer chose to pay, before the oldest-first rule (CARM's "allocate payment"). */
  allocateTo?: readonly { debitPostingId: string; amount: Cents }[];
}

/** How a posting moves its statement's totals. */
export function totalsDelta(kind: PostingKind, amount: Cents) {
  const d = { currentCharges: 0n, corrections: 0n, credits: 0n, interest: 0n, payments: 0n, refunds: 0n };
  switch (kind) {
    case PostingKind.CHARGE:
      d.currentCharges = amount;
      break;
    case PostingKind.CORRECTION:
    case PostingKind.ADJUSTMENT:
      if (amount > 0n) d.corrections = amount;
      else d.credits = -amount;
      break;
    case PostingKind.INTEREST:
      d.interest = amount;
      break;
    case PostingKind.PENALTY:
      // A penalty assessed is a penalty; what a dispute cancels of it is a credit.
      if (amount > 0n) d.interest = amount;
      else d.credits = -amount;
      break;
    case PostingKind.PAYMENT:
      d.payments = -amount;
      break;
    case PostingKind.REFUND:
      d.refunds = amount;
      break;
  }
  return d;
}

/**
 * Posts one line on an OPEN statement (from postingStatement or openStatement, under the ledger
 * lock): the journal line, the statement's totals, the previous balances of the account's later
 * statements, the allocation of credits to debts, and a STATEMENT_UPDATED event for every statement
 * that changed (sent when the transaction commits).
 */
/** What a changed statement tells its subscribers (sent when the transaction commits). */
// Each names the journal line that moved it, so that the event reaches only who may see that change (events.ts).
const updated = (statementId: string, programAccountId: string, postingId: string) => ({
  kind: "STATEMENT_UPDATED" as const,
  statementId,
  programAccountId,
  postingIds: [postingId],
});
/** Stands for the new journal line's id in its own statement's event (publishing's fill). */
const NEW_LINE = "00000000-0000-4000-8000-000000000000";

export async function post(em: EntityManager, statement: StatementRow, p: NewPosting, today: string): Promise<PostingRow> {
  if (statement.status !== "OPEN") throw new Error(`post: statement ${statement.id} is ${statement.status}`);
  const account = statement.programAccountId;
  const debit = p.amount >= 0n;
  const amount = formatCents(p.amount);
  const d = totalsDelta(p.kind, p.amount);
  // One statement (one round trip under the ledger lock): the statement's totals, the balance
  // carried forward into every later statement, the journal line numbered after the account's last
  // one, and whether the account has an unapplied credit (as before this line). Its snapshot is
  // taken after the ledger lock was granted (the caller's earlier statement), so the last line
  // number and the balances are those every earlier holder committed.
  const [row] = await query<{ id: string | null; line_no: number | null; later: { id: string; status: string }[]; open_credit: boolean }>(
    em,
    sql`WITH s AS (
          UPDATE statements SET current_charges = current_charges + ${formatCents(d.currentCharges)}::numeric,
            corrections = corrections + ${formatCents(d.corrections)}::numeric, credits = credits + ${formatCents(d.credits)}::numeric,
            interest_and_penalties = interest_and_penalties + ${formatCents(d.interest)}::numeric, payments = payments + ${formatCents(d.payments)}::numeric,
            refunds = refunds + ${formatCents(d.refunds)}::numeric, total_payable = total_payable + ${amount}::numeric
          WHERE id = ${statement.id}::uuid AND status = 'OPEN' RETURNING id),
        later AS (
          UPDATE statements SET previous_balance = previous_balance + ${amount}::numeric, total_payable = total_payable + ${amount}::numeric
          WHERE program_account_id = ${account}::uuid AND cycle_end > ${statement.cycleEnd}::date AND ${amount}::numeric <> 0
          RETURNING id, status::text AS status),
        line AS (
          INSERT INTO statement_postings (program_account_id, statement_id, line_no, kind, amount, open_amount, posted_on, due_on, interest_through, description,
            transaction_id, version_id, payment_id, penalty_id, refund_id, submitted_by_business_id)
          SELECT ${account}::uuid, s.id, (SELECT coalesce(max(line_no), 0) + 1 FROM statement_postings WHERE program_account_id = ${account}::uuid),
            ${p.kind}::posting_kind, ${amount}::numeric, ${formatCents(debit ? p.amount : -p.amount)}::numeric, ${today}::date,
            ${debit ? (p.dueOn ?? statement.dueDate) : null}::date, ${debit ? (p.interestThrough ?? null) : null}::date, ${p.description}::varchar,
            ${p.transactionId ?? null}::uuid, ${p.versionId ?? null}::uuid, ${p.paymentId ?? null}::uuid, ${p.penaltyId ?? null}::uuid, ${p.refundId ?? null}::uuid,
            ${p.submittedByBusinessId ?? null}::uuid
          FROM s
          RETURNING id, line_no)
        SELECT line.id, line.line_no,
          (SELECT coalesce(json_agg(json_build_object('id', later.id, 'status', later.status)), '[]') FROM later) AS later,
          EXISTS (SELECT 1 FROM statement_postings WHERE program_account_id = ${account}::uuid AND open_amount > 0 AND amount < 0) AS open_credit,
          ${publishing(updated(statement.id, account, NEW_LINE), { placeholder: NEW_LINE, value: sql`line.id::text` })} AS published
        FROM (SELECT 1) one LEFT JOIN line ON true`,
    DRIVEN_BY_IDS,
  );
  if (!row?.id) throw new Error(`post: statement ${statement.id} is not open`);
  if (row.later.some((s) => s.status !== "OPEN")) throw new Error(`post: a statement after ${statement.cycleEnd} is already issued`);
  // The statement posted on was told in the statement above; the others below.
  const changed = new Set<string>(row.later.map((s) => s.id));
  if (!debit && p.allocateTo?.length) for (const id of await allocateChosen(em, account, row.id, -p.amount, p.allocateTo, today)) changed.add(id);
  // A debit with no unapplied credit on the account leaves nothing to allocate: allocation would
  // read every open debt to find no credit (hundreds of rows on a busy account) and change nothing.
  if (!debit || row.open_credit) for (const id of await allocate(em, account, today)) changed.add(id);
  changed.delete(statement.id);
  for (const statementId of changed) await publish(em, updated(statementId, account, row.id));
  return { id: row.id, statementId: statement.id, lineNo: row.line_no!, amount: p.amount };
}

/**
 * Applies a new credit to the debts its payer chose, before anything else: each must be an open
 * debit of the same account with at least that much unpaid, and together no more than the credit
 * (BAD_USER_INPUT naming the allocation otherwise). Returns the statements whose debts were paid down.
 */
async function allocateChosen(
  em: EntityManager,
  programAccountId: string,
  creditId: string,
  credit: Cents,
  chosen: readonly { debitPostingId: string; amount: Cents }[],
  today: string,
): Promise<string[]> {
  const total = chosen.reduce((n, c) => n + c.amount, 0n);
  if (total > credit) throw appError("BAD_USER_INPUT", `The allocations add up to ${formatCents(total)}, more than the ${formatCents(credit)} paid.`, { field: "allocations" });
  const rows = await query<{ id: string; statement_id: string; open_amount: string }>(
    em,
    sql`SELECT id, statement_id, open_amount FROM statement_postings
         WHERE id = ANY(${chosen.map((c) => c.debitPostingId)}::uuid[]) AND program_account_id = ${programAccountId}::uuid AND amount > 0 FOR UPDATE`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const [i, c] of chosen.entries()) {
    const debt = byId.get(c.debitPostingId);
    const field = `allocations[${i}]`;
    if (!debt) throw appError("BAD_USER_INPUT", "That is not a debt of this program account.", { field: `${field}.postingId` });
    if (toCents(debt.open_amount) < c.amount) {
      throw appError("BAD_USER_INPUT", `That debt has ${formatCents(toCents(debt.open_amount))} unpaid; allocate at most that.`, { field: `${field}.amount` });
    }
  }
  await query(
    em,
    sql`INSERT INTO posting_allocations (credit_posting_id, debit_posting_id, amount, allocated_on)
        SELECT ${creditId}::uuid, d, a, ${today}::date FROM unnest(${chosen.map((c) => c.debitPostingId)}::uuid[], ${chosen.map((c) => formatCents(c.amount))}::numeric[]) AS x(d, a)`,
  );
  await query(
    em,
    sql`UPDATE statement_postings sp SET open_amount = sp.open_amount - x.used
          FROM unnest(${[creditId, ...chosen.map((c) => c.debitPostingId)]}::uuid[], ${[formatCents(total), ...chosen.map((c) => formatCents(c.amount))]}::numeric[]) AS x(id, used)
         WHERE sp.id = x.id`,
  );
  return [...new Set(rows.map((r) => r.statement_id))];
}

/**
 * Applies the account's open credits (oldest first) to its open debts (earliest due date first, then
 * journal order), dated `today`. Returns the statements whose debts were paid down.
 */
async function allocate(em: EntityManager, programAccountId: string, today: string): Promise<string[]> {
  const open = await query<{ id: string; statement_id: string; open_amount: string; credit: boolean }>(
    em,
    sql`SELECT id, statement_id, open_amount, amount < 0 AS credit FROM statement_postings
         WHERE program_account_id = ${programAccountId}::uuid AND open_amount > 0
         ORDER BY due_on NULLS FIRST, line_no`,
  );
  const credits = open.filter((r) => r.credit).map((r) => ({ id: r.id, open: toCents(r.open_amount) }));
  const debits = open.filter((r) => !r.credit).map((r) => ({ id: r.id, open: toCents(r.open_amount) }));
  if (credits.length === 0 || debits.length === 0) return [];
  const plan = planAllocations(credits, debits);
  if (plan.length === 0) return [];
  await query(
    em,
    sql`INSERT INTO posting_allocations (credit_posting_id, debit_posting_id, amount, allocated_on)
        SELECT c, d, a, ${today}::date FROM unnest(${plan.map((x) => x.credit)}::uuid[], ${plan.map((x) => x.debit)}::uuid[], ${plan.map((x) => formatCents(x.amount))}::numeric[]) AS x(c, d, a)`,
  );
  const used = new Map<string, Cents>();
  for (const x of plan) {
    used.set(x.credit, (used.get(x.credit) ?? 0n) + x.amount);
    used.set(x.debit, (used.get(x.debit) ?? 0n) + x.amount);
  }
  await query(
    em,
    sql`UPDATE statement_postings sp SET open_amount = sp.open_amount - x.used
          FROM unnest(${[...used.keys()]}::uuid[], ${[...used.values()].map(formatCents)}::numeric[]) AS x(id, used) WHERE sp.id = x.id`,
  );
  const paid = new Set(plan.map((x) => x.debit));
  return [...new Set(open.filter((r) => paid.has(r.id)).map((r) => r.statement_id))];
}
