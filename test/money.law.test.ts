/**
 * The money rules as CBSA's published sources write them, each worked out by hand below and citing
 * its source. Guarded: a declaration put in the period of its release instead of the period of the
 * earlier of its accounting day and deadline (Customs Act s.33.4(2)); a late declaration moved onto
 * the open statement, due later and interest-free, instead of due with its deadline's period; a
 * payment that cannot be allocated by its payer (CARM "Add and allocate payment"); the card limit
 * not counting security deposits paid by card, or its remaining amount hidden from those who pay or
 * shown to those who may not see every payment (CARM Bulletin 5408); cash security with an expiry
 * date; a rate "from today" re-rating a day whose interest is posted; and the issuing job run "as of"
 * a day to come leaving filing failing with a server error.
 * (The holiday deferral and interest until paid are in ledger.test.ts; the annual security review in
 * workflows.security.test.ts.)
 */
import type { EntityManager } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueAccountStatements, issueDueStatements } from "../src/modules/statement/issuing.js";
import { amendDeclaration, fileDeclaration, type DeclarationLine, type Filer } from "../src/modules/transaction/filing.js";
import { FileDeclarationDocument, MakePaymentDocument } from "./generated/graphql.js";
import { captureLogger } from "./support/log.js";
import { code, field } from "./support/results.js";
import { shift, today } from "./support/dates.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
let maple: Filer;
const accounts: Record<string, string> = {};
const { logger } = captureLogger({ component: "money-law-test" });
const RM1 = "123456782RM0001";
const RM2 = "123456782RM0002";

beforeAll(async () => {
  server = await startTestServer();
  [maple] = await server.db.query(`SELECT id, legal_name AS "legalName", asec FROM businesses WHERE bn9 = '123456782'`);
  for (const rm of ["RM0003", "RM0004", "RM0005"]) {
    [{ id: accounts[rm] }] = await server.db.query(
      `INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT id, $1::text, '123456782' || $1::text, 'Law' FROM businesses WHERE bn9 = '123456782' RETURNING id`,
      [rm],
    );
  }
});
afterAll(() => server?.stop());

const inTransaction = <T>(work: (em: EntityManager) => Promise<T>) => server.db.transaction("READ COMMITTED", work);
const glazing = (valueForDuty: string): DeclarationLine[] => [
  { classificationCode: "7007190000", description: "Glazing", valueForDuty, tariffTreatment: "2", customsDutyRate: "0", sima: "0.00", excise: "0.00" },
];
const file = (rm: string, releasedOn: string, filedOn: string, vfd: string) =>
  inTransaction(async (em) => (await fileDeclaration(em, { programAccountId: accounts[rm]!, filer: maple, userId: null, releasedOn, lines: glazing(vfd), today: filedOn })).transaction);
const TRANSACTION = `query ($n: String!) { transaction(transactionNumber: $n) { releasedOn accountedOn dueDate late } }`;

