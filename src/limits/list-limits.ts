import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  Kind,
  GraphQLError,
  typeFromAST,
  type DocumentNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { MAX_NAMED_ACCOUNTS } from "../modules/access-request/access-request.mutations.js";
import { MAX_ESTIMATE_LINES } from "../modules/estimator/estimator.js";
import { MAX_ATTACHMENTS } from "../modules/ruling/ruling.entity.js";

/**
 * How many items each list a client may send holds at most: the bound the mutation or query behind
 * it enforces, checked here on the raw request before a single item is coerced. The threat: a list
 * of 20,000 empty objects is 60 KB of JSON and 80,000 coercion errors (a 95 MB answer and seconds of
 * a blocked event loop) before any resolver could count its items.
 *
 * Keyed by schema coordinate: `Input.field` for a field of an input object, `Type.field(arg)` for an
 * argument. A list of an enum holds at most as many items as the enum has values (a repeated value
 * adds nothing). Every other list input must be named here: `test/operation-validation.test.ts`
 * fails on one that is not (it would get DEFAULT_MAX_LIST_ITEMS).
 */
export const LIST_LIMITS: Readonly<Record<string, number>> = {
  "Query.estimateDutiesAndTaxes(lines)": MAX_ESTIMATE_LINES,
  "Mutation.setNotificationPreferences(input)": 20,
  "MarkNotificationsReadInput.ids": 100,
  // src/modules/transaction/transaction.mutations.ts: a declaration has 1 to 200 lines.
  "FileDeclarationInput.lines": 200,
  "AmendDeclarationInput.lines": 200,
  "DecideEmployeeAccessInput.roles": MAX_NAMED_ACCOUNTS,
  "RequestEmployeeAccessInput.programAccounts": MAX_NAMED_ACCOUNTS,
  "RelationshipTermsInput.programAccounts": 100,
  "SubmitRulingRequestInput.attachments": MAX_ATTACHMENTS,
  // src/modules/payment/payment.mutations.ts: a payment is allocated to at most 100 debts.
  "MakePaymentInput.allocations": 100,
};

/** A list input the table does not name (none should: see above). */
export const DEFAULT_MAX_LIST_ITEMS = 100;

/** The bound of a list at `coordinate` whose items are of `itemType`. */
export function listLimit(coordinate: string, itemType: GraphQLInputType): number {
  const named = getNamedType(itemType);
  if (isEnumType(named)) return named.getValues().length;
  return LIST_LIMITS[coordinate] ?? DEFAULT_MAX_LIST_ITEMS;
}

/** A mutation's `input.lines` is named `lines`, as mutations name the fields of their input (a query's `filter.status` keeps its name). */
function tooMany(path: string, limit: number, got: number): GraphQLError {
  const field = path.startsWith("input.") ? path.slice("input.".length) : path;
  return new GraphQLError(`${field} holds at most ${limit} items (got ${got}).`, { extensions: { code: "BAD_USER_INPUT", field, http: { status: 400 } } });
}

/**
 * The first list of the operation, literal or in a variable, longer than its bound, as
 * BAD_USER_INPUT naming the input field; null when all fit. Walks raw values (nothing coerced yet):
 * a value of the wrong shape is left for coercion to report.
 */
