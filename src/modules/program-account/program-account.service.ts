import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/lists.js";
import { badInput, notFound } from "../../common/errors.js";
import { bn15Error } from "../../common/identifiers.js";
import { grantAllows } from "../../auth/grants.js";
import type { Access } from "../../auth/access.js";
import { sql, type Queryable } from "../../db/sql.js";
import { ProgramAccount } from "./program-account.entity.js";

/** The program accounts of each business (parent) that the viewer can reach. */
export function programAccountList(ctx: Context): ListSpec<ProgramAccount> {
  return {
    entity: ProgramAccount,
    from: sql`program_accounts pa`,
    alias: "pa",
    sort: { expr: "pa.rm", type: "text" },
    direction: "ASC",
    parent: "pa.business_id",
    parentRowsFor: (parents) => ctx.access.grantsOfBusinesses(parents),
    where: sql`pa.id = page_parent.program_account_id AND ${grantAllows("page_parent", "VIEW_PROGRAM_ACCOUNT")}`,
    visibleAs: "ProgramAccount",
    // A client list shows the viewer's role on each account (myRole): known from its grants (the parent rows).
    rolesOnAccountIn: "id",
  };
}

export function programAccountByBn15(ctx: Context, bn15: string): Promise<ProgramAccount> {
  return accountInReach(ctx.db, ctx.access, bn15);
}

/**
 * A program account the person reaches, by BN15; anything else (another business's, one that does
 * not exist) is NOT_FOUND alike. Mutations pass their transaction and the access read inside it.
 */
export async function accountInReach(db: Queryable, access: Access, bn15: string): Promise<ProgramAccount> {
  const err = bn15Error(bn15);
  if (err) throw badInput(err, "bn15");
  const pa = await db.getRepository(ProgramAccount).findOneBy({ bn15 });
  if (!pa || !(await access.can("VIEW_PROGRAM_ACCOUNT", pa.id))) throw notFound(`Program account ${bn15}`);
  return pa;
}
