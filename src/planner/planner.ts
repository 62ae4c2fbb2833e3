import type { DocumentNode, GraphQLSchema } from "graphql";
import { LRUCache } from "lru-cache";
import type { Context } from "../context.js";
import { queryValue } from "../db/sql.js";
import { shapeOf, type Shape } from "./shape.js";
import { REFUSED, statementOf } from "./statement.js";

/**
 * The compiled path: a query operation planned once into one SQL statement whose result is the
 * answer's `data` as JSON text, under the portal's rules (see shape.ts for what is covered and
 * statement.ts for the statement). Whatever it does not cover, or a request it would answer
 * differently (an error), the general path (graphql-jit or graphql-js, resolvers, loaders, the
 * shield) answers: `run` then returns null.
 */
export interface CompiledPlan {
  shape: Shape;
  /** The answer's `data` as JSON text (exactly what the general path serializes), or null: the general path must answer this request. */
  run(ctx: Context, variables: Record<string, unknown>): Promise<string | null>;
}

export type Compiled = { plan: CompiledPlan; reason?: undefined } | { plan: null; reason: string };

/** Plans an operation of `document` (validated against `schema`): a plan, or why it takes the general path. */
export function compileOperation(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): Compiled {
  const result = shapeOf(schema, document, operationName);
  if ("reason" in result) return { plan: null, reason: result.reason };
  const { shape } = result;
  const label = `compiled ${shape.name ?? "anonymous"}`;
  return {
    plan: {
      shape,
      async run(ctx, variables) {
        // The root fields' rule (signed in): anonymous callers get the general path's error.
        if (!ctx.viewer) return null;
        const statement = await statementOf(shape, ctx, variables);
        if (!statement) return null;
        // A kept plan: planning the statement costs as much as running it (docs/performance-plan.md, section 3).
        // Sent as a named prepared statement on the pool's own client (queryValue: TypeORM's query path costs more than the driver's).
        const data = await queryValue<string>(ctx.db, statement, label);
        if (data === undefined) throw new Error("the compiled statement returned no row");
        return data.includes(REFUSED) ? null : data;
      },
    },
  };
}

/** Plans kept per operation (least recently used first out), and operations not covered likewise: decided once each. */
export class Planner {
  private readonly plans: LRUCache<string, CompiledPlan | { reason: string }>;

  constructor(
    private readonly schema: GraphQLSchema,
    maxOperations: number,
  ) {
    this.plans = new LRUCache({ max: maxOperations });
  }

  /** The plan of the operation keyed `key` (the document's hash and the operation's name), or null when it takes the general path. */
  planFor(key: string, document: DocumentNode, operationName: string | null | undefined): CompiledPlan | null {
    let entry = this.plans.get(key);
    if (!entry) {
      const compiled = compileOperation(this.schema, document, operationName);
      entry = compiled.plan ?? { reason: compiled.reason };
      this.plans.set(key, entry);
    }
    return "run" in entry ? entry : null;
  }

  /** Why the operation keyed `key` is not compiled (undefined: compiled, or not seen). */
  reasonFor(key: string): string | undefined {
    const entry = this.plans.get(key);
    return entry && "reason" in entry ? entry.reason : undefined;
  }

  clear(): void {
    this.plans.clear();
  }
}
