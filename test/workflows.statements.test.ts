/**
 * The agency's side of the money: issuing statements now (what the daily job does) and setting the
 * prescribed interest rate. Guarded: anyone but an agency officer doing either, an officer whose role
 * was taken away still issuing, a statement left open past its issue date, a rate rewritten for days
 * already past.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileDeclaration } from "../src/modules/transaction/filing.js";
import { waitFor } from "./support/log.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";
import { code, field } from "./support/results.js";
import { shift, today } from "./support/dates.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const ISSUE = `mutation { issueStatements { asOf issued } }`;
const overdueOpen = async () =>
  (await server.db.query(`SELECT count(*)::int AS n FROM statements WHERE status = 'OPEN' AND issue_date <= $1::date`, [today()]))[0].n as number;

describe("issueStatements", () => {
  it("the demo world has nothing left to issue: every statement whose issue date came is issued", async () => {
    expect(await overdueOpen()).toBe(0);
    const res = await server.gql(ISSUE, { as: "olga" });
    expect(res.data!.issueStatements).toEqual({ asOf: today(), issued: 0 });
  });

  it("olga issues a statement left open past its issue date (and what carries a balance after it), with the readers told", async () => {
    // A Maple Leaf declaration recorded 50 days ago on a new account: its cycle's issue date has passed.
    const released = shift(-50);
    await server.db.query(`INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT id, 'RM0004', '123456782RM0004', 'Screens' FROM businesses WHERE bn9 = '123456782'`);
    await server.db.transaction(async (em) => {
      const [pa] = await em.query(`SELECT id FROM program_accounts WHERE bn15 = '123456782RM0004'`);
      const [maple] = await em.query(`SELECT id, legal_name AS "legalName", asec FROM businesses WHERE bn9 = '123456782'`);
      const lines = [{ classificationCode: "7610100000", description: "Screens", valueForDuty: "1000.00", tariffTreatment: "2", customsDutyRate: "6.5", sima: "0.00", excise: "0.00" }];
      await fileDeclaration(em, { programAccountId: pa.id, filer: maple, userId: null, releasedOn: released, lines, today: released });
    });
    expect(await overdueOpen()).toBe(1);
    const res = await server.gql(ISSUE, { as: "olga" });
    expect(res.errors).toBeUndefined();
    // Its statement, and the next cycle's when that one's issue date has come too (the unpaid balance carries into it),
    // worked out here from the calendar: releases from the 18th to the next 17th, issued on the 25th after.
    const [y, m, d] = released.split("-").map(Number) as [number, number, number];
    const nextIssue = new Date(Date.UTC(y, m - 1 + (d >= 18 ? 2 : 1), 25)).toISOString().slice(0, 10);
    expect(res.data!.issueStatements.issued).toBe(nextIssue <= today() ? 2 : 1);
    expect(await overdueOpen()).toBe(0);
    const notices = await server.db.query(`SELECT u.username FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.body LIKE '%123456782RM0004%' ORDER BY n.created_at`);
    expect(new Set(notices.map((r: { username: string }) => r.username))).toEqual(new Set(["alice"]));
    const [audit] = await server.db.query(`SELECT a.action, u.username FROM audit_events a JOIN users u ON u.id = a.actor_user_id WHERE a.action = 'statement.issued'`);
    expect(audit).toEqual({ action: "statement.issued", username: "olga" });
    // A second run finds nothing.
    expect((await server.gql(ISSUE, { as: "olga" })).data!.issueStatements.issued).toBe(0);
  });

  it("no one else may issue statements", async () => {
    for (const who of ["alice", "bob", "erin", "ivan", "harry"] as Persona[]) expect(`${who} ${code(await server.gql(ISSUE, { as: who }))}`).toBe(`${who} FORBIDDEN`);
    expect(code(await server.gql(ISSUE))).toBe("UNAUTHENTICATED");
  });
});

describe("prescribed interest rates", () => {
  const SET = `mutation ($from: String!, $rate: String!) { setPrescribedInterestRate(effectiveFrom: $from, rate: $rate) { effectiveFrom rate overdueRate } }`;
  const set = (as: Persona, from: string, rate: string) => server.gql(SET, { as, variables: { from, rate } });

  it("olga sets the rate from tomorrow: overdue amounts bear it plus 6 points; everyone signed in can read the rates", async () => {
    const res = await set("olga", shift(1), "4.25");
    expect(res.data!.setPrescribedInterestRate).toEqual({ effectiveFrom: shift(1), rate: "4.2500", overdueRate: "10.2500" });
    // Set again for the same day: replaced, not added.
    await set("olga", shift(1), "4.5");
    const list = await server.gql(`{ prescribedInterestRates { effectiveFrom rate overdueRate } }`, { as: "carol" });
    expect(list.data!.prescribedInterestRates).toEqual([{ effectiveFrom: shift(1), rate: "4.5000", overdueRate: "10.5000" }]);
    const [audit] = await server.db.query(`SELECT before, after FROM audit_events WHERE action = 'interest_rate.set' ORDER BY created_at DESC LIMIT 1`);
    expect(audit).toEqual({ before: { effectiveFrom: shift(1), rate: "4.2500" }, after: { effectiveFrom: shift(1), rate: "4.5" } });
  });

  it("days already past keep their rate; bad rates are refused; only agency officers set them", async () => {
    expect(`${code(await set("olga", shift(-1), "5"))} ${field(await set("olga", shift(-1), "5"))}`).toBe("BAD_USER_INPUT effectiveFrom");
    expect(field(await set("olga", shift(2), "5.12345"))).toBe("rate");
    expect(field(await set("olga", shift(2), "-1"))).toBe("rate");
    expect(field(await set("olga", "2027-02-30", "5"))).toBe("effectiveFrom");
    for (const who of ["alice", "erin", "ivan"] as Persona[]) expect(`${who} ${code(await set(who, shift(2), "5"))}`).toBe(`${who} FORBIDDEN`);
  });

  it("an officer whose role is taken away while her change waits cannot set the rate (the role is read again inside it)", async () => {
    const blocker = new pg.Client({ connectionString: server.dbUrl });
    await blocker.connect();
    try {
      // Her role is being taken away: the users row is locked by that change.
      await blocker.query("BEGIN");
      await blocker.query(`SELECT 1 FROM users WHERE username = 'olga' FOR UPDATE`);
      const change = set("olga", shift(3), "5");
      // Her mutation passed the request's check and now waits for the row inside its transaction.
      await waitFor(async () => (await server.db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`))[0].n > 0, 10_000, "the mutation to wait");
      await blocker.query(`UPDATE users SET platform_role = NULL WHERE username = 'olga'`);
      await blocker.query("COMMIT");
      expect(code(await change)).toBe("FORBIDDEN");
      expect(await server.db.query(`SELECT 1 FROM prescribed_interest_rates WHERE effective_from = $1`, [shift(3)])).toEqual([]);
    } finally {
      await blocker.end();
      await server.db.query(`UPDATE users SET platform_role = 'AGENCY_OFFICER' WHERE username = 'olga'`);
    }
  });
});
