import { join, query, raw, sql, uuids, type Queryable, type Sql } from "../db/sql.js";
import { NOBODY, type Access } from "./access.js";
import { grantAllows, grantLetsThrough, grantsSql } from "./grants.js";
import type { Action } from "./policy.js";

/**
 * The read policy as SQL conditions over a person's Access: pure functions from that state to a
 * condition on the rows of one table (aliased by the caller). Lists filter with them, single objects
 * are checked with them (visibility.ts), and mutations find their targets through them: one rule per
 * kind of object, whichever way it is asked. Rows are decided one by one against the person's own
 * accounts (a list of ids) and, for a provider's people, a correlated lookup of the relationship
 * paths to that row's account.
 */

/** This person's relationship paths to the account in `account` (a column: evaluated per row). */
function providerGrants(access: Access, account: Sql): Sql {
  return sql`(${grantsSql({ now: access.now, user: access.viewer?.id ?? NOBODY, account, paths: ["RELATIONSHIP"] })}) g`;
}

/**
 * The person may do `action` on the account in column `account`: their own accounts as a list,
 * then the relationship paths to that one account (with `rules`, further rules of the grant `g`,
 * e.g. money.ts's payment rules: own paths see the whole account).
 */
export function accountCondition(access: Access, action: Action, account: string, rules?: (g: string) => Sql): Sql {
  const col = raw(account);
  return sql`(${col} = ANY(${uuids(access.ownAccountIds(action))}) OR EXISTS (
      SELECT 1 FROM ${providerGrants(access, col)} WHERE g.program_account_id = ${col} AND ${grantAllows("g", action)}${rules ? sql` AND ${rules("g")}` : sql``}))`;
}

/**
 * The person may see the transaction aliased `t` (its original filer judged by the visibility rules)
 * and, with `version`, that version too (its own submitter judged as well: a correction by a
 * business the rules exclude stays hidden).
 */
export function transactionCondition(access: Access, t: string, opts: { version?: string } = {}): Sql {
  const col = raw(`${t}.program_account_id`);
  return sql`(${col} = ANY(${uuids(access.ownAccountIds("VIEW_TRANSACTIONS"))}) OR EXISTS (
      SELECT 1 FROM ${providerGrants(access, col)} WHERE g.program_account_id = ${col} AND ${transactionRules("g", t, opts.version)}))`;
}

/**
 * Of the transaction aliased `t`, the latest version the person may see (with `accepted`, the latest
 * accepted one), as a subquery reading `column` of it: what the transaction's own fields show them
 * (transaction.service.ts visibleVersions), for sorting and filtering by it. Never the transaction's
 * own row: a version the person may not see (a correction by a business their visibility rules
 * exclude) may have set its total, and an order or a filter would tell it. A version by the
 * original's filer is seen by whoever sees the transaction, without a second look at the grants.
 * Only for rows the person may see (transactionCondition).
 */
function latestVisibleVersion(access: Access, t: string, column: "total_duties_and_taxes" | "status", opts: { accepted?: boolean } = {}): Sql {
  const T = (c: string) => raw(`${t}.${c}`);
  return sql`(SELECT lv.${raw(column)} FROM transaction_versions lv
     WHERE lv.transaction_id = ${T("id")}${opts.accepted ? sql` AND lv.status = 'ACCEPTED'` : sql``}
       AND (lv.submitted_by_business_id = ${T("submitted_by_business_id")} OR ${transactionCondition(access, t, { version: "lv" })})
     ORDER BY lv.version_no DESC LIMIT 1)`;
}

/**
 * The duties and taxes the person sees on the transaction aliased `t` (its `totalDutiesAndTaxes`):
 * of a transaction with one version (most of them), the original's, which is the row's own total
 * (filing writes both; whoever sees the transaction sees its original), read without a lookup; of
 * the others, the latest accepted version the person may see.
 */
export function visibleTotal(access: Access, t: string): Sql {
  return sql`(CASE WHEN ${raw(t)}.current_version_no = 1 THEN ${raw(t)}.total_duties_and_taxes
                   ELSE ${latestVisibleVersion(access, t, "total_duties_and_taxes", { accepted: true })} END)`;
}

/**
 * The person sees the latest version of the transaction aliased `t` in `status`: of a transaction
 * with one version, the original (always ACCEPTED); of the others, the latest version they may see.
 */
export function visibleStatusIs(access: Access, t: string, status: string): Sql {
  const others = sql`${raw(t)}.current_version_no > 1 AND ${latestVisibleVersion(access, t, "status")} = ${status}::transaction_version_status`;
  return status === "ACCEPTED" ? sql`(${raw(t)}.current_version_no = 1 OR (${others}))` : sql`(${others})`;
}

/**
 * The person may see the ruling request aliased `r`. Like a transaction, it is judged on the business
 * that submitted it: the owner's people see every request of the accounts their role reaches; a
 * provider sees a client's requests only where the relationship's visibility rules let the submitter
 * through (its own, the client's, other businesses'). Expired paths see none (the role table: Expired
 * users read only transactions).
 */
export function rulingCondition(access: Access, r: string): Sql {
  const col = raw(`${r}.program_account_id`);
  return sql`(${col} = ANY(${uuids(access.ownAccountIds("VIEW_RULINGS"))}) OR EXISTS (
      SELECT 1 FROM ${providerGrants(access, col)} WHERE g.program_account_id = ${col} AND ${rulingRules("g", r)}))`;
}

