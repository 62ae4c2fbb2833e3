import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import { MaxTokensParserWLexer } from "@escape.tech/graphql-armor-max-tokens";
import {
  GraphQLError,
  BREAK,
  Kind,
  visit,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from "graphql";
import { getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";
import type { OperationLimits } from "../config.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../common/connection.js";
import { wholeListReadCost } from "./whole-list-reads.js";

/**
 * What one operation may ask of the server, checked before anything runs, the same way over HTTP
 * and over the WebSocket. The threat: one small request that makes the server resolve millions of
 * fields (nested lists, aliases of a list, fragment fan-out) or spend its CPU parsing and validating.
 *
 * - tokens (GraphQL Armor's token-counting parser): bounds parsing and everything after it;
 * - depth, aliases, directives (GraphQL Armor's rules);
 * - cost (graphql-query-complexity): every field costs 1 and a paged list multiplies what it contains
 *   by its page size (`first`/`last`, default 20, at most 100). Armor's own cost rule counts a list
 *   once whatever its page size, and page size is what makes a query expensive here.
 *
 * A refusal is QUERY_TOO_COMPLEX (HTTP 400) naming the limit and its value.
 */
export const QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX";

export function tooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: QUERY_TOO_COMPLEX, http: { status: 400 } } });
}

const stripPrefix = (message: string) => message.replace(/^Syntax Error: /, "");

/** Parses with the token limit (refusing past it without reading the rest). */
export function parseWithLimit(source: string, limits: OperationLimits): DocumentNode {
  const parser = new MaxTokensParserWLexer(source, { n: limits.maxTokens, exposeLimits: true, propagateOnRejection: true, onAccept: [], onReject: [] });
  try {
    return parser.parseDocument();
  } catch (err) {
    if (err instanceof GraphQLError && /Token limit/.test(err.message)) {
      throw tooComplex(`The operation has more than ${limits.maxTokens} tokens (the token limit is ${limits.maxTokens}).`);
    }
    throw err;
  }
}

/** Armor's rules report through a callback; these report our code and a message naming the limit. */
function armorRules(limits: OperationLimits): ValidationRule[] {
  const report = (name: string) => ({
    exposeLimits: true,
    propagateOnRejection: false,
    onAccept: [],
    onReject: [(ctx: ValidationContext | null, err: GraphQLError) => ctx?.reportError(tooComplex(`${stripPrefix(err.message)} (${name})`))],
  });
  return [
    // Fragments do not count as a level: a query is as deep as the fields it nests.
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true, ...report("depth") }),
    maxAliasesRule({ n: limits.maxAliases, ...report("aliases") }),
    maxDirectivesRule({ n: limits.maxDirectives, ...report("directives") }),
  ];
}

/** A paged list field costs its page size times what each item costs, and more where its arguments make it read the whole list. */
const pagedListEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (!field.args.some((a) => a.name === "first" || a.name === "last")) return undefined;
  const requested = typeof args.first === "number" ? args.first : typeof args.last === "number" ? args.last : DEFAULT_PAGE_SIZE;
  const size = Math.min(MAX_PAGE_SIZE, Math.max(1, requested));
  return 1 + size * childComplexity + wholeListReadCost(type.name, field.name, args);
};

