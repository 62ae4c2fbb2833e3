import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/pagination.js";
import { badInput, notFound } from "../../common/errors.js";
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
