import { Ctx, FieldResolver, ID, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { toGlobalId } from "../../common/node.js";
import { User } from "../user/user.entity.js";
import { AuditEvent } from "./audit.entity.js";

@Resolver(() => AuditEvent)
export class AuditEventResolver {
  @FieldResolver(() => User, { nullable: true, description: "Who did it (null for system actions)." })
  actor(@Ctx() ctx: Context, @Root() e: AuditEvent) {
    return e.actorUserId ? ctx.loaders.byId(User).load(e.actorUserId) : null;
  }

  @FieldResolver(() => ID, { nullable: true, description: "Global id of the record acted on." })
  targetId(@Root() e: AuditEvent) {
    return e.targetId ? toGlobalId(e.targetType, e.targetId) : null;
  }
}

