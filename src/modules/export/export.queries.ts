import { accountCondition, transactionCondition } from "../../auth/conditions.js";
import { postingRules, statementMoney } from "../../auth/money.js";
import { accountingPeriod } from "../../common/billing.js";
import { StatementView } from "../../common/enums.js";
import type { Context } from "../../context.js";
import { raw, sql, type Sql } from "../../db/sql.js";
import { notFound } from "../../common/errors.js";
import { transactionList, type TransactionFilter, type TransactionOrder } from "../transaction/transaction.service.js";

/**
 * What each export reads, for one viewer: the statement and its CSV columns. The rows are exactly
 * those the viewer's list would page through, filtered by the same SQL conditions from src/auth (no
 * second version of a rule), and every amount is one the viewer may see in the API.
 */
export interface ExportQuery {
  columns: readonly string[];
  statement: Sql;
  /** The file's name (without the directory a browser saves it in). */
  fileName: string;
  /** What the statement cannot say in SQL, worked out per row (in `columns` order) before it is written. */
  completeRow?: (row: unknown[]) => unknown[];
}

/**
 * Transaction history as `transactions(filter:, orderBy:)` lists it (newest release first unless
 * `orderBy` says otherwise): the list's own `from`, `where` (the broker visibility rules and the
 * filter, transaction.service.ts) and order, ties by id. The current version and the amounts
 * are those of the versions the viewer may see, like `currentVersionNo` and `totalDutiesAndTaxes`
 * (transaction.resolver.ts): a later version by a business their rules exclude stays invisible,
 * amounts included.
 */
export async function transactionsExport(ctx: Context, filter: TransactionFilter | null, orderBy: TransactionOrder | null, today: string): Promise<ExportQuery> {
  const list = await transactionList(ctx, filter, orderBy);
  const t = list.alias;
  // The list's sort key: a column, or what the viewer sees of each row (the amount, read in `from`).
  const sortExpr = typeof list.sort.expr === "string" ? raw(list.sort.expr) : list.sort.expr;
  const versionVisible = transactionCondition(ctx.access, t, { version: "v" });
  return {
    columns: [
      "transactionNumber", "bn15", "importer", "releasedOn", "accountedOn", "dueDate", "late", "submittedBy", "submittedByBn9",
      "currentVersionNo", "currentVersionKind", "currentVersionStatus",
      "customsDuty", "sima", "excise", "gst", "totalDutiesAndTaxes",
    ],
    statement: sql`SELECT ${raw(t)}.transaction_number, pa.bn15, importer.legal_name, ${raw(t)}.released_on::text, ${raw(t)}.accounted_on::text,
             (SELECT sp.due_on::text FROM statement_postings sp WHERE sp.transaction_id = ${raw(t)}.id AND sp.kind = 'CHARGE' ORDER BY sp.line_no LIMIT 1),
             ${raw(t)}.late,
             submitter.legal_name, submitter.bn9,
             coalesce(cv.version_no, 1), cv.kind::text, cv.status::text,
             av.customs_duty::text, av.sima::text, av.excise::text, av.gst::text, av.total_duties_and_taxes::text
        FROM ${list.from}
        JOIN program_accounts pa ON pa.id = ${raw(t)}.program_account_id
        JOIN businesses importer ON importer.id = pa.business_id
        JOIN businesses submitter ON submitter.id = ${raw(t)}.submitted_by_business_id
        LEFT JOIN LATERAL (SELECT v.version_no, v.kind, v.status FROM transaction_versions v
                            WHERE v.transaction_id = ${raw(t)}.id AND v.status <> 'REJECTED' AND ${versionVisible}
                            ORDER BY v.version_no DESC LIMIT 1) cv ON true
        LEFT JOIN LATERAL (SELECT v.customs_duty, v.sima, v.excise, v.gst, v.total_duties_and_taxes FROM transaction_versions v
                            WHERE v.transaction_id = ${raw(t)}.id AND v.status = 'ACCEPTED' AND ${versionVisible}
                            ORDER BY v.version_no DESC LIMIT 1) av ON true
       WHERE ${list.where}
       ORDER BY ${sortExpr} ${raw(list.direction)}, ${raw(t)}.id ${raw(list.direction)}`,
    fileName: `transactions${filter?.bn15 ? `-${filter.bn15}` : ""}-${today}.csv`,
    // dueDate as `Transaction.dueDate` gives it: its charge's due date (the journal is the record), or,
    // without a charge posted, its billing period's (Customs Act s.33.4(2)).
    completeRow: (row) => {
      if (row[5] === null) row[5] = periodDueDate(row[3] as string, row[4] as string);
      return row;
    },
  };
}

