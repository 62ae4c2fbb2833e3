import crypto from "node:crypto";
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLErrorOptions,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { LRUCache } from "lru-cache";
import type { Config } from "../config.js";
import { oversizedList } from "../limits/list-limits.js";
import { checkLimits, nulInInput, parseWithLimit, QUERY_TOO_COMPLEX } from "../limits/operation-limits.js";

/**
 * The one validation every operation passes before anything of it runs, over HTTP and over the
 * WebSocket alike, in this order (each step bounded, the cheap ones first):
 *
 * 1. parse with the token limit (QUERY_TOO_COMPLEX past it, GRAPHQL_PARSE_FAILED for bad syntax);
 * 2. graphql's validation (introspection refused where it is off), at most MAX_VALIDATION_ERRORS errors;
 * 3. the operation the request names (OPERATION_RESOLUTION_FAILURE), of a kind this transport serves;
 * 4. NUL in any text (PostgreSQL cannot store it);
 * 5. every list within its bound (src/limits/list-limits.ts), on the raw variables, before coercion;
 * 6. variables coerced with at most MAX_COERCION_ERRORS errors (BAD_USER_INPUT);
 * 7. the operation limits: depth, aliases, directives, cost with the request's variables.
 *
 * Steps 1-2 depend on the text alone: a document that passed them is kept (least recently used out,
 * bounded in bytes), keyed by the SHA-256 of its text, which is also how Apollo Server names it: the
 * same cache is Apollo's document store (`documentStore`), so Apollo neither parses nor validates
 * again what passed here.
 *
 * Where introspection is off the schema is not to be learned from error messages either: no "Did you
 * mean" suggestions, and no list of the arguments or input fields an operation left out
 * (`hideSchemaDetails`).
 */
export const MAX_VALIDATION_ERRORS = 20;
export const MAX_COERCION_ERRORS = 20;

export type Transport = "http" | "ws";

/** The cache interface Apollo Server takes for its document store and persisted queries. */
export interface KeyValueCache<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | void>;
}

export interface OperationRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export type Verdict =
  | { ok: true; document: DocumentNode; operation: OperationDefinitionNode; hash: string; cost: number }
  | { ok: false; errors: GraphQLError[]; status: number };

export interface OperationValidator {
  check(request: OperationRequest, transport: Transport): Verdict;
  /** The validated documents, as Apollo Server's document store (read-only to it). */
  documentStore: KeyValueCache<DocumentNode>;
  /** The texts of persisted queries (APQ), as Apollo Server's `persistedQueries.cache`. */
  persistedQueries: KeyValueCache<string>;
  /** A persisted query's text by its hash, as Apollo stores it. */
  persistedQuery(hash: string): string | undefined;
}

/** How Apollo Server prefixes its persisted-query keys in the cache it is given (requestPipeline's APQ_CACHE_PREFIX). */
const APQ_PREFIX = "apq:";

export const queryHash = (query: string) => crypto.createHash("sha256").update(query).digest("hex");

const clientError = (message: string, code: string, extra: GraphQLErrorOptions = {}) => new GraphQLError(message, { ...extra, extensions: { code } });

