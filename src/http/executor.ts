import type { GatewayExecutor, GatewayInterface } from "@apollo/server-gateway-interface";
import { execute, getVariableValues, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import { LRUCache } from "lru-cache";
import type { Context } from "../context.js";
import { Planner } from "../planner/planner.js";

/**
 * How operations over HTTP are executed: graphql-js's `execute` walks the operation's AST for every
 * response, field by field; graphql-jit compiles an operation once into a function specialised for
 * its selections, which then runs it with the same resolvers, shield rules and context (the result
 * is the same: `test/executor.test.ts`). Walking the AST was about a fifth of a broker page's Node
 * time (`npm run bench:profile`), and a front end sends the same few operations again and again.
 *
 * Compiling costs more than executing once, and a client may send endless distinct documents, so an
 * operation is compiled only once graphql-js has executed it `compileAfter` times, and at most
 * `maxOperations` compiled operations are kept (least recently used first out). Whatever graphql-jit
 * cannot compile runs on graphql-js. Subscription events are run the same way (jitRunner: the live hub
 * compiles a subscription's document once, and runs it for each event, once per group of subscribers).
 *
 * Apollo Server hands execution to a "gateway" (its interface for a federated gateway, the one way
 * to supply an executor); its parsing, validation, plugins, limits and error formatting run as before.
 */
export interface JitOptions {
  /** graphql-jit compiles operations (off: graphql-js executes what the planner does not). */
  enabled?: boolean;
  /**
   * Query operations planned into one SQL statement first (src/planner), with `onPath` told, per
   * operation executed, which path answered it.
   */
  compiled?: {
    enabled: boolean;
    onPath?: (operationName: string | null | undefined, path: "compiled" | "general") => void;
  };
  /** Executions by graphql-js before an operation is compiled (0: compiled when first seen). */
  compileAfter: number;
  /** Compiled operations kept. */
  maxOperations: number;
}

/** Variable coercion errors reported at most (graphql-js's `execute` stops at 50 of its own accord; `getVariableValues` does not). */
const MAX_COERCION_ERRORS = 20;

export function jitGateway(schema: GraphQLSchema, opts: JitOptions): GatewayInterface & { stats(): { compiled: number; seen: number } } {
  const compiled = new LRUCache<string, CompiledQuery>({ max: opts.maxOperations });
  // Operations not compiled (yet): executions so far, or graphql-jit refused them. Bounded too,
  // against a client sending endless distinct documents.
  const seen = new LRUCache<string, number | "refused">({ max: opts.maxOperations * 4 });
  const interpreted = async (document: DocumentNode, context: unknown, variables: Record<string, unknown> | undefined, operationName: string | undefined) => {
    const result = (await execute({ schema, document, contextValue: context, variableValues: variables, operationName, options: { maxCoercionErrors: MAX_COERCION_ERRORS } })) as ExecutionResult;
    // Without data, nothing ran: the errors are the request's (its variables, its operation name).
    return !("data" in result) && result.errors ? { errors: result.errors.map(asClientError) } : result;
  };

  // Variables are checked by graphql-js first, with its bound on errors (graphql-jit's own coercion
  // has none: 20,000 empty objects in a list were 80,000 errors and a 95 MB answer). Its errors name
  // what is wrong (the scalar's own message) and are the ones Apollo recognises as the client's
  // (BAD_USER_INPUT, HTTP 400). The operation validation (operation.ts) has checked them already
  // for every request that gets here; this keeps the executor safe on its own.
  const coerce = (operation: OperationDefinitionNode, variables: Record<string, unknown>): { coerced: Record<string, unknown> } | { errors: GraphQLError[] } => {
    if (!operation.variableDefinitions?.length) return { coerced: variables };
    const checked = getVariableValues(schema, operation.variableDefinitions, variables, { maxErrors: MAX_COERCION_ERRORS });
    return checked.errors ? { errors: checked.errors.map(asClientError) } : { coerced: checked.coerced };
  };
  const runCompiled = async (query: CompiledQuery, operation: OperationDefinitionNode, context: unknown, variables: Record<string, unknown>) => {
    const checked = coerce(operation, variables);
    if ("errors" in checked) return checked;
    const result = (await query.query(undefined, context, variables)) as ExecutionResult;
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };

  const planner = opts.compiled?.enabled ? new Planner(schema, opts.maxOperations) : null;
  const onPath = opts.compiled?.onPath ?? (() => undefined);
  // The compiled path: the operation's plan (decided once per operation), run as one statement whose
  // text is the answer's data. null: the general path answers (not covered, or this request's
  // arguments or rows need its answer: an error).
  const runPlanned = async (key: string, operation: OperationDefinitionNode, document: DocumentNode, context: unknown, variables: Record<string, unknown>, operationName: string | undefined) => {
    const plan = planner!.planFor(key, document, operationName);
    if (!plan) return null;
    const checked = coerce(operation, variables);
    if ("errors" in checked) return checked;
    const data = await plan.run(context as Context, checked.coerced);
    if (data === null) return null;
    // PostgreSQL's text, written as is by `stringifyAnswer` (the cost budget counts it as text: compiledCost).
    return { data: new CompiledData(data) as unknown as Record<string, unknown> } satisfies ExecutionResult;
  };

  const executor: GatewayExecutor = async (rc) => {
    // The name the client asked for, as graphql-js is given it: Apollo's `operationName` is that of
    // the operation it resolved, null when the name matched none, and graphql-js must then say so.
    const operationName = rc.request.operationName ?? undefined;
    const variables = rc.request.variables ?? {};
    const interpret = () => interpreted(rc.document, rc.context, variables, operationName);
    const operation = rc.operation;
    if (!operation) return interpret();
    const key = `${rc.queryHash}:${operationName ?? ""}`;
    if (planner) {
      const answer = operation.operation === "query" ? await runPlanned(key, operation, rc.document, rc.context, variables, operationName) : null;
      onPath(operation.name?.value, answer && "data" in answer ? "compiled" : "general");
      if (answer) return answer;
    }
    if (opts.enabled === false) return interpret();
    let query = compiled.get(key);
    if (query) return runCompiled(query, operation, rc.context, variables);
    const runs = seen.get(key) ?? 0;
    if (runs === "refused") return interpret();
    const remember = (value: number | "refused") => void seen.set(key, value);
    if (runs < opts.compileAfter) {
      remember(runs + 1);
      return interpret();
    }
    let result: CompiledQuery | ExecutionResult | undefined;
    try {
      result = compileQuery(schema, rc.document, operationName);
    } catch {
      // Whatever graphql-jit cannot handle, graphql-js still can.
    }
    if (!result || !isCompiledQuery(result)) {
      remember("refused");
      return interpret();
    }
    seen.delete(key);
    query = result;
    compiled.set(key, query);
    return runCompiled(query, operation, rc.context, variables);
  };

  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: "" });
      return () => undefined;
    },
    async stop() {
      planner?.clear();
      compiled.clear();
      seen.clear();
    },
    stats() {
      return { compiled: compiled.size, seen: seen.size };
    },
  };
}

