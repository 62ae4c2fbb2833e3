/**
 * Filing and amending CADs through the API. Guarded: duties and taxes computed wrongly (every figure
 * here is worked out by hand in the comments), a transaction number shared by two concurrent
 * filings, a filing by someone who may only read (or may not see the account), a broker changing a
 * declaration it neither filed nor owns, a correction after the due date accepted without review,
 * and a statement that does not move with what was posted on it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AmendDeclarationDocument, FileDeclarationDocument } from "./generated/graphql.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";
import { code, field } from "./support/results.js";
import { shift, today } from "./support/dates.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const RM1 = "123456782RM0001";
const RM2 = "123456782RM0002";
const PRAIRIE = "711223347RM0001";


// Two lines, worked out by hand (each amount rounded to the cent, half away from zero):
// line 1: VFD 12,500.00 x 6.5 % = 812.50 duty; VFT = 12,500.00 + 812.50 = 13,312.50; GST 5 % = 665.625 -> 665.63;
//         total 812.50 + 665.63 = 1,478.13
// line 2: VFD 3,333.33 x 3.5 % = 116.66655 -> 116.67 duty; VFT = 3,333.33 + 116.67 + 150.00 SIMA + 42.10 excise = 3,642.10;
//         GST = 182.105 -> 182.11; total 116.67 + 150.00 + 42.10 + 182.11 = 490.88
// declaration: duty 929.17, SIMA 150.00, excise 42.10, GST 847.74, total 1,969.01
const LINES = [
  { classificationCode: "7610100000", description: "Aluminium window frames", valueForDuty: "12500.00", tariffTreatment: "2", customsDutyRate: "6.5" },
  { classificationCode: "8302410000", description: "Hinges", valueForDuty: "3333.33", tariffTreatment: "2", customsDutyRate: "3.5", sima: "150.00", excise: "42.10" },
];
// A one-line declaration: VFD 1,000.00 x 6.5 % = 65.00; VFT 1,065.00; GST 53.25; total 118.25.
const SMALL = [{ classificationCode: "7610100000", description: "Window frame", valueForDuty: "1000.00", tariffTreatment: "2", customsDutyRate: "6.5" }];

async function file(as: Persona, bn15: string, lines: object[] = LINES, extra: Record<string, unknown> = {}) {
  return server.gql(FileDeclarationDocument, { as, variables: { input: { bn15, releasedOn: today(), lines, ...extra } as never } });
}

async function openStatement(bn15: string) {
  const [s] = await server.db.query(
    `SELECT s.id, s.current_charges, s.corrections, s.credits, s.total_payable FROM statements s JOIN program_accounts pa ON pa.id = s.program_account_id
      WHERE pa.bn15 = $1 AND s.cycle_start <= $2::date AND s.cycle_end >= $2::date`,
    [bn15, today()],
  );
  return s as { id: string; current_charges: string; corrections: string; credits: string; total_payable: string } | undefined;
}

/** The last transaction serial a business used. */
async function lastSerial(bn9: string): Promise<number> {
  const [row] = await server.db.query(
    `SELECT COALESCE(MAX(s.last_value), 0) AS last FROM businesses b LEFT JOIN transaction_sequences s ON s.business_id = b.id WHERE b.bn9 = $1`,
    [bn9],
  );
  return Number(row.last);
}