/**
 * The rules a grant (alias `g`) applies to a transaction `t`, and to its version `v` when given: the
 * role lets it see transactions, and its visibility rules let the submitters through.
 */
export function transactionRules(g: string, t: string, version?: string): Sql {
  return sql`${grantAllows(g, "VIEW_TRANSACTIONS")} AND ${grantLetsThrough(g, raw(`${t}.submitted_by_business_id`))}${
    version ? sql` AND ${grantLetsThrough(g, raw(`${version}.submitted_by_business_id`))}` : sql``
  }`;
}

/**
 * The rules a grant (alias `g`) applies to a ruling request `r`: the role lets it see rulings, and
 * its visibility rules let the submitting business through (the same rule as for transactions).
 */
export function rulingRules(g: string, r: string): Sql {
  return sql`${grantAllows(g, "VIEW_RULINGS")} AND ${grantLetsThrough(g, raw(`${r}.submitted_by_business_id`))}`;
}

/**
 * The person may decide the employee access request aliased `ar`. A BAM decides every request to
 * their business. A PAM decides a request only when it names program accounts and every one of them
 * is an account they manage; a request naming none is the BAMs' to decide (domain: a PAM approves or
 * rejects requests for their program account only).
 */
export function employeeRequestDeciderCondition(access: Access, ar: string): Sql {
  const A = raw(ar);
  const bamOf = access.managedBusinessIds("MANAGE_BUSINESS_ACCESS");
  const managed = access.ownAccountIds("MANAGE_PROGRAM_ACCESS");
  return sql`(${A}.business_id = ANY(${uuids(bamOf)}) OR (
        EXISTS (SELECT 1 FROM employee_access_request_accounts x WHERE x.request_id = ${A}.id)
        AND NOT EXISTS (SELECT 1 FROM employee_access_request_accounts x WHERE x.request_id = ${A}.id AND NOT (x.program_account_id = ANY(${uuids(managed)})))))`;
}

/** The person may see the employee access request aliased `ar`: they made it, or they may decide it. */
export function employeeRequestCondition(access: Access, ar: string): Sql {
  return sql`(${raw(ar)}.user_id = ${access.viewer?.id ?? NOBODY}::uuid OR ${employeeRequestDeciderCondition(access, ar)})`;
}

/**
 * The person may see the relationship aliased `r` (its settings): the BAMs of both parties, and a
 * client's PAM for the relationships that reach an account they manage (business level, or listing
 * it). Only the person's own memberships and roles are read: a provider's employees reach clients
 * through a relationship without seeing its settings.
 */
export function relationshipCondition(access: Access, r: string): Sql {
  const R = (column: string) => raw(`${r}.${column}`);
  const bamOf = access.bamBusinessIds();
  const pamOf = access.managedBusinessIds("VIEW_RELATIONSHIP_SETTINGS").filter((b) => !bamOf.includes(b));
  const managedAccounts = access.ownAccountIds("MANAGE_PROGRAM_ACCESS");
  return sql`(${R("client_business_id")} = ANY(${uuids(bamOf)}) OR ${R("provider_business_id")} = ANY(${uuids(bamOf)})
          OR (${R("client_business_id")} = ANY(${uuids(pamOf)}) AND (${R("level")} = 'BUSINESS' OR EXISTS (
                SELECT 1 FROM relationship_program_accounts x WHERE x.relationship_id = ${R("id")} AND x.program_account_id = ANY(${uuids(managedAccounts)})))))`;
}

/**
 * The person may see the client group aliased `g`: the provider's BAM sees its groups, deleted ones
 * included (their names stay taken); an employee sees the live groups they are assigned to. Lists
 * show live groups only (a filter of theirs, not a rule of visibility).
 */
export function clientGroupCondition(access: Access, g: string): Sql {
  const G = (column: string) => raw(`${g}.${column}`);
  return sql`(${G("provider_business_id")} = ANY(${uuids(access.bamBusinessIds())}) OR (${G("deleted_at")} IS NULL AND ${G("id")} = ANY(${uuids(access.clientGroupIds)})))`;
}

/**
 * Of `users`, those who may see a record on `account` submitted by each of `submitters`, as of `now`:
 * their role allows `action` there and their visibility rules let every submitter through (the rules
 * of rulingCondition, or of transactionCondition with a version: the original's filer and the
 * version's submitter), asked for several people at once. A notification about a record goes only
 * to people who may read it.
 */
export async function readersOf(
  db: Queryable,
  now: Date,
  users: string[],
  record: { account: string; action: Action; submitters: string[] },
): Promise<string[]> {
  if (users.length === 0) return [];
  const rows = await query<{ user_id: string }>(
    db,
    sql`SELECT DISTINCT g.user_id FROM (${grantsSql({ now, users, account: sql`${record.account}::uuid` })}) g
         WHERE ${join([grantAllows("g", record.action), ...record.submitters.map((b) => grantLetsThrough("g", sql`${b}::uuid`))], " AND ")}`,
    { plan: "reuse", label: "access: readers of a record" },
  );
  return rows.map((r) => r.user_id);
}
