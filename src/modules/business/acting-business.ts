import type { ActingBusiness } from "../../auth/acting.js";
import { badInput, forbidden } from "../../common/errors.js";
import { bn9Error } from "../../common/identifiers.js";

/**
 * The business a person acts as, among those the policy lets them act as here (auth/acting.ts,
 * actingBusinesses: each read with its grant, in one statement): the one they name (`asBusiness`,
 * a BN9), or the only one. Someone who could act for several businesses (an importer's employee who
 * also works for its broker) must say which: filings, amendments and payments record the business,
 * and the visibility rules follow it.
 */
export function chooseActingBusiness(candidates: ActingBusiness[], asBusiness: string | null | undefined, what: string): ActingBusiness {
  if (asBusiness) {
    const e = bn9Error(asBusiness);
    if (e) throw badInput(e, "asBusiness");
  }
  if (candidates.length === 0) throw forbidden(`You may not ${what} on this program account.`);
  if (asBusiness) {
    const chosen = candidates.find((b) => b.bn9 === asBusiness);
    if (!chosen) throw forbidden(`You may not ${what} as ${asBusiness} on this program account.`);
    return chosen;
  }
  if (candidates.length > 1) {
    throw badInput(`You could ${what} here as ${candidates.map((b) => `${b.legalName} (${b.bn9})`).sort().join(" or ")}: say which in asBusiness.`, "asBusiness");
  }
  return candidates[0]!;
}