export function oversizedList(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError | null {
  const vars = variables ?? {};
  let found: GraphQLError | null = null;
  // A variable's own type (its definition) tells how to walk its value; where it is used tells which
  // list bound applies to a variable that is itself a list.
  const varTypes = new Map<string, GraphQLInputType>();
  const usedAt = new Map<string, string>();

  /** Walks a raw (JSON) value of `type` at `coordinate` (for a list) under `path` (for the message). */
  const walkRaw = (value: unknown, type: GraphQLInputType, coordinate: string, path: string, depth: number): GraphQLError | null => {
    if (value === null || value === undefined || depth > 32) return null;
    const t = getNullableType(type) as GraphQLInputType;
    if (isListType(t)) {
      if (!Array.isArray(value)) return walkRaw(value, t.ofType, coordinate, path, depth + 1); // a single item stands for a list of one
      const limit = listLimit(coordinate, t.ofType);
      if (value.length > limit) return tooMany(path, limit, value.length);
      for (let i = 0; i < value.length; i++) {
        const hit = walkRaw(value[i], t.ofType, coordinate, `${path}[${i}]`, depth + 1);
        if (hit) return hit;
      }
      return null;
    }
    if (isInputObjectType(t) && typeof value === "object" && !Array.isArray(value)) {
      const fields = t.getFields();
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
        const f = fields[name];
        if (!f) continue;
        const hit = walkRaw(v, f.type, `${t.name}.${name}`, path ? `${path}.${name}` : name, depth + 1);
        if (hit) return hit;
      }
    }
    return null;
  };

  /** The same over a literal in the document (variables inside it are walked from their own definitions). */
  const walkLiteral = (node: ValueNode, type: GraphQLInputType, coordinate: string, path: string, depth: number): GraphQLError | null => {
    if (depth > 32) return null;
    const t = getNullableType(type) as GraphQLInputType;
    if (node.kind === Kind.VARIABLE) {
      if (!usedAt.has(node.name.value)) usedAt.set(node.name.value, coordinate);
      const declared = varTypes.get(node.name.value);
      return declared ? walkRaw(vars[node.name.value], declared, coordinate, path, depth + 1) : null;
    }
    if (isListType(t)) {
      if (node.kind !== Kind.LIST) return walkLiteral(node, t.ofType, coordinate, path, depth + 1);
      const limit = listLimit(coordinate, t.ofType);
      if (node.values.length > limit) return tooMany(path, limit, node.values.length);
      for (let i = 0; i < node.values.length; i++) {
        const hit = walkLiteral(node.values[i]!, t.ofType, coordinate, `${path}[${i}]`, depth + 1);
        if (hit) return hit;
      }
      return null;
    }
    if (isInputObjectType(t) && node.kind === Kind.OBJECT) {
      const fields = t.getFields();
      for (const f of node.fields) {
        const def = fields[f.name.value];
        if (!def) continue;
        const hit = walkLiteral(f.value, def.type, `${t.name}.${f.name.value}`, `${path}.${f.name.value}`, depth + 1);
        if (hit) return hit;
      }
    }
    return null;
  };

  for (const def of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, def.type) as GraphQLInputType | undefined;
    if (type) varTypes.set(def.variable.name.value, type);
  }

  // Arguments, with the field that takes them: the document is valid, so each argument's declared
  // type is found by walking the selections from the root. Fragments count once each.
  const rootType =
    operation.operation === "query" ? schema.getQueryType() : operation.operation === "mutation" ? schema.getMutationType() : schema.getSubscriptionType();
  const fieldsOf = (type: GraphQLNamedType | null | undefined) =>
    type && "getFields" in type && !isInputObjectType(type) ? (type.getFields() as Record<string, GraphQLField<unknown, unknown>>) : null;
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const seenFragments = new Set<string>();

  const walkSelections = (node: SelectionSetNode, parent: GraphQLNamedType | null | undefined): void => {
    for (const sel of node.selections) {
      if (found) return;
      if (sel.kind === Kind.FIELD) {
        const field = fieldsOf(parent)?.[sel.name.value];
        if (!field) continue;
        for (const arg of sel.arguments ?? []) {
          const def = field.args.find((a) => a.name === arg.name.value);
          if (!def) continue;
          found = walkLiteral(arg.value, def.type, `${parent!.name}.${field.name}(${def.name})`, def.name, 0);
          if (found) return;
        }
        if (sel.selectionSet) walkSelections(sel.selectionSet, getNamedType(field.type));
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        walkSelections(sel.selectionSet, sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent);
      } else {
        const fragment = fragments.get(sel.name.value);
        // Each fragment once: its arguments are the same wherever it is spread.
        if (!fragment || seenFragments.has(fragment.name.value)) continue;
        seenFragments.add(fragment.name.value);
        walkSelections(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
      }
    }
  };
  walkSelections(operation.selectionSet, rootType);
  if (found) return found;

  // A variable given but used in no argument (only in directives, or nowhere): bounded by its own type.
  for (const [name, type] of varTypes) {
    if (usedAt.has(name)) continue;
    const hit = walkRaw(vars[name], type, `$${name}`, name, 0);
    if (hit) return hit;
  }
  return null;
}
