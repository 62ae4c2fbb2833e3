import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { canSee } from "../../auth/visibility.js";
import { nodeEntities } from "../node.registry.js";
import { badInput, notFound } from "../../common/errors.js";
import { fromGlobalId, toGlobalId } from "../../common/node.js";
import { Business } from "../business/business.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";
import { explainAccess, reviewProgramAccountAccess } from "./access.service.js";
import { AccessExplanation, AccessGrant, AccessReviewEntry } from "./access.types.js";

@Resolver()
export class AccessResolver {
  @Query(() => AccessExplanation, {
    description:
      "Why can I see this? The memberships or relationships (with their visibility rules) by which you reach a business, " +
      "a program account, or a transaction, statement, payment, security or ruling of one.",
  })
  async accessExplanation(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The global id of a program account." }) id: string): Promise<AccessExplanation> {
    const parsed = fromGlobalId(id);
    if (!parsed) throw badInput(`"${id}" is not an id issued by this API.`, "id");
    const entity = nodeEntities[parsed.type];
    const row = entity ? await ctx.loaders.byId(entity).load(parsed.id) : null;
    if (!row || !(await canSee(ctx, parsed.type, row))) throw notFound("That object");
    return explainAccess(ctx, parsed.type, row);
  }

  @Query(() => [AccessReviewEntry], {
    description:
      "For the business's BAM and the account's PAM: everyone who can reach this program account (employees, and service " +
      "providers' people), through what, and with which role; strongest first. Expired paths are listed too.",
  })
  async programAccountAccess(@Ctx() ctx: Context, @Arg("bn15", () => String, { description: "The program account number, e.g. 123456782RM0001." }) bn15: string): Promise<AccessReviewEntry[]> {
    const entries = await reviewProgramAccountAccess(ctx, bn15);
    const rank = ["BAM", "PAM", "EDITOR", "READER", "EXPIRED"];
    return entries.sort((a, b) => rank.indexOf(a.role) - rank.indexOf(b.role));
  }
}

@Resolver(() => AccessGrant)
export class AccessGrantResolver {
  @FieldResolver(() => ProgramAccount, { description: "The program account this path reaches." })
  programAccount(@Ctx() ctx: Context, @Root() g: AccessGrant) {
    return ctx.loaders.byId(ProgramAccount).load(g.programAccountId);
  }

  @FieldResolver(() => Business, { description: "The business the path runs through: the owner (BAM, PROGRAM_ROLE) or the service provider (RELATIONSHIP)." })
  through(@Ctx() ctx: Context, @Root() g: AccessGrant) {
    return ctx.loaders.byId(Business).load(g.throughBusinessId);
  }

  @FieldResolver(() => ID, { nullable: true, description: "Global id of the relationship, for RELATIONSHIP paths." })
  relationshipId(@Root() g: AccessGrant) {
    return g.relationshipId ? toGlobalId("Relationship", g.relationshipId) : null;
  }
}

@Resolver(() => AccessReviewEntry)
export class AccessReviewEntryResolver {
  @FieldResolver(() => User, { description: "The person who can reach the account." })
  user(@Ctx() ctx: Context, @Root() e: AccessReviewEntry) {
    return ctx.loaders.byId(User).load(e.userId);
  }
}