describe("the billing period of a declaration (Customs Act s.33.4(2))", () => {
  it("goods released Fri 2026-11-13, CAD filed on time Thu 11-19: the period of 11-19 (11-18..12-17), due Thu 12-31", async () => {
    // s.33.4(2)(a): the period "that includes the earlier of (i) the day on which the goods in question are accounted for, and
    // (ii) the last day on which those goods are required to be accounted for". The deadline is the 5th business day after
    // release: Mon 16, Tue 17, Wed 18, Thu 19, Fri 20 -> Fri 11-20; the earlier is the filing day, Thu 11-19. Due: the 10th
    // weekday after Thu 12-17 (Accounting Regulations s.10.3(3)): Fri 18 | Mon 21 .. Fri 25 | Mon 28 .. Thu 31 -> Thu 12-31
    // (Christmas counts as a weekday; 12-31 is no holiday). By the release date it would have been 10-18..11-17, due 12-01.
    const t = await file("RM0003", "2026-11-13", "2026-11-19", "20000.00");
    const res = await server.gql(TRANSACTION, { as: "alice", variables: { n: t.transactionNumber } });
    expect(res.data!.transaction).toEqual({ releasedOn: "2026-11-13", accountedOn: "2026-11-19", dueDate: "2026-12-31", late: false });
    const [charge] = await server.db.query(
      `SELECT s.cycle_end::text AS cycle, sp.due_on::text AS due FROM statement_postings sp JOIN statements s ON s.id = sp.statement_id WHERE sp.transaction_id = $1`,
      [t.id],
    );
    expect(charge).toEqual({ cycle: "2026-12-17", due: "2026-12-31" });
  });

  it("a late CAD belongs to the period of its deadline, due then, with interest from that due date, and is adjusted, not corrected", async () => {
    // Released Mon 2026-08-03; deadline the 5th business day: Tue 4, Wed 5, Thu 6, Fri 7, Mon 10 -> 08-10. Filed 09-28:
    // late; the earlier day is the deadline, in the period 07-18..08-17, due Mon 08-31 (Mon 17 + 10 weekdays: 18..21 |
    // 24..28 | 31). That statement was issued on 08-25: the charge goes on the open one (09-18..10-17) but stays due 08-31.
    const t = await file("RM0004", "2026-08-03", "2026-09-28", "20000.00"); // GST 1,000.00
    const res = await server.gql(TRANSACTION, { as: "alice", variables: { n: t.transactionNumber } });
    expect(res.data!.transaction).toEqual({ releasedOn: "2026-08-03", accountedOn: "2026-09-28", dueDate: "2026-08-31", late: true });
    // Its due date has passed: a change is an adjustment for the agency to review, not an interest-free correction.
    const amended = await inTransaction((em) =>
      amendDeclaration(em, { transactionId: t.id, actingBusinessId: maple.id, userId: null, lines: glazing("21000.00"), reason: "Freight", today: "2026-09-29" }),
    );
    expect(amended.version).toMatchObject({ kind: "ADJUSTMENT", status: "UNDER_REVIEW" });
    // Issued on 10-25: interest on 1,000.00 from 09-01 (the day after its due date) to 10-17, 30 + 17 = 47 days:
    // 100,000 x 9 % x 47 / 365 = 1,158.90 cents -> 11.59 (Memorandum D11-6-5 s.2: "from the day after the amount became payable").
    expect(await inTransaction((em) => issueAccountStatements(em, accounts.RM0004!, { today: "2026-10-25", now: new Date("2026-10-25T10:00:00Z"), actorUserId: null }))).toBe(1);
    const [interest] = await server.db.query(`SELECT amount FROM statement_postings WHERE program_account_id = $1 AND kind = 'INTEREST'`, [accounts.RM0004]);
    expect(interest.amount).toBe("11.59");
  });
});

const pay = (as: Persona, input: Record<string, unknown>) =>
  server.gql(MakePaymentDocument, { as, variables: { input: { bn15: RM1, amount: "100.00", method: "ONLINE_BANKING", idempotencyKey: `k-${Math.random()}`, ...input } as never } });
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64url");

