/**
 * A program account's money over four billing cycles, replayed day by day through the ledger (the
 * same functions the API and the jobs call, with the business date as a parameter), against figures
 * worked out by hand below. Guarded: a balance not carried from one statement to the next (also
 * while the earlier one is still open), payments not going to the oldest debts first, interest
 * charged on what was paid or not charged on what was overdue, interest at the wrong rate or for the
 * wrong days, an adjustment's interest not running from the original due date, the issuing job not
 * issuing (or issuing twice), and totals that differ from the sums of the journal.
 *
 * Maple Leaf RM0003 "Skylights", a new account; prescribed rate 3 % (the default), so 9 % on overdue
 * amounts, a 365th a day. The cycles of 2026 and their due dates (the 10th weekday after the 17th,
 * Accounting for Imported Goods and Payment of Duties Regulations s.10.3(3); a due date on a holiday is
 * deferred to the next business day, Interpretation Act s.26, CBSA's "Deferred to" dates):
 *   A May 18 - Jun 17 (a Wednesday): issued Jun 25, due Jul 1 = Canada Day -> deferred to Thu Jul 2
 *   B Jun 18 - Jul 17 (a Friday):    issued Jul 25, due Jul 31
 *   C Jul 18 - Aug 17 (a Monday):    issued Aug 25, due Aug 31
 *   D Aug 18 - Sep 17 (a Thursday):  issued Sep 25, due Oct 1 (Labour Day, Sep 7, counts as a weekday)
 *
 * Jun  5 T1 filed: VFD 20,000.00 at 0 % -> GST 1,000.00; total 1,000.00 (on A)
 * Jun 10 T2 filed: VFD 10,000.00 at 10 % -> duty 1,000.00, VFT 11,000.00, GST 550.00; total 1,550.00 (on A)
 * Jun 12 T1 corrected to VFD 16,000.00 -> 800.00: a credit of 200.00 on A, applied to T1 (the oldest debt): T1 owes 800.00
 * Jun 25 A issued: nothing overdue. A = 0.00 + 2,550.00 - 200.00 = 2,350.00
 * Jun 28 T3 filed: VFD 8,000.00 at 0 % -> 400.00 (on B). B starts from A: 2,350.00
 * Jul 10 payment of 1,200.00 (on B): T1 800.00 (paid off), then T2 400.00 (owes 1,150.00)
 * Jul 25 B issued, interest Jun 18 - Jul 17: T1 800.00 for Jul 3-9 (7 days); T2 1,550.00 for Jul 3-9 (7 days) and
 *        1,150.00 for Jul 10-17 (8 days): (80,000 + 155,000) x 7 + 115,000 x 8 = 2,565,000 cent-days x 9 % / 365
 *        = 632.47 cents -> 6.32. B = 2,350.00 + 400.00 - 1,200.00 + 6.32 = 1,556.32
 * Aug  5 payment of 2,000.00 (on C): T2 1,150.00 (due Jul 2), T3 400.00 and B's interest 6.32 (due Jul 31): 1,556.32;
 *        443.68 left as a credit. C = 1,556.32 - 2,000.00 = -443.68
 * Aug 10 T4 filed: VFD 10,000.00 at 0 % -> 500.00 (on C); the credit pays 443.68 of it: T4 owes 56.32. C = 56.32
 * Aug 20 T2 amended after its due date: VFD 12,000.00 at 10 % -> 1,860.00: an adjustment, under review, nothing posted
 * Aug 21 the adjustment accepted (on D, the cycle of Aug 21): +310.00, owed since T2's due date Jul 2, and interest on it
 *        from Jul 3 to Aug 21 (29 + 21 = 50 days): 31,000 x 9 % x 50 / 365 = 382.19 cents -> 3.82 (Memorandum D11-6-5
 *        s.2: interest "from the day after the amount became payable until it is paid").
 *        D = 56.32 + 310.00 + 3.82 = 370.14
 * Aug 25 C issued, interest Jul 18 - Aug 17: T2 1,150.00 for Jul 18 - Aug 4 (18 days); T3 400.00 and B's interest 6.32
 *        for Aug 1-4 (4 days): 115,000 x 18 + 40,000 x 4 + 632 x 4 = 2,232,528 cent-days x 9 % / 365 = 550.49 cents
 *        -> 5.50. C = 56.32 + 5.50 = 61.82; D's previous balance follows: D = 61.82 + 313.82 = 375.64
 * Sep 25 D issued by the job, interest Aug 18 - Sep 17: T4 56.32 and C's interest 5.50 (due Aug 31) for Sep 1-17
 *        (17 days); the adjustment's 310.00, still unpaid, from the day after its interest was posted, Aug 22 - Sep 17
 *        (27 days): 6,182 x 17 + 31,000 x 27 = 942,094 cent-days x 9 % / 365 = 232.30 cents -> 2.32.
 *        D = 375.64 + 2.32 = 377.96
 */
