import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from "type-graphql";
import { agencyRulingCondition } from "../../auth/agency.js";
import type { Context } from "../../context.js";
import { RulingKind, RulingStatus } from "../../common/enums.js";
import { Node } from "../../common/node.js";
import type { ListSpec } from "../../common/lists.js";
import { sql, type Sql } from "../../db/sql.js";
import { Business } from "../business/business.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { RulingAttachment, RulingRequest } from "../ruling/ruling.entity.js";
import { attachmentsOf, rulingFilterSql } from "../ruling/ruling.service.js";
import { User } from "../user/user.entity.js";

/**
 * A business as an agency work item names it: its registry identity (BN9 and legal name), nothing
 * more. Officers reach no business through it: no address, accounts, people, transactions or money.
 */
@ObjectType({ description: "A business named by an agency work item: its BN9 and legal name only." })
export class AgencyParty {
  @Field(() => String, { description: "The business number (BN9)." })
  bn9!: string;

  @Field(() => String, { description: "The legal name." })
  legalName!: string;

  static of(b: Business): AgencyParty {
    return Object.assign(new AgencyParty(), { bn9: b.bn9, legalName: b.legalName });
  }
}

/**
 * A ruling request as agency officers work on it: a view of the same row as RulingRequest, with its
 * own global id and only what deciding it needs (what is asked, about which goods, the documents, who
 * asks, where it stands). It has no path to the requester's program account, transactions, statements
 * or payments; the importer-facing RulingRequest type is never admitted for officers.
 */
@ObjectType("RulingCase", {
  implements: Node,
  description:
    "A ruling request in the agency's queue (agency officers only): what is asked, about which goods, with which documents, " +
    "by whom, and where it stands. `createdAt` is when it was submitted.",
})
export class RulingCase extends Node {
  static override get graphqlType(): string {
    return "RulingCase";
  }

  @Field(() => RulingKind, { description: "What ruling is asked for." })
  kind!: RulingKind;

  @Field(() => RulingStatus, { description: "Where the request stands." })
  status!: RulingStatus;

  @Field(() => String, { description: "The product, as the requester describes it." })
  productDescription!: string;

  @Field(() => Date, { nullable: true, description: "When it was assigned (null until then)." })
  assignedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The decision's text (null until rendered)." })
  decision!: string | null;

  @Field(() => Date, { nullable: true, description: "When the decision was rendered (null until then)." })
  decidedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "When the requester withdrew it (null if not)." })
  withdrawnAt!: Date | null;

  programAccountId!: string;
  submittedByBusinessId!: string;
  assignedOfficerId!: string | null;

  static of(r: RulingRequest): RulingCase {
    return Object.assign(new RulingCase(), {
      id: r.id, createdAt: r.createdAt, kind: r.kind, status: r.status, productDescription: r.productDescription,
      assignedAt: r.assignedAt, decision: r.decision, decidedAt: r.decidedAt, withdrawnAt: r.withdrawnAt,
      programAccountId: r.programAccountId, submittedByBusinessId: r.submittedByBusinessId, assignedOfficerId: r.assignedOfficerId,
    });
  }
}

/** Whose work: exactly one of the three. */
export interface AssigneeChoice {
  me?: boolean | null;
  unassigned?: boolean | null;
  officerId?: string | null;
}

/**
 * The agency's ruling queue: every ruling request, as work items (agencyRulingCondition), filtered by
 * status, kind and assignee, oldest first (first come, first served).
 */
export function rulingQueueList(ctx: Context, filter: { status?: RulingStatus[] | null; kind?: RulingKind[] | null } | null, assignee: Sql): ListSpec<RulingRequest> {
  return {
    entity: RulingRequest,
    from: sql`ruling_requests rr`,
    alias: "rr",
    sort: { expr: "rr.created_at", type: "timestamptz" },
    direction: "ASC",
    where: sql`${agencyRulingCondition(ctx.access)}${rulingFilterSql(filter)}${assignee}`,
    visibleAs: "RulingCase",
  };
}

@Resolver(() => RulingCase)
export class RulingCaseResolver {
  @FieldResolver(() => String, { description: "The importer's program account the ruling is for (BN15)." })
  async bn15(@Ctx() ctx: Context, @Root() c: RulingCase) {
    return (await ctx.loaders.byId(ProgramAccount).load(c.programAccountId))!.bn15;
  }

  @FieldResolver(() => AgencyParty, { description: "The importer the ruling is for (owner of the program account)." })
  async importer(@Ctx() ctx: Context, @Root() c: RulingCase) {
    const pa = (await ctx.loaders.byId(ProgramAccount).load(c.programAccountId))!;
    return AgencyParty.of((await ctx.loaders.byId(Business).load(pa.businessId))!);
  }

  @FieldResolver(() => AgencyParty, { description: "The business that submitted it: the importer, or a service provider acting for it." })
  async requestedBy(@Ctx() ctx: Context, @Root() c: RulingCase) {
    return AgencyParty.of((await ctx.loaders.byId(Business).load(c.submittedByBusinessId))!);
  }

  @FieldResolver(() => User, { nullable: true, description: "The officer it is assigned to." })
  assignee(@Ctx() ctx: Context, @Root() c: RulingCase) {
    return c.assignedOfficerId ? ctx.loaders.byId(User).load(c.assignedOfficerId) : null;
  }

  @FieldResolver(() => [RulingAttachment], { description: "Documents attached by the requester (metadata), in submission order." })
  attachments(@Ctx() ctx: Context, @Root() c: RulingCase) {
    return attachmentsOf(ctx, c.id);
  }
}
