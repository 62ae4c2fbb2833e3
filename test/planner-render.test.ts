/**
 * The compiled path's JSON is written by PostgreSQL (src/planner/render.ts) and must be the text the
 * general path writes: each GraphQL scalar serialized and then JSON.stringify'd. The threat: a
 * value that renders differently one way (an escaped character, a money amount with one decimal, an
 * id or cursor in another base64) and an answer that differs by path. Random values of each kind,
 * the edge cases among them, each rendered by PostgreSQL and by the API's own serializers.
 */
import crypto from "node:crypto";
import { GraphQLLocalDate } from "graphql-scalars";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { encodeCursor } from "../src/common/cursor.js";
import { MoneyScalar } from "../src/common/money.js";
import { toGlobalId } from "../src/common/node.js";
import { bindArraysOnce, raw, sql, type Sql } from "../src/db/sql.js";
import { bool, cursor, globalId, json, localDate, money, object } from "../src/planner/render.js";

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: inject("adminUrl") });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
});

/** Renders each expression (one statement for all) and returns the texts. */
async function render(expressions: Sql[]): Promise<string[]> {
  const columns = expressions.map((e, i) => sql`${e} AS ${raw(`c${i}`)}`);
  const statement = bindArraysOnce(sql`SELECT ${columns.reduce((a, c) => sql`${a}, ${c}`)}`);
  const { rows } = await db.query(statement.text, statement.values);
  return expressions.map((_, i) => rows[0][`c${i}`] as string);
}

const rand = (n: number) => crypto.randomInt(n);
const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;

/** Text with what JSON escapes (quotes, backslashes, control characters), non-ASCII, astral characters, line separators. */
function randomText(): string {
  const pieces = ['"', "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u0001", "\u001f", "\u007f", "é", "ß", "你好", "😀", "\u2028", "\u2029", "'", "<", "a", "Z", "0", " ", "&"];
  let s = "";
  const length = rand(12);
  for (let i = 0; i < length; i++) s += rand(3) === 0 ? String.fromCharCode(1 + rand(0x7e)) : pick(pieces);
  return s;
}

describe("scalars as PostgreSQL writes them for the compiled path", () => {
  it("text: escaped as JSON.stringify escapes it (200 random texts), and null", async () => {
    const values = [...Array.from({ length: 200 }, randomText), "", "plain"];
    const texts = await render([...values.map((v) => json(sql`${v}::text`)), json(sql`NULL::text`)]);
    values.forEach((v, i) => expect(texts[i], JSON.stringify(v)).toBe(JSON.stringify(v)));
    expect(texts.at(-1)).toBe("null");
  });

  it("money: two decimals as MoneyScalar serializes numeric(14,2) (300 random amounts and the edges)", async () => {
    const random = Array.from({ length: 300 }, () => {
      const whole = String(rand(10 ** rand(13)));
      const decimals = pick(["", ".0", ".5", `.${rand(10)}`, `.${String(rand(100)).padStart(2, "0")}`]);
      return `${rand(4) === 0 ? "-" : ""}${whole}${decimals}`;
    });
    const values = [...random, "0", "0.00", "-0.01", "999999999999.99", "-999999999999.99", "12.5", "1"];
    const texts = await render(values.map((v) => money(sql`${v}::numeric(14,2)`)));
    values.forEach((v, i) => expect(texts[i], v).toBe(JSON.stringify(MoneyScalar.serialize(v))));
    expect(await render([money(sql`NULL::numeric`)])).toEqual(["null"]);
  });

  it("dates: YYYY-MM-DD as LocalDate serializes the column's string (200 random dates)", async () => {
    const values = Array.from({ length: 200 }, () => new Date(Date.UTC(1900 + rand(250), rand(12), 1 + rand(28))).toISOString().slice(0, 10));
    const texts = await render(values.map((v) => localDate(sql`${v}::date`)));
    values.forEach((v, i) => expect(texts[i], v).toBe(JSON.stringify(GraphQLLocalDate.serialize(v))));
  });

  it("global ids: toGlobalId's base64url of Type:uuid (200 random ids, every type name length)", async () => {
    const types = ["Business", "ProgramAccount", "Transaction", "User", "Ab", "TransactionVersion", "Xabc"];
    const values = Array.from({ length: 200 }, () => ({ type: pick(types), id: crypto.randomUUID() }));
    const texts = await render(values.map((v) => globalId(v.type, sql`${v.id}::uuid`)));
    values.forEach((v, i) => expect(texts[i]).toBe(JSON.stringify(toGlobalId(v.type, v.id))));
  });

  it("cursors: encodeCursor's base64url of [sort, id] or [sort, id, order] (200 random, long sort values past a base64 line)", async () => {
    const values = Array.from({ length: 200 }, () => ({
      sort: rand(5) === 0 ? randomText().repeat(20) : randomText(),
      id: crypto.randomUUID(),
      order: pick([undefined, "LEGAL_NAME:ASC", "RELEASED_ON:DESC", "AMOUNT:ASC"]),
    }));
    const texts = await render(values.map((v) => cursor(sql`${v.sort}::text`, sql`${v.id}::uuid`, v.order)));
    values.forEach((v, i) => expect(texts[i]).toBe(JSON.stringify(encodeCursor(v))));
  });

  it("objects: keys in order, no spaces, nested, as JSON.stringify writes them", async () => {
    const [text] = await render([
      object([
        ["b", json(sql`'x'::text`)],
        ["a", bool(sql`true`)],
        ["n", object([["z", bool(sql`false`)], ["q", json(sql`NULL::text`)]])],
        ["e", object([])],
      ]),
    ]);
    expect(text).toBe(JSON.stringify({ b: "x", a: true, n: { z: false, q: null }, e: {} }));
  });
});
