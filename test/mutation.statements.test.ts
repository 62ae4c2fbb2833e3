/**
 * What a change sends to PostgreSQL, statement by statement: a declaration is filed at a broker's
 * pace only if it sends no statement that is not the law's. Guarded: a transaction opened in two
 * round trips (TypeORM's `START TRANSACTION` then `SET TRANSACTION ISOLATION LEVEL`), a transaction
 * that is not READ COMMITTED whatever the database's default (the ledger's locks are written for
 * it), a change that is neither committed nor rolled back as a whole, the person's access read again
 * after a change declared to alter none of it (and not read again after one that may), the acting
 * business read apart from its grant, and the person's authority checked twice where nothing runs
 * between the two checks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { writeAuthority } from "../src/auth/authority.js";
import { createDataSource } from "../src/db/data-source.js";
import { labelOfStatement } from "../src/db/sql.js";
import { readCommitted } from "../src/db/transaction.js";
import { createLogger } from "../src/logger.js";
import { code } from "./support/results.js";
import { today } from "./support/dates.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const FILE = `mutation ($input: FileDeclarationInput!) { fileDeclaration(input: $input) { transactionNumber totalDutiesAndTaxes submittedBy { legalName } } }`;
const ONE_LINE = [{ classificationCode: "7610100000", description: "Window frame", valueForDuty: "1000.00", tariffTreatment: "2", customsDutyRate: "6.5" }];

/** A statement as the server sent it: its label (db/sql.ts, QueryOptions.label) or, for the transaction's own, its text. */
type Sent = string;

/** Every statement the server sends while `fn` runs, in order (through TypeORM's logger: pool, transactions and all). */
async function sentDuring<T>(fn: () => Promise<T>): Promise<{ result: T; sent: Sent[] }> {
  const sent: Sent[] = [];
  const logger = server.db.logger as { logQuery: (query: unknown, ...rest: unknown[]) => void };
  const original = logger.logQuery;
  logger.logQuery = function (this: unknown, query: unknown, ...rest: unknown[]) {
    // A kept plan's statement is handed over as { name, text } (db/sql.ts).
    const text = typeof query === "string" ? query : (query as { text: string }).text;
    sent.push(labelOfStatement(text) ?? (/^(START|BEGIN|SET|COMMIT|ROLLBACK)\b/.test(text) ? text : "(unlabelled)"));
    return original.call(this, query, ...rest);
  };
  try {
    return { result: await fn(), sent };
  } finally {
    logger.logQuery = original;
  }
}

const file = (as: Persona, bn15: string) => server.gql(FILE, { as, variables: { input: { bn15, releasedOn: today(), lines: ONE_LINE } } });
const count = (sent: Sent[], what: Sent) => sent.filter((s) => s === what).length;

describe("a declaration's statements", () => {
  it("carol files: 14 statements, the transaction opened by one, the access read once inside it and never after the commit", async () => {
    await file("carol", "123456782RM0001"); // the connection's prepared statements, once
    const { result: res, sent } = await sentDuring(() => file("carol", "123456782RM0001"));
    expect(res.errors).toBeUndefined();
    expect(res.data!.fileDeclaration).toMatchObject({ totalDutiesAndTaxes: "118.25", submittedBy: { legalName: "Maple Leaf Windows & Doors Inc." } });
    // sign-in, the account; START; the actor locked, their access, the acting business with its row;
    // the ledger with the number, the declaration, the posting, the audit row; COMMIT; the payload's
    // transaction checked, its submitter, its visible versions.
    expect(res.extensions!.sqlStatements).toBe(14);
    expect(sent).toHaveLength(14);
    expect(sent.filter((s) => /^(START|BEGIN|SET)\b/.test(s))).toEqual(["START TRANSACTION ISOLATION LEVEL READ COMMITTED"]);
    const begin = sent.indexOf("START TRANSACTION ISOLATION LEVEL READ COMMITTED");
    const commit = sent.indexOf("COMMIT");
    expect(begin).toBeGreaterThan(-1);
    expect(commit).toBeGreaterThan(begin);
    const inside = sent.slice(begin, commit);
    const after = sent.slice(commit + 1);
    expect(count(inside, "access: employment")).toBe(1);
    expect(count(after, "access: employment")).toBe(0);
    // The acting business and its row: one statement, inside the transaction, none before it.
    expect(count(sent, "access: acting businesses")).toBe(1);
    expect(count(inside, "access: acting businesses")).toBe(1);
    // Its audit row: one statement, inside the transaction.
    expect(count(sent, "audit events")).toBe(1);
    expect(count(inside, "audit events")).toBe(1);
  });

  it("a person who may not file gets FORBIDDEN from the check inside the transaction, and nothing is written", async () => {
    // dave reads RM0002 (it is found) but may not file on it.
    const before = await server.db.query(`SELECT count(*)::int AS n FROM transactions`);
    const { result: res, sent } = await sentDuring(() => file("dave", "123456782RM0002"));
    expect(code(res)).toBe("FORBIDDEN");
    expect(res.errors![0]!.message).toBe("You may not file declarations on this program account.");
    expect(sent).toContain("ROLLBACK");
    expect(sent).not.toContain("COMMIT");
    const after = await server.db.query(`SELECT count(*)::int AS n FROM transactions`);
    expect(after[0].n).toBe(before[0].n);
  });
});

