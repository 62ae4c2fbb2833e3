import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/pagination.js";
import { badInput, notFound } from "../../common/errors.js";
import { bn15Error } from "../../common/identifiers.js";
import { ProgramAccount } from "./program-account.entity.js";

export function programAccountList(ctx: Context): ListSpec<ProgramAccount> {
  const ids = ctx.scope.programAccountIdsFor("VIEW_PROGRAM_ACCOUNT");
  return {
    entity: ProgramAccount,
    alias: "pa",
    sort: { expr: "pa.rm", type: "text" },
    direction: "ASC",
    parentExpr: "pa.business_id",
    where: (qb) => qb.where("pa.id = ANY(:paReach)", { paReach: ids }),
  };
}

export async function programAccountByBn15(ctx: Context, bn15: string): Promise<ProgramAccount> {
  const err = bn15Error(bn15);
  if (err) throw badInput(err, "bn15");
  const pa = await ctx.db.getRepository(ProgramAccount).findOneBy({ bn15 });
  if (!pa || !ctx.scope.can("VIEW_PROGRAM_ACCOUNT", pa.id)) throw notFound(`Program account ${bn15}`);
  return pa;
}
