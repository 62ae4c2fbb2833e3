/**
 * The duty and tax estimator (seed 001: "Estimate duties and taxes"). It must compute exactly what a
 * CAD filing computes (one function for both), never store or read anything, and refuse malformed or
 * unbounded input with the field named. Every expected amount below is worked out by hand in the
 * comments, never with the code under test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const ESTIMATE = `query ($lines: [EstimateLineInput!]!) { estimateDutiesAndTaxes(lines: $lines) {
  lines { lineNo classificationCode tariffTreatment valueForDuty customsDuty sima excise valueForTax gst total }
  customsDuty sima excise gst total } }`;
const line = (over: Record<string, unknown> = {}) => ({ classificationCode: "7610100000", valueForDuty: "1000.00", tariffTreatment: "2", customsDutyRate: "6.5", ...over });
const estimate = (lines: object[], as: Persona = "carol") => server.gql(ESTIMATE, { as, variables: { lines } });

describe("the arithmetic, worked by hand", () => {
  it("two lines: duty, value for tax and GST per line, rounded per line, then summed", async () => {
    const res = await estimate([
      line(),
      line({ classificationCode: "4418200000", valueForDuty: "333.33", customsDutyRate: "3.5", sima: "12.34", excise: "5.00" }),
    ]);
    expect(res.errors).toBeUndefined();
    expect(res.data!.estimateDutiesAndTaxes).toEqual({
      lines: [
        // 1000.00 x 6.5 % = 65.00; value for tax 1000.00 + 65.00 = 1065.00; GST 5 % = 53.25; total 65.00 + 53.25 = 118.25
        { lineNo: 1, classificationCode: "7610100000", tariffTreatment: "2", valueForDuty: "1000.00", customsDuty: "65.00", sima: "0.00", excise: "0.00", valueForTax: "1065.00", gst: "53.25", total: "118.25" },
        // 333.33 x 3.5 % = 11.66655 -> 11.67; value for tax 333.33 + 11.67 + 12.34 + 5.00 = 362.34;
        // GST 362.34 x 5 % = 18.117 -> 18.12; total 11.67 + 12.34 + 5.00 + 18.12 = 47.13
        { lineNo: 2, classificationCode: "4418200000", tariffTreatment: "2", valueForDuty: "333.33", customsDuty: "11.67", sima: "12.34", excise: "5.00", valueForTax: "362.34", gst: "18.12", total: "47.13" },
      ],
      // 65.00 + 11.67 = 76.67; SIMA 12.34; excise 5.00; GST 53.25 + 18.12 = 71.37; total 118.25 + 47.13 = 165.38
      customsDuty: "76.67", sima: "12.34", excise: "5.00", gst: "71.37", total: "165.38",
    });
  });

  it("rounds half away from zero per line: two lines of 0.50 at 1 % owe 0.02 of duty, not 0.01", async () => {
    const res = await estimate([line({ valueForDuty: "0.50", customsDutyRate: "1" }), line({ valueForDuty: "0.50", customsDutyRate: "1" })]);
    // Each: 0.50 x 1 % = 0.005 -> 0.01; value for tax 0.51; GST 0.0255 -> 0.03; total 0.04.
    expect(res.data!.estimateDutiesAndTaxes).toMatchObject({ customsDuty: "0.02", gst: "0.06", total: "0.08" });
    expect(res.data!.estimateDutiesAndTaxes.lines[0]).toMatchObject({ customsDuty: "0.01", valueForTax: "0.51", gst: "0.03", total: "0.04" });
  });

  it("a rate above 100 % (over-access tariffs) and a free line", async () => {
    const res = await estimate([line({ valueForDuty: "200.00", customsDutyRate: "245.5" }), line({ valueForDuty: "80.00", customsDutyRate: "0" })]);
    // 200.00 x 245.5 % = 491.00; value for tax 691.00; GST 34.55; total 525.55.
    // 80.00 x 0 % = 0.00; value for tax 80.00; GST 4.00; total 4.00.
    expect(res.data!.estimateDutiesAndTaxes).toMatchObject({ customsDuty: "491.00", gst: "38.55", total: "529.55" });
  });

  it("agrees to the cent with a CAD filed of the same line, both against the hand-worked figures", async () => {
    const hand = { classificationCode: "8302100000", valueForDuty: "2499.99", tariffTreatment: "2", customsDutyRate: "8", sima: "312.40", excise: "17.25" };
    // 2499.99 x 8 % = 199.9992 -> 200.00; value for tax 2499.99 + 200.00 + 312.40 + 17.25 = 3029.64;
    // GST 3029.64 x 5 % = 151.482 -> 151.48; total 200.00 + 312.40 + 17.25 + 151.48 = 681.13
    const res = await estimate([hand], "alice");
    expect(res.data!.estimateDutiesAndTaxes.lines[0]).toMatchObject({ customsDuty: "200.00", valueForTax: "3029.64", gst: "151.48", total: "681.13" });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const filed = await server.gql(`mutation ($i: FileDeclarationInput!) { fileDeclaration(input: $i) { totalDutiesAndTaxes } }`, {
      as: "alice",
      variables: { i: { bn15: "123456782RM0001", releasedOn: yesterday, lines: [{ ...hand, description: "Hinges" }] } },
    });
    expect(filed.errors).toBeUndefined();
    expect(filed.data!.fileDeclaration.totalDutiesAndTaxes).toBe("681.13");
  });
});

describe("who, and what it touches", () => {
  it("any signed-in person (an orphan, an agency officer too); anonymous callers are UNAUTHENTICATED", async () => {
    for (const who of ["harry", "olga", "gina"] as const) expect((await estimate([line()], who)).data!.estimateDutiesAndTaxes.total).toBe("118.25");
    const anonymous = await server.gql(ESTIMATE, { variables: { lines: [line()] } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("reads and stores nothing: the same SQL statements as asking who you are (the sign-in's own)", async () => {
    const baseline = (await server.gql(`{ viewer { id } }`, { as: "carol" })).extensions!.sqlStatements;
    const res = await estimate(Array.from({ length: 100 }, () => line()));
    expect(res.data!.estimateDutiesAndTaxes.lines).toHaveLength(100);
    expect(res.extensions!.sqlStatements).toBe(baseline);
  });
});

describe("input", () => {
  const field = async (lines: object[]) => (await estimate(lines)).errors?.[0]?.extensions;
  it.each([
    ["lines[0].classificationCode", { classificationCode: "761010000" }],
    ["lines[0].classificationCode", { classificationCode: "7610.10.00.00" }],
    ["lines[0].tariffTreatment", { tariffTreatment: "MFN" }],
    ["lines[0].customsDutyRate", { customsDutyRate: "1000" }],
    ["lines[0].customsDutyRate", { customsDutyRate: "6.55555" }],
    ["lines[0].customsDutyRate", { customsDutyRate: "-1" }],
    ["lines[0].valueForDuty", { valueForDuty: "-0.01" }],
    ["lines[0].sima", { sima: "-5.00" }],
    ["lines[0].excise", { excise: "-5.00" }],
  ])("%s: %j is BAD_USER_INPUT naming it", async (name, over) => {
    expect(await field([line(over)])).toEqual({ code: "BAD_USER_INPUT", field: name });
  });

  it("an amount past what a CAD accepts (99,999,999.99) is refused as filing refuses it, not computed", async () => {
    for (const [name, over] of [
      ["lines[0].valueForDuty", { valueForDuty: "999999999999.99" }],
      ["lines[0].valueForDuty", { valueForDuty: "100000000.00" }],
      ["lines[0].sima", { sima: "100000000.00" }],
      ["lines[0].excise", { excise: "999999999999.99" }],
    ] as const) {
      const res = await estimate([line(over)]);
      expect(res.status).toBe(200);
      expect(res.errors?.[0]).toMatchObject({
        message: `${name} must be at least 0.00 and at most 99999999.99; got ${Object.values(over)[0]}.`,
        path: ["estimateDutiesAndTaxes"],
        extensions: { code: "BAD_USER_INPUT", field: name },
      });
    }
    // The largest a CAD takes is estimated: 99,999,999.99 x 6.5 % = 6,499,999.99935 -> 6,500,000.00.
    const largest = await estimate([line({ valueForDuty: "99999999.99" })]);
    expect(largest.data!.estimateDutiesAndTaxes.customsDuty).toBe("6500000.00");
  });

  it("at least one line, at most 100; money is the exact Money scalar", async () => {
    expect(await field([])).toEqual({ code: "BAD_USER_INPUT", field: "lines" });
    expect(await field(Array.from({ length: 101 }, () => line()))).toEqual({ code: "BAD_USER_INPUT", field: "lines" });
    expect((await field([line({ valueForDuty: 1000.1 })]))?.code).toBe("BAD_USER_INPUT");
    expect((await field([line({ valueForDuty: "12.345" })]))?.code).toBe("BAD_USER_INPUT");
  });
});
