import { Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from "type-graphql";
import { LocalDate } from "../../common/dates.js";
import { agencyAdjustmentCondition } from "../../auth/agency.js";
import type { Context } from "../../context.js";
import { groupBy } from "../../common/collections.js";
import { TransactionVersionStatus } from "../../common/enums.js";
import { badInput } from "../../common/errors.js";
import { formatCents, MoneyScalar, toCents } from "../../common/money.js";
import { Node } from "../../common/node.js";
import type { ListSpec } from "../../common/lists.js";
import { query, sql, uuids } from "../../db/sql.js";
import { Business } from "../business/business.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { Transaction, TransactionVersion } from "../transaction/transaction.entity.js";
import { User } from "../user/user.entity.js";
import { AgencyParty } from "./ruling-case.js";

/**
 * One line of an adjustment as the agency reviews it: what is declared and the duties and taxes the
 * server computed. Reached only through its AdjustmentCase.
 */
@ObjectType({ description: "A line of the adjustment under review, with the duties and taxes computed for it (agency officers only)." })
export class AdjustmentLine {
  @Field(() => Int, { description: "Position of the line in the adjustment, from 1." })
  lineNo!: number;

  @Field(() => String, { description: "10-digit tariff classification code." })
  classificationCode!: string;

  @Field(() => String, { description: "Description of the goods." })
  description!: string;

  @Field(() => MoneyScalar, { description: "Value for duty." })
  valueForDuty!: string;

  @Field(() => String, { description: "Tariff treatment code, e.g. 2 (MFN) or 10 (CUSMA)." })
  tariffTreatment!: string;

  @Field(() => String, { description: "Customs duty rate in percent." })
  customsDutyRate!: string;

  @Field(() => MoneyScalar, { description: "Special Import Measures Act duties." })
  sima!: string;

  @Field(() => MoneyScalar, { description: "Excise duty and tax." })
  excise!: string;

  @Field(() => MoneyScalar, { description: "Value for duty x rate." })
  customsDuty!: string;

  @Field(() => MoneyScalar, { description: "Value for duty + customs duty + SIMA + excise." })
  valueForTax!: string;

  @Field(() => MoneyScalar, { description: "5 % of the value for tax." })
  gst!: string;
}

/**
 * An adjustment as agency officers review it: a view of the same row as TransactionVersion (kind
 * ADJUSTMENT), with its own global id and only what deciding it needs (which declaration, on whose
 * account, submitted by which business, why, the amounts before and proposed, its lines, where it
 * stands). It has no path to the importer's program account, other transactions, statements or
 * payments; the TransactionVersion type is never admitted for officers.
 */
@ObjectType("AdjustmentCase", {
  implements: Node,
  description:
    "An adjustment in the agency's review queue (agency officers only): a new version of a declaration submitted after its payment due date. " +
    "`createdAt` is when it was submitted.",
})
export class AdjustmentCase extends Node {
  static override get graphqlType(): string {
    return "AdjustmentCase";
  }

  @Field(() => TransactionVersionStatus, { description: "UNDER_REVIEW until decided; then ACCEPTED or REJECTED." })
  status!: TransactionVersionStatus;

  @Field(() => Int, { description: "The version this adjustment would make (2 = the first change after the original)." })
  versionNo!: number;

  @Field(() => String, { nullable: true, description: "Why the declarant adjusts it." })
  reason!: string | null;

  @Field(() => MoneyScalar, { description: "Duties and taxes of the adjustment (customs duty + SIMA + excise + GST)." })
  proposedTotal!: string;

  @Field(() => MoneyScalar, { description: "Interest posted with an accepted increase, from the original due date to the day of acceptance (0.00 otherwise)." })
  interest!: string;

  @Field(() => Date, { nullable: true, description: "When an officer accepted or rejected it (null while under review)." })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The officer's note: the reason for a rejection, or a note on the acceptance." })
  decisionNote!: string | null;

  transactionId!: string;
  submittedByBusinessId!: string;
  decidedByUserId!: string | null;

  static of(v: TransactionVersion): AdjustmentCase {
    return Object.assign(new AdjustmentCase(), {
      id: v.id, createdAt: v.createdAt, status: v.status, versionNo: v.versionNo, reason: v.reason, proposedTotal: v.totalDutiesAndTaxes,
      interest: v.interest, decidedAt: v.decidedAt, decisionNote: v.decisionNote,
      transactionId: v.transactionId, submittedByBusinessId: v.submittedByBusinessId, decidedByUserId: v.decidedByUserId,
    });
  }
}

/** SQL for the queue's status filter (default: what is still under review). */
function statusSql(status: TransactionVersionStatus[] | null | undefined, field: string) {
  if (!status) return sql` AND v.status = 'UNDER_REVIEW'`;
  if (status.length === 0) throw badInput("List at least one status, or leave the status out (adjustments under review).", field);
  return sql` AND v.status::text = ANY(${[...new Set(status)]}::text[])`;
}

/**
 * The agency's adjustment queue: adjustments as work items (agencyAdjustmentCondition), by status
 * (under review unless asked otherwise), oldest first (first come, first served).
 */
export function adjustmentQueueList(ctx: Context, filter: { status?: TransactionVersionStatus[] | null } | null): ListSpec<TransactionVersion> {
  return {
    entity: TransactionVersion,
    from: sql`transaction_versions v`,
    alias: "v",
    sort: { expr: "v.created_at", type: "timestamptz" },
    direction: "ASC",
    where: sql`${agencyAdjustmentCondition(ctx.access, "v")}${statusSql(filter?.status, "filter.status")}`,
    visibleAs: "AdjustmentCase",
  };
}

@Resolver(() => AdjustmentCase)
export class AdjustmentCaseResolver {
  @FieldResolver(() => String, { description: "The declaration's 14-digit transaction number." })
  async transactionNumber(@Ctx() ctx: Context, @Root() c: AdjustmentCase) {
    return (await ctx.loaders.byId(Transaction).load(c.transactionId))!.transactionNumber;
  }

  @FieldResolver(() => LocalDate, { description: "Release date of the goods (YYYY-MM-DD)." })
  async releasedOn(@Ctx() ctx: Context, @Root() c: AdjustmentCase) {
    return (await ctx.loaders.byId(Transaction).load(c.transactionId))!.releasedOn;
  }

  @FieldResolver(() => String, { description: "The importer's program account the declaration is on (BN15)." })
  async bn15(@Ctx() ctx: Context, @Root() c: AdjustmentCase) {
    const t = (await ctx.loaders.byId(Transaction).load(c.transactionId))!;
    return (await ctx.loaders.byId(ProgramAccount).load(t.programAccountId))!.bn15;
  }

  @FieldResolver(() => AgencyParty, { description: "The importer (owner of the program account)." })
  async importer(@Ctx() ctx: Context, @Root() c: AdjustmentCase) {
    const t = (await ctx.loaders.byId(Transaction).load(c.transactionId))!;
    const pa = (await ctx.loaders.byId(ProgramAccount).load(t.programAccountId))!;
    return AgencyParty.of((await ctx.loaders.byId(Business).load(pa.businessId))!);
  }

  @FieldResolver(() => AgencyParty, { description: "The business that submitted the adjustment: the importer, or the service provider that filed the declaration." })
  async submittedBy(@Ctx() ctx: Context, @Root() c: AdjustmentCase) {
    return AgencyParty.of((await ctx.loaders.byId(Business).load(c.submittedByBusinessId))!);
  }

  @FieldResolver(() => MoneyScalar, { description: "Duties and taxes of the version it replaces (the latest accepted one before it)." })
  async previousTotal(@Ctx() ctx: Context, @Root() c: AdjustmentCase) {
    return previousTotalOf(ctx, c.id);
  }

  @FieldResolver(() => MoneyScalar, { description: "proposedTotal - previousTotal: what acceptance posts (an increase is owed; a decrease is a credit)." })
  async difference(@Ctx() ctx: Context, @Root() c: AdjustmentCase) {
    return formatCents(toCents(c.proposedTotal) - toCents(await previousTotalOf(ctx, c.id)));
  }

  @FieldResolver(() => [AdjustmentLine], { description: "The adjustment's lines (the declaration's complete new set), in order." })
  lines(@Ctx() ctx: Context, @Root() c: AdjustmentCase) {
    return ctx.loaders
      .custom<AdjustmentLine[]>("adjustment.lines", async (ids) => {
        const rows = await query<AdjustmentLine & { versionId: string }>(
          ctx.db,
          sql`SELECT version_id AS "versionId", line_no AS "lineNo", classification_code AS "classificationCode", description, value_for_duty::text AS "valueForDuty",
                     tariff_treatment AS "tariffTreatment", customs_duty_rate::text AS "customsDutyRate", sima::text AS sima, excise::text AS excise,
                     customs_duty::text AS "customsDuty", value_for_tax::text AS "valueForTax", gst::text AS gst
                FROM transaction_lines WHERE version_id = ANY(${uuids(ids)}) ORDER BY version_id, line_no`,
        );
        const byVersion = groupBy(rows, (r) => r.versionId);
        return ids.map((id) => (byVersion.get(id) ?? []).map(({ versionId: _, ...l }) => Object.assign(new AdjustmentLine(), l)));
      })
      .load(c.id);
  }

  @FieldResolver(() => User, { nullable: true, description: "The officer who decided it." })
  decidedBy(@Ctx() ctx: Context, @Root() c: AdjustmentCase) {
    return c.decidedByUserId ? ctx.loaders.byId(User).load(c.decidedByUserId) : null;
  }
}

/** The total of the latest accepted version before the adjustment, per adjustment (batched). */
function previousTotalOf(ctx: Context, versionId: string): Promise<string> {
  return ctx.loaders
    .custom<string>("adjustment.previousTotal", async (ids) => {
      const rows = await query<{ id: string; total: string }>(
        ctx.db,
        sql`SELECT DISTINCT ON (v.id) v.id, p.total_duties_and_taxes::text AS total
              FROM transaction_versions v JOIN transaction_versions p ON p.transaction_id = v.transaction_id AND p.version_no < v.version_no AND p.status = 'ACCEPTED'
             WHERE v.id = ANY(${uuids(ids)}) ORDER BY v.id, p.version_no DESC`,
      );
      const byId = new Map(rows.map((r) => [r.id, r.total]));
      return ids.map((id) => byId.get(id) ?? "0.00");
    })
    .load(versionId);
}