/** Luhn check digit, written out here rather than taken from the code under test. */
function luhnDigit(payload: string): string {
  let sum = 0;
  [...payload].reverse().forEach((c, i) => {
    const d = Number(c) * (i % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  });
  return String((10 - (sum % 10)) % 10);
}

describe("filing a CAD", () => {
  it("carol (Editor of RM0001) files: duties and taxes computed per line, a number under Maple Leaf's ASEC, the charge on the open statement", async () => {
    const before = await openStatement(RM1);
    const serial = await lastSerial("123456782");
    const res = await file("carol", RM1);
    expect(res.errors).toBeUndefined();
    const t = res.data!.fileDeclaration;
    // Maple Leaf's ASEC 10001, its next serial in 8 digits, then the Luhn check digit (in the demo world
    // as seeded, the 9th filing: 10001000000097, see the identifiers unit test).
    const payload = `10001${String(serial + 1).padStart(8, "0")}`;
    expect(t.transactionNumber).toBe(payload + luhnDigit(payload));
    expect(t).toMatchObject({ releasedOn: today(), late: false, totalDutiesAndTaxes: "1969.01", submittedBy: { bn9: "123456782" } });
    expect(t.currentVersion).toMatchObject({ versionNo: 1, kind: "ORIGINAL", status: "ACCEPTED", customsDuty: "929.17", sima: "150.00", excise: "42.10", gst: "847.74", totalDutiesAndTaxes: "1969.01" });
    expect(t.currentVersion!.lines!.edges.map((e) => e.node)).toEqual([
      { lineNo: 1, customsDuty: "812.50", valueForTax: "13312.50", gst: "665.63" },
      { lineNo: 2, customsDuty: "116.67", valueForTax: "3642.10", gst: "182.11" },
    ]);
    const after = (await openStatement(RM1))!;
    const cents = (v: string | undefined) => Math.round(Number(v ?? "0") * 100);
    expect(cents(after.current_charges) - cents(before?.current_charges)).toBe(196_901);
    expect(cents(after.total_payable) - cents(before?.total_payable)).toBe(196_901);
    const [audit] = await server.db.query(`SELECT action, after FROM audit_events WHERE target_id = (SELECT id FROM transactions WHERE transaction_number = $1)`, [t.transactionNumber]);
    expect(audit).toMatchObject({ action: "transaction.filed", after: { total: "1969.01", filedBy: "123456782", late: false } });
  });

  it("frank files for Maple Leaf as Northern (an Editor grant): the number is Northern's (ASEC 20002)", async () => {
    const res = await file("frank", RM1, SMALL);
    expect(res.errors).toBeUndefined();
    expect(res.data!.fileDeclaration).toMatchObject({ totalDutiesAndTaxes: "118.25", submittedBy: { legalName: "Northern Customs Brokers Ltd." } });
    expect(res.data!.fileDeclaration.transactionNumber.slice(0, 5)).toBe("20002");
  });

  it("a filing more than 5 business days after release is accepted and flagged late", async () => {
    // 10 calendar days always hold at least 6 business days.
    const late = await file("alice", RM2, SMALL, { releasedOn: shift(-10) });
    expect(late.errors).toBeUndefined();
    expect(late.data!.fileDeclaration.late).toBe(true);
    const [posted] = await server.db.query(
      `SELECT s.status FROM statement_postings sp JOIN statements s ON s.id = sp.statement_id JOIN transactions t ON t.id = sp.transaction_id WHERE t.transaction_number = $1`,
      [late.data!.fileDeclaration.transactionNumber],
    );
    expect(posted.status).toBe("OPEN");
  });

  it("who may not: Readers, Expired users, other businesses, agency officers, orphans, anonymous", async () => {
    const cases: [Persona | null, string, string][] = [
      ["dave", RM2, "FORBIDDEN"], // Reader
      ["gina", RM1, "FORBIDDEN"], // Expired: sees RM0001, may not file
      ["erin", PRAIRIE, "FORBIDDEN"], // Northern is Prairie's Reader
      ["carol", RM2, "NOT_FOUND"], // not her account
      ["ivan", RM1, "NOT_FOUND"], // another business
      ["olga", RM1, "NOT_FOUND"],
      ["harry", RM1, "NOT_FOUND"],
    ];
    for (const [who, bn15, expected] of cases) expect(`${who}: ${code(await file(who!, bn15, SMALL))}`).toBe(`${who}: ${expected}`);
    const anonymous = await server.gql(FileDeclarationDocument, { variables: { input: { bn15: RM1, releasedOn: today(), lines: SMALL } as never } });
    expect(code(anonymous)).toBe("UNAUTHENTICATED");
  });

  it("bad input is BAD_USER_INPUT naming the field", async () => {
    const bad = async (input: Record<string, unknown>) => {
      const res = await server.gql(FileDeclarationDocument, { as: "carol", variables: { input: { bn15: RM1, releasedOn: today(), lines: SMALL, ...input } as never } });
      return `${code(res)} ${field(res)}`;
    };
    const line = (l: Record<string, unknown>) => ({ lines: [{ ...SMALL[0], ...l }] });
    expect(await bad({ bn15: "123456789RM0001" })).toBe("BAD_USER_INPUT bn15");
    expect(await bad({ releasedOn: "2026-02-30" })).toBe("BAD_USER_INPUT releasedOn");
    expect(await bad({ releasedOn: "2999-01-01" })).toBe("BAD_USER_INPUT releasedOn");
    expect(await bad({ lines: [] })).toBe("BAD_USER_INPUT lines");
    expect(await bad(line({ classificationCode: "76101" }))).toBe("BAD_USER_INPUT lines[0].classificationCode");
    expect(await bad(line({ valueForDuty: "-1.00" }))).toBe("BAD_USER_INPUT lines[0].valueForDuty");
    expect(await bad(line({ customsDutyRate: "six" }))).toBe("BAD_USER_INPUT lines[0].customsDutyRate");
    expect(await bad(line({ tariffTreatment: "MFN" }))).toBe("BAD_USER_INPUT lines[0].tariffTreatment");
    expect(await bad(line({ description: "  " }))).toBe("BAD_USER_INPUT lines[0].description");
    expect(await bad(line({ sima: "-0.01" }))).toBe("BAD_USER_INPUT lines[0].sima");
    expect(await bad({ asBusiness: "12345" })).toBe("BAD_USER_INPUT asBusiness");
  });

  it("someone who could file as two businesses says which; a business without an ASEC cannot file", async () => {
    // carol also works for Northern, in the client group that holds Maple Leaf (Editor).
    await server.db.query(
      `INSERT INTO business_memberships (user_id, business_id, is_bam) SELECT u.id, b.id, false FROM users u, businesses b WHERE u.username = 'carol' AND b.legal_name LIKE 'Northern%'`,
    );
    await server.db.query(
      `INSERT INTO client_group_assignments (group_id, user_id, role) SELECT g.id, u.id, 'EDITOR' FROM client_groups g, users u WHERE g.name = 'Ontario manufacturers' AND u.username = 'carol'`,
    );
    try {
      const ambiguous = await file("carol", RM1, SMALL);
      expect(`${code(ambiguous)} ${field(ambiguous)}`).toBe("BAD_USER_INPUT asBusiness");
      expect(ambiguous.errors![0]!.message).toContain("Northern Customs Brokers Ltd.");
      const asNorthern = await file("carol", RM1, SMALL, { asBusiness: "876543216" });
      expect(asNorthern.data?.fileDeclaration.submittedBy.bn9).toBe("876543216");
      expect(code(await file("carol", RM1, SMALL, { asBusiness: "711223347" }))).toBe("FORBIDDEN"); // Prairie: not hers to act as
    } finally {
      await server.db.query(`DELETE FROM client_group_assignments WHERE user_id = (SELECT id FROM users WHERE username = 'carol')`);
      await server.db.query(`DELETE FROM business_memberships WHERE user_id = (SELECT id FROM users WHERE username = 'carol') AND business_id = (SELECT id FROM businesses WHERE legal_name LIKE 'Northern%')`);
    }
    await server.db.query(`UPDATE businesses SET asec = NULL WHERE legal_name LIKE 'Northern%'`);
    try {
      const noAsec = await file("frank", RM1, SMALL);
      expect(code(noAsec)).toBe("FORBIDDEN");
      expect(noAsec.errors![0]!.message).toMatch(/no account security number \(ASEC\)/);
    } finally {
      await server.db.query(`UPDATE businesses SET asec = '20002' WHERE legal_name LIKE 'Northern%'`);
    }
  });

  it("20 concurrent filings by one business get 20 distinct, consecutive, valid numbers, and the statement counts each once", async () => {
    const before = (await openStatement(RM2))!;
    const [{ last_value: last }] = await server.db.query(`SELECT last_value FROM transaction_sequences WHERE business_id = (SELECT id FROM businesses WHERE bn9 = '123456782')`);
    const results = await Promise.all(Array.from({ length: 20 }, () => file("alice", RM2, SMALL)));
    expect(results.map(code)).toEqual(Array(20).fill("ok"));
    const numbers = results.map((r) => r.data!.fileDeclaration.transactionNumber);
    expect(new Set(numbers).size).toBe(20);
    // The sequences are the 20 after the last one used, with no gap: 10001 + 8 digits + check digit.
    expect(numbers.map((n) => Number(n.slice(5, 13))).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => last + 1 + i));
    for (const n of numbers) {
      expect(n).toMatch(/^10001\d{9}$/);
      // Luhn, written out: double every second digit from the right of the 13-digit payload.
      const digits = n.split("").map(Number);
      const sum = digits.reverse().reduce((acc, d, i) => acc + (i % 2 === 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0);
      expect(sum % 10).toBe(0);
    }
    const after = (await openStatement(RM2))!;
    expect(Math.round(Number(after.current_charges) * 100) - Math.round(Number(before.current_charges) * 100)).toBe(20 * 11_825); // 20 x 118.25
  });

  // Two businesses do not share a transaction sequence: only the account's ledger lock keeps their
  // journal lines and the statement's totals in order when they file on one account at once.
  it("the importer and its broker filing on one account at the same moment: each charge posted once, on consecutive journal lines, every one on the statement", async () => {
    const before = (await openStatement(RM1))!;
    const [{ last }] = await server.db.query(`SELECT max(line_no) AS last FROM statement_postings WHERE program_account_id = (SELECT id FROM program_accounts WHERE bn15 = $1)`, [RM1]);
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => file(i % 2 ? "frank" : "carol", RM1, SMALL)));
    expect(results.map(code)).toEqual(Array(16).fill("ok"));
    const numbers = results.map((r) => r.data!.fileDeclaration.transactionNumber);
    expect(numbers.filter((n) => n.startsWith("10001")).length).toBe(8);
    expect(numbers.filter((n) => n.startsWith("20002")).length).toBe(8);
    const charges = await server.db.query(
      `SELECT t.transaction_number, sp.line_no FROM statement_postings sp JOIN transactions t ON t.id = sp.transaction_id
        WHERE sp.kind = 'CHARGE' AND t.transaction_number = ANY($1) ORDER BY sp.line_no`,
      [numbers],
    );
    expect(charges.map((c: { transaction_number: string }) => c.transaction_number).sort()).toEqual([...numbers].sort());
    expect(charges.map((c: { line_no: number }) => c.line_no)).toEqual(Array.from({ length: 16 }, (_, i) => Number(last) + 1 + i));
    const after = (await openStatement(RM1))!;
    expect(Math.round(Number(after.current_charges) * 100) - Math.round(Number(before.current_charges) * 100)).toBe(16 * 11_825); // 16 x 118.25
    expect(Math.round(Number(after.total_payable) * 100) - Math.round(Number(before.total_payable) * 100)).toBe(16 * 11_825);
  });
});

