// Guards the duty rule: duty = VFD x rate; VFT = VFD + duty + SIMA + excise; GST = 5 % of VFT; each rounded to the cent, half away from zero.
import { describe, expect, it } from "vitest";
import { declarationDuties, lineDuties } from "../../src/common/duties.js";

describe("lineDuties", () => {
  it("plain line, no SIMA or excise", () => {
    // duty = 1000.00 x 6.5 % = 65.00; VFT = 1000.00 + 65.00 = 1065.00;
    // GST = 1065.00 x 5 % = 53.25; total = 65.00 + 53.25 = 118.25
    expect(lineDuties({ valueForDuty: "1000.00", customsDutyRate: "6.5", sima: "0", excise: "0" })).toEqual({
      customsDuty: "65.00",
      valueForTax: "1065.00",
      gst: "53.25",
      total: "118.25",
    });
  });

  it("adds SIMA and excise to the value for tax, and to the total", () => {
    // duty = 2500.00 x 8 % = 200.00; VFT = 2500.00 + 200.00 + 150.00 + 42.50 = 2892.50;
    // GST = 2892.50 x 5 % = 144.625 -> 144.63 (half away from zero);
    // total = 200.00 + 150.00 + 42.50 + 144.63 = 537.13
    expect(lineDuties({ valueForDuty: "2500.00", customsDutyRate: "8", sima: "150.00", excise: "42.50" })).toEqual({
      customsDuty: "200.00",
      valueForTax: "2892.50",
      gst: "144.63",
      total: "537.13",
    });
  });

  it("0 % rate: no customs duty, GST still on the value for duty", () => {
    // duty = 199.99 x 0 % = 0.00; VFT = 199.99; GST = 9.9995 -> 10.00; total = 10.00
    expect(lineDuties({ valueForDuty: "199.99", customsDutyRate: "0", sima: "0", excise: "0" })).toEqual({
      customsDuty: "0.00",
      valueForTax: "199.99",
      gst: "10.00",
      total: "10.00",
    });
  });

  it("rounds the customs duty itself to the cent before it enters the value for tax", () => {
    // duty = 10.10 x 6.5 % = 0.6565 -> 0.66; VFT = 10.10 + 0.66 = 10.76;
    // GST = 0.538 -> 0.54; total = 0.66 + 0.54 = 1.20
    // (unrounded: VFT 10.7565, GST 0.537825 -> 0.54, but VFT would not be 10.76)
    expect(lineDuties({ valueForDuty: "10.10", customsDutyRate: "6.5", sima: "0", excise: "0" })).toEqual({
      customsDuty: "0.66",
      valueForTax: "10.76",
      gst: "0.54",
      total: "1.20",
    });
  });

  it("is exact where float arithmetic is not", () => {
    // duty = 10.00 x 1 % = 0.10; VFT = 10.00 + 0.10 + 0.20 + 0.20 = 10.50 exactly;
    // GST = 10.50 x 5 % = 0.525 -> 0.53; total = 0.10 + 0.20 + 0.20 + 0.53 = 1.03.
    // In floats 10 + 0.1 + 0.2 + 0.2 = 10.499999999999998, whose 5 % rounds to 0.52.
    expect(lineDuties({ valueForDuty: "10.00", customsDutyRate: "1", sima: "0.20", excise: "0.20" })).toEqual({
      customsDuty: "0.10",
      valueForTax: "10.50",
      gst: "0.53",
      total: "1.03",
    });
  });

  it("is exact on sums that are inexact in floats, 0.1 + 0.2 style", () => {
    // duty = 0.10 x 0 % = 0.00; VFT = 0.10 + 0.30 + 0.30 = 0.70;
    // GST = 0.035 -> 0.04; total = 0.30 + 0.30 + 0.04 = 0.64.
    // In floats 0.7 x 0.05 = 0.034999999999999996, which rounds to 0.03.
    expect(lineDuties({ valueForDuty: "0.10", customsDutyRate: "0", sima: "0.30", excise: "0.30" })).toEqual({
      customsDuty: "0.00",
      valueForTax: "0.70",
      gst: "0.04",
      total: "0.64",
    });
  });

  it("handles a four-decimal rate on the largest amount, past float precision", () => {
    // 99999999999999 cents x 123456 (12.3456 % in millionths) = 12345599999999876544, beyond 2^53;
    // / 10^6 = 12345599999999.876544 cents -> duty = 123456000000.00;
    // VFT = 999999999999.99 + 123456000000.00 = 1123455999999.99;
    // GST = 5617279999999.95 cents -> 56172800000.00; total = 123456000000.00 + 56172800000.00 = 179628800000.00
    expect(lineDuties({ valueForDuty: "999999999999.99", customsDutyRate: "12.3456", sima: "0", excise: "0" })).toEqual({
      customsDuty: "123456000000.00",
      valueForTax: "1123455999999.99",
      gst: "56172800000.00",
      total: "179628800000.00",
    });
  });

  it("rejects amounts that are not money", () => {
    expect(() => lineDuties({ valueForDuty: "10.005", customsDutyRate: "5", sima: "0", excise: "0" })).toThrow();
    expect(() => lineDuties({ valueForDuty: "10.00", customsDutyRate: "5", sima: "1e2", excise: "0" })).toThrow();
  });
});

describe("declarationDuties", () => {
  it("sums the lines' rounded amounts (never re-rounds a total)", () => {
    // line 1: duty 1000.00 x 6.5 % = 65.00; VFT 1065.00; GST 53.25; total 118.25
    // line 2: duty 10.10 x 6.5 % = 0.6565 -> 0.66; VFT 10.76; GST 0.538 -> 0.54; total 1.20
    // line 3: duty 2500.00 x 8 % = 200.00; SIMA 150.00; excise 42.50; VFT 2892.50; GST 144.625 -> 144.63; total 537.13
    // declaration: duty 265.66; SIMA 150.00; excise 42.50; GST 198.42; total 656.58
    const d = declarationDuties([
      { valueForDuty: "1000.00", customsDutyRate: "6.5", sima: "0", excise: "0" },
      { valueForDuty: "10.10", customsDutyRate: "6.5", sima: "0", excise: "0" },
      { valueForDuty: "2500.00", customsDutyRate: "8", sima: "150.00", excise: "42.50" },
    ]);
    expect({ customsDuty: d.customsDuty, sima: d.sima, excise: d.excise, gst: d.gst, total: d.total }).toEqual({
      customsDuty: "265.66",
      sima: "150.00",
      excise: "42.50",
      gst: "198.42",
      total: "656.58",
    });
    expect(d.lines.map((l) => l.total)).toEqual(["118.25", "1.20", "537.13"]);
  });
});
