import { materialized, grantAllows, grantSeesWholeAccount } from "../../auth/grants.js";
import { itself } from "../../auth/access.js";
import { businessDate } from "../../common/billing.js";
import type { Context } from "../../context.js";
import { DRIVEN_BY_IDS, query, sql, uuids } from "../../db/sql.js";
import { BusinessRelationship } from "../relationship/relationship.entity.js";
import { securityRequirements } from "../security/security.service.js";

/**
 * A program account's standing as a dashboard row shows it, decided by the same rules as the rest
 * of the money (auth/money.ts): account-wide amounts only for a viewer who sees the whole account.
 */

/**
 * What is past its due date and still unpaid on the account (credits pay the oldest debts first, so
 * this is the open part of debts whose due date has passed), for a viewer who may view the account's
 * statements and sees the whole account; null for anyone else (like a RESTRICTED statement's totals).
 * One query per request for every account at hand.
 */
export function overdueOf(ctx: Context, programAccountId: string): Promise<string | null> {
  const access = ctx.access;
  return ctx.loaders
    .custom<string | null>("programAccount.overdue", async (ids) => {
      const grants = await access.grantsOfParents(ids, itself);
      const rows = await query<{ id: string; full: boolean; overdue: string }>(
        ctx.db,
        sql`WITH ${materialized("g", grants)}
            SELECT pa.id,
                   EXISTS (SELECT 1 FROM g WHERE g.parent_id = pa.id AND ${grantAllows("g", "VIEW_STATEMENTS")} AND ${grantSeesWholeAccount("g")}) AS full,
                   (SELECT coalesce(sum(sp.open_amount), 0) FROM statement_postings sp
                     WHERE sp.program_account_id = pa.id AND sp.amount > 0 AND sp.open_amount > 0 AND sp.due_on < ${businessDate(access.now)}::date) AS overdue
              FROM program_accounts pa WHERE pa.id = ANY(${uuids(ids)})`,
        { ...DRIVEN_BY_IDS, label: "overdue of ProgramAccount" },
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => {
        const r = byId.get(id);
        return r?.full ? r.overdue : null;
      });
    })
    .load(programAccountId);
}

/** Release Prior to Payment, for those who may view the account's security (the importer's BAM and the account's PAM); null for others. */
export async function rppPrivilegeOf(ctx: Context, programAccountId: string): Promise<boolean | null> {
  if (!(await ctx.access.can("VIEW_SECURITY", programAccountId))) return null;
  return ctx.loaders
    .custom<boolean>("programAccount.rpp", async (ids) => {
      // One statement for every account at hand (a year of statements each).
      const figures = await securityRequirements(ctx.db, ids, businessDate(ctx.access.now));
      return ids.map((id) => figures.get(id)!.inForce.hasRpp);
    })
    .load(programAccountId);
}

/**
 * When the viewer's access to the account ends: the latest expiry among the live relationships they
 * reach it through. Null when any path does not expire (an own role, a relationship without an
 * expiry date) and when they no longer reach it at all (their role then says EXPIRED).
 */
export async function accessExpiresAtOf(ctx: Context, programAccountId: string): Promise<Date | null> {
  const grants = (await ctx.access.grantsOn(programAccountId)).filter((g) => g.via !== "RELATIONSHIP" || g.relationship_status === "ACTIVE");
  if (grants.length === 0 || grants.some((g) => g.via !== "RELATIONSHIP")) return null;
  const relationships = await ctx.loaders.byId(BusinessRelationship).loadMany([...new Set(grants.map((g) => g.relationship_id!))]);
  let latest: Date | null = null;
  for (const r of relationships) {
    if (!(r instanceof BusinessRelationship) || !r.expiresAt) return null;
    if (!latest || r.expiresAt > latest) latest = r.expiresAt;
  }
  return latest;
}
