import type { DataSource, EntityManager } from "typeorm";
import { ownPeopleAllowed } from "../../auth/money.js";
import { addDays, businessDate, cycleFor, nextCycle, type BillingCycle } from "../../common/billing.js";
import { NotificationKind, PostingKind } from "../../common/enums.js";
import { interestFor, type InterestDebt, type RatePeriod } from "../../common/interest.js";
import { formatCents, toCents, type Cents } from "../../common/money.js";
import { query, sql } from "../../db/sql.js";
import { notify } from "../../application/notify.js";
import { returning } from "../../db/sql.js";
import { badInput } from "../../common/errors.js";
import { publish } from "../../events/bus.js";
import type { Logger } from "../../logger.js";
import { AuditEvent } from "../audit/audit.entity.js";
import { lockLedger, openStatement, post, type StatementRow } from "./ledger.js";
import { readCommitted } from "../../db/transaction.js";

/** The prescribed interest rates configured so far (agency officers set them: setPrescribedInterestRate). */
export async function prescribedRates(em: EntityManager | DataSource): Promise<RatePeriod[]> {
  return query<RatePeriod>(em, sql`SELECT effective_from::text AS "from", rate::text AS rate FROM prescribed_interest_rates ORDER BY effective_from`);
}

/**
 * The account's debts that were unpaid on some day after both their due date and the last day whose
 * interest is already posted, up to `to`, with the dates their payments were applied: what interest up
 * to `to` is computed on. A debt posted after its due date had passed (a late declaration, an accepted
 * adjustment) is charged from the day after its due date, however many cycles ago that was.
 */
async function overdueDebts(em: EntityManager, programAccountId: string, to: string): Promise<InterestDebt[]> {
  const rows = await query<{ amount: string; due_on: string; interest_through: string | null; allocations: { on: string; amount: string }[] }>(
    em,
    sql`SELECT sp.amount, sp.due_on::text AS due_on, sp.interest_through::text AS interest_through,
               coalesce(json_agg(json_build_object('on', a.allocated_on::text, 'amount', a.amount::text)) FILTER (WHERE a.id IS NOT NULL), '[]'::json) AS allocations
          FROM statement_postings sp LEFT JOIN posting_allocations a ON a.debit_posting_id = sp.id
         WHERE sp.program_account_id = ${programAccountId}::uuid AND sp.amount > 0 AND sp.due_on < ${to}::date
           AND (sp.interest_through IS NULL OR sp.interest_through < ${to}::date)
           AND (sp.open_amount > 0 OR EXISTS (SELECT 1 FROM posting_allocations x WHERE x.debit_posting_id = sp.id
                                                AND x.allocated_on > greatest(sp.due_on, coalesce(sp.interest_through, sp.due_on))))
         GROUP BY sp.id`,
  );
  return rows.map((r) => ({
    amount: toCents(r.amount), dueOn: r.due_on, interestThrough: r.interest_through, allocations: r.allocations.map((a) => ({ on: a.on, amount: toCents(a.amount) })),
  }));
}

/**
 * Interest on the account's overdue debts up to the end of a cycle (see common/interest.ts): for each
 * debt, the days after its due date and after the last day already charged. Marks those days charged.
 */
export async function cycleInterest(em: EntityManager, programAccountId: string, cycle: { cycleEnd: string }, rates: RatePeriod[]): Promise<Cents> {
  const debts = await overdueDebts(em, programAccountId, cycle.cycleEnd);
  const from = debts.reduce((first, d) => {
    const start = addDays(d.interestThrough && d.interestThrough > d.dueOn ? d.interestThrough : d.dueOn, 1);
    return start < first ? start : first;
  }, cycle.cycleEnd);
  const interest = interestFor(debts, from, cycle.cycleEnd, rates);
  await query(
    em,
    sql`UPDATE statement_postings SET interest_through = ${cycle.cycleEnd}::date
         WHERE program_account_id = ${programAccountId}::uuid AND amount > 0 AND due_on < ${cycle.cycleEnd}::date
           AND (interest_through IS NULL OR interest_through < ${cycle.cycleEnd}::date)`,
  );
  return interest;
}

/** The account's total payable carried into `cycle` (its latest statement before it), in cents. */
async function balanceBefore(em: EntityManager, programAccountId: string, cycle: BillingCycle): Promise<Cents> {
  const [row] = await query<{ total_payable: string }>(
    em,
    sql`SELECT total_payable FROM statements WHERE program_account_id = ${programAccountId}::uuid AND cycle_end < ${cycle.end}::date ORDER BY cycle_end DESC LIMIT 1`,
  );
  return row ? toCents(row.total_payable) : 0n;
}

/**
 * The next statement of the account to issue as of `today`, or null. Cycles are issued in order:
 * after the latest issued statement comes the next cycle whose issue date has come; its statement is
 * the one opened by activity, or, when the account carries a balance into a cycle without activity,
 * one opened now (a statement is issued every cycle while something is owed or in credit). A cycle
 * with neither activity nor balance has no statement.
 */