export function createOperationValidator(schema: GraphQLSchema, config: Pick<Config, "limits" | "introspection">): OperationValidator {
  const hide = !config.introspection;
  const rules = config.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  // Documents are about ten times their text in memory.
  const documents = new LRUCache<string, DocumentNode>({ maxSize: 32 * 1024 * 1024, sizeCalculation: (d) => Math.max(1024, (d.loc?.end ?? 1024) * 10) });
  const texts = new LRUCache<string, string>({ max: 10_000, maxSize: 16 * 1024 * 1024, sizeCalculation: (text) => Math.max(1, text.length * 2) });

  const documentOf = (query: string, hash: string): { document: DocumentNode } | { errors: GraphQLError[] } => {
    const known = documents.get(hash);
    if (known) return { document: known };
    let document: DocumentNode;
    try {
      document = parseWithLimit(query, config.limits);
    } catch (err) {
      if (err instanceof GraphQLError && err.extensions.code === QUERY_TOO_COMPLEX) return { errors: [err] };
      const e = err instanceof GraphQLError ? err : null;
      return { errors: [clientError(e?.message ?? "The operation could not be parsed.", "GRAPHQL_PARSE_FAILED", { source: e?.source, positions: e?.positions })] };
    }
    const invalid = validate(schema, document, rules, { maxErrors: MAX_VALIDATION_ERRORS });
    if (invalid.length) {
      return { errors: invalid.map((e) => clientError(hide ? hideSchemaDetails(e.message) : e.message, "GRAPHQL_VALIDATION_FAILED", { nodes: e.nodes })) };
    }
    documents.set(hash, document);
    return { document };
  };

  const check = (request: OperationRequest, transport: Transport): Verdict => {
    const hash = queryHash(request.query);
    const parsed = documentOf(request.query, hash);
    if ("errors" in parsed) return { ok: false, errors: parsed.errors, status: 400 };
    const { document } = parsed;
    const operation = getOperationAST(document, request.operationName ?? undefined);
    if (!operation) {
      const message = request.operationName ? `Unknown operation named "${String(request.operationName).slice(0, 100)}".` : "Must provide operation name if query contains multiple operations.";
      return { ok: false, errors: [clientError(message, "OPERATION_RESOLUTION_FAILURE")], status: 400 };
    }
    if (transport === "http" && operation.operation === "subscription") {
      return refuse(clientError("Subscriptions are served over WebSocket (graphql-ws) at /graphql, not over HTTP.", "BAD_USER_INPUT"));
    }
    if (transport === "ws" && operation.operation !== "subscription") {
      return refuse(clientError("The WebSocket endpoint serves subscriptions; send queries and mutations over HTTP POST /graphql.", "BAD_USER_INPUT"));
    }
    const variables = request.variables ?? {};
    const nul = nulInInput(document, variables);
    if (nul) return refuse(nul);
    const oversized = oversizedList(schema, document, operation, variables);
    if (oversized) return refuse(oversized);
    if (operation.variableDefinitions?.length) {
      const coerced = getVariableValues(schema, operation.variableDefinitions, variables, { maxErrors: MAX_COERCION_ERRORS });
      if (coerced.errors) {
        return { ok: false, errors: coerced.errors.map((e) => clientError(hide ? hideSchemaDetails(e.message) : e.message, "BAD_USER_INPUT", { nodes: e.nodes })), status: 400 };
      }
    }
    const limit = checkLimits(schema, config.limits, { document, variables, operationName: request.operationName });
    if ("error" in limit) return refuse(limit.error);
    return { ok: true, document, operation, hash, cost: limit.cost };
  };

  return {
    check,
    documentStore: {
      // Apollo names a document `<schema hash>:<query hash>`; it asks only after the validation here passed.
      async get(key: string) {
        return documents.get(key.slice(key.lastIndexOf(":") + 1));
      },
      // What Apollo validated itself (a document evicted between the two looks) is not kept twice.
      async set() {},
      async delete() {},
    },
    persistedQueries: {
      async get(key: string) {
        return texts.get(key);
      },
      async set(key: string, value: string) {
        texts.set(key, value);
      },
      async delete(key: string) {
        texts.delete(key);
      },
    },
    persistedQuery: (hash) => texts.get(APQ_PREFIX + hash),
  };
}

const refuse = (error: GraphQLError): Verdict => ({ ok: false, errors: [error], status: 400 });

/**
 * A validation or coercion message without what it would teach about the schema beyond the
 * client's own document: suggestions ("Did you mean ...?"), and the names and types of arguments and
 * input fields the operation left out. With introspection off, a client could otherwise rebuild the
 * schema one suggestion at a time.
 */
export function hideSchemaDetails(message: string): string {
  return message
    .replace(/ ?Did you mean .+\?$/s, "")
    .replace(/^Field "([^"]+)" argument "[^"]+" of type "[^"]+" is required, but it was not provided\.$/, 'Field "$1" is missing a required argument.')
    .replace(/^Directive "([^"]+)" argument "[^"]+" of type "[^"]+" is required, but it was not provided\.$/, 'Directive "$1" is missing a required argument.')
    .replace(/Field "[^"]+" of required type "[^"]+" was not provided\./g, "A required input field was not provided.")
    .replace(/Field "([^"]+)" is not defined by type "[^"]+"\./g, 'Field "$1" is not defined by the input type.')
    .replace(/ used in position expecting type "[^"]+"\./, " is used where another type is expected.");
}
