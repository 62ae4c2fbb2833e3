import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from "type-graphql";
import { LocalDate } from "../../common/dates.js";
import { In } from "typeorm";
import { agencyPenaltyCondition, agencyRefundCondition } from "../../auth/agency.js";
import type { Context } from "../../context.js";
import { PenaltyDisputeStatus, RefundStatus } from "../../common/enums.js";
import { badInput } from "../../common/errors.js";
import { MoneyScalar } from "../../common/money.js";
import { Node } from "../../common/node.js";
import type { ListSpec } from "../../common/lists.js";
import { sql } from "../../db/sql.js";
import { Business } from "../business/business.entity.js";
import { Penalty, PenaltyDispute } from "../penalty/penalty.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { RefundRequest } from "../refund/refund.entity.js";
import { User } from "../user/user.entity.js";
import { AgencyParty } from "./ruling-case.js";

/**
 * An AMPS penalty as the agency works on it: a view of the penalty's row with its own global id: the
 * contravention, amount and notice, the account (BN15) and importer, and the importer's dispute with
 * its decision. Like the other work items, it has no path to the importer's account, statements or
 * payments; the business-facing Penalty type is never admitted for officers.
 */
@ObjectType("PenaltyCase", { implements: Node, description: "An AMPS penalty as the agency assessed it, with the importer's dispute (agency officers only)." })
export class PenaltyCase extends Node {
  static override get graphqlType(): string {
    return "PenaltyCase";
  }

  @Field(() => String, { description: "The AMPS contravention number, e.g. C152." })
  contravention!: string;

  @Field(() => String, { description: "What the contravention was." })
  description!: string;

  @Field(() => MoneyScalar, { description: "The amount assessed." })
  amount!: string;

  @Field(() => MoneyScalar, { description: "What decided disputes cancelled of it." })
  cancelledAmount!: string;

  @Field(() => String, { description: "The penalty notice's number." })
  noticeNumber!: string;

  @Field(() => LocalDate, { description: "When it was assessed (YYYY-MM-DD)." })
  assessedOn!: string;

  @Field(() => LocalDate, { description: "When it is due (YYYY-MM-DD)." })
  dueOn!: string;

  programAccountId!: string;
  assessedByUserId!: string;

  static of(p: Penalty): PenaltyCase {
    return Object.assign(new PenaltyCase(), {
      id: p.id, createdAt: p.createdAt, contravention: p.contravention, description: p.description, amount: p.amount, cancelledAmount: p.cancelledAmount,
      noticeNumber: p.noticeNumber, assessedOn: p.assessedOn, dueOn: p.dueOn, programAccountId: p.programAccountId, assessedByUserId: p.assessedByUserId,
    });
  }
}

/** The importer's dispute as the agency reads it (reached only through its PenaltyCase). */
@ObjectType({ description: "The importer's dispute of a penalty, as the agency decides it (agency officers only)." })
export class PenaltyDisputeCase {
  @Field(() => PenaltyDisputeStatus, { description: "Where the dispute stands." })
  status!: PenaltyDisputeStatus;

  @Field(() => String, { description: "The importer's grounds for the dispute." })
  reason!: string;

  @Field(() => Date, { description: "When it was submitted." })
  submittedAt!: Date;

  @Field(() => MoneyScalar, { description: "How much of the penalty the decision cancelled (0.00 while undecided, or when it upheld the penalty)." })
  cancelledAmount!: string;

  @Field(() => Date, { nullable: true, description: "When it was decided (null while it waits)." })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The decision's reasons, as the importer reads them." })
  decisionNote!: string | null;

  requestedByBusinessId!: string;
  decidedByUserId!: string | null;

  static of(d: PenaltyDispute): PenaltyDisputeCase {
    return Object.assign(new PenaltyDisputeCase(), {
      status: d.status, reason: d.reason, submittedAt: d.createdAt, cancelledAmount: d.cancelledAmount, decidedAt: d.decidedAt, decisionNote: d.decisionNote,
      requestedByBusinessId: d.requestedByBusinessId, decidedByUserId: d.decidedByUserId,
    });
  }
}

/** A refund request as the agency decides it: the amount, the account (BN15) and importer, where it stands. */
@ObjectType("RefundCase", { implements: Node, description: "A request to refund a credit balance, in the agency's queue (agency officers only). `createdAt` is when it was asked." })
export class RefundCase extends Node {
  static override get graphqlType(): string {
    return "RefundCase";
  }

  @Field(() => MoneyScalar, { description: "The amount asked back." })
  amount!: string;

  @Field(() => RefundStatus, { description: "Where the request stands." })
  status!: RefundStatus;

  @Field(() => String, { nullable: true, description: "The importer's reason for the request." })
  reason!: string | null;

  @Field(() => Date, { nullable: true, description: "When it was decided (null while it waits)." })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The officer's note on the decision." })
  decisionNote!: string | null;

  @Field(() => String, { nullable: true, description: "The payout's reference, once approved." })
  reference!: string | null;

  programAccountId!: string;
  decidedByUserId!: string | null;

  static of(r: RefundRequest): RefundCase {
    return Object.assign(new RefundCase(), {
      id: r.id, createdAt: r.createdAt, amount: r.amount, status: r.status, reason: r.reason, decidedAt: r.decidedAt, decisionNote: r.decisionNote,
      reference: r.reference, programAccountId: r.programAccountId, decidedByUserId: r.decidedByUserId,
    });
  }
}

