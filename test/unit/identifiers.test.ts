// Guards the identifier formats: BN9 (9 digits, Luhn), RM, BN15 = BN9 + RM, and 14-digit Luhn transaction numbers.
import { describe, expect, it } from "vitest";
import {
  bn15Error,
  bn9Error,
  luhnCheckDigit,
  luhnValid,
  makeTransactionNumber,
  rmError,
  splitBn15,
  transactionNumberError,
} from "../../src/common/identifiers.js";

describe("luhn", () => {
  it("accepts a correct check digit and rejects a wrong one", () => {
    expect(luhnValid("123456782")).toBe(true);
    expect(luhnValid("123456789")).toBe(false);
    // The textbook example, where doubled digits exceed 9 (7->14->5, 9->18->9, 8->16->7).
    expect(luhnValid("79927398713")).toBe(true);
    expect(luhnValid("79927398710")).toBe(false);
  });

  it("computes the check digit to append", () => {
    expect(luhnCheckDigit("12345678")).toBe("2");
    expect(luhnCheckDigit("7992739871")).toBe("3");
    // A transaction number: ASEC 10001, serial 9. From the right, doubling 9 -> 18 -> 9, 1 -> 2, 1 -> 2;
    // 9 + 2 + 2 = 13 -> check digit 7.
    expect(luhnCheckDigit("1000100000009")).toBe("7");
  });
});

describe("bn9Error", () => {
  it("accepts a valid BN9", () => {
    expect(bn9Error("123456782")).toBeNull();
  });

  it.each(["12345678", "1234567820", "12345678a", " 123456782", ""])("rejects the malformed %j, naming it and the expected 9 digits", (bad) => {
    const msg = bn9Error(bad);
    expect(msg).toContain(`"${bad}"`);
    expect(msg).toContain("9 digits");
  });

  it("rejects a wrong check digit, naming the value and the check digit", () => {
    const msg = bn9Error("123456789");
    expect(msg).toContain('"123456789"');
    expect(msg).toMatch(/check digit/);
  });
});

describe("rmError", () => {
  it("accepts RM and 4 digits", () => {
    expect(rmError("RM0001")).toBeNull();
  });

  it.each(["rm0001", "RM001", "RM00001", "RX0001", "RM000A", ""])("rejects %j, naming it and what is expected", (bad) => {
    const msg = rmError(bad);
    expect(msg).toContain(`"${bad}"`);
    expect(msg).toContain("RM and 4 digits");
  });
});

describe("bn15Error", () => {
  it("accepts a valid BN9 followed by an RM", () => {
    expect(bn15Error("123456782RM0001")).toBeNull();
  });

  it.each(["123456782", "123456782RM001", "123456782rm0001", "12345678RM0001", "123456782 RM0001"])(
    "rejects the malformed %j, naming it and the BN15 shape",
    (bad) => {
      const msg = bn15Error(bad);
      expect(msg).toContain(`"${bad}"`);
      expect(msg).toContain("BN9, RM and 4 digits");
    },
  );

  it("rejects a well-formed BN15 whose BN9 fails the check digit, naming the whole value and that BN9", () => {
    const msg = bn15Error("123456789RM0001");
    expect(msg).toContain('"123456789RM0001"');
    expect(msg).toContain("(123456789)");
    expect(msg).toMatch(/check digit/);
  });
});

describe("makeTransactionNumber input checks", () => {
  it("refuses an ASEC that is not 5 digits and a sequence beyond 8 digits", () => {
    expect(() => makeTransactionNumber("1234", 1)).toThrow(/ASEC/);
    expect(() => makeTransactionNumber("10001", 100_000_000)).toThrow(/sequence/);
  });
});

describe("splitBn15", () => {
  it("splits into the BN9 and the RM", () => {
    expect(splitBn15("123456782RM0001")).toEqual({ bn9: "123456782", rm: "RM0001" });
  });
});

describe("transaction numbers", () => {
  it("makes ASEC + 8-digit sequence + Luhn check digit", () => {
    // 10001 | 00000004 | 8 (as in the demo data).
    expect(makeTransactionNumber("10001", 4)).toBe("10001000000048");
  });

  it("always makes 14 digits that transactionNumberError accepts", () => {
    for (const [asec, seq] of [["10001", 0], ["10001", 1], ["20002", 99], ["50005", 12345678], ["99999", 99999999]] as const) {
      const tn = makeTransactionNumber(asec, seq);
      expect(tn).toMatch(/^\d{14}$/);
      expect(transactionNumberError(tn)).toBeNull();
    }
  });

  it("rejects a wrong check digit, naming the value", () => {
    const msg = transactionNumberError("10001000000049");
    expect(msg).toContain('"10001000000049"');
    expect(msg).toMatch(/check digit/);
  });

  it.each(["1000100000004", "100010000000480", "1000100000004A", "10001-00000004-8", ""])("rejects the malformed %j, naming it and the 14 digits", (bad) => {
    const msg = transactionNumberError(bad);
    expect(msg).toContain(`"${bad}"`);
    expect(msg).toContain("14 digits");
  });
});