describe("the payer allocates a payment (CARM: Add and allocate payment)", () => {
  it("alice pays 100.00: 60.00 to the debt she chooses, the other 40.00 to the oldest debt", async () => {
    const lines = glazing("40000.00"); // two new debts of 2,000.00 each
    for (let i = 0; i < 2; i++) {
      expect(code(await server.gql(FileDeclarationDocument, { as: "carol", variables: { input: { bn15: RM1, releasedOn: today(), lines } as never } }))).toBe("ok");
    }
    const open = await server.db.query(
      `SELECT sp.id FROM statement_postings sp JOIN program_accounts pa ON pa.id = sp.program_account_id
        WHERE pa.bn15 = $1 AND sp.amount > 0 AND sp.open_amount > 0 ORDER BY sp.due_on, sp.line_no`,
      [RM1],
    );
    const [oldest, chosen] = [open[0].id, open.at(-1).id];
    expect(chosen).not.toBe(oldest);
    const res = await pay("alice", { idempotencyKey: "allocate-1", allocations: [{ postingId: gid("StatementPosting", chosen), amount: "60.00" }] });
    expect(code(res)).toBe("ok");
    const allocated = await server.db.query(
      `SELECT a.debit_posting_id AS debit, a.amount FROM posting_allocations a JOIN statement_postings c ON c.id = a.credit_posting_id
        WHERE c.payment_id = (SELECT id FROM payments WHERE idempotency_key = 'allocate-1') ORDER BY a.amount DESC`,
    );
    expect(allocated).toEqual([{ debit: chosen, amount: "60.00" }, { debit: oldest, amount: "40.00" }]);
    // A retry asking for another allocation is another payment: CONFLICT, never a second charge.
    expect(code(await pay("alice", { idempotencyKey: "allocate-1", allocations: [{ postingId: gid("StatementPosting", oldest), amount: "60.00" }] }))).toBe("CONFLICT");
  });

  it("only debts of that account the payer may see, each at most what is unpaid, together at most the payment", async () => {
    const [other] = await server.db.query(
      `SELECT sp.id FROM statement_postings sp JOIN program_accounts pa ON pa.id = sp.program_account_id JOIN businesses b ON b.id = sp.submitted_by_business_id
        WHERE pa.bn15 = $1 AND b.legal_name LIKE 'Coastal%' AND sp.kind = 'CHARGE' LIMIT 1`,
      [RM1],
    );
    const [open] = await server.db.query(
      `SELECT sp.id, sp.open_amount FROM statement_postings sp JOIN program_accounts pa ON pa.id = sp.program_account_id
        WHERE pa.bn15 = $1 AND sp.kind = 'CHARGE' AND sp.open_amount > 0 AND sp.submitted_by_business_id = (SELECT id FROM businesses WHERE bn9 = '123456782') LIMIT 1`,
      [RM1],
    );
    const bad = async (as: Persona, allocations: unknown[], amount = "100.00") => {
      const r = await pay(as, { amount, method: as === "erin" ? "DEBIT_CARD" : "ONLINE_BANKING", instrumentLast4: as === "erin" ? "1234" : null, allocations });
      return `${code(r)} ${field(r)}`;
    };
    // Coastal's charges are hidden from erin (Northern sees what Northern and Maple Leaf submit): not hers to name.
    expect(await bad("erin", [{ postingId: gid("StatementPosting", other.id), amount: "1.00" }])).toBe("BAD_USER_INPUT allocations[0].postingId");
    const over = (Number(open.open_amount) + 1).toFixed(2);
    expect(await bad("alice", [{ postingId: gid("StatementPosting", open.id), amount: over }], "999999.00")).toBe("BAD_USER_INPUT allocations[0].amount");
    expect(await bad("alice", [{ postingId: gid("StatementPosting", open.id), amount: "100.01" }])).toBe("BAD_USER_INPUT allocations");
    expect(await bad("alice", [{ postingId: gid("StatementPosting", open.id), amount: "1.00" }, { postingId: gid("StatementPosting", open.id), amount: "1.00" }])).toBe(
      "BAD_USER_INPUT allocations[1].postingId",
    );
    expect(await bad("alice", [{ postingId: gid("Payment", open.id), amount: "1.00" }])).toBe("BAD_USER_INPUT allocations[0].postingId");
  });
});

const LIMIT = `query ($bn15: String!) { programAccount(bn15: $bn15) { creditCardLimitRemaining } }`;
const limit = async (as: Persona, bn15: string) => (await server.gql(LIMIT, { as, variables: { bn15 } })).data!.programAccount.creditCardLimitRemaining;

