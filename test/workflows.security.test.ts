/**
 * Financial security and the Release Prior to Payment privilege. Guarded: a requirement computed on
 * the wrong month or at the wrong rate (50 % for a bond, 100 % for cash, never under 5,000.00),
 * security not yet in force (or expired) counted, a broker or an employee without the right posting
 * security for the importer, and the requirement shown to those who may not see security.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileDeclaration, type DeclarationLine } from "../src/modules/transaction/filing.js";
import { securityRequirement } from "../src/modules/security/security.service.js";
import { formatCents } from "../src/common/money.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";
import { code, field } from "./support/results.js";
import { shift, today } from "./support/dates.js";

let server: TestServer;
const RM1 = "123456782RM0001";
// Maple Leaf's accounts opened for these tests, one per story so that none depends on another's order:
// RM0003 stays untouched, RM0004 takes the postings, RM0005 the activity of the requirement's story.
const RM3 = "123456782RM0003";
const RM4 = "123456782RM0004";
const RM5 = "123456782RM0005";
const RM6 = "123456782RM0006";
const RM7 = "123456782RM0007";
beforeAll(async () => {
  server = await startTestServer();
  for (const bn15 of [RM3, RM4, RM5, RM6, RM7]) {
    await server.db.query(`INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT id, $2, $1, 'Skylights' FROM businesses WHERE bn9 = '123456782'`, [bn15, bn15.slice(9)]);
  }
});
afterAll(() => server?.stop());


const REQUIREMENT = `query ($bn15: String!) { programAccount(bn15: $bn15) { securityRequirement {
  reviewedOn reviewFrom reviewTo inForceFrom highestMonthlyDutiesAndTaxes requiredBond requiredCash postedBond postedCash hasRppPrivilege
  next { reviewedOn inForceFrom highestMonthlyDutiesAndTaxes requiredBond requiredCash hasRppPrivilege } } } }`;
const requirement = async (as: Persona, bn15 = RM3) => server.gql(REQUIREMENT, { as, variables: { bn15 } });
const POST = `mutation ($input: PostFinancialSecurityInput!) { postFinancialSecurity(input: $input) { kind amount suretyProvider bondNumber effectiveFrom expiresOn paidWith status } }`;
const post = (as: Persona, input: Record<string, unknown>) =>
  server.gql(POST, {
    as,
    variables: { input: { bn15: RM3, kind: "CASH", amount: "1000.00", effectiveFrom: today(), ...(input.kind === "SURETY_BOND" ? {} : { paidWith: "ONLINE_BANKING" }), ...input } },
  });

/**
 * The agency's annual review, written out here from CBSA's announcement (not from the code): reviewed on
 * 20 October over 20 October of the year before to 19 October, the new amount to be met by 15 January
 * and in force from then. Returns the year of the review in force on `day`.
 */
const reviewYearInForce = (day: string) => (day.slice(5) >= "01-15" ? Number(day.slice(0, 4)) - 1 : Number(day.slice(0, 4)) - 2);

/** A declaration of VFD `vfd` at 0 %, filed on its release date: its duties and taxes are the GST alone, 5 %. */
async function declare(releasedOn: string, vfd: string, bn15 = RM5) {
  const lines: DeclarationLine[] = [{ classificationCode: "7007190000", description: "Glazing", valueForDuty: vfd, tariffTreatment: "2", customsDutyRate: "0", sima: "0.00", excise: "0.00" }];
  await server.db.transaction(async (em) => {
    const [pa] = await em.query(`SELECT id FROM program_accounts WHERE bn15 = $1`, [bn15]);
    const [maple] = await em.query(`SELECT id, legal_name AS "legalName", asec FROM businesses WHERE bn9 = '123456782'`);
    await fileDeclaration(em, { programAccountId: pa.id, filer: maple, userId: null, releasedOn, lines, today: releasedOn });
  });
}
const accountId = async (bn15: string) => (await server.db.query(`SELECT id FROM program_accounts WHERE bn15 = $1`, [bn15]))[0].id as string;
const money = (c: bigint) => formatCents(c);

