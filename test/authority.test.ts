/**
 * Write authority is declared, and the declaration is what runs. Every mutation of the schema has
 * exactly one entry in auth/authority.ts, the permission map's rule for it is that entry's gate (never
 * a bare "signed in"), and the whole table, in words, is pinned below: a change of who may change what
 * shows in review as a diff of test/snapshots/write-authority.txt (run `npx vitest run
 * test/authority.test.ts -u` after a deliberate change, and review the diff as a permission change).
 */
import { describe, expect, it } from "vitest";
import { runMutation } from "../src/application/mutation.js";
import { describeWriteAuthority, writeAuthority } from "../src/auth/authority.js";
import { permissionMap } from "../src/auth/permissions.js";
import { isAuthenticated, mutationRules } from "../src/auth/rules.js";
import type { Context } from "../src/context.js";
import { buildRawSchema } from "../src/schema.js";

describe("write authority", () => {
  it("declares every mutation of the schema, and nothing else", async () => {
    const schema = await buildRawSchema();
    const mutations = Object.keys(schema.getMutationType()!.getFields()).sort();
    expect(Object.keys(writeAuthority).sort()).toEqual(mutations);
  });

  it("is what the permission map checks for each mutation: its declaration's gate, never a bare signed-in rule", () => {
    const rules = permissionMap.Mutation!;
    expect(Object.keys(rules).sort()).toEqual(Object.keys(writeAuthority).sort());
    for (const [name, rule] of Object.entries(rules)) {
      expect(rule, name).toBe(mutationRules[name]);
      expect(rule, name).not.toBe(isAuthenticated);
    }
  });

  it("names, for every mutation, what it acts on and what it requires (the table as it stands: review its diff)", async () => {
    await expect(describeWriteAuthority()).toMatchFileSnapshot("./snapshots/write-authority.txt");
  });

  it("runs a mutation under its own declaration only", async () => {
    // The gate of the field being resolved records its name; a resolver that ran another's authority is a bug, refused before anything runs.
    const ctx = { mutation: "addBam", viewer: { id: "00000000-0000-0000-0000-000000000001" } } as unknown as Context;
    const steps = { subject: () => ({ businessId: "b", personId: "p" }), run: async () => "changed" };
    await expect(runMutation(ctx, "removeBam", steps)).rejects.toThrow("the mutation addBam ran under the authority declared for removeBam");
  });
});
