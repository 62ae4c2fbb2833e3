import { query, sql, uuids, type Queryable, type Sql } from "../db/sql.js";

/**
 * Who holds a role, for the workflows that tell them (notifications) or must count them (the last
 * BAM): each written once, read from the same tables the grants are (grants.ts).
 */

/** The active Business Account Managers of the businesses in `ids` (a uuid[] expression). */
const bams = (ids: Sql) => sql`SELECT user_id FROM business_memberships WHERE business_id = ANY(${ids}) AND is_bam AND status = 'ACTIVE'`;

/**
 * The active Business Account Managers of the businesses. With `lock`, their membership rows are
 * locked for the rest of the transaction (FOR UPDATE): a concurrent change of who is BAM waits, so
 * that "at least one BAM remains" stays true when the change commits.
 */
export async function bamsOf(db: Queryable, businessIds: string | readonly string[], opts: { lock?: boolean } = {}): Promise<string[]> {
  const ids = typeof businessIds === "string" ? [businessIds] : [...new Set(businessIds)];
  if (ids.length === 0) return [];
  const rows = await query<{ user_id: string }>(
    db,
    sql`${bams(uuids(ids))}${opts.lock ? sql` FOR UPDATE` : sql``}`,
  );
  return rows.map((r) => r.user_id);
}

/** The PAMs of a program account (its role holders who are still members of its business). */
export async function pamsOf(db: Queryable, programAccountId: string): Promise<string[]> {
  const rows = await query<{ user_id: string }>(
    db,
    sql`SELECT pr.user_id FROM program_roles pr JOIN program_accounts pa ON pa.id = pr.program_account_id
          JOIN business_memberships m ON m.user_id = pr.user_id AND m.business_id = pa.business_id AND m.status = 'ACTIVE'
         WHERE pr.program_account_id = ${programAccountId}::uuid AND pr.role = 'PAM'`,
  );
  return rows.map((r) => r.user_id);
}

/**
 * Who may decide an employee's access request to a business naming these accounts (the rule of
 * conditions.ts's employeeRequestDeciderCondition, asked the other way round): the business's BAMs,
 * and, when it names accounts, the PAMs who manage every one of them.
 */
export async function employeeRequestDeciders(db: Queryable, businessId: string, namedAccountIds: readonly string[]): Promise<string[]> {
  const named = uuids(namedAccountIds);
  const rows = await query<{ user_id: string }>(
    db,
    sql`${bams(sql`ARRAY[${businessId}::uuid]`)}
        UNION
        SELECT pr.user_id FROM program_roles pr JOIN program_accounts pa ON pa.id = pr.program_account_id
          JOIN business_memberships m ON m.user_id = pr.user_id AND m.business_id = pa.business_id AND m.status = 'ACTIVE'
         WHERE pa.business_id = ${businessId}::uuid AND pr.role = 'PAM' AND cardinality(${named}) > 0 AND pr.program_account_id = ANY(${named})
         GROUP BY pr.user_id HAVING count(DISTINCT pr.program_account_id) = cardinality(${named})`,
  );
  return rows.map((r) => r.user_id);
}
