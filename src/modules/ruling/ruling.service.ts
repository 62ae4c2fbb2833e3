import { Field, InputType } from "type-graphql";
import type { EntityManager } from "typeorm";
import { itself } from "../../auth/access.js";
import { rulingCondition, rulingRules } from "../../auth/conditions.js";
import { grantsSql } from "../../auth/grants.js";
import type { Context } from "../../context.js";
import { groupBy } from "../../common/collections.js";
import { RulingKind, RulingStatus } from "../../common/enums.js";
import { badInput } from "../../common/errors.js";
import { bn15Error } from "../../common/identifiers.js";
import type { ListSpec } from "../../common/lists.js";
import { query, sql, uuids, type Sql } from "../../db/sql.js";
import { RulingAttachment, RulingRequest } from "./ruling.entity.js";

@InputType({ description: "Narrow a list of ruling requests. All conditions must hold." })
export class RulingRequestFilter {
  @Field(() => String, { nullable: true, description: "Only this program account (BN15)." })
  bn15?: string | null;

  @Field(() => [RulingStatus], { nullable: true, description: "Only these statuses." })
  status?: RulingStatus[] | null;

  @Field(() => [RulingKind], { nullable: true, description: "Only these kinds." })
  kind?: RulingKind[] | null;
}

/** The filter's conditions on the ruling aliased `rr` (statuses and kinds bounded by their enums). */
export function rulingFilterSql(filter: { status?: RulingStatus[] | null; kind?: RulingKind[] | null } | null, field = "filter"): Sql {
  const parts: Sql[] = [];
  if (filter?.status) {
    if (filter.status.length === 0) throw badInput("List at least one status, or leave the status out.", `${field}.status`);
    parts.push(sql` AND rr.status::text = ANY(${[...new Set(filter.status)]}::text[])`);
  }
  if (filter?.kind) {
    if (filter.kind.length === 0) throw badInput("List at least one kind, or leave the kind out.", `${field}.kind`);
    parts.push(sql` AND rr.kind::text = ANY(${[...new Set(filter.kind)]}::text[])`);
  }
  return parts.length ? sql`${parts.reduce((a, b) => sql`${a}${b}`)}` : sql``;
}

/**
 * Ruling requests the viewer may see across their program accounts and clients, newest first: the
 * visibility of rulingCondition (auth/conditions.ts), read like the root transaction list (from the few
 * accounts a small book of business reaches, or row by row for a large one).
 */
export async function rulingList(ctx: Context, filter: RulingRequestFilter | null): Promise<ListSpec<RulingRequest>> {
  let filters = rulingFilterSql(filter);
  if (filter?.bn15) {
    const err = bn15Error(filter.bn15);
    if (err) throw badInput(err, "filter.bn15");
    filters = sql`${filters} AND rr.program_account_id = (SELECT id FROM program_accounts WHERE bn15 = ${filter.bn15})`;
  }
  const reach = await ctx.access.smallBook();
  const condition = rulingCondition(ctx.access, "rr");
  const viewer = ctx.viewer?.id ?? "00000000-0000-0000-0000-000000000000";
  const own = ctx.access.ownAccountIds("VIEW_RULINGS");
  return {
    entity: RulingRequest,
    from: sql`ruling_requests rr`,
    alias: "rr",
    sort: { expr: "rr.created_at", type: "timestamptz" },
    direction: "DESC",
    where: reach ? sql`rr.program_account_id = ANY(${uuids([...own, ...reach.accountIds])}) AND ${condition}${filters}` : sql`${condition}${filters}`,
    visibleAs: "RulingRequest",
    // A large book of business: the viewer's grants once, joined to the accounts' ruling requests.
    count: () => sql`SELECT count(*)::int AS n FROM (
        SELECT rr.id FROM ruling_requests rr WHERE rr.program_account_id = ANY(${uuids(own)})${filters}
        UNION
        SELECT rr.id FROM (${grantsSql({ now: ctx.access.now, user: viewer, paths: ["RELATIONSHIP"] })}) g
          JOIN ruling_requests rr ON rr.program_account_id = g.program_account_id
         WHERE ${rulingRules("g", "rr")}${filters}) x`,
  };
}

/** The ruling requests of each program account (parent), newest first, driven by the viewer's grants on it. */
export function accountRulingList(ctx: Context): ListSpec<RulingRequest> {
  return {
    entity: RulingRequest,
    from: sql`ruling_requests rr`,
    alias: "rr",
    sort: { expr: "rr.created_at", type: "timestamptz" },
    direction: "DESC",
    parent: "rr.program_account_id",
    parentRows: (parents) => ctx.access.grantsOfParents(parents, itself),
    where: rulingRules("page_parent", "rr"),
    visibleAs: "RulingRequest",
  };
}

/** The attachments of each ruling request, in submission order (one query per request batch). */
export function attachmentsOf(ctx: Context, rulingRequestId: string): Promise<RulingAttachment[]> {
  return ctx.loaders
    .custom<RulingAttachment[]>("ruling.attachments", async (ids) => {
      const rows = await query<Record<string, unknown>>(
        ctx.db,
        sql`SELECT id, ruling_request_id, position, file_name, media_type, size_bytes, sha256, created_at
              FROM ruling_attachments WHERE ruling_request_id = ANY(${uuids(ids)}) ORDER BY ruling_request_id, position`,
      );
      const byRequest = groupBy(
        rows.map((r) =>
          Object.assign(new RulingAttachment(), {
            id: r.id, rulingRequestId: r.ruling_request_id, position: r.position, fileName: r.file_name,
            mediaType: r.media_type, sizeBytes: r.size_bytes, sha256: r.sha256, createdAt: r.created_at,
          }),
        ),
        (a) => a.rulingRequestId,
      );
      return ids.map((id) => byRequest.get(id) ?? []);
    })
    .load(rulingRequestId);
}

/** The business account owner and, when different, the submitter: the businesses whose audit trails record a ruling's events. */
export async function rulingParties(em: EntityManager, r: RulingRequest): Promise<string[]> {
  const [row] = await em.query(`SELECT business_id FROM program_accounts WHERE id = $1`, [r.programAccountId]);
  return [...new Set([row.business_id as string, r.submittedByBusinessId])];
}
