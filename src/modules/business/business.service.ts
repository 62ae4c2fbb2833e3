import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/pagination.js";
import { badInput, forbidden, notFound } from "../../common/errors.js";
import { bn9Error } from "../../common/identifiers.js";
import { Business } from "./business.entity.js";

/** Businesses the viewer reaches: their own, and clients they act for. */
export function businessList(ctx: Context): ListSpec<Business> {
  const ids = ctx.scope.businessIdsWithProfile();
  return {
    entity: Business,
    alias: "b",
    sort: { expr: "b.legal_name", type: "text" },
    direction: "ASC",
    where: (qb) => qb.where("b.id = ANY(:reach)", { reach: ids }),
  };
}

export async function businessByBn9(ctx: Context, bn9: string): Promise<Business> {
  const err = bn9Error(bn9);
  if (err) throw badInput(err, "bn9");
  const business = await ctx.db.getRepository(Business).findOneBy({ bn9 });
  // Out of reach answers exactly like "does not exist".
  if (!business || !ctx.scope.canViewBusinessProfile(business.id)) throw notFound(`Business ${bn9}`);
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
  const providers = (await ctx.db.getRepository(Business).findBy({ isServiceProvider: true })).filter((b) => ctx.scope.isBam(b.id));
  const provider = providerBn9 ? providers.find((p) => p.bn9 === providerBn9) : providers.length === 1 ? providers[0] : undefined;
  if (provider) return provider;
  if (!providerBn9 && providers.length > 1) throw badInput("You manage several service providers: say which one in providerBn9.", "providerBn9");
  throw forbidden("Only the BAM of a service provider (a broker or trade consultant) can do this.");
}