/**
 * A billing period's due date, remembered per pair of days: working it out walks business days and
 * holidays (about 17 µs), and a file of a million rows holds a few hundred distinct pairs. Bounded:
 * emptied when it holds MAX_REMEMBERED.
 */
const MAX_REMEMBERED = 10_000;
const dueDates = new Map<string, string>();
function periodDueDate(releasedOn: string, accountedOn: string): string {
  const key = `${releasedOn}/${accountedOn}`;
  let due = dueDates.get(key);
  if (due === undefined) {
    if (dueDates.size >= MAX_REMEMBERED) dueDates.clear();
    due = accountingPeriod(releasedOn, accountedOn).dueDate;
    dueDates.set(key, due);
  }
  return due;
}

/**
 * A statement's journal in line order, as `statement.postings` lists it: every line with a FULL view,
 * otherwise those of the transactions (and versions) the viewer may see and their business's payments
 * (money.ts, postingRules; the same condition admits a StatementPosting anywhere in the API).
 * A statement the viewer may not view is NOT_FOUND, like another business's.
 * Each cell is what `StatementPosting` answers this viewer: `openAmount` only with a FULL view (what
 * a payment paid depends on every debt of the account), a payment's or refund's reference and card
 * digits only for those allowed payment details (statement.resolver.ts).
 */
export async function postingsExport(ctx: Context, statementId: string): Promise<ExportQuery> {
  const [statement] = (await ctx.db.query(
    `SELECT s.id, s.program_account_id, s.cycle_end::text AS cycle_end, pa.bn15 FROM statements s JOIN program_accounts pa ON pa.id = s.program_account_id WHERE s.id = $1`,
    [statementId],
  )) as { id: string; program_account_id: string; cycle_end: string; bn15: string }[];
  if (!statement || !(await ctx.access.can("VIEW_STATEMENTS", statement.program_account_id))) throw notFound("The statement");
  const full = (await statementMoney(ctx, { id: statement.id, programAccountId: statement.program_account_id })).view === StatementView.FULL;
  const details = await ctx.access.can("VIEW_PAYMENT_DETAILS", statement.program_account_id);
  const description = details
    ? sql`CASE WHEN sp.payment_id IS NOT NULL THEN concat(sp.description, ' (…' || pay.instrument_last4 || ')', ', ' || pay.reference)
               WHEN sp.refund_id IS NOT NULL THEN concat(sp.description, ', ' || rr.reference)
               ELSE sp.description END`
    : sql`sp.description`;
  return {
    columns: ["lineNo", "postedOn", "kind", "description", "transactionNumber", "amount", "openAmount", "dueOn"],
    statement: sql`SELECT sp.line_no, sp.posted_on::text, sp.kind::text, ${description}, pt.transaction_number, sp.amount::text,
             ${full ? sql`sp.open_amount::text` : sql`NULL::text`}, sp.due_on::text
        FROM statement_postings sp
        LEFT JOIN transactions pt ON pt.id = sp.transaction_id
        LEFT JOIN payments pay ON pay.id = sp.payment_id
        LEFT JOIN refund_requests rr ON rr.id = sp.refund_id
       WHERE sp.statement_id = ${statement.id}::uuid
         AND ${accountCondition(ctx.access, "VIEW_STATEMENTS", "sp.program_account_id", (g) => postingRules(g, "sp"))}
       ORDER BY sp.line_no`,
    fileName: `statement-${statement.bn15}-${statement.cycle_end}.csv`,
  };
}
