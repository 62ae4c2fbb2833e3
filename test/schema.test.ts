/**
 * The contract stays honest: the committed schema.graphql is what the code serves, every field has
 * an explicit permission rule (deny by default catches the rest, but a missing rule is a review
 * failure), and the committed migrations produce exactly the schema the entities describe.
 */
import fs from "node:fs";
import path from "node:path";
import { graphql, isObjectType } from "graphql";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { applyMiddleware } from "graphql-middleware";
import { allow, shield } from "graphql-shield";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isStructuralType, permissionMap, shieldOptions } from "../src/auth/permissions.js";
import { buildRawSchema, printSdl } from "../src/schema.js";
import { startTestServer, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe("schema.graphql", () => {
  it("is current with the code (run `npm run schema:emit` after changing types)", async () => {
    const committed = fs.readFileSync(path.join(import.meta.dirname, "..", "schema.graphql"), "utf8");
    expect(committed).toBe(printSdl(await buildRawSchema()));
  });
});

describe("permission map", () => {
  it("names a rule for every field of every object type", async () => {
    const schema = await buildRawSchema();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__") || isStructuralType(type.name)) continue;
      for (const field of Object.keys(type.getFields())) {
        if (!permissionMap[type.name]?.[field]) missing.push(`${type.name}.${field}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("names no field that does not exist (a stale rule is a silent hole)", async () => {
    const schema = await buildRawSchema();
    const stale: string[] = [];
    for (const [typeName, fields] of Object.entries(permissionMap)) {
      const type = schema.getType(typeName);
      for (const field of Object.keys(fields)) {
        if (!type || !isObjectType(type) || !type.getFields()[field]) stale.push(`${typeName}.${field}`);
      }
    }
    expect(stale).toEqual([]);
  });

  it("denies a field without a rule (fallback deny, not allow)", async () => {
    // Structural wrappers are the only pattern-allowed types; everything else falls to deny.
    expect(isStructuralType("TransactionConnection")).toBe(true);
    expect(isStructuralType("Transaction")).toBe(false);
    // A schema with a field nobody wrote a rule for, under our shield options: denied.
    const schema = applyMiddleware(
      makeExecutableSchema({ typeDefs: "type Query { listed: String, unlisted: String }", resolvers: { Query: { listed: () => "ok", unlisted: () => "secret" } } }),
      shield({ Query: { listed: allow } }, shieldOptions),
    );
    const res = await graphql({ schema, source: "{ listed unlisted }", contextValue: {} });
    expect(res.data).toEqual({ listed: "ok", unlisted: null });
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("migrations", () => {
  it("leave nothing for the entities to change (every schema change has a committed migration)", async () => {
    const pending = await server.db.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it("put the domain's constraints in the database too", async () => {
    const reject = (sql: string) => expect(server.db.query(sql)).rejects.toThrow();
    await reject(`INSERT INTO businesses (bn9, legal_name, address_line, city, province, postal_code) VALUES ('12345', 'X', 'a', 'b', 'ON', 'c')`);
    await reject(`INSERT INTO businesses (bn9, legal_name, address_line, city, province, postal_code) VALUES ('123456782', 'dup', 'a', 'b', 'ON', 'c')`);
    await reject(`INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT id, 'RM0001', '123456782RM0001', 'dup' FROM businesses WHERE bn9 = '123456782'`);
    await reject(`INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT id, 'XX01', '123456782XX01', 'bad' FROM businesses WHERE bn9 = '123456782'`);
    await reject(`UPDATE relationships SET status = 'EXPIRED'`);
    await reject(`UPDATE payments SET amount = -1`);
  });
});
