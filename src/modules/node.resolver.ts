import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import type { Context } from "../context.js";
import { badInput, notFound } from "../common/errors.js";
import { fromGlobalId, Node } from "../common/node.js";
import { canSee, type NodeTypeName } from "../auth/visibility.js";
import { nodeEntities, nodePresenters } from "./node.registry.js";

@Resolver()
export class NodeResolver {
  @Query(() => Node, { description: "Any object by its global id. Out-of-reach objects answer NOT_FOUND, like missing ones." })
  async node(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "A global id, as any object's `id` gives it." }) id: string): Promise<Node> {
    const parsed = fromGlobalId(id);
    if (!parsed) throw badInput(`"${id}" is not an id issued by this API.`, "id");
    const entity = nodeEntities[parsed.type];
    if (!entity) throw notFound("That object");
    const row = (await ctx.loaders.byId(entity).load(parsed.id)) as Node | null;
    if (!row || !(await canSee(ctx, parsed.type, row))) throw notFound("That object");
    // Seen: what it holds (e.g. a ruling's attachments) is admitted without asking again.
    ctx.access.markVisible(parsed.type, [row.id]);
    const present = nodePresenters[parsed.type as NodeTypeName] as ((r: Node) => Node) | undefined;
    return present ? present(row) : row;
  }
}
