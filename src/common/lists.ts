import type { ObjectLiteral } from "typeorm";
import type { Action } from "../auth/policy.js";
import type { Context } from "../context.js";
import { itself } from "../auth/access.js";
import { grantAllows } from "../auth/grants.js";
import { raw, sql, type Sql } from "../db/sql.js";
import { loadPages, normaliseArgs, type ConnectionArgs, type ListSpec, type Page } from "./pagination.js";

/** A root list: one page, filtered by the spec (which carries the viewer's access). */
export async function rootPage<T extends ObjectLiteral & { id: string }>(ctx: Context, spec: ListSpec<T>, args: ConnectionArgs): Promise<Page<T>> {
  const pages = await loadPages(ctx.loaders.pageSource, spec, null, normaliseArgs(args));
  return pages.get("root")!;
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
 * accounts where the viewer's role allows `action`: driven by the viewer's grants on the accounts at
 * hand (an account without one is not read at all).
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
    vouches: string;
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
    parent: `${a}.program_account_id`,
    drivers: (parents) => ctx.access.drivers(parents, itself),
    where: opts.rules ? sql`${grantAllows("page_parent", opts.action)} AND ${opts.rules("page_parent", a)}` : grantAllows("page_parent", opts.action),
    vouches: opts.vouches,
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