export function operationCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName: string | undefined): number {
  return getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName,
    estimators: [pagedListEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
}

export interface OperationRequest {
  document: DocumentNode;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/**
 * The first limit an operation breaks (`error`), else its estimated cost. Run after graphql's own
 * validation (the document is known to be valid), with the request's variables (a page size may come
 * from a variable).
 */
export function checkLimits(schema: GraphQLSchema, limits: OperationLimits, req: OperationRequest): { error: GraphQLError } | { cost: number } {
  // A repeated operation is the same parsed document (one per query text): that it passed, and its
  // cost, are remembered per operation name when no variables can change its cost. (A refusal is
  // judged again each time: an error is not shared between requests.)
  const hasVariables = !!req.variables && Object.keys(req.variables).length > 0;
  const name = req.operationName ?? "";
  const known = hasVariables ? undefined : passed.get(schema)?.get(limits)?.get(req.document)?.get(name);
  if (known !== undefined) return { cost: known };
  const verdict = judge(schema, limits, req);
  if (!hasVariables && "cost" in verdict) {
    let bySchema = passed.get(schema);
    if (!bySchema) passed.set(schema, (bySchema = new WeakMap()));
    let byLimits = bySchema.get(limits);
    if (!byLimits) bySchema.set(limits, (byLimits = new WeakMap()));
    let names = byLimits.get(req.document);
    if (!names) byLimits.set(req.document, (names = new Map()));
    names.set(name, verdict.cost);
  }
  return verdict;
}

/** Operations without variables that passed, with their cost, by schema, limits, parsed document and operation name. */
const passed = new WeakMap<GraphQLSchema, WeakMap<OperationLimits, WeakMap<DocumentNode, Map<string, number>>>>();

/**
 * Documents that passed the depth, aliases and directives limits, by schema and limits: those
 * depend on the document alone, not on its variables, so an operation sent again with other
 * variables (every mutation, every page after the first) is not walked by those rules again.
 */
const shapePassed = new WeakMap<GraphQLSchema, WeakMap<OperationLimits, WeakSet<DocumentNode>>>();

function judge(schema: GraphQLSchema, limits: OperationLimits, req: OperationRequest): { error: GraphQLError } | { cost: number } {
  let byLimits = shapePassed.get(schema);
  if (!byLimits) shapePassed.set(schema, (byLimits = new WeakMap()));
  let documents = byLimits.get(limits);
  if (!documents) byLimits.set(limits, (documents = new WeakSet()));
  if (!documents.has(req.document)) {
    const errors = validate(schema, req.document, armorRules(limits));
    if (errors.length) return { error: errors[0]! };
    documents.add(req.document);
  }
  let cost: number;
  try {
    cost = operationCost(schema, req.document, req.variables ?? undefined, req.operationName ?? undefined);
  } catch (err) {
    if (err instanceof GraphQLError && /maximum allowed number of nodes/.test(err.message)) {
      return { error: tooComplex(`The operation expands to too many fields (fragments spread many times); its cost is over the limit of ${limits.maxCost}.`) };
    }
    // Variables that do not fit their types: execution reports them precisely (they were coerced before this).
    return { cost: limits.maxCost };
  }
  if (cost > limits.maxCost) {
    return {
      error: tooComplex(
        `The operation's estimated cost is ${cost}; the limit is ${limits.maxCost} (each field costs 1, a list costs its page size "first"/"last" ` +
          `(default ${DEFAULT_PAGE_SIZE}) times its content). Ask for smaller pages or fewer nested lists.`,
      ),
    };
  }
  return { cost };
}

/**
 * PostgreSQL cannot store NUL in text: a NUL anywhere in a string input, literal or variable, is
 * refused up front as BAD_USER_INPUT naming the input field (as services name theirs: "note",
 * "address.city"), rather than failing deep in a resolver as an internal error.
 */
export function nulInInput(document: DocumentNode, variables: Record<string, unknown> | null | undefined): GraphQLError | null {
  let field: string | null = null;
  const vars = variables ?? {};
  const inValue = (node: ValueNode, path: string[]): string[] | null => {
    switch (node.kind) {
      case Kind.STRING:
        return node.value.includes("\u0000") ? path : null;
      case Kind.VARIABLE:
        return nulPath(vars[node.name.value], path);
      case Kind.LIST:
        for (const item of node.values) {
          const hit = inValue(item, path);
          if (hit) return hit;
        }
        return null;
      case Kind.OBJECT:
        for (const f of node.fields) {
          const hit = inValue(f.value, [...path, f.name.value]);
          if (hit) return hit;
        }
        return null;
      default:
        return null;
    }
  };
  visit(document, {
    Argument(node) {
      if (field !== null) return BREAK;
      const hit = inValue(node.value, [node.name.value]);
      // The argument's own name only when the NUL is not deeper inside it (input.note is "note").
      if (hit) field = (hit.length > 1 ? hit.slice(1) : hit).join(".");
      return false;
    },
  });
  // A variable used nowhere an argument reads it (or only in a directive) is refused all the same.
  if (field === null) {
    for (const [name, value] of Object.entries(vars)) {
      const hit = nulPath(value, [name]);
      if (hit) {
        field = hit.join(".");
        break;
      }
    }
  }
  if (field === null) return null;
  return new GraphQLError(`${field} contains the NUL character (\\u0000), which is not accepted in text.`, {
    extensions: { code: "BAD_USER_INPUT", field, http: { status: 400 } },
  });
}

function nulPath(value: unknown, path: string[], depth = 0): string[] | null {
  if (depth > 64) return null;
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const hit = nulPath(item, path, depth + 1);
      if (hit) return hit;
    }
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes("\u0000")) return [...path, "?"];
      const hit = nulPath(v, [...path, k], depth + 1);
      if (hit) return hit;
    }
  }
  return null;
}
