import type { EntityManager } from "typeorm";
import { accountingPeriod, addDays, isLateFiling, type BillingCycle } from "../../common/billing.js";
import { declarationDuties, type DeclarationDuties } from "../../common/duties.js";
import { PostingKind, TransactionVersionKind, TransactionVersionStatus } from "../../common/enums.js";
import { appError, forbidden } from "../../common/errors.js";
import { makeTransactionNumber } from "../../common/identifiers.js";
import { interestFor } from "../../common/interest.js";
import { formatCents, toCents, type Cents } from "../../common/money.js";
import { columnNamesOf, hydrateArrays, jsonColumnsOf } from "../../db/rows.js";
import { DRIVEN_BY_IDS, query, raw, sql, type Sql } from "../../db/sql.js";
import { prescribedRates } from "../statement/issuing.js";
import { currentStatementOpen, lockLedger, openingStatement, post, postingStatement, postsOnCurrent, type StatementRow } from "../statement/ledger.js";
import { Transaction, TransactionLine, TransactionVersion } from "./transaction.entity.js";

/**
 * Filing, correcting and adjusting declarations: the domain's rules, below authorization (the
 * mutations decide who may, and as which business; the seed replays its history through these).
 * `today` is the business date the change happens on.
 */

/** One line as filed (validated and normalised by the mutation: money with two places, rate in percent). */
export interface DeclarationLine {
  classificationCode: string;
  description: string;
  valueForDuty: string;
  tariffTreatment: string;
  customsDutyRate: string;
  sima: string;
  excise: string;
}

export interface Filer {
  id: string;
  legalName: string;
  asec: string | null;
}

/**
 * Takes the account's ledger lock, then the next transaction number of a business: its ASEC, its
 * next sequence number, a check digit. One statement, in the ledger's lock order (the ledger, then
 * the sequence): the sequence row is incremented from the locked account's row (INSERT ... SELECT
 * ... ON CONFLICT DO UPDATE ... RETURNING), so PostgreSQL holds the ledger lock before it touches the
 * sequence; concurrent filings by one business wait for each other there and never share a number.
 * The increment rolls back with the filing: numbers have no gaps.
 */
async function lockLedgerForNumber(em: EntityManager, programAccountId: string, filer: Filer): Promise<string> {
  if (!filer.asec) {
    throw forbidden(
      `${filer.legalName} has no account security number (ASEC): a business receives one when it posts financial security, and files declarations under it.`,
    );
  }
  const [row] = await query<{ last_value: number }>(
    em,
    sql`WITH ledger AS (SELECT id FROM program_accounts WHERE id = ${programAccountId}::uuid FOR NO KEY UPDATE)
        INSERT INTO transaction_sequences (business_id, last_value) SELECT ${filer.id}::uuid, 1 FROM ledger
        ON CONFLICT (business_id) DO UPDATE SET last_value = transaction_sequences.last_value + 1
        RETURNING last_value`,
    DRIVEN_BY_IDS,
  );
  if (!row) throw new Error(`fileDeclaration: no program account ${programAccountId}`);
  return makeTransactionNumber(filer.asec, row.last_value);
}

interface NewVersion {
  versionNo: number;
  kind: TransactionVersionKind;
  status: TransactionVersionStatus;
  submittedByBusinessId: string;
  submittedByUserId: string | null;
  reason: string | null;
  lines: DeclarationLine[];
  duties: DeclarationDuties;
}

/**
 * A version and its lines, as data-modifying CTEs `v` and `l` of a statement (one round trip however
 * many lines): `transaction` is a FROM item with the transaction's `id` (its row, or the CTE that
 * inserts it). `version_row` has the version's columns as jsonColumnsOf selects them.
 */
