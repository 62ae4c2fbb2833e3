/**
 * AMPS penalties and refunds of credit balances, the two money flows between the agency and an
 * importer that are not declarations or payments. Guarded: a penalty assessed twice by a retried or
 * racing request, not posted on the statement, or not told; seen by anyone who may not see the whole
 * account's payments (a restricted broker, another business, an Expired user); disputed by someone
 * who is not the importer's manager, twice, or after 90 days; a dispute decided twice by racing
 * officers (a credit posted twice); a refund of more than the credit balance, two waiting at once, one
 * paid twice, or paid from a credit a new debt has since taken; a payout reference shown to a Reader.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MakePaymentDocument } from "./generated/graphql.js";
import { code, field } from "./support/results.js";
import { shift, today } from "./support/dates.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const RM1 = "123456782RM0001";
const RM2 = "123456782RM0002";
const PRAIRIE = "711223347RM0001";
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64url");
const rowId = (globalId: string) => Buffer.from(globalId, "base64url").toString().split(":")[1]!;

const ASSESS = `mutation ($input: AssessPenaltyInput!) { assessPenalty(input: $input) { id contravention amount noticeNumber assessedOn dueOn bn15 importer { legalName }
  assessedBy { username } dispute { status } } }`;
const assess = (as: Persona, input: Record<string, unknown>) =>
  server.gql(ASSESS, { as, variables: { input: { bn15: RM1, contravention: "C152", description: "Goods not accounted for within the prescribed time", amount: "150.00", idempotencyKey: `p-${Math.random()}`, ...input } } });
const PENALTIES = `query ($bn15: String!) { programAccount(bn15: $bn15) { penalties { totalCount edges { node { id contravention amount cancelledAmount noticeNumber dueOn dispute { status cancelledAmount decisionNote } } } } } }`;
const openStatement = async (as: Persona, bn15: string) =>
  (await server.gql(`query ($bn15: String!) { programAccount(bn15: $bn15) { statements(first: 1) { edges { node { interestAndPenalties credits refunds totalPayable } } } } }`, {
    as, variables: { bn15 },
  })).data!.programAccount.statements.edges[0].node;

describe("olga assesses an AMPS penalty", () => {
  it("posted on the current statement as a penalty, due with it, told to the importer's people who see the payments, audited", async () => {
    const before = await openStatement("alice", RM1);
    const res = await assess("olga", { idempotencyKey: "penalty-1" });
    expect(res.errors).toBeUndefined();
    const p = res.data!.assessPenalty;
    expect(p).toMatchObject({ contravention: "C152", amount: "150.00", assessedOn: today(), bn15: RM1, importer: { legalName: "Maple Leaf Windows & Doors Inc." }, assessedBy: { username: "olga" }, dispute: null });
    expect(p.noticeNumber).toMatch(/^AMPS-\d{8}-[0-9A-F]{8}$/);
    const after = await openStatement("alice", RM1);
    expect(Math.round((Number(after.interestAndPenalties) - Number(before.interestAndPenalties)) * 100)).toBe(15_000);
    expect(Math.round((Number(after.totalPayable) - Number(before.totalPayable)) * 100)).toBe(15_000);
    const [line] = await server.db.query(`SELECT kind, amount, due_on::text AS due FROM statement_postings WHERE penalty_id = $1`, [rowId(p.id)]);
    expect(line).toEqual({ kind: "PENALTY", amount: "150.00", due: p.dueOn });
    const told = await server.db.query(`SELECT u.username FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'PENALTY_ASSESSED' AND n.body LIKE '%' || $1 || '%' ORDER BY 1`, [p.noticeNumber]);
    expect(told.map((r: any) => r.username)).toEqual(["alice", "bob", "carol"]);
    const [audit] = await server.db.query(
      `SELECT e.after, u.username AS actor FROM audit_events e JOIN users u ON u.id = e.actor_user_id WHERE e.action = 'penalty.assessed' AND e.target_id = $1`,
      [rowId(p.id)],
    );
    expect(audit).toEqual({ actor: "olga", after: { bn15: RM1, contravention: "C152", amount: "150.00", noticeNumber: p.noticeNumber, dueOn: p.dueOn } });
  });

  it("10 racing retries of one assessment make one penalty; anyone but an officer is refused", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => assess("olga", { idempotencyKey: "penalty-race", amount: "75.00" })));
    expect(results.map(code)).toEqual(Array(10).fill("ok"));
    expect(new Set(results.map((r) => r.data!.assessPenalty.id)).size).toBe(1);
    const [{ n }] = await server.db.query(`SELECT count(*)::int AS n FROM statement_postings sp JOIN penalties p ON p.id = sp.penalty_id WHERE p.idempotency_key = 'penalty-race'`);
    expect(n).toBe(1);
    expect(code(await assess("olga", { idempotencyKey: "penalty-race", amount: "76.00" }))).toBe("CONFLICT");
    for (const who of ["alice", "bob", "erin", "ivan"] as Persona[]) expect(`${who} ${code(await assess(who, {}))}`).toBe(`${who} FORBIDDEN`);
    expect(`${code(await assess("olga", { contravention: "X1" }))} ${field(await assess("olga", { contravention: "X1" }))}`).toBe("BAD_USER_INPUT contravention");
    expect(code(await assess("olga", { bn15: "123456782RM0099" }))).toBe("NOT_FOUND");
  });

  it("seen like the whole account's payments: the importer's people, a Reader too; not a restricted broker, an Expired user or another business", async () => {
    await assess("olga", { bn15: RM2, idempotencyKey: "penalty-doors", amount: "50.00" });
    const list = async (as: Persona, bn15: string) => {
      const res = await server.gql(PENALTIES, { as, variables: { bn15 } });
      return res.errors ? code(res) : res.data!.programAccount.penalties.totalCount;
    };
    expect(await list("alice", RM1)).toBe(2);
    expect(await list("bob", RM1)).toBe(2);
    expect(await list("carol", RM1)).toBe(2);
    expect(await list("dave", RM2)).toBe(1);
    expect(await list("erin", RM1)).toBe(0); // Northern's rules hide other brokers' filings: a penalty moves money she cannot see
    expect(await list("frank", RM1)).toBe(0);
    expect(await list("gina", RM1)).toBe("FORBIDDEN");
    expect(await list("ivan", RM1)).toBe("NOT_FOUND");
    const [p] = await server.db.query(`SELECT id FROM penalties WHERE idempotency_key = 'penalty-1'`);
    for (const who of ["erin", "ivan", "olga"] as Persona[]) {
      expect(`${who} ${code(await server.gql(`query ($id: ID!) { node(id: $id) { id } }`, { as: who, variables: { id: gid("Penalty", p.id) } }))}`).toBe(`${who} NOT_FOUND`);
    }
    // The penalty line of the journal: on erin's restricted view neither the line nor its amount.
    const erin = await openStatement("erin", RM1);
    expect(erin).toMatchObject({ interestAndPenalties: "0.00", totalPayable: null });
  });
});

const DISPUTE = `mutation ($input: DisputePenaltyInput!) { disputePenalty(input: $input) { status reason requestedBy { username } requestedByBusiness { bn9 } } }`;
const DECIDE = `mutation ($input: DecidePenaltyDisputeInput!) { decidePenaltyDispute(input: $input) { cancelledAmount dispute { status cancelledAmount decidedBy { username } } } }`;

describe("the importer disputes a penalty; the agency's queue decides", () => {
  it("the importer's BAM or the account's PAM disputes it once; an Editor, a Reader or a broker may not", async () => {
    const [p] = await server.db.query(`SELECT id FROM penalties WHERE idempotency_key = 'penalty-1'`);
    const dispute = (as: Persona, penaltyId = gid("Penalty", p.id)) => server.gql(DISPUTE, { as, variables: { input: { penaltyId, reason: "The CAD was filed on the 5th business day." } } });
    expect(code(await dispute("carol"))).toBe("FORBIDDEN");
    expect(code(await dispute("erin"))).toBe("NOT_FOUND");
    const [doors] = await server.db.query(`SELECT id FROM penalties WHERE idempotency_key = 'penalty-doors'`);
    expect(code(await dispute("dave", gid("Penalty", doors.id)))).toBe("FORBIDDEN");
    const res = await dispute("bob");
    expect(res.data!.disputePenalty).toEqual({ status: "SUBMITTED", reason: "The CAD was filed on the 5th business day.", requestedBy: { username: "bob" }, requestedByBusiness: { bn9: "123456782" } });
    expect(code(await dispute("alice"))).toBe("CONFLICT");
    // 90 days after its notice (Customs Act s.129(1)), too late.
    await server.db.query(`UPDATE penalties SET assessed_on = $1 WHERE id = $2`, [shift(-91), doors.id]);
    expect(`${code(await dispute("alice", gid("Penalty", doors.id)))} ${field(await dispute("alice", gid("Penalty", doors.id)))}`).toBe("BAD_USER_INPUT penaltyId");
  });

  it("five officers' decisions at once: one cancels 100.00 (a credit on the statement), the others get CONFLICT; the importer is told", async () => {
    const queue = await server.gql(`{ agencyQueue { penalties(filter: { disputeStatus: [SUBMITTED] }) { totalCount edges { node { id dispute { reason requestedBy { legalName } } } } } } }`, {
      as: "olga",
    });
    expect(queue.data!.agencyQueue.penalties.totalCount).toBe(1);
    const item = queue.data!.agencyQueue.penalties.edges[0].node;
    expect(item.dispute.requestedBy.legalName).toBe("Maple Leaf Windows & Doors Inc.");
    const before = await openStatement("alice", RM1);
    const over = await server.gql(DECIDE, { as: "olga", variables: { input: { penaltyCaseId: item.id, cancelledAmount: "150.01", note: "Too much" } } });
    expect(`${code(over)} ${field(over)}`).toBe("BAD_USER_INPUT cancelledAmount");
    const results = await Promise.all(
      Array.from({ length: 5 }, () => server.gql(DECIDE, { as: "olga", variables: { input: { penaltyCaseId: item.id, cancelledAmount: "100.00", note: "Partly excused." } } })),
    );
    expect(results.map(code).sort()).toEqual(["CONFLICT", "CONFLICT", "CONFLICT", "CONFLICT", "ok"]);
    const won = results.find((r) => code(r) === "ok")!.data!.decidePenaltyDispute;
    expect(won).toEqual({ cancelledAmount: "100.00", dispute: { status: "CANCELLED", cancelledAmount: "100.00", decidedBy: { username: "olga" } } });
    const after = await openStatement("alice", RM1);
    expect(Math.round((Number(after.credits) - Number(before.credits)) * 100)).toBe(10_000);
    const [{ n }] = await server.db.query(`SELECT count(*)::int AS n FROM statement_postings WHERE penalty_id = $1 AND amount < 0`, [rowId(item.id)]);
    expect(n).toBe(1);
    const told = await server.db.query(`SELECT u.username FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'PENALTY_DISPUTE_DECIDED' ORDER BY 1`);
    expect(told.map((r: any) => r.username)).toEqual(["alice", "bob", "carol"]);
    const mine = await server.gql(PENALTIES, { as: "bob", variables: { bn15: RM1 } });
    const p = mine.data!.programAccount.penalties.edges.find((e: any) => e.node.id === gid("Penalty", rowId(item.id))).node;
    expect(p).toMatchObject({ amount: "150.00", cancelledAmount: "100.00", dispute: { status: "CANCELLED", cancelledAmount: "100.00", decisionNote: "Partly excused." } });
  });
});

const pay = (as: Persona, bn15: string, amount: string) =>
  server.gql(MakePaymentDocument, { as, variables: { input: { bn15, amount, method: "ONLINE_BANKING", idempotencyKey: `k-${Math.random()}` } as never } });
const REQUEST = `mutation ($input: RequestRefundInput!) { requestRefund(input: $input) { id amount status requestedBy { username } } }`;
const request = (as: Persona, amount: string, bn15 = PRAIRIE) => server.gql(REQUEST, { as, variables: { input: { bn15, amount } } });
const credit = async (as: Persona, bn15 = PRAIRIE) => (await server.gql(`{ programAccount(bn15: "${bn15}") { creditBalance } }`, { as })).data!.programAccount.creditBalance;
const APPROVE = `mutation ($id: ID!) { approveRefund(input: { refundCaseId: $id }) { status reference amount } }`;

describe("the importer asks for its credit balance back; the agency's queue decides", () => {
  it("at most the credit balance, one waiting at a time, by the importer's managers only", async () => {
    expect(await credit("ivan")).toBe("0.00");
    expect(code(await pay("ivan", PRAIRIE, "100000.00"))).toBe("ok");
    const balance = await credit("ivan");
    expect(Number(balance)).toBeGreaterThan(0);
    expect(await credit("erin")).toBe(balance); // Northern sees every transaction of Prairie
    expect(await credit("erin", RM1)).toBeNull();
    const tooMuch = await request("ivan", (Number(balance) + 0.01).toFixed(2));
    expect(`${code(tooMuch)} ${field(tooMuch)}`).toBe("BAD_USER_INPUT amount");
    expect(code(await request("erin", "10.00"))).toBe("FORBIDDEN");
    expect(code(await request("carol", "10.00", RM1))).toBe("FORBIDDEN");
    expect(code(await request("dave", "10.00", RM2))).toBe("FORBIDDEN");
    expect(code(await request("alice", "10.00"))).toBe("NOT_FOUND");
    const res = await request("ivan", "50.00");
    expect(res.data!.requestRefund).toMatchObject({ amount: "50.00", status: "REQUESTED", requestedBy: { username: "ivan" } });
    expect(code(await request("ivan", "5.00"))).toBe("CONFLICT");
  });

  it("five approvals at once pay it once: a REFUND line the credit pays at once; the reference to ivan, not to erin (a Reader)", async () => {
    const queue = await server.gql(`{ agencyQueue { refunds { totalCount edges { node { id amount bn15 importer { legalName } status } } } } }`, { as: "olga" });
    expect(queue.data!.agencyQueue.refunds.totalCount).toBe(1);
    const item = queue.data!.agencyQueue.refunds.edges[0].node;
    expect(item).toMatchObject({ amount: "50.00", bn15: PRAIRIE, importer: { legalName: "Prairie Imports Ltd." }, status: "REQUESTED" });
    const before = Number(await credit("ivan"));
    const results = await Promise.all(Array.from({ length: 5 }, () => server.gql(APPROVE, { as: "olga", variables: { id: item.id } })));
    expect(results.map(code).sort()).toEqual(["CONFLICT", "CONFLICT", "CONFLICT", "CONFLICT", "ok"]);
    const approved = results.find((r) => code(r) === "ok")!.data!.approveRefund;
    expect(approved.reference).toMatch(/^RFND-\d{8}-[0-9A-F]{8}$/);
    expect(Math.round((before - Number(await credit("ivan"))) * 100)).toBe(5_000);
    const [{ n, open }] = await server.db.query(`SELECT count(*)::int AS n, sum(open_amount) AS open FROM statement_postings WHERE refund_id = $1`, [rowId(item.id)]);
    expect({ n, open }).toEqual({ n: 1, open: "0.00" });
    expect((await openStatement("ivan", PRAIRIE)).refunds).toBe("50.00");
    const told = await server.db.query(`SELECT u.username, n.body FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'REFUND_DECIDED'`);
    expect(told).toEqual([{ username: "ivan", body: expect.stringContaining(`Reference ${approved.reference}.`) }]);
    const refunds = `{ programAccount(bn15: "${PRAIRIE}") { refundRequests { edges { node { amount status reference } } } } }`;
    expect((await server.gql(refunds, { as: "ivan" })).data!.programAccount.refundRequests.edges[0].node).toEqual({ amount: "50.00", status: "APPROVED", reference: approved.reference });
    expect(code(await server.gql(refunds, { as: "erin" }))).toBe("FORBIDDEN"); // Northern is a Reader on Prairie: no payment details
  });

  it("approved only from the credit balance as it is now; refused with a reason otherwise", async () => {
    const balance = await credit("ivan");
    const res = await request("ivan", balance);
    const id = gid("RefundCase", rowId(res.data!.requestRefund.id));
    // A new declaration takes the credit first (credits pay debts as soon as both exist).
    const lines = [{ classificationCode: "7610100000", description: "Parts", valueForDuty: "10000.00", tariffTreatment: "2", customsDutyRate: "0" }];
    expect(code(await server.gql(`mutation ($input: FileDeclarationInput!) { fileDeclaration(input: $input) { transactionNumber } }`, {
      as: "ivan", variables: { input: { bn15: PRAIRIE, releasedOn: today(), lines } },
    }))).toBe("ok");
    const late = await server.gql(APPROVE, { as: "olga", variables: { id } });
    expect(code(late)).toBe("CONFLICT");
    expect(late.errors![0]!.message).toMatch(/credit balance is now \d+\.\d{2}, less than/);
    const noReason = await server.gql(`mutation ($id: ID!) { rejectRefund(input: { refundCaseId: $id, reason: "" }) { status } }`, { as: "olga", variables: { id } });
    expect(`${code(noReason)} ${field(noReason)}`).toBe("BAD_USER_INPUT reason");
    const rejected = await server.gql(`mutation ($id: ID!) { rejectRefund(input: { refundCaseId: $id, reason: "The credit was used." }) { status decisionNote } }`, { as: "olga", variables: { id } });
    expect(rejected.data!.rejectRefund).toEqual({ status: "REJECTED", decisionNote: "The credit was used." });
    expect(code(await server.gql(APPROVE, { as: "ivan", variables: { id } }))).toBe("FORBIDDEN");
  });
});