async function nextToIssue(em: EntityManager, programAccountId: string, today: string): Promise<StatementRow | null> {
  const [latestIssued] = await query<{ cycle_end: string }>(
    em,
    sql`SELECT cycle_end::text FROM statements WHERE program_account_id = ${programAccountId}::uuid AND status = 'ISSUED' ORDER BY cycle_end DESC LIMIT 1`,
  );
  const [earliestOpen] = await query<{ cycle_end: string }>(
    em,
    sql`SELECT cycle_end::text FROM statements WHERE program_account_id = ${programAccountId}::uuid AND status = 'OPEN' ORDER BY cycle_end LIMIT 1`,
  );
  let cycle: BillingCycle | null = latestIssued ? nextCycle(cycleFor(latestIssued.cycle_end)) : earliestOpen ? cycleFor(earliestOpen.cycle_end) : null;
  while (cycle && cycle.issueDate <= today) {
    if (earliestOpen && earliestOpen.cycle_end <= cycle.end) return openStatement(em, programAccountId, cycleFor(earliestOpen.cycle_end));
    if ((await balanceBefore(em, programAccountId, cycle)) !== 0n) return openStatement(em, programAccountId, cycle);
    cycle = nextCycle(cycle);
  }
  return null;
}

export interface IssueOptions {
  /** The business date of the run. */
  today: string;
  /** The instant recorded as the issue time (and the "now" access rules are judged at). */
  now: Date;
  /** Who runs it: an agency officer, or null for the scheduled job. */
  actorUserId: string | null;
  /** Re-checks the actor's authority inside each account's transaction. */
  authorize?: (em: EntityManager) => Promise<void>;
  /**
   * Replaying history (the demo seed): issue without notifying anyone or writing the audit trail,
   * which are news of the moment, not of the past.
   */
  quiet?: boolean;
}

/**
 * Issues, account by account and cycle by cycle, every statement whose issue date has come: interest
 * on what was overdue during the cycle is posted on it, it becomes ISSUED (and never changes again),
 * the importer's people who read statements are notified (STATEMENT_ISSUED), and subscribers hear of
 * it. Each account is one transaction under its ledger lock, so an account that fails does not hold
 * back the others, and a second run (another process, a retry) finds nothing left to issue.
 */
export async function issueDueStatements(db: DataSource, logger: Logger, opts: IssueOptions): Promise<{ issued: number }> {
  // "As of" a day still to come would issue statements of cycles not yet ended, and every later
  // posting on them would fail: a run is as of today at the latest (a day the job missed is caught up).
  const realToday = businessDate(new Date());
  if (opts.today > realToday) {
    throw badInput(`Statements are issued as of today (${realToday}) or a day already past, not ${opts.today}.`, "now");
  }
  const candidates = await query<{ program_account_id: string }>(
    db,
    sql`SELECT program_account_id FROM statements WHERE status = 'OPEN' AND issue_date <= ${opts.today}::date
        UNION
        SELECT s.program_account_id FROM statements s
         WHERE s.status = 'ISSUED' AND s.total_payable <> 0 AND s.issue_date + 28 <= ${opts.today}::date
           AND NOT EXISTS (SELECT 1 FROM statements l WHERE l.program_account_id = s.program_account_id AND l.status = 'ISSUED' AND l.cycle_end > s.cycle_end)`,
  );
  let issued = 0;
  for (const { program_account_id: account } of candidates) {
    issued += await readCommitted(db, async (em) => {
      await opts.authorize?.(em);
      return issueAccountStatements(em, account, opts);
    });
  }
  if (issued) logger.info("statements issued", { issued, today: opts.today });
  return { issued };
}

/** Issues the account's statements due as of `opts.today`, oldest first, in the caller's transaction. Returns how many. */
export async function issueAccountStatements(em: EntityManager, programAccountId: string, opts: IssueOptions): Promise<number> {
  await lockLedger(em, programAccountId);
  const rates = await prescribedRates(em);
  let n = 0;
  for (let s = await nextToIssue(em, programAccountId, opts.today); s; s = await nextToIssue(em, programAccountId, opts.today)) {
    await issueOne(em, s, rates, opts);
    n++;
  }
  return n;
}

async function issueOne(em: EntityManager, s: StatementRow, rates: RatePeriod[], opts: IssueOptions): Promise<void> {
  const interest = await cycleInterest(em, s.programAccountId, s, rates);
  if (interest > 0n) {
    await post(em, s, { kind: PostingKind.INTEREST, amount: interest, description: `Interest on overdue amounts to ${s.cycleEnd}` }, opts.today);
  }
  const [issued] = await returning<{ total_payable: string; bn15: string; legal_name: string; business_id: string }>(
    em,
    sql`UPDATE statements s SET status = 'ISSUED', issued_at = ${opts.now}
          FROM program_accounts pa JOIN businesses b ON b.id = pa.business_id
         WHERE s.id = ${s.id}::uuid AND s.status = 'OPEN' AND pa.id = s.program_account_id
        RETURNING s.total_payable, pa.bn15, b.legal_name, b.id AS business_id`,
  );
  if (!issued) throw new Error(`issue: statement ${s.id} is not open`);
  await publish(em, { kind: "STATEMENT_UPDATED", statementId: s.id, programAccountId: s.programAccountId });
  if (opts.quiet) return;
  const total = formatCents(toCents(issued.total_payable));
  await notify(em, await ownPeopleAllowed(em, s.programAccountId, "VIEW_STATEMENTS", opts.now), {
    kind: NotificationKind.STATEMENT_ISSUED,
    title: "Statement of Account issued",
    body: `The Statement of Account of ${issued.bn15} (${issued.legal_name}) for releases from ${s.cycleStart} to ${s.cycleEnd} was issued: total payable $${total}, due ${s.dueDate}.`,
    businessId: issued.business_id,
  });
  await em.getRepository(AuditEvent).insert({
    businessId: issued.business_id,
    actorUserId: opts.actorUserId,
    action: "statement.issued",
    targetType: "Statement",
    targetId: s.id,
    before: { status: "OPEN" },
    after: { status: "ISSUED", totalPayable: total, interestPosted: formatCents(interest), cycleEnd: s.cycleEnd, dueDate: s.dueDate },
  });
}