function versionInserts(em: EntityManager, transaction: Sql, v: NewVersion): Sql {
  const given = <K extends keyof DeclarationLine>(k: K) => v.lines.map((l) => l[k]);
  const computed = <K extends "customsDuty" | "valueForTax" | "gst">(k: K) => v.duties.lines.map((l) => l[k]);
  return sql`v AS (
      INSERT INTO transaction_versions (transaction_id, version_no, kind, status, submitted_by_business_id, submitted_by_user_id, reason,
        customs_duty, sima, excise, gst, total_duties_and_taxes, interest)
      SELECT tx.id, ${v.versionNo}::int, ${v.kind}::transaction_version_kind, ${v.status}::transaction_version_status, ${v.submittedByBusinessId}::uuid,
        ${v.submittedByUserId}::uuid, ${v.reason}::varchar, ${v.duties.customsDuty}::numeric, ${v.duties.sima}::numeric, ${v.duties.excise}::numeric,
        ${v.duties.gst}::numeric, ${v.duties.total}::numeric, 0
        FROM ${transaction} tx
      RETURNING *),
    l AS (
      INSERT INTO transaction_lines (version_id, line_no, classification_code, description, value_for_duty, tariff_treatment, customs_duty_rate, sima, excise,
        customs_duty, value_for_tax, gst)
      SELECT v.id, x.line_no, x.classification_code, x.description, x.value_for_duty, x.tariff_treatment, x.customs_duty_rate, x.sima, x.excise,
        x.customs_duty, x.value_for_tax, x.gst
        FROM v, unnest(${given("classificationCode")}::text[], ${given("description")}::text[], ${given("valueForDuty")}::numeric[],
          ${given("tariffTreatment")}::text[], ${given("customsDutyRate")}::numeric[], ${given("sima")}::numeric[], ${given("excise")}::numeric[],
          ${computed("customsDuty")}::numeric[], ${computed("valueForTax")}::numeric[], ${computed("gst")}::numeric[])
          WITH ORDINALITY AS x(classification_code, description, value_for_duty, tariff_treatment, customs_duty_rate, sima, excise, customs_duty, value_for_tax, gst, line_no)
      RETURNING 1),
    version_row AS (SELECT ${jsonColumnsOf(em, TransactionVersion, "v")} FROM v)`;
}

/** The one row of `from` (selected with jsonColumnsOf) as one JSON array of `columns`, for hydrateArrays. */
const rowAsArray = (columns: readonly string[], from: string) => sql`(SELECT json_build_array(${raw(columns.map((c) => `q."${c}"`).join(", "))}) FROM ${raw(from)} q)`;

/** A new version of a declaration and its lines, in one statement. */
async function insertVersion(em: EntityManager, transactionId: string, v: NewVersion): Promise<TransactionVersion> {
  const [row] = await query<{ version: unknown[] }>(
    em,
    sql`WITH ${versionInserts(em, sql`(SELECT ${transactionId}::uuid AS id)`, v)}
        SELECT ${rowAsArray(columnNamesOf(em, TransactionVersion), "version_row")} AS version`,
  );
  return hydrateArrays(em, TransactionVersion, [row!.version])[0]!;
}

/**
 * Files a CAD on a program account: duties and taxes computed per line (common/duties.ts), a new
 * transaction number, the original version, and its charge posted. The declaration belongs to the
 * billing period holding the earlier of its filing day and its accounting deadline (Customs Act
 * s.33.4(2)(a)): filed on time, the period of the filing day; filed late, the period of the deadline,
 * due with that period (interest from that due date). The charge goes on that period's statement
 * while it is open, otherwise on the current one, still due on the period's due date.
 */
export async function fileDeclaration(
  em: EntityManager,
  input: { programAccountId: string; filer: Filer; userId: string | null; releasedOn: string; lines: DeclarationLine[]; today: string },
): Promise<{ transaction: Transaction; version: TransactionVersion; duties: DeclarationDuties }> {
  const duties = declarationDuties(input.lines);
  // Under the ledger lock from here to COMMIT: each statement sent is one more round trip that every
  // other filing on the account waits for, so the declaration is written in one.
  const transactionNumber = await lockLedgerForNumber(em, input.programAccountId, input.filer);
  const period = accountingPeriod(input.releasedOn, input.today);
  // Its statement, when it is the current cycle's (as it is for a declaration filed on time), is
  // opened in the same statement.
  const current = postsOnCurrent(input.today, period);
  const [row] = await query<{ transaction: unknown[]; version: unknown[]; statement: StatementRow | null }>(
    em,
    sql`WITH t AS (
          INSERT INTO transactions (transaction_number, program_account_id, submitted_by_business_id, submitted_by_user_id, released_on, accounted_on,
            current_version_no, total_duties_and_taxes, late)
          VALUES (${transactionNumber}, ${input.programAccountId}::uuid, ${input.filer.id}::uuid, ${input.userId}::uuid, ${input.releasedOn}::date,
            ${input.today}::date, 1, ${duties.total}::numeric, ${isLateFiling(input.releasedOn, input.today)})
          RETURNING *),
        transaction_row AS (SELECT ${jsonColumnsOf(em, Transaction, "t")} FROM t),
        ${versionInserts(em, sql`t`, {
          versionNo: 1,
          kind: TransactionVersionKind.ORIGINAL,
          status: TransactionVersionStatus.ACCEPTED,
          submittedByBusinessId: input.filer.id,
          submittedByUserId: input.userId,
          reason: null,
          lines: input.lines,
          duties,
        })}
        ${current ? sql`, st AS (${openingStatement(input.programAccountId, current)})` : sql``}
        SELECT ${rowAsArray(columnNamesOf(em, Transaction), "transaction_row")} AS transaction,
               ${rowAsArray(columnNamesOf(em, TransactionVersion), "version_row")} AS version,
               ${current ? sql`(SELECT row_to_json(st) FROM st)` : sql`NULL::json`} AS statement`,
    DRIVEN_BY_IDS,
  );
  const transaction = hydrateArrays(em, Transaction, [row!.transaction])[0]!;
  const version = hydrateArrays(em, TransactionVersion, [row!.version])[0]!;
  const statement = row!.statement ? currentStatementOpen(row!.statement) : await postingStatement(em, input.programAccountId, input.today, period);
  await post(
    em,
    statement,
    {
      kind: PostingKind.CHARGE,
      amount: toCents(duties.total),
      description: `Declaration ${transactionNumber}, released ${input.releasedOn}`,
      transactionId: transaction.id,
      versionId: version.id,
      submittedByBusinessId: input.filer.id,
      // On its own period's statement, that statement's due date; on a later one, still its period's.
      dueOn: statement.cycleEnd === period.end ? statement.dueDate : period.dueDate,
    },
    input.today,
  );
  return { transaction, version, duties };
}

