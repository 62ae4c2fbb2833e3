// Guards connection arguments: default 20, size 0..100, one direction and one cursor, and bad cursors answer BAD_USER_INPUT naming the argument.
import "reflect-metadata";
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type ConnectionArgs } from "../../src/common/connection.js";
import { normaliseArgs } from "../../src/common/cursor.js";

const UUID = "3f2b8c1e-5d4a-4b6f-9e7d-0a1b2c3d4e5f";
// The shape loadPages hands out as edge cursors: base64url of JSON [sortText, id].
const cursor = (sort: string, id: string) => Buffer.from(JSON.stringify([sort, id]), "utf8").toString("base64url");
const C = cursor("2025-01-17", UUID);

function badInput(args: ConnectionArgs): GraphQLError {
  try {
    normaliseArgs(args);
  } catch (err) {
    expect(err).toBeInstanceOf(GraphQLError);
    expect((err as GraphQLError).extensions.code).toBe("BAD_USER_INPUT");
    return err as GraphQLError;
  }
  throw new Error(`expected BAD_USER_INPUT for ${JSON.stringify(args)}`);
}

describe("normaliseArgs", () => {
  it("defaults to the first 20, forward, from the start", () => {
    expect(DEFAULT_PAGE_SIZE).toBe(20);
    expect(normaliseArgs({})).toMatchObject({ limit: 20, backward: false, cursor: null });
    expect(normaliseArgs({ first: null, last: null, after: null, before: null })).toMatchObject({ limit: 20, backward: false, cursor: null });
  });

  it("accepts sizes from 0 to 100", () => {
    expect(MAX_PAGE_SIZE).toBe(100);
    expect(normaliseArgs({ first: 0 }).limit).toBe(0);
    expect(normaliseArgs({ first: 100 }).limit).toBe(100);
    expect(normaliseArgs({ last: 100 })).toMatchObject({ limit: 100, backward: true });
  });

  it.each([
    [{ first: 101 }, "first"],
    [{ first: -1 }, "first"],
    [{ last: 101 }, "last"],
    [{ last: -1 }, "last"],
  ])("rejects the size %j, naming %s", (args, field) => {
    const err = badInput(args);
    expect(err.extensions.field).toBe(field);
    expect(err.message).toContain("between 0 and 100");
  });

  it("rejects first and last together", () => {
    expect(badInput({ first: 5, last: 5 }).message).toMatch(/"first" or "last"/);
  });

  it("rejects after and before together", () => {
    expect(badInput({ after: C, before: C }).message).toMatch(/"after" or "before"/);
  });

  it("decodes a cursor, walking forward after it or backward before it", () => {
    const cur = { sort: "2025-01-17", id: UUID };
    expect(normaliseArgs({ first: 5, after: C })).toMatchObject({ limit: 5, backward: false, cursor: cur });
    expect(normaliseArgs({ last: 5, before: C })).toMatchObject({ limit: 5, backward: true, cursor: cur });
    expect(normaliseArgs({ before: C })).toMatchObject({ limit: 20, backward: true, cursor: cur });
  });

  it.each([
    ["not base64 JSON", "garbage"],
    ["an empty string", ""],
    ["a global id", Buffer.from(`Business:${UUID}`).toString("base64url")],
    ["a one-element array", Buffer.from(JSON.stringify([UUID])).toString("base64url")],
    ["an object", Buffer.from(JSON.stringify({ sort: "x", id: UUID })).toString("base64url")],
    ["a numeric sort", Buffer.from(JSON.stringify([1, UUID])).toString("base64url")],
    ["a non-uuid id", cursor("2025-01-17", "123")],
  ])("rejects %s as a cursor, naming the argument", (_label, bad) => {
    for (const arg of ["after", "before"] as const) {
      const err = badInput({ [arg]: bad });
      expect(err.extensions.field).toBe(arg);
      expect(err.message).toContain(`"${arg}"`);
    }
  });

  it("gives distinct cache keys to distinct pages", () => {
    const keys = [{ first: 5 }, { last: 5 }, { first: 6 }, { first: 5, after: C }, { first: 5, after: cursor("2025-01-18", UUID) }].map(
      (a) => normaliseArgs(a).key,
    );
    expect(new Set(keys).size).toBe(keys.length);
    expect(normaliseArgs({}).key).toBe(normaliseArgs({ first: 20 }).key);
  });

  // first+before and last+after have no clear meaning; they are refused rather than read as the other cursor.
  it("refuses first + before, naming before (it must not page forward after that cursor)", () => {
    expect(badInput({ first: 2, before: C }).extensions.field).toBe("before");
  });

  it("refuses last + after, naming after (it must not page backward before that cursor)", () => {
    expect(badInput({ last: 2, after: C }).extensions.field).toBe("after");
  });

  // A uuid-shaped id that is not a uuid must not reach PostgreSQL's ::uuid cast (a 500).
  it("rejects a cursor whose id is uuid-shaped but not a uuid", () => {
    expect(badInput({ after: cursor("2025-01-17", "-".repeat(36)) }).extensions.field).toBe("after");
  });
});