async function importerOf(ctx: Context, programAccountId: string): Promise<AgencyParty> {
  const pa = (await ctx.loaders.byId(ProgramAccount).load(programAccountId))!;
  return AgencyParty.of((await ctx.loaders.byId(Business).load(pa.businessId))!);
}

/** Each penalty's dispute, if any (batched). */
function disputeOf(ctx: Context, penaltyId: string): Promise<PenaltyDispute | null> {
  return ctx.loaders
    .custom<PenaltyDispute | null>("penalty.dispute", async (ids) => {
      const rows = await ctx.db.getRepository(PenaltyDispute).findBy({ penaltyId: In([...ids]) });
      const byPenalty = new Map(rows.map((d) => [d.penaltyId, d]));
      return ids.map((id) => byPenalty.get(id) ?? null);
    })
    .load(penaltyId);
}
export { disputeOf };

@Resolver(() => PenaltyCase)
export class PenaltyCaseResolver {
  @FieldResolver(() => String, { description: "The program account it is assessed on (BN15)." })
  async bn15(@Ctx() ctx: Context, @Root() c: PenaltyCase) {
    return (await ctx.loaders.byId(ProgramAccount).load(c.programAccountId))!.bn15;
  }

  @FieldResolver(() => AgencyParty, { description: "The importer (owner of the program account)." })
  importer(@Ctx() ctx: Context, @Root() c: PenaltyCase) {
    return importerOf(ctx, c.programAccountId);
  }

  @FieldResolver(() => User, { description: "The officer who assessed it." })
  assessedBy(@Ctx() ctx: Context, @Root() c: PenaltyCase) {
    return ctx.loaders.byId(User).load(c.assessedByUserId);
  }

  @FieldResolver(() => PenaltyDisputeCase, { nullable: true, description: "The importer's dispute, if it disputed the penalty." })
  async dispute(@Ctx() ctx: Context, @Root() c: PenaltyCase) {
    const d = await disputeOf(ctx, c.id);
    return d ? PenaltyDisputeCase.of(d) : null;
  }
}

@Resolver(() => PenaltyDisputeCase)
export class PenaltyDisputeCaseResolver {
  @FieldResolver(() => AgencyParty, { description: "The business that disputes it (the importer)." })
  async requestedBy(@Ctx() ctx: Context, @Root() d: PenaltyDisputeCase) {
    return AgencyParty.of((await ctx.loaders.byId(Business).load(d.requestedByBusinessId))!);
  }

  @FieldResolver(() => User, { nullable: true, description: "The officer who decided it." })
  decidedBy(@Ctx() ctx: Context, @Root() d: PenaltyDisputeCase) {
    return d.decidedByUserId ? ctx.loaders.byId(User).load(d.decidedByUserId) : null;
  }
}

@Resolver(() => RefundCase)
export class RefundCaseResolver {
  @FieldResolver(() => String, { description: "The program account whose credit balance is refunded (BN15)." })
  async bn15(@Ctx() ctx: Context, @Root() c: RefundCase) {
    return (await ctx.loaders.byId(ProgramAccount).load(c.programAccountId))!.bn15;
  }

  @FieldResolver(() => AgencyParty, { description: "The importer (owner of the program account)." })
  importer(@Ctx() ctx: Context, @Root() c: RefundCase) {
    return importerOf(ctx, c.programAccountId);
  }

  @FieldResolver(() => User, { nullable: true, description: "The officer who decided it." })
  decidedBy(@Ctx() ctx: Context, @Root() c: RefundCase) {
    return c.decidedByUserId ? ctx.loaders.byId(User).load(c.decidedByUserId) : null;
  }
}

/**
 * The agency's penalties, oldest first: with `disputeStatus`, only those whose dispute is in one of
 * those states (e.g. [SUBMITTED]: the disputes to decide); without, every penalty.
 */
export function penaltyQueueList(ctx: Context, filter: { disputeStatus?: PenaltyDisputeStatus[] | null } | null): ListSpec<Penalty> {
  let where = agencyPenaltyCondition(ctx.access);
  if (filter?.disputeStatus) {
    if (filter.disputeStatus.length === 0) throw badInput("List at least one dispute status, or leave it out (every penalty).", "filter.disputeStatus");
    where = sql`${where} AND EXISTS (SELECT 1 FROM penalty_disputes pd WHERE pd.penalty_id = pn.id AND pd.status::text = ANY(${[...new Set(filter.disputeStatus)]}::text[]))`;
  }
  return { entity: Penalty, from: sql`penalties pn`, alias: "pn", sort: { expr: "pn.created_at", type: "timestamptz" }, direction: "ASC", where, visibleAs: "PenaltyCase" };
}

/** The agency's refund queue, oldest first: by status, those still REQUESTED unless asked otherwise. */
export function refundQueueList(ctx: Context, filter: { status?: RefundStatus[] | null } | null): ListSpec<RefundRequest> {
  const status = filter?.status;
  if (status && status.length === 0) throw badInput("List at least one status, or leave it out (refunds waiting).", "filter.status");
  const where = sql`${agencyRefundCondition(ctx.access)} AND rq.status::text = ANY(${status ? [...new Set(status)] : [RefundStatus.REQUESTED]}::text[])`;
  return { entity: RefundRequest, from: sql`refund_requests rq`, alias: "rq", sort: { expr: "rq.created_at", type: "timestamptz" }, direction: "ASC", where, visibleAs: "RefundCase" };
}