import type { EntityManager } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { PaymentMethod } from "../src/common/enums.js";
import { statementIssuingJob } from "../src/jobs/registry.js";
import { startJobs } from "../src/jobs/runner.js";
import { recordPayment } from "../src/modules/payment/payment.service.js";
import { issueAccountStatements } from "../src/modules/statement/issuing.js";
import { amendDeclaration, decideAdjustment, fileDeclaration, type DeclarationLine, type Filer } from "../src/modules/transaction/filing.js";
import { AccountStatementsDocument } from "./generated/graphql.js";
import { captureLogger, waitFor } from "./support/log.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
let account: string;
let maple: Filer;
const RM3 = "123456782RM0003";
const { logger } = captureLogger({ component: "ledger-test" });

beforeAll(async () => {
  server = await startTestServer();
  [{ id: account }] = await server.db.query(
    `INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT id, 'RM0003', $1, 'Skylights' FROM businesses WHERE bn9 = '123456782' RETURNING id`,
    [RM3],
  );
  [maple] = await server.db.query(`SELECT id, legal_name AS "legalName", asec FROM businesses WHERE bn9 = '123456782'`);
});
afterAll(() => server?.stop());

const line = (valueForDuty: string, customsDutyRate: string): DeclarationLine[] => [
  { classificationCode: "7007190000", description: "Skylight glazing", valueForDuty, tariffTreatment: "2", customsDutyRate, sima: "0.00", excise: "0.00" },
];
const inTransaction = <T>(work: (em: EntityManager) => Promise<T>) => server.db.transaction("READ COMMITTED", work);
const file = (today: string, valueForDuty: string, rate: string) =>
  inTransaction(async (em) => (await fileDeclaration(em, { programAccountId: account, filer: maple, userId: null, releasedOn: today, lines: line(valueForDuty, rate), today })).transaction);
const pay = (today: string, amount: bigint, key: string) =>
  inTransaction((em) =>
    recordPayment(em, {
      programAccountId: account, payerBusinessId: maple.id, userId: null, amount, method: PaymentMethod.ONLINE_BANKING, idempotencyKey: key,
      instrumentLast4: null, today, now: new Date(`${today}T15:00:00Z`),
    }),
  );
const issue = (today: string) => inTransaction((em) => issueAccountStatements(em, account, { today, now: new Date(`${today}T10:00:00Z`), actorUserId: null }));

async function statements() {
  const res = await server.gql(AccountStatementsDocument, { as: "alice", variables: { bn15: RM3 } });
  expect(res.errors).toBeUndefined();
  return res.data!.programAccount.statements!.edges.map(({ node: s }) => ({
    cycle: `${s.cycleStart}..${s.cycleEnd}`, status: s.status, previous: s.previousBalance, charges: s.currentCharges, corrections: s.corrections,
    credits: s.credits, payments: s.payments, interest: s.interestAndPenalties, total: s.totalPayable, outstanding: s.amountOutstanding,
  })).reverse();
}