describe("the credit-card limit (CARM Bulletin 5408)", () => {
  it("counts card payments and security deposits paid by card in the cycle, and shows what is left to those who see every payment", async () => {
    // "Payment by credit card is subject to a limit of $4,999.99 CAD per billing cycle per program account. This limitation
    // applies to the payment of any due debt or to make financial security deposits. ... The remaining limit in each billing
    // cycle will be displayed." RM0002 has no card payment this cycle in the demo world.
    expect(await limit("alice", RM2)).toBe("4999.99");
    expect(await limit("dave", RM2)).toBe("4999.99"); // a Reader sees every payment's amount
    expect(await limit("erin", RM1)).toBeNull(); // Northern sees only its own payments on Maple Leaf
    const deposit = await server.gql(
      `mutation { postFinancialSecurity(input: { bn15: "${RM2}", kind: CASH, amount: "1000.00", effectiveFrom: "${today()}", paidWith: CREDIT_CARD }) { paidWith } }`,
      { as: "alice" },
    );
    expect(deposit.data!.postFinancialSecurity.paidWith).toBe("CREDIT_CARD");
    expect(await limit("alice", RM2)).toBe("3999.99");
    const refused = await pay("alice", { bn15: RM2, amount: "4000.00", method: "CREDIT_CARD", instrumentLast4: "4242" });
    expect(`${code(refused)} ${field(refused)}`).toBe("BAD_USER_INPUT amount");
    expect(refused.errors![0]!.message).toMatch(/3999\.99 is left for the cycle ending/);
    expect(code(await pay("alice", { bn15: RM2, amount: "3999.99", method: "CREDIT_CARD", instrumentLast4: "4242" }))).toBe("ok");
    expect(await limit("alice", RM2)).toBe("0.00");
    // A deposit by card over what is left is refused the same way.
    const overDeposit = await server.gql(
      `mutation { postFinancialSecurity(input: { bn15: "${RM2}", kind: CASH, amount: "0.01", effectiveFrom: "${today()}", paidWith: CREDIT_CARD }) { paidWith } }`,
      { as: "alice" },
    );
    expect(`${code(overDeposit)} ${field(overDeposit)}`).toBe("BAD_USER_INPUT amount");
  });

  it("erin, who may not see Maple Leaf's own card payments, is refused without being told what they left", async () => {
    expect(code(await pay("alice", { amount: "4000.00", method: "CREDIT_CARD", instrumentLast4: "4242" }))).toBe("ok");
    const refused = await pay("erin", { amount: "1000.00", method: "CREDIT_CARD", instrumentLast4: "1234" });
    expect(`${code(refused)} ${field(refused)}`).toBe("BAD_USER_INPUT amount");
    // The one amount in it is the published limit; what Maple Leaf's payments left (999.99) is not said.
    expect(refused.errors![0]!.message.match(/\d+\.\d{2}/g)).toEqual(["4999.99"]);
    expect(refused.errors![0]!.message).toMatch(/this amount is more than is left for the cycle ending/);
  });
});

describe("security, rates and the issuing job", () => {
  it("the issuing job run as of a day to come is refused, and filing afterwards still works (never a server error)", async () => {
    await expect(issueDueStatements(server.db, logger, { today: shift(30), now: new Date(`${shift(30)}T10:00:00Z`), actorUserId: null })).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT" },
    });
    const lines = glazing("1000.00");
    expect(code(await server.gql(FileDeclarationDocument, { as: "alice", variables: { input: { bn15: "123456782RM0005", releasedOn: today(), lines } as never } }))).toBe("ok");
    // Had a statement of the current cycle been issued early anyway, a filing says so (CONFLICT), not INTERNAL_SERVER_ERROR.
    await server.db.query(`UPDATE statements SET status = 'ISSUED', issued_at = now() WHERE program_account_id = $1`, [accounts.RM0005]);
    expect(code(await server.gql(FileDeclarationDocument, { as: "alice", variables: { input: { bn15: "123456782RM0005", releasedOn: today(), lines } as never } }))).toBe("CONFLICT");
  });

  it("an officer's rate from today does not re-rate today once an adjustment accepted today charged interest up to it", async () => {
    const SET = `mutation ($from: String!) { setPrescribedInterestRate(effectiveFrom: $from, rate: "5.0") { effectiveFrom } }`;
    // The demo's adjustment, accepted today: its interest is posted up to today (Memorandum D11-6-5).
    const [v] = await server.db.query(`SELECT id FROM transaction_versions WHERE status = 'UNDER_REVIEW' AND kind = 'ADJUSTMENT' LIMIT 1`);
    expect(code(await server.gql(`mutation ($id: ID!) { acceptAdjustment(input: { adjustmentCaseId: $id }) { status } }`, { as: "olga", variables: { id: gid("AdjustmentCase", v.id) } }))).toBe(
      "ok",
    );
    const refused = await server.gql(SET, { as: "olga", variables: { from: today() } });
    expect(`${code(refused)} ${field(refused)}`).toBe("BAD_USER_INPUT effectiveFrom");
    expect(refused.errors![0]!.message).toContain(`Interest up to ${today()} is already posted`);
    expect(code(await server.gql(SET, { as: "olga", variables: { from: shift(1) } }))).toBe("ok");
  });
});