describe("amending a CAD", () => {
  let carolsNumber: string;
  let franksNumber: string;
  beforeAll(async () => {
    carolsNumber = (await file("carol", RM1)).data!.fileDeclaration.transactionNumber;
    franksNumber = (await file("frank", RM1, SMALL)).data!.fileDeclaration.transactionNumber;
  });
  const amend = (as: Persona, transactionNumber: string, lines: object[], extra: Record<string, unknown> = {}) =>
    server.gql(AmendDeclarationDocument, { as, variables: { input: { transactionNumber, lines, reason: "Value for duty corrected", ...extra } as never } });

  it("before the due date, carol's correction is accepted at once and its difference posted as a credit", async () => {
    const before = (await openStatement(RM1))!;
    // line 1 now VFD 10,000.00: duty 650.00, VFT 10,650.00, GST 532.50, line total 1,182.50;
    // with line 2 unchanged (490.88): 1,673.38, i.e. 1,969.01 - 295.63.
    const res = await amend("carol", carolsNumber, [{ ...LINES[0], valueForDuty: "10000.00" }, LINES[1]]);
    expect(res.errors).toBeUndefined();
    expect(res.data!.amendDeclaration).toMatchObject({
      totalDutiesAndTaxes: "1673.38",
      currentVersionNo: 2,
      currentVersion: { versionNo: 2, kind: "CORRECTION", status: "ACCEPTED", totalDutiesAndTaxes: "1673.38", interest: "0.00", reason: "Value for duty corrected", submittedBy: { bn9: "123456782" } },
    });
    const after = (await openStatement(RM1))!;
    expect(Math.round(Number(after.credits) * 100) - Math.round(Number(before.credits) * 100)).toBe(29_563);
    expect(Math.round(Number(after.total_payable) * 100) - Math.round(Number(before.total_payable) * 100)).toBe(-29_563);
  });

  it("only the business that filed it or the importer may change it, and only if they see it", async () => {
    // frank (Northern) sees carol's declaration (submitted by the client) but Northern neither filed nor owns it.
    expect(code(await amend("frank", carolsNumber, SMALL))).toBe("FORBIDDEN");
    // frank may change Northern's own declaration; alice, the importer's BAM, may too.
    expect((await amend("frank", franksNumber, [{ ...SMALL[0], valueForDuty: "2000.00" }])).data?.amendDeclaration.currentVersion?.submittedBy.bn9).toBe("876543216");
    // VFD 3,000.00: duty 195.00, VFT 3,195.00, GST 159.75, total 354.75
    expect((await amend("alice", franksNumber, [{ ...SMALL[0], valueForDuty: "3000.00" }])).data?.amendDeclaration).toMatchObject({ totalDutiesAndTaxes: "354.75", currentVersionNo: 3 });
    // dave reads RM0002 only; gina sees Old Border's, but may not change anything; ivan sees nothing of Maple Leaf.
    expect(code(await amend("dave", carolsNumber, SMALL))).toBe("NOT_FOUND");
    expect(code(await amend("ivan", carolsNumber, SMALL))).toBe("NOT_FOUND");
    const [oldBorders] = await server.db.query(`SELECT transaction_number FROM transactions t JOIN businesses b ON b.id = t.submitted_by_business_id WHERE b.legal_name = 'Old Border Brokerage' LIMIT 1`);
    expect(code(await amend("gina", oldBorders.transaction_number, SMALL))).toBe("FORBIDDEN");
    // erin may not see Coastal Freight's declarations on Maple Leaf: NOT_FOUND, as if it did not exist.
    const [coastals] = await server.db.query(`SELECT transaction_number FROM transactions t JOIN businesses b ON b.id = t.submitted_by_business_id WHERE b.legal_name LIKE 'Coastal%' LIMIT 1`);
    expect(code(await amend("erin", coastals.transaction_number, SMALL))).toBe("NOT_FOUND");
    expect(`${code(await amend("carol", carolsNumber, SMALL, { reason: "" }))} ${field(await amend("carol", carolsNumber, SMALL, { reason: "" }))}`).toBe("BAD_USER_INPUT reason");
    expect(field(await amend("carol", "12345", SMALL))).toBe("transactionNumber");
  });

  it("amendments of one declaration at the same moment are taken one after the other: distinct versions, each difference posted once", async () => {
    const number = (await file("carol", RM1, SMALL)).data!.fileDeclaration.transactionNumber;
    const before = (await openStatement(RM1))!;
    // Five corrections at once, to VFD 2,000.00 .. 6,000.00 (totals 236.50, 354.75, 473.00, 591.25, 709.50: 118.25 per 1,000.00).
    const results = await Promise.all([2, 3, 4, 5, 6].map((k) => amend("carol", number, [{ ...SMALL[0], valueForDuty: `${k}000.00` }])));
    expect(results.map(code)).toEqual(Array(5).fill("ok"));
    // Each answer shows the declaration as it is when read, after its commit: a later amendment may already be in.
    for (const r of results) expect(r.data!.amendDeclaration.currentVersionNo).toBeGreaterThanOrEqual(2);
    const [{ versions, total }] = await server.db.query(
      `SELECT array_agg(v.version_no ORDER BY v.version_no) AS versions, t.total_duties_and_taxes AS total
         FROM transactions t JOIN transaction_versions v ON v.transaction_id = t.id WHERE t.transaction_number = $1 GROUP BY t.id`,
      [number],
    );
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
    // Whatever the order, the statement moved by the last version's total minus the original 118.25.
    const after = (await openStatement(RM1))!;
    const moved = Math.round(Number(after.total_payable) * 100) - Math.round(Number(before.total_payable) * 100);
    expect(moved).toBe(Math.round(Number(total) * 100) - 11_825);
  });

  it("after the due date it is an adjustment: under review, nothing posted; a second one waits for the decision (CONFLICT)", async () => {
    // A Maple Leaf declaration of the oldest issued cycle: its statement's due date has passed.
    const [old] = await server.db.query(
      `SELECT t.id, t.transaction_number, t.total_duties_and_taxes FROM transactions t JOIN program_accounts pa ON pa.id = t.program_account_id
         JOIN businesses b ON b.id = t.submitted_by_business_id
        WHERE pa.bn15 = $1 AND b.bn9 = '123456782' ORDER BY t.released_on LIMIT 1`,
      [RM1],
    );
    const journal = async () => (await server.db.query(`SELECT count(*)::int AS n FROM statement_postings`))[0].n;
    const postings = await journal();
    const res = await amend("carol", old.transaction_number, SMALL, { reason: "Wrong value declared" });
    expect(res.errors).toBeUndefined();
    expect(res.data!.amendDeclaration).toMatchObject({
      totalDutiesAndTaxes: old.total_duties_and_taxes, // unchanged until the agency accepts it
      currentVersion: { kind: "ADJUSTMENT", status: "UNDER_REVIEW", totalDutiesAndTaxes: "118.25", interest: "0.00" },
    });
    expect(await journal()).toBe(postings);
    const again = await amend("carol", old.transaction_number, SMALL);
    expect(code(again)).toBe("CONFLICT");
    // Audited once, in Maple Leaf's trail: carol, the declaration, the version it replaces and the one under review.
    const audits = await server.db.query(
      `SELECT e.business_id = (SELECT id FROM businesses WHERE bn9 = '123456782') AS importer, u.username AS actor, e.target_type, e.target_id, e.before, e.after
         FROM audit_events e JOIN users u ON u.id = e.actor_user_id WHERE e.action = 'transaction.adjustment_submitted'`,
    );
    expect(audits).toEqual([{
      importer: true, actor: "carol", target_type: "Transaction", target_id: old.id,
      before: { versionNo: 1, total: old.total_duties_and_taxes },
      after: {
        versionNo: 2, kind: "ADJUSTMENT", status: "UNDER_REVIEW", total: "118.25", by: "123456782", reason: "Wrong value declared",
        difference: (Math.round(11_825 - Number(old.total_duties_and_taxes) * 100) / 100).toFixed(2),
      },
    }]);
  });
});
