/**
 * Financial security and the Release Prior to Payment privilege. Guarded: a requirement computed on
 * the wrong month or at the wrong rate (50 % for a bond, 100 % for cash, never under 5,000.00),
 * security not yet in force (or expired) counted, a broker or an employee without the right posting
 * security for the importer, and the requirement shown to those who may not see security.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileDeclaration, type DeclarationLine } from "../src/modules/transaction/filing.js";
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
beforeAll(async () => {
  server = await startTestServer();
  for (const bn15 of [RM3, RM4, RM5]) {
    await server.db.query(`INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT id, $2, $1, 'Skylights' FROM businesses WHERE bn9 = '123456782'`, [bn15, bn15.slice(9)]);
  }
});
afterAll(() => server?.stop());


const REQUIREMENT = `query ($bn15: String!) { programAccount(bn15: $bn15) { securityRequirement {
  reviewFrom reviewTo highestMonthlyDutiesAndTaxes requiredBond requiredCash postedBond postedCash hasRppPrivilege } } }`;
const requirement = async (as: Persona, bn15 = RM3) => server.gql(REQUIREMENT, { as, variables: { bn15 } });
const POST = `mutation ($input: PostFinancialSecurityInput!) { postFinancialSecurity(input: $input) { kind amount suretyProvider bondNumber effectiveFrom expiresOn status } }`;
const post = (as: Persona, input: Record<string, unknown>) =>
  server.gql(POST, { as, variables: { input: { bn15: RM3, kind: "CASH", amount: "1000.00", effectiveFrom: today(), ...input } } });

/** Day `day` of the month `n` months before this one (YYYY-MM-DD). */
const monthsBack = (n: number, day: number) => {
  const [y, m] = today().split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - n, day));
  return d.toISOString().slice(0, 10);
};

/** A declaration of VFD `vfd` at 0 %: its duties and taxes are the GST alone, 5 %. */
async function declare(releasedOn: string, vfd: string, bn15 = RM5) {
  const lines: DeclarationLine[] = [{ classificationCode: "7007190000", description: "Glazing", valueForDuty: vfd, tariffTreatment: "2", customsDutyRate: "0", sima: "0.00", excise: "0.00" }];
  await server.db.transaction(async (em) => {
    const [pa] = await em.query(`SELECT id FROM program_accounts WHERE bn15 = $1`, [bn15]);
    const [maple] = await em.query(`SELECT id, legal_name AS "legalName", asec FROM businesses WHERE bn9 = '123456782'`);
    await fileDeclaration(em, { programAccountId: pa.id, filer: maple, userId: null, releasedOn, lines, today: releasedOn });
  });
}

describe("the security requirement", () => {
  it("an account with no activity needs the minimum: 5,000.00 either way, and has no privilege without security", async () => {
    const res = await requirement("alice");
    expect(res.errors).toBeUndefined();
    expect(res.data!.programAccount.securityRequirement).toMatchObject({
      highestMonthlyDutiesAndTaxes: "0.00", requiredBond: "5000.00", requiredCash: "5000.00", postedBond: "0.00", postedCash: "0.00", hasRppPrivilege: false,
    });
    const { reviewFrom, reviewTo } = res.data!.programAccount.securityRequirement;
    // 12 billing cycles: from an 18th about a year back to the 17th ending the current cycle.
    expect(reviewFrom.slice(8)).toBe("18");
    expect(reviewTo.slice(8)).toBe("17");
    expect(reviewTo >= today() && reviewFrom <= shift(-330) && reviewFrom >= shift(-367)).toBe(true);
  });

  it("the highest month sets it: 50 % for a bond, 100 % for cash; bond and cash add up by their shares", async () => {
    // Three cycles' duties and taxes (GST at 5 %): 8,000.00 (VFD 160,000.00), 12,000.00 (240,000.00 over two
    // declarations), 5,000.00 (100,000.00). Highest: 12,000.00 -> bond 6,000.00, cash 12,000.00.
    await declare(monthsBack(3, 20), "160000.00");
    await declare(monthsBack(2, 20), "200000.00"); // the same cycle (from the 18th): 10,000.00 + 2,000.00
    await declare(monthsBack(2, 21), "40000.00");
    await declare(today(), "100000.00");
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
      kind: "SURETY_BOND", amount: "25000.00", suretyProvider: "Trillium Surety Co.", bondNumber: "TS-2026-9", effectiveFrom: today(), expiresOn: shift(400), status: "ACTIVE",
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
    expect(await bad({ bn15: "RM0003" })).toBe("BAD_USER_INPUT bn15");
  });
});
