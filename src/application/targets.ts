import type { ObjectLiteral } from "typeorm";
import { canSee, type NodeTypeName } from "../auth/visibility.js";
import { notFound } from "../common/errors.js";
import { idOf } from "../common/inputs.js";
import type { Context } from "../context.js";
import { nodeEntities } from "../modules/node.registry.js";

/**
 * What a mutation acts on, by its global id: the id checked (BAD_USER_INPUT naming `field` when it is
 * not an id of that type), the row loaded, and NOT_FOUND unless the person may see it by the type's
 * visibility rule (auth/visibility.ts): someone else's answers exactly like one that does not exist.
 * The one way mutations find their targets by id; `what` names it in the refusal ("That client group").
 */
export async function visibleNode<T extends ObjectLiteral & { id: string }>(ctx: Context, type: NodeTypeName, globalId: string, field: string, what: string): Promise<T> {
  const id = idOf(globalId, type, field);
  const row = (await ctx.db.getRepository(nodeEntities[type]!).findOneBy({ id })) as T | null;
  if (!row || !(await canSee(ctx, type, row))) throw notFound(what);
  return row;
}
