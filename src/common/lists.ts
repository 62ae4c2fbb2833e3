import { getArgumentValues, Kind, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import type { ObjectLiteral } from "typeorm";
import { itself } from "../auth/access.js";
import { grantAllows } from "../auth/grants.js";
import { withListPolicy, type ListPolicy } from "../auth/list-policy.js";
import type { Action } from "../auth/policy.js";
import type { Context } from "../context.js";
import { raw, sql, type Sql } from "../db/sql.js";
import type { ConnectionArgs, Page } from "./connection.js";
import { normaliseArgs } from "./cursor.js";
import { argsIfValid, loadPages, loadRootWithChildren, readableWithParents, type KeysetSpec } from "./keyset.js";

/**
 * A list as a module declares it: what the keyset engine reads (table, sort, parents, the policy's
 * condition in `where`), and what the policy learns from its rows (ListPolicy). Lists are read
 * through rootPage and childPage, which wire the latter to the request's Access.
 */
export type ListSpec<T extends ObjectLiteral> = KeysetSpec<T> & ListPolicy;

/** A list nested under each node of a root list, as childPage would read it (`name` and `spec` as given to childPage). */
export interface NestedList<C extends ObjectLiteral & { id: string }> {
  name: string;
  spec: ListSpec<C>;
  /** The nested field's arguments as the operation gives them (see selectedUnderNodes). */
  args: ConnectionArgs;
}

/**
 * A root list: one page, filtered by the spec (which carries the viewer's access). With `nested`
 * (a list the operation selects under every node), both are read in one statement where they can
 * be (loadRootWithChildren), and the nested pages handed to the loader that childPage reads: the
 * nested field then resolves without a statement of its own. Otherwise, or when the nested
 * arguments are not valid (the nested field reports that itself), the loader reads them as usual.
 */
export async function rootPage<T extends ObjectLiteral & { id: string }, C extends ObjectLiteral & { id: string }>(
  ctx: Context,
  spec: ListSpec<T>,
  args: ConnectionArgs,
  nested?: NestedList<C> | null,
): Promise<Page<T>> {
  const rootArgs = normaliseArgs(args);
  const childArgs = nested && spec.plan === "reuse" && readableWithParents(nested.spec) ? argsIfValid(nested.spec, nested.args) : null;
  const source = { db: ctx.db };
  if (nested && childArgs) {
    const child = { spec: withListPolicy(ctx.access, nested.spec), args: childArgs };
    const { root, children } = await loadRootWithChildren(source, withListPolicy(ctx.access, spec), rootArgs, child);
    const loader = ctx.loaders.pages(nested.name, nested.spec, childArgs);
    for (const [parentId, page] of children) loader.prime(parentId, page);
    return root;
  }
  const pages = await loadPages(source, withListPolicy(ctx.access, spec), null, rootArgs);
  return pages.get("root")!;
}

/**
 * The arguments of field `field` of the nodes of the connection being resolved (`edges { node {
 * <field>(...) } }`), when the operation selects it there exactly once or always with the same
 * arguments, through fragments or not; null when it is not selected, selected with different
 * arguments, or anywhere under a directive (@skip, @include: whether it runs is left to them).
 */
export function selectedUnderNodes(info: GraphQLResolveInfo, nodeType: string, field: string): Record<string, unknown> | null {
  const fields = (nodes: readonly FieldNode[], name: string): FieldNode[] | null => {
    const found: FieldNode[] = [];
    const visit = (set: SelectionSetNode | undefined): boolean => {
      for (const s of set?.selections ?? []) {
        if (s.directives?.length) return false;
        if (s.kind === Kind.FIELD) {
          if (s.name.value === name) found.push(s);
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          if (!visit(s.selectionSet)) return false;
        } else {
          const fragment = info.fragments[s.name.value];
          if (!fragment || fragment.directives?.length || !visit(fragment.selectionSet)) return false;
        }
      }
      return true;
    };
    for (const n of nodes) if (!visit(n.selectionSet)) return null;
    return found;
  };
  const edges = fields(info.fieldNodes, "edges");
  const nodes = edges && fields(edges, "node");
  const selected = nodes && fields(nodes, field);
  if (!selected?.length) return null;
  const definition = (info.schema.getType(nodeType) as GraphQLObjectType | undefined)?.getFields()[field];
  if (!definition) throw new Error(`${nodeType}.${field} is not a field of the schema`);
  let args: Record<string, unknown> | null = null;
  let key: string | null = null;
  for (const node of selected) {
    const these = getArgumentValues(definition, node, info.variableValues);
    const theseKey = JSON.stringify(these);
    if (key !== null && theseKey !== key) return null;
    args = these;
    key = theseKey;
  }
  return args;
}

/**
 * The arguments of a list whose page size, when none is asked for, is not the API's default: the
 * field declares the same size in its `defaultPageSize` extension, which the operation cost reads.
 * (`before` alone pages backward by as many.)
 */
export function withDefaultPageSize<A extends ConnectionArgs>(args: A, size: number): A {
  if (args.first != null || args.last != null) return args;
  return args.before != null ? { ...args, last: size } : { ...args, first: size };
}

/** A list nested under `parentId`: batched with its siblings through the request's loaders. */
export function childPage<T extends ObjectLiteral & { id: string }>(
  ctx: Context,
  name: string,
  spec: ListSpec<T>,
  args: ConnectionArgs,
  parentId: string,
): Promise<Page<T>> {
  return ctx.loaders.pages(name, spec, normaliseArgs(args)).load(parentId);
}

/**
 * The rows of a program account (statements, payments, securities, rulings) nested under it, on the
 * accounts where the viewer's role allows `action`: read through the viewer's grants on the accounts
 * at hand (an account without one is not read at all).
 */
export function accountRows<T extends ObjectLiteral & { id: string }>(
  ctx: Context,
  opts: {
    entity: ListSpec<T>["entity"];
    table: string;
    alias: string;
    action: Action;
    sort: ListSpec<T>["sort"];
    direction: ListSpec<T>["direction"];
    /** The order's name, where a client chooses it (KeysetSpec.order). */
    order?: string;
    visibleAs: string;
    /** Rules of the grant (`page_parent`) on each row (alias), beyond allowing the action (e.g. money.ts paymentRules). */
    rules?: (g: string, alias: string) => Sql;
  },
): ListSpec<T> {
  const a = opts.alias;
  return {
    entity: opts.entity,
    from: sql`${raw(opts.table)} ${raw(a)}`,
    alias: a,
    sort: opts.sort,
    direction: opts.direction,
    ...(opts.order ? { order: opts.order } : {}),
    parent: `${a}.program_account_id`,
    parentRows: (parents) => ctx.access.grantsOfParents(parents, itself),
    where: opts.rules ? sql`${grantAllows("page_parent", opts.action)} AND ${opts.rules("page_parent", a)}` : grantAllows("page_parent", opts.action),
    visibleAs: opts.visibleAs,
  };
}

/**
 * A page whose nodes are presented as another type (an agency work item is a view of a row the list
 * read): same cursors, page info and count.
 */
export function mapPage<T, U>(page: Page<T>, present: (node: T) => U): Page<U> {
  return {
    edges: page.edges.map((e) => ({ cursor: e.cursor, node: present(e.node) })),
    pageInfo: page.pageInfo,
    get totalCount() {
      return page.totalCount;
    },
  };
}

/** The viewer's id for "own rows" filters; a nil uuid matches nothing for anonymous callers. */
export function viewerIdOrNone(ctx: Context): string {
  return ctx.viewer?.id ?? "00000000-0000-0000-0000-000000000000";
}
