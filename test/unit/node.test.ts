// Guards global object ids: opaque base64url of "Type:uuid" that round-trips, and anything else is not an id.
import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { fromGlobalId, toGlobalId } from "../../src/common/node.js";

const UUID = "3f2b8c1e-5d4a-4b6f-9e7d-0a1b2c3d4e5f";
const enc = (s: string) => Buffer.from(s, "utf8").toString("base64url");

describe("global ids", () => {
  it("round-trip type and uuid", () => {
    expect(fromGlobalId(toGlobalId("Business", UUID))).toEqual({ type: "Business", id: UUID });
    expect(fromGlobalId(toGlobalId("ProgramAccount", UUID))).toEqual({ type: "ProgramAccount", id: UUID });
  });

  it("are opaque and URL-safe", () => {
    const id = toGlobalId("Business", UUID);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(id).not.toContain(UUID);
    expect(id).not.toContain("Business");
  });

  it("normalise an upper-case uuid to lower case", () => {
    expect(fromGlobalId(toGlobalId("Business", UUID.toUpperCase()))).toEqual({ type: "Business", id: UUID });
  });

  it.each([
    ["empty", ""],
    ["garbage", "garbage"],
    ["punctuation", "!!!"],
    ["a raw database uuid", UUID],
    ["no type", enc(`:${UUID}`)],
    ["no separator", enc(`Business${UUID}`)],
    ["a non-uuid id", toGlobalId("Business", "123")],
    ["a uuid with trailing text", toGlobalId("Business", `${UUID}x`)],
    ["a lower-case type", toGlobalId("business", UUID)],
    ["a type with a digit", toGlobalId("Business2", UUID)],
    ["a type with a space", toGlobalId("Program Account", UUID)],
  ])("reject %s", (_label, value) => {
    expect(fromGlobalId(value)).toBeNull();
  });
});
