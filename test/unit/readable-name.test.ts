// Names people read (src/common/readable-name.ts): refused when invisible or carrying bidirectional
// controls; compared by what they look like (UTS #39 skeleton via unhomoglyph).
import { describe, expect, it } from "vitest";
import { lookAlike, nameSkeleton, readableName } from "../../src/common/readable-name.js";

const refused = (value: string) => {
  try {
    readableName(value, "name");
    return null;
  } catch (err) {
    return (err as { message: string; extensions: { code: string; field: string } });
  }
};

describe("readableName", () => {
  it.each([
    ["zero-width spaces only", "\u200B\u200B\u200B"],
    ["a Hangul filler", "\u3164"],
    ["a Braille blank and a word joiner", "\u2800\u2060"],
    ["spaces and a soft hyphen", "  \u00AD "],
  ])("refuses a name of %s", (_what, value) => {
    expect(refused(value)).toMatchObject({ message: "name has no visible character: use letters or digits.", extensions: { code: "BAD_USER_INPUT", field: "name" } });
  });

  it.each([
    ["a right-to-left override", "Acme\u202Egnp.exe"],
    ["a right-to-left isolate", "\u2067Acme\u2069"],
    ["a left-to-right mark", "Acme\u200E"],
  ])("refuses %s", (_what, value) => {
    expect(refused(value)?.message).toMatch(/^name contains a bidirectional control character/);
  });

  it("keeps ordinary names of any script, trimmed and with single spaces", () => {
    expect(readableName("  Québec   importers ", "name")).toBe("Québec importers");
    expect(readableName("東京 clients", "name")).toBe("東京 clients");
    expect(readableName("العملاء", "name")).toBe("العملاء");
    expect(readableName("A&B", "name")).toBe("A&B");
  });
});

describe("look-alikes", () => {
  it("folds case, compatibility forms, invisible characters and confusables to one skeleton", () => {
    const acme = nameSkeleton("Acme");
    for (const other of ["ACME", "\u0410\u0441m\u0435" /* Cyrillic А, с, е */, "A\u200Bcme", "\uFF21\uFF43\uFF4D\uFF45" /* fullwidth */, "Acrne"]) {
      expect(nameSkeleton(other), other).toBe(acme);
    }
    expect(nameSkeleton("Acne")).not.toBe(acme);
  });

  it("finds the existing name a new one looks like, or none", () => {
    expect(lookAlike("Quebec imp\u043Erters", ["Ontario", "Quebec importers"])).toBe("Quebec importers");
    expect(lookAlike("Group l", ["Group 1"])).toBe("Group 1");
    expect(lookAlike("Prairie clients", ["Quebec importers"])).toBeUndefined();
  });
});

describe("look-alikes across case", () => {
  it("a digit for a letter of either case", () => {
    expect(nameSkeleton("Yukon imp0rters")).toBe(nameSkeleton("Yukon importers"));
    expect(nameSkeleton("YUKON IMPORTERS")).toBe(nameSkeleton("yukon importers"));
  });
});