/**
 * An answer's data as the compiled path's statement wrote it: JSON text, exactly what JSON.stringify
 * writes of the general path's data (src/planner/render.ts), passed through without being parsed
 * (`stringifyAnswer`). Anything else that serializes it gets the same (toJSON).
 */
export class CompiledData {
  constructor(readonly text: string) {}
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/**
 * Apollo's serialization of an answer (its default: JSON.stringify and a newline, in the order
 * errors, data, extensions), with compiled data written as the text it is.
 */
export function stringifyAnswer(value: { errors?: unknown; data?: unknown; extensions?: unknown }): string {
  if (value.data instanceof CompiledData && value.errors === undefined) {
    return `{"data":${value.data.text}${value.extensions === undefined ? "" : `,"extensions":${JSON.stringify(value.extensions)}`}}\n`;
  }
  return `${JSON.stringify(value)}\n`;
}

/**
 * A coercion error is the client's: graphql-js's "Too many errors processing variables" has no AST
 * node, by which Apollo would have told it from a server fault, so the code is given here.
 */
function asClientError(e: GraphQLError): GraphQLError {
  return e.extensions?.code ? e : new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
}

/**
 * A subscription's operation compiled once, run for each event with the event as its root (what
 * graphql-jit's own subscribe does per event); null when graphql-jit cannot compile it.
 */
export function jitRunner(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined) {
  let query: CompiledQuery | ExecutionResult;
  try {
    query = compileQuery(schema, document, operationName ?? undefined);
  } catch {
    return null;
  }
  if (!isCompiledQuery(query)) return null;
  const compiled = query;
  return async (payload: unknown, context: unknown, variables: Record<string, unknown> | null | undefined): Promise<ExecutionResult> => {
    const result = (await compiled.query(payload, context, variables ?? {})) as ExecutionResult;
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
}

/**
 * graphql-jit reports errors with its own class: without `extensions` unless the thrown error had
 * some, which Apollo's error handling needs (an unexpected error would lose its code, its path and
 * the 503 of a database outage). Each becomes graphql-js's own error, as graphql-js would have made.
 */
function asGraphQLError(e: GraphQLError): GraphQLError {
  const original = e.originalError ?? undefined;
  const error = new GraphQLError(e.message, { path: e.path, originalError: original, extensions: e.extensions ?? (original as GraphQLError | undefined)?.extensions });
  // graphql-js derives locations from AST nodes; the compiled operation reports the locations themselves.
  if (e.locations) (error as { locations?: GraphQLError["locations"] }).locations = e.locations;
  return error;
}
