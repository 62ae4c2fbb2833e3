/**
 * Ruling requests from the importer's and the broker's side. Threats guarded: a Reader, an expired
 * broker or an outsider asking the agency in a business's name; a broker seeing a client's requests
 * that its visibility rules exclude (visibility follows the submitting business, like transactions);
 * a request withdrawn by someone other than the business that made it, or after the decision;
 * attachment metadata that is unbounded or malformed; a submission that is not in the audit trail.
 *
 * Seeded: Maple RM0001 "window frames" by Maple Leaf (SUBMITTED, one attachment); Maple RM0002 "oak
 * doors" by Northern (DECISION_RENDERED); Prairie RM0001 "sprayer parts" by Prairie (ASSIGNED to olga).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_BN } from "../src/seed/demo.js";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const MAPLE = "123456782";
const RM1 = "123456782RM0001";
const RM2 = "123456782RM0002";
const PRAIRIE_RM1 = `${DEMO_BN.prairie}RM0001`;
const SHA = (c: string) => c.repeat(64);

const SUBMIT = `mutation ($input: SubmitRulingRequestInput!) { submitRulingRequest(input: $input) {
  id kind status productDescription submittedBy { legalName } submittedByUser { username } programAccount { bn15 }
  attachments { fileName mediaType sizeBytes sha256 } } }`;
const WITHDRAW = `mutation ($id: ID!) { withdrawRulingRequest(input: { rulingRequestId: $id }) { id status withdrawnAt } }`;
const LIST = `{ rulingRequests(first: 100) { totalCount edges { node { id productDescription status decision submittedBy { legalName } } } } }`;

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? "ok";
const submit = (as: Persona, input: Record<string, unknown>) =>
  server.gql(SUBMIT, { as, variables: { input: { kind: "TARIFF_CLASSIFICATION", productDescription: "Vinyl window sashes", ...input } } });
const descriptions = async (as: Persona) => {
  const res = await server.gql(LIST, { as });
  if (res.errors) return code(res);
  return res.data!.rulingRequests.edges.map((e: any) => e.node.productDescription).sort();
};

describe("who may submit a ruling request on Maple RM0001", () => {
  it.each([
    ["alice", "ok", "Maple Leaf Windows & Doors Inc."], // BAM
    ["bob", "ok", "Maple Leaf Windows & Doors Inc."], // PAM
    ["carol", "ok", "Maple Leaf Windows & Doors Inc."], // Editor
    ["frank", "ok", "Northern Customs Brokers Ltd."], // provider employee, Editor through his client group
    ["erin", "ok", "Northern Customs Brokers Ltd."], // provider BAM, the relationship's Editor role
    ["gina", "FORBIDDEN", null], // Expired: sees the account, submits nothing
    ["dave", "NOT_FOUND", null], // RM0002 only
    ["ivan", "NOT_FOUND", null],
    ["harry", "NOT_FOUND", null],
    ["olga", "NOT_FOUND", null], // the agency decides rulings; it does not ask for them
  ] as const)("%s: %s", async (who, expected, submitter) => {
    const res = await submit(who, { bn15: RM1, productDescription: `Frames asked by ${who}` });
    expect(code(res)).toBe(expected);
    if (submitter) {
      expect(res.data!.submitRulingRequest).toMatchObject({
        status: "SUBMITTED", submittedBy: { legalName: submitter }, submittedByUser: { username: who }, programAccount: { bn15: RM1 }, attachments: [],
      });
    }
  });

  it("a Reader cannot (dave on RM0002), nor a provider whose relationship is Reader (erin on Prairie RM0001)", async () => {
    expect(code(await submit("dave", { bn15: RM2 }))).toBe("FORBIDDEN");
    expect(code(await submit("erin", { bn15: PRAIRIE_RM1 }))).toBe("FORBIDDEN");
    expect((await submit("dave", { bn15: RM2 })).errors![0]!.message).toMatch(/does not allow submitting ruling requests/);
  });

  it("the submission is in the audit trail of the importer and, for a provider's, of the provider too", async () => {
    const res = await submit("frank", { bn15: RM1, productDescription: "Audited frames", kind: "ORIGIN" });
    const id = res.data!.submitRulingRequest.id;
    const raw = Buffer.from(id, "base64url").toString().split(":")[1];
    const rows = await server.db.query(
      `SELECT b.legal_name, u.username, ae.after FROM audit_events ae JOIN businesses b ON b.id = ae.business_id JOIN users u ON u.id = ae.actor_user_id
        WHERE ae.target_id = $1 AND ae.action = 'ruling.submitted' ORDER BY b.legal_name`,
      [raw],
    );
    expect(rows).toEqual([
      { legal_name: "Maple Leaf Windows & Doors Inc.", username: "frank", after: { bn15: RM1, kind: "ORIGIN", submittedBy: DEMO_BN.northern, productDescription: "Audited frames", attachments: [] } },
      { legal_name: "Northern Customs Brokers Ltd.", username: "frank", after: { bn15: RM1, kind: "ORIGIN", submittedBy: DEMO_BN.northern, productDescription: "Audited frames", attachments: [] } },
    ]);
  });
});

describe("input", () => {
  const field = async (input: Record<string, unknown>) => (await submit("carol", { bn15: RM1, ...input })).errors?.[0]?.extensions;
  const att = (over: Record<string, unknown> = {}) => ({ fileName: "spec.pdf", mediaType: "application/pdf", sizeBytes: 1024, sha256: SHA("a"), ...over });

  it("a product description is required and bounded; the account must be a BN15", async () => {
    expect(await field({ productDescription: "  " })).toMatchObject({ code: "BAD_USER_INPUT", field: "productDescription" });
    expect(await field({ productDescription: "x".repeat(2001) })).toMatchObject({ code: "BAD_USER_INPUT", field: "productDescription" });
    expect(await field({ bn15: "123456782RM01" })).toMatchObject({ code: "BAD_USER_INPUT", field: "bn15" });
  });

  it("attachments are metadata only, validated and bounded, each error naming its field", async () => {
    expect(await field({ attachments: [att({ fileName: "../etc/passwd" })] })).toMatchObject({ code: "BAD_USER_INPUT", field: "attachments[0].fileName" });
    expect(await field({ attachments: [att({ fileName: "x".repeat(256) })] })).toMatchObject({ code: "BAD_USER_INPUT", field: "attachments[0].fileName" });
    expect(await field({ attachments: [att(), att({ mediaType: "application/x-msdownload", sha256: SHA("b") })] })).toMatchObject({ code: "BAD_USER_INPUT", field: "attachments[1].mediaType" });
    expect(await field({ attachments: [att({ sizeBytes: 0 })] })).toMatchObject({ code: "BAD_USER_INPUT", field: "attachments[0].sizeBytes" });
    expect(await field({ attachments: [att({ sizeBytes: 25 * 1024 * 1024 + 1 })] })).toMatchObject({ code: "BAD_USER_INPUT", field: "attachments[0].sizeBytes" });
    expect(await field({ attachments: [att({ sha256: "abc" })] })).toMatchObject({ code: "BAD_USER_INPUT", field: "attachments[0].sha256" });
    expect(await field({ attachments: [att(), att({ fileName: "copy.pdf" })] })).toMatchObject({ code: "BAD_USER_INPUT", field: "attachments[1].sha256" });
    const eleven = Array.from({ length: 11 }, (_, i) => att({ sha256: SHA(i.toString(16)) }));
    expect(await field({ attachments: eleven })).toMatchObject({ code: "BAD_USER_INPUT", field: "attachments" });
  });

  it("valid attachments are kept in order, the checksum in lower case", async () => {
    const res = await submit("carol", {
      bn15: RM1, productDescription: "Frames with documents",
      attachments: [att({ fileName: "frame photo.JPG", mediaType: "image/jpeg", sha256: SHA("C") }), att({ fileName: "invoice.pdf", sizeBytes: 25 * 1024 * 1024 })],
    });
    expect(res.data!.submitRulingRequest.attachments).toEqual([
      { fileName: "frame photo.JPG", mediaType: "image/jpeg", sizeBytes: 1024, sha256: SHA("c") },
      { fileName: "invoice.pdf", mediaType: "application/pdf", sizeBytes: 25 * 1024 * 1024, sha256: SHA("a") },
    ]);
  });
});

describe("visibility follows the submitting business, like transactions", () => {
  // Northern -> Maple: sees what Northern submitted and what Maple submitted, not other businesses'.
  it("a request another business submitted on Maple's account is hidden from Northern's people, shown to Maple's", async () => {
    const [{ id: coastal }] = await server.db.query(`SELECT id FROM businesses WHERE legal_name LIKE 'Coastal%'`);
    await server.db.query(
      `INSERT INTO ruling_requests (program_account_id, submitted_by_business_id, kind, product_description)
       SELECT id, $1, 'MARKING', 'Door labels filed by Coastal' FROM program_accounts WHERE bn15 = $2`,
      [coastal, RM1],
    );
    expect(await descriptions("alice")).toContain("Door labels filed by Coastal");
    expect(await descriptions("carol")).toContain("Door labels filed by Coastal");
    expect(await descriptions("erin")).not.toContain("Door labels filed by Coastal");
    expect(await descriptions("frank")).not.toContain("Door labels filed by Coastal");
    const id = async (who: Persona) => {
      const [{ id: raw }] = await server.db.query(`SELECT id FROM ruling_requests WHERE product_description = 'Door labels filed by Coastal'`);
      const res = await server.gql(`query ($id: ID!) { node(id: $id) { id } }`, { as: who, variables: { id: Buffer.from(`RulingRequest:${raw}`).toString("base64url") } });
      return code(res);
    };
    expect(await id("alice")).toBe("ok");
    expect(await id("frank")).toBe("NOT_FOUND");
    // Nested under the account, the same rule.
    const nested = await server.gql(`{ programAccount(bn15: "${RM1}") { rulingRequests(first: 100) { edges { node { productDescription } } } } }`, { as: "frank" });
    expect(nested.data!.programAccount.rulingRequests.edges.map((e: any) => e.node.productDescription)).not.toContain("Door labels filed by Coastal");
    await server.db.query(`DELETE FROM ruling_requests WHERE product_description = 'Door labels filed by Coastal'`);
  });

  it("gina (Expired) sees no ruling requests; dave (Reader of RM0002) sees RM0002's and its decision", async () => {
    expect(await descriptions("gina")).toEqual([]);
    const dave = await server.gql(LIST, { as: "dave" });
    expect(dave.data!.rulingRequests.edges.map((e: any) => e.node)).toEqual([
      expect.objectContaining({
        productDescription: "Solid oak interior doors assembled in Vermont", status: "DECISION_RENDERED",
        decision: "Originating under CUSMA: tariff treatment 10 applies.", submittedBy: { legalName: "Northern Customs Brokers Ltd." },
      }),
    ]);
  });

  it("erin sees Prairie's own request through the Reader relationship (all submitters), ivan his own", async () => {
    expect(await descriptions("erin")).toContain("Agricultural sprayer parts sold under a distribution agreement");
    expect(await descriptions("ivan")).toEqual(["Agricultural sprayer parts sold under a distribution agreement"]);
    expect(await descriptions("harry")).toEqual([]);
    expect(await descriptions("olga")).toEqual([]); // officers use the agency queue, not the businesses' lists
  });

  it("filters by account, status and kind", async () => {
    const q = `query ($f: RulingRequestFilter) { rulingRequests(filter: $f, first: 100) { totalCount } }`;
    const count = async (f: object) => (await server.gql(q, { as: "alice", variables: { f } })).data!.rulingRequests.totalCount;
    expect(await count({ bn15: RM2 })).toBe(1);
    expect(await count({ status: ["DECISION_RENDERED"] })).toBe(1);
    expect(await count({ kind: ["VALUATION"] })).toBe(0);
    expect((await server.gql(q, { as: "alice", variables: { f: { status: [] } } })).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.status" });
  });
});

describe("withdrawing", () => {
  const newRequest = async (as: Persona, productDescription: string) => (await submit(as, { bn15: RM1, productDescription })).data!.submitRulingRequest.id as string;

  it("by the submitting business's people only: alice cannot withdraw Northern's request, frank can", async () => {
    const id = await newRequest("frank", "Northern's frames to withdraw");
    expect(code(await server.gql(WITHDRAW, { as: "alice", variables: { id } }))).toBe("FORBIDDEN");
    expect(code(await server.gql(WITHDRAW, { as: "carol", variables: { id } }))).toBe("FORBIDDEN");
    expect(code(await server.gql(WITHDRAW, { as: "dave", variables: { id } }))).toBe("NOT_FOUND");
    const res = await server.gql(WITHDRAW, { as: "frank", variables: { id } });
    expect(res.data!.withdrawRulingRequest.status).toBe("WITHDRAWN");
    expect(res.data!.withdrawRulingRequest.withdrawnAt).not.toBeNull();
    // Once withdrawn, it stays so.
    expect(code(await server.gql(WITHDRAW, { as: "erin", variables: { id } }))).toBe("CONFLICT");
  });

  it("not once decided (a Reader cannot either)", async () => {
    const [{ id: raw }] = await server.db.query(`SELECT id FROM ruling_requests WHERE status = 'DECISION_RENDERED'`);
    const id = Buffer.from(`RulingRequest:${raw}`).toString("base64url");
    expect(code(await server.gql(WITHDRAW, { as: "dave", variables: { id } }))).toBe("FORBIDDEN");
    const res = await server.gql(WITHDRAW, { as: "frank", variables: { id } });
    expect(code(res)).toBe("CONFLICT");
    expect(res.errors![0]!.message).toMatch(/already decided/);
  });

  it("a Maple Leaf request: carol withdraws it, and the trail says who, from which status", async () => {
    const id = await newRequest("carol", "Maple frames to withdraw");
    expect(code(await server.gql(WITHDRAW, { as: "carol", variables: { id } }))).toBe("ok");
    const trail = await server.gql(`{ business(bn9: "${MAPLE}") { auditEvents(action: "ruling.withdrawn", first: 1) { edges { node { actor { username } before after targetId } } } } }`, { as: "alice" });
    expect(trail.data!.business.auditEvents.edges[0].node).toEqual({ actor: { username: "carol" }, before: { status: "SUBMITTED" }, after: { status: "WITHDRAWN" }, targetId: id });
  });
});

describe("choosing the business to submit as", () => {
  it("someone who could submit as the importer or as its broker must say which; the choice is recorded", async () => {
    // erin also becomes an Editor of Maple RM0001, as Maple's own employee.
    await server.db.query(
      `INSERT INTO business_memberships (user_id, business_id, is_bam, status) SELECT u.id, b.id, false, 'ACTIVE' FROM users u, businesses b WHERE u.username = 'erin' AND b.bn9 = $1`,
      [MAPLE],
    );
    await server.db.query(`INSERT INTO program_roles (user_id, program_account_id, role) SELECT u.id, pa.id, 'EDITOR' FROM users u, program_accounts pa WHERE u.username = 'erin' AND pa.bn15 = $1`, [RM1]);
    try {
      const ambiguous = await submit("erin", { bn15: RM1 });
      expect(ambiguous.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "submitAsBn9" });
      expect(ambiguous.errors![0]!.message).toMatch(/Maple Leaf Windows & Doors Inc\. \(123456782\).*Northern Customs Brokers Ltd\./);
      const asMaple = await submit("erin", { bn15: RM1, submitAsBn9: MAPLE });
      expect(asMaple.data!.submitRulingRequest.submittedBy.legalName).toBe("Maple Leaf Windows & Doors Inc.");
      expect(code(await submit("erin", { bn15: RM1, submitAsBn9: DEMO_BN.prairie }))).toBe("FORBIDDEN");
      expect((await submit("erin", { bn15: RM1, submitAsBn9: "71122334" })).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "submitAsBn9" });
    } finally {
      // erin is Northern's again only.
      await server.db.query(`DELETE FROM program_roles WHERE user_id = (SELECT id FROM users WHERE username = 'erin')`);
      await server.db.query(`DELETE FROM business_memberships WHERE user_id = (SELECT id FROM users WHERE username = 'erin') AND business_id = (SELECT id FROM businesses WHERE bn9 = $1)`, [MAPLE]);
    }
  });
});