describe("the security requirement", () => {
  it("an account with no activity needs the minimum: 5,000.00 either way, and has no privilege without security", async () => {
    const res = await requirement("alice");
    expect(res.errors).toBeUndefined();
    const y = reviewYearInForce(today());
    expect(res.data!.programAccount.securityRequirement).toMatchObject({
      reviewedOn: `${y}-10-20`, reviewFrom: `${y - 1}-10-20`, reviewTo: `${y}-10-19`, inForceFrom: `${y + 1}-01-15`,
      highestMonthlyDutiesAndTaxes: "0.00", requiredBond: "5000.00", requiredCash: "5000.00", postedBond: "0.00", postedCash: "0.00", hasRppPrivilege: false,
    });
    // Between a review (20 October) and its 15 January, the next requirement is announced.
    const announced = today().slice(5) >= "10-20" || today().slice(5) < "01-15";
    expect(res.data!.programAccount.securityRequirement.next === null).toBe(!announced);
  });

  it("reviewed once a year: the highest cycle of 20 Oct - 19 Oct, in force from 15 January (figures by hand, as of chosen days)", async () => {
    // CBSA's annual review (20 October; review period 20 October of the year before to 19 October; "importers must meet
    // the new calculated requirement by January 15"). GST 5 % of VFD at 0 % duty:
    //   2025-10-10  VFD 400,000.00 -> 20,000.00  cycle ending 2025-10-17: the review of 2025 (20 Oct 2024 - 19 Oct 2025)
    //   2025-11-10  VFD 160,000.00 ->  8,000.00  cycle ending 2025-11-17: the review of 2026
    //   2026-10-10  VFD 200,000.00 + 2026-10-12 VFD 40,000.00 -> 12,000.00 in the cycle ending 2026-10-17: review of 2026
    //   2026-10-20  VFD 1,000,000.00 -> 50,000.00  cycle ending 2026-11-17: the review of 2027
    // Review 2025: highest 20,000.00 -> bond 10,000.00, cash 20,000.00. Review 2026: 12,000.00 -> 6,000.00 / 12,000.00.
    // Review 2027 (as far as it goes): 50,000.00 -> 25,000.00 / 50,000.00.
    const id = await accountId(RM6);
    await declare("2025-10-10", "400000.00", RM6);
    await declare("2025-11-10", "160000.00", RM6);
    await declare("2026-10-10", "200000.00", RM6);
    await declare("2026-10-12", "40000.00", RM6);
    await declare("2026-10-20", "1000000.00", RM6);
    const asOf = async (day: string) => {
      const { inForce, next } = await securityRequirement(server.db, id, day);
      const show = (r: typeof inForce) => `${r.review.reviewedOn}: ${money(r.highestMonthly)} bond ${money(r.requiredBond)} cash ${money(r.requiredCash)}`;
      return { inForce: show(inForce), next: next ? show(next) : null };
    };
    expect(await asOf("2026-01-14")).toEqual({ inForce: "2024-10-20: 0.00 bond 5000.00 cash 5000.00", next: "2025-10-20: 20000.00 bond 10000.00 cash 20000.00" });
    expect(await asOf("2026-10-19")).toEqual({ inForce: "2025-10-20: 20000.00 bond 10000.00 cash 20000.00", next: null });
    expect(await asOf("2026-12-07")).toEqual({ inForce: "2025-10-20: 20000.00 bond 10000.00 cash 20000.00", next: "2026-10-20: 12000.00 bond 6000.00 cash 12000.00" });
    expect(await asOf("2027-01-14")).toEqual({ inForce: "2025-10-20: 20000.00 bond 10000.00 cash 20000.00", next: "2026-10-20: 12000.00 bond 6000.00 cash 12000.00" });
    expect(await asOf("2027-01-15")).toEqual({ inForce: "2026-10-20: 12000.00 bond 6000.00 cash 12000.00", next: null });
    expect(await asOf("2027-10-20")).toEqual({ inForce: "2026-10-20: 12000.00 bond 6000.00 cash 12000.00", next: "2027-10-20: 50000.00 bond 25000.00 cash 50000.00" });
  });

  it("is capped at 10,000,000.00: a month of 25,000,000.00 needs 10,000,000.00 either way", async () => {
    const id = await accountId(RM7);
    await declare("2026-05-05", "500000000.00", RM7); // GST 25,000,000.00, in the review of 2026
    const { inForce } = await securityRequirement(server.db, id, "2027-02-01");
    expect({ highest: money(inForce.highestMonthly), bond: money(inForce.requiredBond), cash: money(inForce.requiredCash) }).toEqual({
      highest: "25000000.00", bond: "10000000.00", cash: "10000000.00", // 50 % would be 12,500,000.00
    });
  });

  it("the highest month sets it: 50 % for a bond, 100 % for cash; bond and cash add up by their shares; a filing today changes nothing", async () => {
    // In the review in force today (its September and October cycles): 8,000.00 (VFD 160,000.00), then 12,000.00
    // (240,000.00 over two declarations in one cycle). Highest: 12,000.00 -> bond 6,000.00, cash 12,000.00.
    const y = reviewYearInForce(today());
    await declare(`${y}-09-01`, "160000.00");
    await declare(`${y}-10-01`, "200000.00");
    await declare(`${y}-10-02`, "40000.00");
    expect((await requirement("alice", RM5)).data!.programAccount.securityRequirement).toMatchObject({
      highestMonthlyDutiesAndTaxes: "12000.00", requiredBond: "6000.00", requiredCash: "12000.00", hasRppPrivilege: false,
    });
    // A bond of 4,000.00 covers 4,000 / 6,000 of the requirement: not enough.
    expect((await post("alice", { bn15: RM5, kind: "SURETY_BOND", amount: "4000.00", suretyProvider: "Trillium Surety Co.", bondNumber: "TS-77", expiresOn: shift(365) })).errors).toBeUndefined();
    expect((await requirement("alice", RM5)).data!.programAccount.securityRequirement).toMatchObject({ postedBond: "4000.00", hasRppPrivilege: false });
    // Cash not yet in force does not count; 4,000.00 in force covers the other 4,000 / 12,000: 2/3 + 1/3 = exactly enough.
    await post("alice", { bn15: RM5, amount: "9000.00", effectiveFrom: shift(1) });
    expect((await requirement("alice", RM5)).data!.programAccount.securityRequirement).toMatchObject({ postedCash: "0.00", hasRppPrivilege: false });
    await post("alice", { bn15: RM5, amount: "4000.00" });
    expect((await requirement("alice", RM5)).data!.programAccount.securityRequirement).toMatchObject({ postedBond: "4000.00", postedCash: "4000.00", hasRppPrivilege: true });
    // A declaration of 450,000.00 filed today is in no review yet: the privilege stays (the API once recomputed on every read).
    await declare(today(), "9000000.00");
    expect((await requirement("alice", RM5)).data!.programAccount.securityRequirement).toMatchObject({ highestMonthlyDutiesAndTaxes: "12000.00", hasRppPrivilege: true });
    // An expired bond does not count.
    await server.db.query(`UPDATE financial_securities SET expires_on = $1 WHERE bond_number = 'TS-77'`, [shift(-1)]);
    expect((await requirement("alice", RM5)).data!.programAccount.securityRequirement).toMatchObject({ postedBond: "0.00", hasRppPrivilege: false });
  });

  it("is seen by the BAM and the account's PAM only", async () => {
    const outcome = async (who: Persona, bn15: string) => code(await requirement(who, bn15));
    expect(await outcome("alice", RM1)).toBe("ok");
    expect(await outcome("bob", RM1)).toBe("ok");
    for (const who of ["carol", "erin", "frank", "gina"] as Persona[]) expect(`${who} ${await outcome(who, RM1)}`).toBe(`${who} FORBIDDEN`);
    expect(await outcome("ivan", RM1)).toBe("NOT_FOUND");
  });
});

