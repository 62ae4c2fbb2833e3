import type { ObjectLiteral } from "typeorm";
import type { Action } from "../auth/policy.js";
import type { Context } from "../context.js";
import { loadPages, normaliseArgs, type ConnectionArgs, type ListSpec, type Page } from "./pagination.js";

/** A root list: one page, filtered by the spec (which carries the viewer's scope). */
export async function rootPage<T extends ObjectLiteral & { id: string }>(ctx: Context, spec: ListSpec<T>, args: ConnectionArgs): Promise<Page<T>> {
  const pages = await loadPages(ctx.db, spec, null, normaliseArgs(args));
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
 * A list of rows that belong to a program account (statements, payments, securities, rulings),
 * limited to the accounts on which the viewer's role allows `action`.
 */
export function accountScopedList<T extends ObjectLiteral & { id: string }>(
  ctx: Context,
  opts: {
    entity: ListSpec<T>["entity"];
    alias: string;
    action: Action;
    sort: ListSpec<T>["sort"];
    direction: ListSpec<T>["direction"];
    nested: boolean;
  },
): ListSpec<T> {
  const ids = ctx.scope.programAccountIdsFor(opts.action);
  const a = opts.alias;
  return {
    entity: opts.entity,
    alias: a,
    sort: opts.sort,
    direction: opts.direction,
    parentExpr: opts.nested ? `${a}.program_account_id` : undefined,
    where: (qb) => qb.where(`${a}.program_account_id = ANY(:accountReach)`, { accountReach: ids }),
  };
}

/** The viewer's id for "own rows" filters; a nil uuid matches nothing for anonymous callers. */
export function viewerIdOrNone(ctx: Context): string {
  return ctx.viewer?.id ?? "00000000-0000-0000-0000-000000000000";
}
