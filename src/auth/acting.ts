import { DRIVEN_BY_IDS, query, raw, sql, type Sql } from "../db/sql.js";
import { itself, type Access } from "./access.js";
import { grantActingBusiness, grantAllows, grantLetsThrough } from "./grants.js";
import type { Action } from "./policy.js";

/**
 * The businesses a person may act as on an account for `action` (filing, amending, paying,
 * submitting a ruling request): the account's owner through an own path, a service provider through
 * its relationship (never an ended one: EXPIRED allows nothing). What is filed records that business
 * as its submitter, which the visibility rules then judge.
 *
 * With `seesOwnSubmissions`, only grants that would see what the acting business submits (a provider
 * whose rules hide its own filings cannot file: what it files, it can see and withdraw afterwards).
 * With `transactionId`, only grants that see that transaction and every version of it (nobody
 * changes what they cannot see in full).
 *
 * Each comes with what the change records of it (its BN9, name and ASEC), read in the same
 * statement: the change acts as one of these rows, never as a business read apart from its grant.
 */
export async function actingBusinesses(
  access: Access,
  programAccountId: string,
  action: Action,
  opts: { transactionId?: string; seesOwnSubmissions?: boolean } = {},
): Promise<ActingBusiness[]> {
  if (!access.viewer) return [];
  const grants = await access.grantsOfParents([programAccountId], itself);
  const g = "page_parent";
  const conditions: Sql[] = [grantAllows(g, action)];
  if (opts.seesOwnSubmissions) conditions.push(grantLetsThrough(g, grantActingBusiness(g)));
  if (opts.transactionId) {
    conditions.push(sql`EXISTS (SELECT 1 FROM transactions t WHERE t.id = ${opts.transactionId}::uuid AND t.program_account_id = ${raw(g)}.program_account_id
                                  AND ${grantLetsThrough(g, sql`t.submitted_by_business_id`)})
      AND NOT EXISTS (SELECT 1 FROM transaction_versions v WHERE v.transaction_id = ${opts.transactionId}::uuid
                        AND NOT ${grantLetsThrough(g, sql`v.submitted_by_business_id`)})`);
  }
  return query<ActingBusiness>(
    access.db,
    sql`SELECT b.id, b.bn9, b.legal_name AS "legalName", b.asec FROM businesses b
         WHERE b.id IN (SELECT ${grantActingBusiness(g)} FROM ${grants} WHERE ${conditions.reduce((a, c) => sql`${a} AND ${c}`)})
         ORDER BY b.bn9`,
    { ...DRIVEN_BY_IDS, label: "access: acting businesses" },
  );
}

/** A business a person may act as (actingBusinesses), as a change records it. */
export interface ActingBusiness {
  id: string;
  bn9: string;
  legalName: string;
  /** Its account security number (what its transaction numbers start with), once it has posted security. */
  asec: string | null;
}