/**
 * The billing period a declaration belongs to, and its due date: the due date of its charge (the
 * journal is the record; a calendar changed since does not move it), or its period's. The due date
 * decides correction or adjustment, and is when what a correction adds is due.
 */
export async function declarationPeriod(
  em: EntityManager,
  transaction: Pick<Transaction, "id" | "releasedOn" | "accountedOn">,
): Promise<{ period: BillingCycle; dueDate: string }> {
  const period = accountingPeriod(transaction.releasedOn, transaction.accountedOn);
  const [row] = await query<{ due_on: string }>(
    em,
    sql`SELECT sp.due_on::text AS due_on FROM statement_postings sp
         WHERE sp.transaction_id = ${transaction.id}::uuid AND sp.kind = 'CHARGE' ORDER BY sp.line_no LIMIT 1`,
  );
  return { period, dueDate: row?.due_on ?? period.dueDate };
}

/**
 * Locks a transaction for a change of versions (one amendment or decision at a time), then reads it.
 * FOR NO KEY UPDATE: rows that merely reference it (versions, postings) still insert freely.
 */
async function lockTransaction(em: EntityManager, transactionId: string): Promise<Transaction> {
  const [locked] = await query(em, sql`SELECT id FROM transactions WHERE id = ${transactionId}::uuid FOR NO KEY UPDATE`);
  if (!locked) throw new Error(`no transaction ${transactionId}`);
  return em.getRepository(Transaction).findOneByOrFail({ id: transactionId });
}

/**
 * Amends a declaration with a complete new set of lines. Up to and including the payment due date
 * of the statement its charge went on, it is a CORRECTION: accepted at once, its difference posted
 * without interest. After it, an ADJUSTMENT: a new version UNDER_REVIEW, posted only when an agency
 * officer accepts it (decideAdjustment). One adjustment at a time is under review.
 */
export async function amendDeclaration(
  em: EntityManager,
  input: { transactionId: string; actingBusinessId: string; userId: string | null; lines: DeclarationLine[]; reason: string; today: string },
): Promise<{ transaction: Transaction; version: TransactionVersion; delta: Cents }> {
  const transaction = await lockTransaction(em, input.transactionId);
  const [pending] = await query(
    em,
    sql`SELECT 1 FROM transaction_versions WHERE transaction_id = ${transaction.id}::uuid AND status = 'UNDER_REVIEW'`,
  );
  if (pending) throw appError("CONFLICT", `An adjustment of ${transaction.transactionNumber} is under review: wait for the agency's decision before changing it again.`);
  const duties = declarationDuties(input.lines);
  const { period, dueDate } = await declarationPeriod(em, transaction);
  const correction = input.today <= dueDate;
  const versionNo = transaction.currentVersionNo + 1;
  const version = await insertVersion(em, transaction.id, {
    versionNo,
    kind: correction ? TransactionVersionKind.CORRECTION : TransactionVersionKind.ADJUSTMENT,
    status: correction ? TransactionVersionStatus.ACCEPTED : TransactionVersionStatus.UNDER_REVIEW,
    submittedByBusinessId: input.actingBusinessId,
    submittedByUserId: input.userId,
    reason: input.reason,
    lines: input.lines,
    duties,
  });
  const delta = toCents(duties.total) - toCents(transaction.totalDutiesAndTaxes);
  transaction.currentVersionNo = versionNo;
  if (correction) transaction.totalDutiesAndTaxes = duties.total;
  await em.getRepository(Transaction).update({ id: transaction.id }, { currentVersionNo: versionNo, totalDutiesAndTaxes: transaction.totalDutiesAndTaxes });
  if (correction && delta !== 0n) {
    await lockLedger(em, transaction.programAccountId);
    const statement = await postingStatement(em, transaction.programAccountId, input.today, period);
    await post(
      em,
      statement,
      {
        kind: PostingKind.CORRECTION,
        amount: delta,
        description: `Correction of ${transaction.transactionNumber} (version ${versionNo})`,
        transactionId: transaction.id,
        versionId: version.id,
        submittedByBusinessId: input.actingBusinessId,
        // What a correction adds is due with its declaration: correcting is interest-free, not a new delay.
        dueOn: dueDate,
      },
      input.today,
    );
  }
  return { transaction, version, delta };
}