describe("a program account's ledger over four cycles", { shuffle: false }, () => {
  const ids: Record<string, string> = {};

  it("June: two declarations and a correction on A; issued with nothing overdue", async () => {
    ids.T1 = (await file("2026-06-05", "20000.00", "0")).id;
    ids.T2 = (await file("2026-06-10", "10000.00", "10")).id;
    const corrected = await inTransaction((em) =>
      amendDeclaration(em, { transactionId: ids.T1!, actingBusinessId: maple.id, userId: null, lines: line("16000.00", "0"), reason: "Value corrected", today: "2026-06-12" }),
    );
    expect(corrected.version).toMatchObject({ kind: "CORRECTION", status: "ACCEPTED", totalDutiesAndTaxes: "800.00" });
    expect(corrected.delta).toBe(-20_000n);
    expect(await issue("2026-06-25")).toBe(1);
    expect(await statements()).toEqual([
      { cycle: "2026-05-18..2026-06-17", status: "ISSUED", previous: "0.00", charges: "2550.00", corrections: "0.00", credits: "200.00", payments: "0.00", interest: "0.00", total: "2350.00", outstanding: "2350.00" },
    ]);
    // Issuing again finds nothing left to issue.
    expect(await issue("2026-06-26")).toBe(0);
    // Jul 1 is Canada Day: A is due the next business day.
    const [a] = await server.db.query(`SELECT due_date::text AS due FROM statements WHERE program_account_id = $1 AND cycle_end = '2026-06-17'`, [account]);
    expect(a.due).toBe("2026-07-02");
  });

  it("July: a charge on B, a payment to the oldest debts first, B issued with interest on what was overdue", async () => {
    ids.T3 = (await file("2026-06-28", "8000.00", "0")).id;
    await pay("2026-07-10", 120_000n, "ledger-jul-10");
    expect(await issue("2026-07-25")).toBe(1);
    expect(await statements()).toEqual([
      { cycle: "2026-05-18..2026-06-17", status: "ISSUED", previous: "0.00", charges: "2550.00", corrections: "0.00", credits: "200.00", payments: "0.00", interest: "0.00", total: "2350.00", outstanding: "1150.00" },
      { cycle: "2026-06-18..2026-07-17", status: "ISSUED", previous: "2350.00", charges: "400.00", corrections: "0.00", credits: "0.00", payments: "1200.00", interest: "6.32", total: "1556.32", outstanding: "406.32" },
    ]);
  });

  it("August: an overpayment leaves a credit that pays the next charge; an adjustment accepted with interest from the original due date", async () => {
    await pay("2026-08-05", 200_000n, "ledger-aug-05");
    ids.T4 = (await file("2026-08-10", "10000.00", "0")).id;
    const submitted = await inTransaction((em) =>
      amendDeclaration(em, { transactionId: ids.T2!, actingBusinessId: maple.id, userId: null, lines: line("12000.00", "10"), reason: "Value understated", today: "2026-08-20" }),
    );
    expect(submitted.version).toMatchObject({ kind: "ADJUSTMENT", status: "UNDER_REVIEW", totalDutiesAndTaxes: "1860.00" });
    const accepted = await inTransaction((em) => decideAdjustment(em, { versionId: submitted.version.id, accept: true, today: "2026-08-21" }));
    expect({ delta: accepted.delta, interest: accepted.interest, status: accepted.version.status, versionInterest: accepted.version.interest }).toEqual({
      delta: 31_000n, interest: 382n, status: "ACCEPTED", versionInterest: "3.82",
    });
    expect(accepted.transaction.totalDutiesAndTaxes).toBe("1860.00");
    expect(await issue("2026-08-25")).toBe(1);
    expect((await statements()).slice(2)).toEqual([
      { cycle: "2026-07-18..2026-08-17", status: "ISSUED", previous: "1556.32", charges: "500.00", corrections: "0.00", credits: "0.00", payments: "2000.00", interest: "5.50", total: "61.82", outstanding: "61.82" },
      { cycle: "2026-08-18..2026-09-17", status: "OPEN", previous: "61.82", charges: "0.00", corrections: "310.00", credits: "0.00", payments: "0.00", interest: "3.82", total: "375.64", outstanding: "313.82" },
    ]);
    // What each payment paid, oldest debts first (hand-written above).
    const allocations = await server.db.query(
      `SELECT c.line_no AS credit, d.line_no AS debit, a.amount, a.allocated_on::text AS "on" FROM posting_allocations a
         JOIN statement_postings c ON c.id = a.credit_posting_id JOIN statement_postings d ON d.id = a.debit_posting_id
        WHERE c.program_account_id = $1 ORDER BY a.allocated_on, c.line_no, d.line_no`,
      [account],
    );
    // Journal lines: 1 T1, 2 T2, 3 T1's correction (credit), 4 T3, 5 payment Jul 10, 6 B's interest, 7 payment Aug 5, 8 T4,
    // 9 T2's adjustment, 10 its interest, 11 C's interest.
    expect(allocations).toEqual([
      { credit: 3, debit: 1, amount: "200.00", on: "2026-06-12" },
      { credit: 5, debit: 1, amount: "800.00", on: "2026-07-10" },
      { credit: 5, debit: 2, amount: "400.00", on: "2026-07-10" },
      { credit: 7, debit: 2, amount: "1150.00", on: "2026-08-05" },
      { credit: 7, debit: 4, amount: "400.00", on: "2026-08-05" },
      { credit: 7, debit: 6, amount: "6.32", on: "2026-08-05" },
      { credit: 7, debit: 8, amount: "443.68", on: "2026-08-10" },
    ]);
  });

  it("the scheduled job issues D on its issue date (run as of Sep 25), once, and tells the importer's statement readers", async () => {
    const jobs = await startJobs({
      url: server.dbUrl, db: server.db, logger, config: loadConfig({ NODE_ENV: "test" }), registry: [statementIssuingJob as never], boss: { pollingIntervalSeconds: 0.5 },
    });
    try {
      expect((await jobs.boss.getSchedules()).map((s) => ({ name: s.name, cron: s.cron }))).toEqual([{ name: "statement-issuing", cron: "30 5 * * *" }]);
      await jobs.send("statement-issuing", { now: "2026-09-25T10:00:00Z" });
      await waitFor(async () => (await statements()).at(-1)!.status === "ISSUED", 15_000, "the job to issue D");
      await jobs.send("statement-issuing", { now: "2026-09-26T10:00:00Z" });
      await waitFor(async () => (await server.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'statement-issuing' AND state = 'completed'`))[0].n === 2, 15_000, "the second run");
    } finally {
      await jobs.stop();
    }
    expect((await statements()).at(-1)).toEqual({
      cycle: "2026-08-18..2026-09-17", status: "ISSUED", previous: "61.82", charges: "0.00", corrections: "310.00", credits: "0.00", payments: "0.00", interest: "6.14", total: "377.96", outstanding: "316.14",
    });
    // RM0003 has no program roles: its statements are read by the BAM, alice. Once.
    const notices = await server.db.query(
      `SELECT u.username, n.body FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'STATEMENT_ISSUED' AND n.body LIKE '%RM0003%2026-09-17%'`,
    );
    expect(notices).toEqual([
      { username: "alice", body: "The Statement of Account of 123456782RM0003 (Maple Leaf Windows & Doors Inc.) for releases from 2026-08-18 to 2026-09-17 was issued: total payable $377.96, due 2026-10-01." },
    ]);
  });

  it("every statement's totals are the sums of its journal, and each debt's open amount what its allocations left", async () => {
    const mismatched = await server.db.query(
      `SELECT s.id FROM statements s LEFT JOIN LATERAL (
          SELECT coalesce(sum(amount) FILTER (WHERE kind = 'CHARGE'), 0) AS charges,
                 coalesce(sum(amount) FILTER (WHERE kind IN ('CORRECTION', 'ADJUSTMENT') AND amount > 0), 0) AS corrections,
                 coalesce(-sum(amount) FILTER (WHERE kind IN ('CORRECTION', 'ADJUSTMENT', 'PENALTY') AND amount < 0), 0) AS credits,
                 coalesce(sum(amount) FILTER (WHERE kind = 'INTEREST' OR (kind = 'PENALTY' AND amount > 0)), 0) AS interest,
                 coalesce(-sum(amount) FILTER (WHERE kind = 'PAYMENT'), 0) AS payments,
                 coalesce(sum(amount) FILTER (WHERE kind = 'REFUND'), 0) AS refunds
            FROM statement_postings sp WHERE sp.statement_id = s.id) j ON true
        WHERE (s.current_charges, s.corrections, s.credits, s.interest_and_penalties, s.payments, s.refunds)
              IS DISTINCT FROM (j.charges, j.corrections, j.credits, j.interest, j.payments, j.refunds)`,
    );
    expect(mismatched).toEqual([]); // every account, the demo world's included
    const chain = await server.db.query(
      `SELECT s.id FROM statements s JOIN LATERAL (SELECT p.total_payable FROM statements p WHERE p.program_account_id = s.program_account_id AND p.cycle_end < s.cycle_end
          ORDER BY p.cycle_end DESC LIMIT 1) prev ON true WHERE s.previous_balance <> prev.total_payable`,
    );
    expect(chain).toEqual([]);
    const open = await server.db.query(
      `SELECT sp.id FROM statement_postings sp WHERE sp.open_amount <> abs(sp.amount) - coalesce((SELECT sum(a.amount) FROM posting_allocations a
          WHERE a.debit_posting_id = sp.id OR a.credit_posting_id = sp.id), 0)`,
    );
    expect(open).toEqual([]);
  });

  it("erin (Northern sees what the provider and the client submit) gets the restricted view: the subtotal of what she may see", async () => {
    const res = await server.gql(AccountStatementsDocument, { as: "erin", variables: { bn15: RM3 } });
    const first = res.data!.programAccount.statements!.edges.at(-1)!.node;
    // Every transaction here is Maple Leaf's own (submitted by the client): A's 2,550.00 - 200.00. Each total means what it
    // means in the FULL view, summed over the lines she may see: Maple Leaf's payments are not hers to see (0.00); what needs
    // the whole journal is null.
    expect(first).toMatchObject({
      view: "RESTRICTED", visibleCharges: "2350.00", currentCharges: "2550.00", credits: "200.00", payments: "0.00",
      totalPayable: null, previousBalance: null, amountOutstanding: null,
    });
    const full = await server.gql(AccountStatementsDocument, { as: "alice", variables: { bn15: RM3 } });
    expect(full.data!.programAccount.statements!.edges.at(-1)!.node).toMatchObject({ view: "FULL", visibleCharges: "2350.00", totalPayable: "2350.00" });
  });
});
