import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/lists.js";
import { badInput, forbidden, notFound } from "../../common/errors.js";
import { bn9Error } from "../../common/identifiers.js";
import { text } from "../../common/inputs.js";
import { sql, uuids } from "../../db/sql.js";
import { grantAllows, grantsSql } from "../../auth/grants.js";
import { Business } from "./business.entity.js";

/**
 * Businesses the viewer reaches: their own (any membership), and clients whose profile a provider
 * grant lets them read. For a broker with few clients the page is read from those clients; for a
 * large book of business, in name order with the same condition checked row by row.
 */
export async function businessList(ctx: Context, search: string | null = null): Promise<ListSpec<Business>> {
  const viewer = ctx.viewer?.id ?? "00000000-0000-0000-0000-000000000000";
  const term = text(search, "search", { max: 100 });
  // A BN9 prefix, or words of the legal name (case-insensitive; LIKE's wildcards are taken literally).
  const matches = term === null ? sql`` : /^\d+$/.test(term) ? sql` AND b.bn9 LIKE ${`${term}%`}` : sql` AND b.legal_name ILIKE ${`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`;
  const reach = await ctx.access.smallBook();
  const own = [...ctx.access.memberships.keys()];
  const condition = sql`(b.id = ANY(${uuids(own)}) OR EXISTS (
      SELECT 1 FROM (${grantsSql({ now: ctx.access.now, user: viewer, business: sql`b.id`, paths: ["RELATIONSHIP"] })}) g
       WHERE ${grantAllows("g", "VIEW_BUSINESS_PROFILE")}))`;
  return {
    entity: Business,
    from: sql`businesses b`,
    alias: "b",
    sort: { expr: "b.legal_name", type: "text" },
    direction: "ASC",
    where: reach ? sql`b.id = ANY(${uuids([...own, ...reach.businessIds])}) AND ${condition}${matches}` : sql`${condition}${matches}`,
    visibleAs: "Business",
    // A large book without a search is read in name order, each row checked: one plan fits (see transactionList).
    plan: reach === null && term === null ? "reuse" : "fresh",
    // Counting a large book of business: the viewer's grants once, not a lookup per business.
    count: () => sql`SELECT count(*)::int AS n FROM businesses b WHERE (b.id = ANY(${uuids(own)}) OR b.id IN (
      SELECT g.business_id FROM (${grantsSql({ now: ctx.access.now, user: viewer, paths: ["RELATIONSHIP"] })}) g WHERE ${grantAllows("g", "VIEW_BUSINESS_PROFILE")}))${matches}`,
  };
}

export async function businessByBn9(ctx: Context, bn9: string): Promise<Business> {
  const err = bn9Error(bn9);
  if (err) throw badInput(err, "bn9");
  const business = await ctx.db.getRepository(Business).findOneBy({ bn9 });
  // Out of reach answers exactly like "does not exist".
  if (!business || !(await ctx.access.canViewBusinessProfile(business.id))) throw notFound(`Business ${bn9}`);
  return business;
}

/**
 * The service-provider business the viewer acts for as its BAM: the one named by `providerBn9`, or
 * the only one they manage. FORBIDDEN when they manage none.
 */
export async function providerManagedByViewer(ctx: Context, providerBn9: string | null | undefined): Promise<Business> {
  if (providerBn9) {
    const e = bn9Error(providerBn9);
    if (e) throw badInput(e, "providerBn9");
  }
  const bamOf = ctx.access.bamBusinessIds();
  // Only the providers the viewer manages are read (at most two: to tell "the one" from "several").
  const q = ctx.db.getRepository(Business).createQueryBuilder("b").where("b.is_service_provider AND b.id = ANY(:ids)", { ids: bamOf });
  if (providerBn9) q.andWhere("b.bn9 = :bn9", { bn9: providerBn9 });
  const providers = bamOf.length ? await q.orderBy("b.bn9").limit(2).getMany() : [];
  const provider = providerBn9 || providers.length === 1 ? providers[0] : undefined;
  if (provider) return provider;
  if (!providerBn9 && providers.length > 1) throw badInput("You manage several service providers: say which one in providerBn9.", "providerBn9");
  throw forbidden("Only the BAM of a service provider (a broker or trade consultant) can do this.");
}