describe("after the commit, the person's access", () => {
  it("is read again for a change that may alter it (a client group: its provider's BAM may be assigned to it)", async () => {
    expect(writeAuthority.createClientGroup.access).toBe("may change it");
    const { result: res, sent } = await sentDuring(() =>
      server.gql(`mutation { createClientGroup(input: { name: "Statements test group" }) { name } }`, { as: "erin" }),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.createClientGroup.name).toBe("Statements test group");
    expect(count(sent.slice(sent.indexOf("COMMIT") + 1), "access: employment")).toBe(1);
  });

  it("is the one read in the transaction for a change declared to alter none of it, and still judges the payload", async () => {
    expect(writeAuthority.fileDeclaration.access).toBe("changes none");
    // erin files for Maple Leaf as Northern: the payload (her new transaction, its submitter) is
    // judged through her relationship's grant, which the kept access asks PostgreSQL for afresh.
    const { result: res, sent } = await sentDuring(() => file("erin", "123456782RM0001"));
    expect(res.errors).toBeUndefined();
    expect(res.data!.fileDeclaration).toMatchObject({ totalDutiesAndTaxes: "118.25", submittedBy: { legalName: "Northern Customs Brokers Ltd." } });
    expect(count(sent.slice(sent.indexOf("COMMIT") + 1), "access: employment")).toBe(0);
  });
});

describe("readCommitted (db/transaction.ts)", () => {
  let db: DataSource;
  beforeAll(async () => {
    // One connection, whose own default is SERIALIZABLE: what the transaction says must win.
    db = createDataSource(server.dbUrl, createLogger("error"), { poolSize: 1 });
    await db.initialize();
    await db.query(`SET default_transaction_isolation = 'serializable'`);
    await db.query(`CREATE TABLE IF NOT EXISTS tx_probe (n int)`);
  });
  afterAll(async () => {
    await db?.query(`DROP TABLE IF EXISTS tx_probe`);
    await db?.destroy();
  });

  it("is READ COMMITTED whatever the connection's default (which TypeORM's own transaction would take)", async () => {
    expect(await db.transaction(async (em) => (await em.query(`SHOW transaction_isolation`))[0].transaction_isolation)).toBe("serializable");
    expect(await readCommitted(db, async (em) => (await em.query(`SHOW transaction_isolation`))[0].transaction_isolation)).toBe("read committed");
  });

  it("commits what the work wrote, and rolls all of it back when the work throws (the work's error thrown as it was)", async () => {
    await readCommitted(db, (em) => em.query(`INSERT INTO tx_probe VALUES (1)`));
    const boom = new Error("the work failed");
    await expect(
      readCommitted(db, async (em) => {
        await em.query(`INSERT INTO tx_probe VALUES (2)`);
        throw boom;
      }),
    ).rejects.toBe(boom);
    // A failed statement aborts the transaction: rolled back too, the connection usable afterwards.
    await expect(readCommitted(db, (em) => em.query(`INSERT INTO tx_probe VALUES ('x')`))).rejects.toThrow(/invalid input syntax/);
    expect(await db.query(`SELECT n FROM tx_probe ORDER BY n`)).toEqual([{ n: 1 }]);
    expect(await db.query(`SELECT 1 AS ok`)).toEqual([{ ok: 1 }]);
  });
});
