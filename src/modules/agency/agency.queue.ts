import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, ObjectType, Query, Resolver } from "type-graphql";
import { agencyCan, notAgency } from "../../auth/agency.js";
import type { Context } from "../../context.js";
import { PenaltyDisputeStatus, RefundStatus, RulingKind, RulingStatus, TransactionVersionStatus } from "../../common/enums.js";
import { badInput } from "../../common/errors.js";
import { mapPage, rootPage } from "../../common/lists.js";
import { idOf } from "../../common/inputs.js";
import { ConnectionArgs } from "../../common/connection.js";
import { raw, sql, type Sql } from "../../db/sql.js";
import { AdjustmentCaseConnection, PenaltyCaseConnection, RefundCaseConnection, RulingCaseConnection } from "../connections.js";
import { PenaltyCase, penaltyQueueList, RefundCase, refundQueueList } from "./penalty-case.js";
import { AdjustmentCase, adjustmentQueueList } from "./adjustment-case.js";
import { RulingCase, rulingQueueList } from "./ruling-case.js";

@InputType({ description: "Whose work items: exactly one of me, unassigned, officerId." })
export class AssigneeFilter {
  @Field(() => Boolean, { nullable: true, description: "Assigned to you." })
  me?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Assigned to nobody yet." })
  unassigned?: boolean | null;

  @Field(() => ID, { nullable: true, description: "Assigned to this officer (a User id)." })
  officerId?: string | null;
}

@InputType({ description: "Narrow the ruling queue. All conditions must hold." })
export class RulingQueueFilter {
  @Field(() => [RulingStatus], { nullable: true, description: "Only these statuses (e.g. [SUBMITTED] for new requests)." })
  status?: RulingStatus[] | null;

  @Field(() => [RulingKind], { nullable: true, description: "Only these kinds." })
  kind?: RulingKind[] | null;

  @Field(() => AssigneeFilter, { nullable: true, description: "Assigned to you, to nobody, or to an officer." })
  assignee?: AssigneeFilter | null;
}

@InputType({ description: "Narrow the adjustment queue." })
export class AdjustmentQueueFilter {
  @Field(() => [TransactionVersionStatus], {
    nullable: true,
    description: "Only these statuses; left out, the adjustments still UNDER_REVIEW. [ACCEPTED, REJECTED] lists the decided ones.",
  })
  status?: TransactionVersionStatus[] | null;
}

/**
 * SQL on the work item's assignee column: mine, nobody's, or one officer's. A queue of any kind of
 * work item (adjustments too) filters its assignee the same way.
 */
export function assigneeSql(ctx: Context, f: AssigneeFilter | null | undefined, column: string, field = "filter.assignee"): Sql {
  if (!f) return sql``;
  const chosen = [f.me === true, f.unassigned === true, f.officerId != null].filter(Boolean).length;
  if (chosen !== 1) throw badInput("Choose exactly one of me: true, unassigned: true or officerId.", field);
  const col = raw(` AND ${column}`);
  if (f.me) return sql`${col} = ${ctx.viewer!.id}::uuid`;
  if (f.unassigned) return sql`${col} IS NULL`;
  return sql`${col} = ${idOf(f.officerId!, "User", `${field}.officerId`)}::uuid`;
}

/**
 * The agency's work queues, for agency officers only (anyone else: FORBIDDEN). One field per kind
 * of work item, each a Relay connection of items oldest first with filters by status, kind and
 * assignee where the work item has one. Adjustments are not assigned: any officer who reviews
 * adjustments decides one, and of two deciding at once the second gets CONFLICT.
 */
@InputType({ description: "Narrow the agency's penalties." })
export class PenaltyQueueFilter {
  @Field(() => [PenaltyDisputeStatus], { nullable: true, description: "Only penalties whose dispute is in one of these states ([SUBMITTED]: the disputes to decide); left out, every penalty." })
  disputeStatus?: PenaltyDisputeStatus[] | null;
}

@InputType({ description: "Narrow the refund queue." })
export class RefundQueueFilter {
  @Field(() => [RefundStatus], { nullable: true, description: "Only these statuses; left out, the requests still REQUESTED." })
  status?: RefundStatus[] | null;
}

@ObjectType({ description: "The agency's work queues (agency officers only)." })
export class AgencyQueue {}

@Resolver(() => AgencyQueue)
export class AgencyQueueResolver {
  @Query(() => AgencyQueue, { description: "The agency's work queues. Agency officers only; anyone else gets FORBIDDEN." })
  agencyQueue(@Ctx() ctx: Context): AgencyQueue {
    if (!ctx.access.isAgencyOfficer) throw notAgency();
    return new AgencyQueue();
  }

  @FieldResolver(() => RulingCaseConnection, { description: "Ruling requests to assign and decide, oldest first." })
  async rulingRequests(
    @Ctx() ctx: Context,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => RulingQueueFilter, { nullable: true, description: "Narrow the queue by status, kind or assignee." }) filter: RulingQueueFilter | null,
  ) {
    if (!agencyCan(ctx.access, "DECIDE_RULINGS")) throw notAgency();
    const page = await rootPage(ctx, rulingQueueList(ctx, filter, assigneeSql(ctx, filter?.assignee, "rr.assigned_officer_id")), args);
    return mapPage(page, RulingCase.of);
  }

  @FieldResolver(() => AdjustmentCaseConnection, {
    description: "Adjustments to review (declarations changed after their payment due date), oldest first; by default those still UNDER_REVIEW.",
  })
  async adjustments(
    @Ctx() ctx: Context,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => AdjustmentQueueFilter, { nullable: true, description: "Narrow the queue (left out: the adjustments still under review)." }) filter: AdjustmentQueueFilter | null,
  ) {
    if (!agencyCan(ctx.access, "REVIEW_ADJUSTMENTS")) throw notAgency();
    const page = await rootPage(ctx, adjustmentQueueList(ctx, filter), args);
    return mapPage(page, AdjustmentCase.of);
  }

  @FieldResolver(() => PenaltyCaseConnection, { description: "AMPS penalties assessed, oldest first, with the importers' disputes; filter [SUBMITTED] for the disputes to decide." })
  async penalties(
    @Ctx() ctx: Context,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => PenaltyQueueFilter, { nullable: true, description: "Narrow the queue by the state of the importers' disputes." }) filter: PenaltyQueueFilter | null,
  ) {
    if (!agencyCan(ctx.access, "ASSESS_PENALTIES") && !agencyCan(ctx.access, "DECIDE_PENALTY_DISPUTES")) throw notAgency();
    return mapPage(await rootPage(ctx, penaltyQueueList(ctx, filter), args), PenaltyCase.of);
  }

  @FieldResolver(() => RefundCaseConnection, { description: "Requests to refund credit balances, oldest first; by default those still REQUESTED." })
  async refunds(
    @Ctx() ctx: Context,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => RefundQueueFilter, { nullable: true, description: "Narrow the queue by status (left out: the requests still REQUESTED)." }) filter: RefundQueueFilter | null,
  ) {
    if (!agencyCan(ctx.access, "DECIDE_REFUNDS")) throw notAgency();
    return mapPage(await rootPage(ctx, refundQueueList(ctx, filter), args), RefundCase.of);
  }
}