/**
 * The agency's decision on an adjustment under review (the review workflow itself belongs to the
 * agency side; this is what a decision does to the money). Accepted: the version becomes the
 * declaration's accepted one, its difference is posted on the current statement, and an increase
 * bears interest from the original due date (Memorandum D11-6-5 s.2: "from the day after the amount
 * became payable until it is paid"): to the day of acceptance, posted with it and recorded on the
 * version; after that, like any debt due on the original due date, until it is paid. Rejected: nothing is posted. Either way the decision (when, by whom, the note) is
 * recorded on the version. The transaction's row lock makes it a compare-and-set: of two decisions
 * at once, the second finds the version decided and gets CONFLICT.
 */
export async function decideAdjustment(
  em: EntityManager,
  input: { versionId: string; accept: boolean; today: string; decidedByUserId?: string | null; note?: string | null },
): Promise<{ transaction: Transaction; version: TransactionVersion; delta: Cents; interest: Cents }> {
  const [ref] = await query<{ transaction_id: string }>(em, sql`SELECT transaction_id FROM transaction_versions WHERE id = ${input.versionId}::uuid`);
  if (!ref) throw new Error(`no version ${input.versionId}`);
  const transaction = await lockTransaction(em, ref.transaction_id);
  const version = await em.getRepository(TransactionVersion).findOneByOrFail({ id: input.versionId });
  if (version.kind !== TransactionVersionKind.ADJUSTMENT) {
    throw appError("CONFLICT", `Version ${version.versionNo} of ${transaction.transactionNumber} is not an adjustment under review.`);
  }
  if (version.status !== TransactionVersionStatus.UNDER_REVIEW) {
    throw appError("CONFLICT", `The adjustment of ${transaction.transactionNumber} (version ${version.versionNo}) has already been decided: it was ${version.status.toLowerCase()}.`);
  }
  const decision = { decidedByUserId: input.decidedByUserId ?? null, decisionNote: input.note ?? null };
  if (!input.accept) {
    await em.getRepository(TransactionVersion).update({ id: version.id }, { status: TransactionVersionStatus.REJECTED, ...decision, decidedAt: () => "now()" });
    return { transaction, version: await em.getRepository(TransactionVersion).findOneByOrFail({ id: version.id }), delta: 0n, interest: 0n };
  }
  const { dueDate } = await declarationPeriod(em, transaction);
  const delta = toCents(version.totalDutiesAndTaxes) - toCents(transaction.totalDutiesAndTaxes);
  await lockLedger(em, transaction.programAccountId);
  const rates = await prescribedRates(em);
  const interest = delta > 0n ? interestFor([{ amount: delta, dueOn: dueDate, allocations: [] }], addDays(dueDate, 1), input.today, rates) : 0n;
  await em.getRepository(TransactionVersion).update(
    { id: version.id },
    { status: TransactionVersionStatus.ACCEPTED, interest: formatCents(interest), ...decision, decidedAt: () => "now()" },
  );
  Object.assign(version, await em.getRepository(TransactionVersion).findOneByOrFail({ id: version.id }));
  transaction.totalDutiesAndTaxes = version.totalDutiesAndTaxes;
  await em.getRepository(Transaction).update({ id: transaction.id }, { totalDutiesAndTaxes: transaction.totalDutiesAndTaxes });
  const statement = await postingStatement(em, transaction.programAccountId, input.today);
  const refs = { transactionId: transaction.id, versionId: version.id, submittedByBusinessId: version.submittedByBusinessId };
  if (delta !== 0n) {
    // An increase is owed since the original due date: interest up to today is posted just below,
    // and the days after it are charged, while unpaid, when the statements are issued.
    const owed = delta > 0n && dueDate < input.today ? { dueOn: dueDate, interestThrough: input.today } : {};
    await post(
      em,
      statement,
      { kind: PostingKind.ADJUSTMENT, amount: delta, description: `Adjustment of ${transaction.transactionNumber} (version ${version.versionNo})`, ...refs, ...owed },
      input.today,
    );
  }
  if (interest > 0n) {
    await post(
      em,
      statement,
      { kind: PostingKind.INTEREST, amount: interest, description: `Interest on the adjustment of ${transaction.transactionNumber} from ${dueDate} to ${input.today}`, ...refs },
      input.today,
    );
  }
  return { transaction, version, delta, interest };
}
