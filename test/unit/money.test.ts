// Guards exact money: decimal strings <-> integer cents, rounding half away from zero, and the Money scalar (never a float).
import { GraphQLError, parseValue as parseGraphQLValue } from "graphql";
import { describe, expect, it } from "vitest";
import { applyPercent, divRound, formatCents, MoneyScalar, normaliseMoney, toCents } from "../../src/common/money.js";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}

function expectBadUserInput(fn: () => unknown) {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(GraphQLError);
  expect((err as GraphQLError).extensions.code).toBe("BAD_USER_INPUT");
  expect((err as GraphQLError).message).toMatch(/decimal string/);
}

describe("toCents / formatCents", () => {
  it.each([
    ["0.1", 10n],
    ["0.10", 10n],
    ["0.01", 1n],
    ["-0.1", -10n],
    ["-0.05", -5n],
    ["1234.5", 123450n],
    ["-1234.56", -123456n],
    ["0", 0n],
    ["999999999999.99", 99999999999999n],
  ])("%s is %d cents", (s, cents) => {
    expect(toCents(s)).toBe(cents);
  });

  it.each([
    [0n, "0.00"],
    [5n, "0.05"],
    [-5n, "-0.05"],
    [-100n, "-1.00"],
    [123450n, "1234.50"],
    [-123456n, "-1234.56"],
  ])("%d cents is %s", (cents, s) => {
    expect(formatCents(cents)).toBe(s);
  });

  it.each([
    ["0.1", "0.10"],
    ["0.10", "0.10"],
    ["-0.1", "-0.10"],
    ["-0.05", "-0.05"],
    ["12.5", "12.50"],
    ["-0", "0.00"],
    ["-0.00", "0.00"],
  ])("round trips %s to %s", (s, normal) => {
    expect(formatCents(toCents(s))).toBe(normal);
    expect(toCents(formatCents(toCents(s)))).toBe(toCents(s));
  });

  it.each(["1.234", ".5", "1.", "1e3", "+1", "", "1,000.00", "abc", "1 000", "1234567890123"])("rejects %j", (bad) => {
    expect(() => toCents(bad)).toThrow(/not a money amount/);
  });

  it("normaliseMoney passes null through and pads PostgreSQL numerics", () => {
    expect(normaliseMoney(null)).toBeNull();
    expect(normaliseMoney(undefined)).toBeNull();
    expect(normaliseMoney("12.5")).toBe("12.50");
  });
});

describe("divRound (half away from zero)", () => {
  it.each([
    [5n, 2n, 3n], // 2.5
    [-5n, 2n, -3n], // -2.5
    [5n, -2n, -3n],
    [-5n, -2n, 3n],
    [7n, 2n, 4n], // 3.5 (half-even would give 4 too) ...
    [9n, 2n, 5n], // 4.5 (... but here half-even would give 4)
    [4n, 3n, 1n], // 1.33
    [5n, 3n, 2n], // 1.67
    [-4n, 3n, -1n],
    [-5n, 3n, -2n],
    [6n, 3n, 2n],
    [0n, 7n, 0n],
  ])("%d / %d = %d", (n, d, q) => {
    expect(divRound(n, d)).toBe(q);
  });
});

describe("applyPercent", () => {
  it.each([
    [10n, "5", 1n], // 0.10 x 5 % = 0.5 cent -> 1 (half-even would give 0)
    [-10n, "5", -1n], // -0.5 cent -> -1
    [50n, "5", 3n], // 2.5 cents -> 3 (half-even would give 2)
    [-50n, "5", -3n],
    [9n, "5", 0n], // 0.45 cent -> 0
    [11n, "5", 1n], // 0.55 cent -> 1
    [100n, "6.5", 7n], // 6.5 cents -> 7
    [-100n, "6.5", -7n],
    [1n, "50", 1n], // 0.5 cent -> 1
    [500_000n, "0.0001", 1n], // 5000.00 x 0.0001 % = 0.5 cent -> 1
    [499_999n, "0.0001", 0n], // 0.49999 cent -> 0
    [100000n, "100", 100000n],
    [12345n, "0", 0n],
  ])("%d cents x %s %% = %d", (cents, pct, out) => {
    expect(applyPercent(cents, pct)).toBe(out);
  });

  it.each(["-5", "5.12345", "1000", "5%", "", ".5", "5."])("rejects the percentage %j", (bad) => {
    expect(() => applyPercent(100n, bad)).toThrow(/not a percentage/);
  });
});

describe("Money scalar", () => {
  it("serializes decimal strings and cents to two places", () => {
    expect(MoneyScalar.serialize("12.5")).toBe("12.50");
    expect(MoneyScalar.serialize("-0.1")).toBe("-0.10");
    expect(MoneyScalar.serialize(1250n)).toBe("12.50");
    expect(MoneyScalar.serialize(-5n)).toBe("-0.05");
  });

  it("refuses to serialize a number", () => {
    expect(() => MoneyScalar.serialize(12.5)).toThrow();
    expect(() => MoneyScalar.serialize(1250)).toThrow();
  });

  it("parses variables given as decimal strings", () => {
    expect(MoneyScalar.parseValue("1234.5")).toBe("1234.50");
    expect(MoneyScalar.parseValue("-0.1")).toBe("-0.10");
    expect(MoneyScalar.parseValue("7")).toBe("7.00");
  });

  it.each([12.5, 1250, 0, null, true, { amount: "1.00" }])("rejects the variable %j (money is never a float)", (bad) => {
    expectBadUserInput(() => MoneyScalar.parseValue(bad));
  });

  it.each(["1.234", "", "1e3", "12,50", "$12.50"])("rejects the variable %j", (bad) => {
    expectBadUserInput(() => MoneyScalar.parseValue(bad));
  });

  it("names the rejected variable value", () => {
    const err = thrown(() => MoneyScalar.parseValue(12.5)) as GraphQLError;
    expect(err.message).toContain("12.5");
  });

  it("parses string literals", () => {
    expect(MoneyScalar.parseLiteral(parseGraphQLValue('"12.5"'), {})).toBe("12.50");
    expect(MoneyScalar.parseLiteral(parseGraphQLValue('"-0.1"'), {})).toBe("-0.10");
  });

  it.each(["12.5", "1250", '"1.234"', '""', "null", "true", "ENUM"])("rejects the literal %s", (literal) => {
    expectBadUserInput(() => MoneyScalar.parseLiteral(parseGraphQLValue(literal), {}));
  });
});
