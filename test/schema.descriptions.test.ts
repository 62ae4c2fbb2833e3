/**
 * The schema is its own manual: every type, field, argument, input field and enum value a client can
 * see in GraphiQL's Docs or through introspection says what it is. A new one added without a
 * description fails here, naming it by its schema coordinate.
 */
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isSpecifiedScalarType, isUnionType, type GraphQLSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { buildAppSchema } from "../src/schema.js";

/** The schema coordinates (`Type`, `Type.field`, `Type.field(arg)`, `Enum.VALUE`) without a description. */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const blank = (text: string | null | undefined) => !text || !text.trim();
  for (const type of Object.values(schema.getTypeMap())) {
    // Introspection's own types and graphql's built-in scalars are described by the specification.
    if (type.name.startsWith("__") || (isScalarType(type) && isSpecifiedScalarType(type))) continue;
    if (blank(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of "args" in field ? field.args : []) if (blank(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) if (blank(value.description)) missing.push(`${type.name}.${value.name}`);
    if (isUnionType(type) && blank(type.description)) missing.push(type.name);
  }
  return missing;
}

describe("schema descriptions", () => {
  it("describe every type, field, argument and enum value of the served schema", async () => {
    const { schema } = await buildAppSchema();
    // Not vacuous: the walk reaches the schema's own parts.
    const counted = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith("__")).length;
    expect(counted).toBeGreaterThan(150);
    expect(undescribed(schema)).toEqual([]);
  });

  it("names what lacks one (the check itself fails on an undescribed field, argument and value)", async () => {
    const { schema } = await buildAppSchema();
    const transaction = schema.getType("Transaction");
    const order = schema.getType("OrderDirection");
    if (!isObjectType(transaction) || !isEnumType(order)) throw new Error("schema lost Transaction or OrderDirection");
    const field = transaction.getFields().releasedOn!;
    const arg = schema.getQueryType()!.getFields().transactions!.args.find((a) => a.name === "orderBy")!;
    const value = order.getValue("ASC")!;
    const saved = [field.description, arg.description, value.description];
    try {
      field.description = undefined;
      arg.description = " ";
      value.description = null;
      expect(undescribed(schema).sort()).toEqual(["OrderDirection.ASC", "Query.transactions(orderBy)", "Transaction.releasedOn"]);
    } finally {
      [field.description, arg.description, value.description] = saved;
    }
  });
});
