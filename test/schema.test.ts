/**
 * The contract stays honest: the committed schema.graphql is what the code serves, every field has
 * an explicit permission rule (deny by default catches the rest, but a missing rule is a review
 * failure), and the committed migrations produce exactly the schema the entities describe.
 */
import fs from "node:fs";
import path from "node:path";
import { graphql, isObjectType } from "graphql";
import { applyMiddleware } from "graphql-middleware";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPermissions } from "../src/auth/enforcement.js";
import { admission, isStructuralType, permissionMap } from "../src/auth/permissions.js";
import { admitted } from "../src/auth/rules.js";
import { buildContext } from "../src/context.js";
import { createLogger } from "../src/logger.js";
import { User } from "../src/modules/user/user.entity.js";
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

  it("gives every object type an admission rule, and marks admitted only fields of types that have one", async () => {
    const schema = await buildRawSchema();
    const roots = ["Query", "Mutation", "Subscription"];
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__") || isStructuralType(type.name) || roots.includes(type.name)) continue;
      if (!admission[type.name]) missing.push(type.name);
    }
    expect(missing).toEqual([]);
    for (const root of roots) expect(Object.values(permissionMap[root] ?? {})).not.toContain(admitted);
    expect(Object.keys(admission).filter((t) => !schema.getType(t))).toEqual([]);
  });

  it("denies, in the served schema, a field whose rule is missing (fallback deny, not allow)", async () => {
    // The app's own schema and permission layer, with one rule taken out of the map: that field
    // answers FORBIDDEN while its neighbours keep working.
    const raw = await buildRawSchema();
    const saved = permissionMap.Viewer!.roles!;
    delete permissionMap.Viewer!.roles;
    try {
      const permissions = buildPermissions(raw);
      const schema = applyMiddleware(raw, permissions.shield as never, permissions.admission);
      const ctx = await buildContext(server.db, createLogger("silent"), null, "schema-test");
      const res = await graphql({ schema, source: "{ viewer { needsProfile roles } }", contextValue: ctx });
      // roles is non-null, so the denial reaches the non-null viewer too: the only error is the missing rule's.
      expect(res.errors?.map((e) => [e.path?.join("."), e.extensions?.code, e.message])).toEqual([
        ["viewer.roles", "FORBIDDEN", "This field has no permission rule, so it is denied."],
      ]);
    } finally {
      permissionMap.Viewer!.roles = saved;
    }
  });

  it("denies objects of a type without an admission rule wherever they enter a response", async () => {
    const raw = await buildRawSchema();
    const saved = admission.Business!;
    delete admission.Business;
    try {
      const permissions = buildPermissions(raw);
      const schema = applyMiddleware(raw, permissions.shield as never, permissions.admission);
      const alice = await server.db.getRepository(User).findOneByOrFail({ username: "alice" });
      const ctx = await buildContext(server.db, createLogger("silent"), alice, "schema-test");
      const res = await graphql({ schema, source: `{ business(bn9: "123456782") { bn9 } }`, contextValue: ctx });
      expect(res.errors?.map((e) => [e.path?.join("."), e.extensions?.code, e.message])).toEqual([
        ["business", "FORBIDDEN", "Objects of type Business have no admission rule, so they are denied."],
      ]);
    } finally {
      admission.Business = saved;
    }
  });
});

describe("migrations", () => {
  it("leave nothing for the entities to change (every schema change has a committed migration)", async () => {
    const pending = await server.db.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it("put the domain's constraints in the database too (each refusal names its constraint)", async () => {
    const refusal = (statement: string) =>
      server.db.query(statement).then(
        () => "accepted",
        (e: { driverError?: { constraint?: string } }) => e.driverError?.constraint ?? "no constraint named",
      );
    const bn9 = (c: string) => `INSERT INTO businesses (bn9, legal_name, address_line, city, province, postal_code) VALUES ('${c}', 'X', 'a', 'b', 'ON', 'c')`;
    const account = (rm: string, bn15: string) => `INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT id, '${rm}', '${bn15}', 'x' FROM businesses WHERE bn9 = '123456782'`;
    expect(await refusal(bn9("12345"))).toBe("businesses_bn9_format");
    expect(await refusal(bn9("123456782"))).toBe("IDX_fe3779115de7d6f3158be8542d"); // the unique BN9 index (businesses.bn9)
    // One RM per business, and one account per BN15 (Maple Leaf's RM0002 named again for Prairie Imports).
    expect(await refusal(account("RM0001", "000000000RM0001"))).toBe("program_accounts_business_rm");
    expect(
      await refusal(`INSERT INTO program_accounts (business_id, rm, bn15, name) SELECT id, 'RM0002', '123456782RM0002', 'x' FROM businesses WHERE bn9 = '711223347'`),
    ).toBe("IDX_6580fdeb211e7c0a09a6c843fd"); // the unique BN15 index (program_accounts.bn15)
    expect(await refusal(account("XX01", "123456782XX01"))).toBe("program_accounts_rm_format");
    expect(await refusal(`UPDATE relationships SET status = 'EXPIRED'`)).toBe("relationships_status_stored");
    expect(await refusal(`UPDATE payments SET amount = -1`)).toBe("payments_amount_positive");
  });
});
