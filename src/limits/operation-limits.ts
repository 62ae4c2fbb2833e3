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
  type FieldNode,
  type GraphQLSchema,
  type SelectionSetNode,
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
 * - cost (graphql-query-complexity): every field costs 1 and a paged list multiplies its items (edges)
 *   by its page size (`first`/`last`, default 20 or the field's own, at most 100). Armor's own cost
 *   rule counts a list once whatever its page size, and page size is what makes a query expensive here.
 *
 * A refusal is QUERY_TOO_COMPLEX (HTTP 400) naming the limit and its value.
 *
 * Why one file of ~300 lines: it is the one place that decides whether an operation may run: the
 * limits, the cost estimate whose heaviest list the refusal names, and the per-document caches that
 * keep a document that passed from being judged again (the NUL check of inputs rides along).
 */
export const QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX";

export function tooComplex(message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: QUERY_TOO_COMPLEX, ...details, http: { status: 400 } } });
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

/** A list's weight in an operation's cost: for the refusal to name the list to shrink. */
export interface ListWeight {
  /** `Type.field` (its alias when it has one, as the operation writes it). */
  list: string;
  /** Its page size: asked for, or the field's default. */
  pageSize: number;
  /** Whether the size is the default (no `first`/`last`). */
  byDefault: boolean;
  /** What one item costs. */
  itemCost: number;
  /** What its arguments add for making it read the whole list before its first page (whole-list-reads.ts), else 0. */
  wholeListRead: number;
  /** 1 + pageSize x itemCost + wholeListRead. */
  cost: number;
}

/**
 * A paged list field costs its page size times what each item costs: its `edges` are multiplied, what
 * it says of itself once (`totalCount`, `pageInfo`). Without `first`/`last` its size is the field's own
 * default (its `defaultPageSize` extension, e.g. a business's program accounts) or the API's. A list
 * whose arguments make it read every row before its first page costs more (whole-list-reads.ts). Each
 * list's weight is reported to `weigh`.
 */
function pagedListEstimator(document: DocumentNode, weigh?: (w: ListWeight) => void): ComplexityEstimator {
  const fragments = new Map<string, SelectionSetNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d.selectionSet);
  // The cost of each connection's `edges` as estimated (children are estimated before their parent).
  const edgesCost = new Map<FieldNode, number>();
  const edgesUnder = (set: SelectionSetNode | undefined, seen = new Set<string>()): number => {
    let sum = 0;
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) sum += edgesCost.get(sel) ?? 0;
      else if (sel.kind === Kind.INLINE_FRAGMENT) sum += edgesUnder(sel.selectionSet, seen);
      else if (!seen.has(sel.name.value)) sum += edgesUnder(fragments.get(sel.name.value), new Set(seen).add(sel.name.value));
    }
    return sum;
  };
  return ({ type, field, node, args, childComplexity }) => {
    if (field.name === "edges" && type.name.endsWith("Connection")) {
      edgesCost.set(node, 1 + childComplexity);
      return 1 + childComplexity;
    }
    if (!field.args.some((a) => a.name === "first" || a.name === "last")) return undefined;
    const declared = field.extensions?.defaultPageSize;
    const fallback = typeof declared === "number" ? declared : DEFAULT_PAGE_SIZE;
    const byDefault = typeof args.first !== "number" && typeof args.last !== "number";
    const requested = typeof args.first === "number" ? args.first : typeof args.last === "number" ? args.last : fallback;
    const size = Math.min(MAX_PAGE_SIZE, Math.max(1, requested));
    // What is not an edge (an item) is there once per page, however many items the page holds.
    const perItem = Math.min(childComplexity, edgesUnder(node.selectionSet));
    const wholeListRead = wholeListReadCost(type.name, field.name, args);
    const cost = 1 + (childComplexity - perItem) + size * perItem + wholeListRead;
    weigh?.({ list: `${type.name}.${node.alias?.value ?? field.name}`, pageSize: size, byDefault, itemCost: perItem, wholeListRead, cost });
    return cost;
  };
}

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  weigh?: (w: ListWeight) => void,
): number {
  return getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName,
    estimators: [pagedListEstimator(document, weigh), simpleEstimator({ defaultComplexity: 1 })],
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
  let heaviest: ListWeight | null = null;
  try {
    // The list that weighs most is the one whose page size, made smaller, helps most.
    cost = operationCost(schema, req.document, req.variables ?? undefined, req.operationName ?? undefined, (w) => {
      if (!heaviest || w.cost > heaviest.cost) heaviest = w;
    });
  } catch (err) {
    if (err instanceof GraphQLError && /maximum allowed number of nodes/.test(err.message)) {
      return { error: tooComplex(`The operation expands to too many fields (fragments spread many times); its cost is over the limit of ${limits.maxCost}.`) };
    }
    // Variables that do not fit their types: execution reports them precisely (they were coerced before this).
    return { cost: limits.maxCost };
  }
  if (cost > limits.maxCost) {
    const h = heaviest as ListWeight | null;
    const named = h
      ? ` The heaviest list is ${h.list}: ${h.pageSize} items${h.byDefault ? " (its default page size)" : ""} of ${h.itemCost} each` +
        (h.wholeListRead ? `, plus ${h.wholeListRead} for an order or filter that reads the whole list first` : "") +
        `, ${h.cost}.`
      : "";
    return {
      error: tooComplex(
        `The operation's estimated cost is ${cost}; the limit is ${limits.maxCost}.${named} Each field costs 1, a list its page size "first"/"last" ` +
          `(default ${DEFAULT_PAGE_SIZE}) times its content: ask for smaller pages or fewer nested lists.`,
        { cost, limit: limits.maxCost, ...(h ? { heaviestList: h } : {}) },
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
