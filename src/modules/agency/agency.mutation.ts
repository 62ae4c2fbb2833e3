import type { EntityManager } from "typeorm";
import type { Access } from "../../auth/access.js";
import { agencyCan, assertAgencyAuthority, notAgency } from "../../auth/agency.js";
import type { Action } from "../../auth/policy.js";
import type { Context } from "../../context.js";
import { mutate } from "../../common/mutation.js";

/**
 * Runs an agency action as one transaction (mutate), refused at once to anyone whose platform role
 * does not allow `action`, and checked again inside the transaction on the officer's locked row.
 * Every agency mutation goes through it: deciding rulings now; reviewing adjustments and issuing
 * statements (REVIEW_ADJUSTMENTS, ISSUE_STATEMENTS) with the money work.
 */
export async function agencyMutate<T>(ctx: Context, action: Action, work: (em: EntityManager, access: Access) => Promise<T>): Promise<T> {
  if (!agencyCan(ctx.access, action)) throw notAgency();
  return mutate(ctx, async (em, access) => {
    await assertAgencyAuthority(em, ctx.viewer!.id, action);
    return work(em, access);
  });
}