describe("posting security", () => {
  it("only the importer's BAM posts it; the audit trail records it", async () => {
    const res = await post("alice", { bn15: RM4, kind: "SURETY_BOND", amount: "25000.00", suretyProvider: "Trillium Surety Co.", bondNumber: "TS-2026-9", expiresOn: shift(400) });
    expect(res.data!.postFinancialSecurity).toEqual({
      kind: "SURETY_BOND", amount: "25000.00", suretyProvider: "Trillium Surety Co.", bondNumber: "TS-2026-9", effectiveFrom: today(), expiresOn: shift(400), paidWith: null, status: "ACTIVE",
    });
    const [audit] = await server.db.query(`SELECT action, after FROM audit_events WHERE action = 'security.posted' AND after->>'bondNumber' = 'TS-2026-9'`);
    expect(audit.after).toMatchObject({ bn15: RM4, amount: "25000.00", kind: "SURETY_BOND" });
    // bob is a PAM (of RM0001, and RM0003 is not his): NOT_FOUND here, FORBIDDEN on his own account.
    expect(code(await post("bob", {}))).toBe("NOT_FOUND");
    expect(code(await post("bob", { bn15: RM1 }))).toBe("FORBIDDEN");
    for (const who of ["carol", "frank", "erin", "gina"] as Persona[]) expect(`${who} ${code(await post(who, { bn15: RM1 }))}`).toBe(`${who} FORBIDDEN`);
    expect(code(await post("ivan", { bn15: RM1 }))).toBe("NOT_FOUND");
    expect(code(await post("olga", { bn15: RM1 }))).toBe("NOT_FOUND");
  });

  it("bad input is BAD_USER_INPUT naming the field", async () => {
    const bad = async (input: Record<string, unknown>) => {
      const res = await post("alice", input);
      return `${code(res)} ${field(res)}`;
    };
    expect(await bad({ kind: "SURETY_BOND", bondNumber: "X1" })).toBe("BAD_USER_INPUT suretyProvider");
    expect(await bad({ kind: "SURETY_BOND", suretyProvider: "Trillium" })).toBe("BAD_USER_INPUT bondNumber");
    expect(await bad({ bondNumber: "X1" })).toBe("BAD_USER_INPUT bondNumber");
    expect(await bad({ amount: "0.00" })).toBe("BAD_USER_INPUT amount");
    expect(await bad({ effectiveFrom: "2026-13-01" })).toBe("BAD_USER_INPUT effectiveFrom");
    expect(await bad({ expiresOn: shift(-1) })).toBe("BAD_USER_INPUT expiresOn");
    // Cash security is held until the agency releases it: no expiry date (Memorandum D17-5-2), and how it is paid is required.
    expect(await bad({ expiresOn: shift(30) })).toBe("BAD_USER_INPUT expiresOn");
    expect(await bad({ paidWith: null })).toBe("BAD_USER_INPUT paidWith");
    expect(await bad({ kind: "SURETY_BOND", suretyProvider: "Trillium", bondNumber: "X2", paidWith: "CREDIT_CARD" })).toBe("BAD_USER_INPUT paidWith");
    expect(await bad({ bn15: "RM0003" })).toBe("BAD_USER_INPUT bn15");
  });
});
