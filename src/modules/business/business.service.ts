import { Field, InputType, registerEnumType } from "type-graphql";
import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/lists.js";
import { badInput, forbidden, notFound } from "../../common/errors.js";
import { bn9Error } from "../../common/identifiers.js";
import { OrderDirection, orderSpec } from "../../common/order.js";
import { sql, uuids, type Sql } from "../../db/sql.js";
import { grantAllows, grantsSql } from "../../auth/grants.js";
import { Business } from "./business.entity.js";
import { businessSearch, trigramMatch, type NameMatcher } from "./business.search.js";

export enum BusinessOrderField {
  LEGAL_NAME = "LEGAL_NAME",
}
registerEnumType(BusinessOrderField, {
  name: "BusinessOrderField",
  description: "What a list of businesses is sorted by.",
  valuesConfig: { LEGAL_NAME: { description: "The legal name." } },
});

// Fields with a default are nullable: graphql-jit's compiled coercion does not apply an input field's
// default, and a required one left out would fail there instead of taking it (null or left out: the default).
@InputType({ description: "The order of a list of businesses. Cursors carry it: page on with the same orderBy." })
export class BusinessOrder {
  @Field(() => BusinessOrderField, { nullable: true, defaultValue: BusinessOrderField.LEGAL_NAME, description: "What to sort by." })
  field?: BusinessOrderField | null;

  @Field(() => OrderDirection, { nullable: true, defaultValue: OrderDirection.ASC, description: "Which way (default ASC: A first)." })
  direction?: OrderDirection | null;
}

/**
 * Businesses the viewer reaches: their own (any membership), and clients whose profile a provider
 * grant lets them read, narrowed by a search (business.search.ts). For a broker with few clients the
 * page is read from those clients; for a large book of business, in name order with the same
 * condition checked row by row.
 */
export async function businessList(
  ctx: Context,
  search: string | null = null,
  orderBy: BusinessOrder | null = null,
  matchName: NameMatcher = trigramMatch,
): Promise<ListSpec<Business>> {
  const viewer = ctx.viewer?.id ?? "00000000-0000-0000-0000-000000000000";
  const found = businessSearch(ctx.access, search, "b", matchName);
  const matches = found ? sql` AND ${found}` : sql``;
  const order = orderSpec(orderBy?.field ?? BusinessOrderField.LEGAL_NAME, orderBy?.direction ?? OrderDirection.ASC, { expr: "b.legal_name", type: "text" });
  const reach = await ctx.access.smallBook();
  const own = [...ctx.access.memberships.keys()];
  const condition = businessVisible(ctx);
  return {
    entity: Business,
    from: sql`businesses b`,
    alias: "b",
    ...order,
    where: reach ? sql`b.id = ANY(${uuids([...own, ...reach.businessIds])}) AND ${condition}${matches}` : sql`${condition}${matches}`,
    visibleAs: "Business",
    // A large book without a search is read in name order, each row checked: one plan fits (see transactionList).
    plan: reach === null && found === null ? "reuse" : "fresh",
    // Counting a large book of business: the viewer's grants once, not a lookup per business.
    count: () => sql`SELECT count(*)::int AS n FROM businesses b WHERE (b.id = ANY(${uuids(own)}) OR b.id IN (
      SELECT g.business_id FROM (${grantsSql({ now: ctx.access.now, user: viewer, paths: ["RELATIONSHIP"] })}) g WHERE ${grantAllows("g", "VIEW_BUSINESS_PROFILE")}))${matches}`,
  };
}

/**
 * The viewer may see the profile of business `b` (a row of `businesses b`): theirs (any membership),
 * or a client a provider grant lets them read. The list's condition, and the compiled path's check of
 * one business (src/planner): visible.Business in SQL.
 */
export function businessVisible(ctx: Context): Sql {
  const viewer = ctx.viewer?.id ?? "00000000-0000-0000-0000-000000000000";
  return sql`(b.id = ANY(${uuids([...ctx.access.memberships.keys()])}) OR EXISTS (
      SELECT 1 FROM (${grantsSql({ now: ctx.access.now, user: viewer, business: sql`b.id`, paths: ["RELATIONSHIP"] })}) g
       WHERE ${grantAllows("g", "VIEW_BUSINESS_PROFILE")}))`;
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
