import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from "graphql";

/**
 * What an operation cost once it ran, counted on its answer by the estimate's own rule (every field
 * 1, a list what its items cost), with the page sizes the answer really has rather than the ones
 * asked for: `transactions(first: 100) { edges { node { transactionNumber } } }` is estimated at 301
 * and costs 202 when 100 came back, 4 when one did.
 *
 * Counted on the answer's data, guided by the operation's selections, so that a leaf is one field
 * whatever its value holds (a list of roles, a JSON object). A field whose value is null costs 1.
 */
export function actualCost(document: DocumentNode, operation: OperationDefinitionNode, data: unknown): number {
  if (!data || typeof data !== "object") return 0;
  return objectCost(data as Record<string, unknown>, planOf(document, operation));
}

/** The fields of one selection (fragments merged), by response key: their own plan, or null for a leaf. */
type Plan = Map<string, Plan | null>;

const plans = new WeakMap<OperationDefinitionNode, Plan>();

function planOf(document: DocumentNode, operation: OperationDefinitionNode): Plan {
  let plan = plans.get(operation);
  if (!plan) {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    plan = build([operation.selectionSet], fragments, 0);
    plans.set(operation, plan);
  }
  return plan;
}

/** Plans are built once per operation (the validated document is cached, so is this); depth is bounded by the operation limits. */
function build(sets: readonly SelectionSetNode[], fragments: Map<string, FragmentDefinitionNode>, depth: number): Plan {
  const children = new Map<string, SelectionSetNode[]>();
  const leaves = new Set<string>();
  const seen = new Set<string>();
  const collect = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const key = s.alias?.value ?? s.name.value;
        if (s.selectionSet) children.set(key, [...(children.get(key) ?? []), s.selectionSet]);
        else leaves.add(key);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        collect(s.selectionSet);
      } else {
        const f = fragments.get(s.name.value);
        // A fragment spread twice in one selection adds nothing the second time (validation refuses cycles).
        if (f && !seen.has(f.name.value)) {
          seen.add(f.name.value);
          collect(f.selectionSet);
        }
      }
    }
  };
  for (const set of sets) collect(set);
  const plan: Plan = new Map();
  for (const key of leaves) plan.set(key, null);
  for (const [key, childSets] of children) plan.set(key, depth > 64 ? null : build(childSets, fragments, depth + 1));
  return plan;
}

function objectCost(value: Record<string, unknown>, plan: Plan): number {
  let cost = 0;
  for (const key in value) {
    cost += 1;
    const child = plan.get(key);
    if (child) cost += valueCost(value[key], child);
  }
  return cost;
}

function valueCost(value: unknown, plan: Plan): number {
  if (value === null || typeof value !== "object") return 0;
  if (Array.isArray(value)) {
    let cost = 0;
    for (const item of value) cost += valueCost(item, plan);
    return cost;
  }
  return objectCost(value as Record<string, unknown>, plan);
}

/**
 * actualCost of an answer the compiled path wrote (src/planner: JSON text, compact, keys that are
 * GraphQL response names), without parsing it. Every value at a leaf there is a scalar (a string,
 * number, boolean or null: the planner covers no field whose value is an object or a list of
 * scalars), so the rule above counts every key of the text once, and nothing else: the cost is the
 * number of keys. A key is a string followed by `:`; its closing quote follows a name character,
 * while a quote inside a string is escaped (`\"`) and a string opening follows `{`, `[`, `,` or `:`.
 * Counting that is a scan of the text (about a millisecond less than JSON.parse on a dashboard's
 * 97 KB); `test/planner.test.ts` checks it against actualCost on every answer of its corpus.
 */
export function compiledCost(text: string): number {
  let count = 0;
  for (let i = text.indexOf('":'); i !== -1; i = text.indexOf('":', i + 2)) if (isNameChar(text.charCodeAt(i - 1))) count++;
  return count;
}

/** [_0-9A-Za-z]: the last character of a GraphQL name. */
function isNameChar(c: number): boolean {
  return c === 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
