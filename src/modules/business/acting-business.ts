import type { EntityManager } from "typeorm";
import { In } from "typeorm";
import { badInput, forbidden } from "../../common/errors.js";
import { bn9Error } from "../../common/identifiers.js";
import { Business } from "./business.entity.js";

/**
 * The business a person acts as, among those the policy lets them act as here (auth/acting.ts,
 * actingBusinesses): the one they name (`asBusiness`, a BN9), or the only one. Someone who could act
 * for several businesses (an importer's employee who also works for its broker) must say which:
 * filings, amendments and payments record the business, and the visibility rules follow it.
 */
export async function chooseActingBusiness(em: EntityManager, candidates: string[], asBusiness: string | null | undefined, what: string): Promise<Business> {
  if (asBusiness) {
    const e = bn9Error(asBusiness);
    if (e) throw badInput(e, "asBusiness");
  }
  if (candidates.length === 0) throw forbidden(`You may not ${what} on this program account.`);
  const businesses = await em.getRepository(Business).findBy({ id: In(candidates) });
  if (asBusiness) {
    const chosen = businesses.find((b) => b.bn9 === asBusiness);
    if (!chosen) throw forbidden(`You may not ${what} as ${asBusiness} on this program account.`);
    return chosen;
  }
  if (businesses.length > 1) {
    throw badInput(`You could ${what} here as ${businesses.map((b) => `${b.legalName} (${b.bn9})`).sort().join(" or ")}: say which in asBusiness.`, "asBusiness");
  }
  return businesses[0]!;
}
