import { empty, join, raw, sql, type Sql } from "../db/sql.js";
import { rolesAllowing, type Action } from "./policy.js";

/**
 * Who reaches which program account, with which role, as SQL: the whole of the domain's access rules
 * in one relation, planned by PostgreSQL with the indexes of the tables it reads. Every list filter,
 * single-object check, access explanation and access review is built from it (see conditions.ts), so the
 * rule exists once. Nothing is loaded per request: callers restrict the relation (to a person, to some
 * program accounts), and each restriction is an index lookup into the maintained table (below),
 * whatever the size of a broker's book of business.
 *
 * One row per path (a person may reach an account several ways):
 *   - BAM            the owner's Business Account Manager: every account of the business;
 *   - PROGRAM_ROLE   a PAM, Editor or Reader role on one account, while still a member of the business;
 *   - RELATIONSHIP   a service provider's people acting for a client: the provider's BAM with the
 *                    relationship's role, its other employees through client groups with the lesser
 *                    of the relationship's role and their assignment's. A business-level relationship
 *                    covers every account of the client, present and future; a program-level one the
 *                    accounts it lists. Once expired (the instant `expires_at` passes: no job) or
 *                    revoked, it gives the role EXPIRED, only on accounts the provider filed on, and only
 *                    the transactions the provider submitted.
 *
 * Columns: user_id, program_account_id, business_id (the account's owner), role, via, relationship_id,
 * provider_business_id, relationship_status (ACTIVE | EXPIRED | REVOKED), relationship_role,
 * client_group_id, assignment_role, and the transaction filter see_provider / see_client / see_others
 * (all null: every transaction of the account).
 */
export type GrantPath = "BAM" | "PROGRAM_ROLE" | "RELATIONSHIP";

export interface GrantRestriction {
  /** The instant the rules are judged at (expiry). */
  now: Date;
  /** One person: the viewer (an id, or a uuid expression of an enclosing query). */
  user?: string | Sql;
  /** Several people: an access review. */
  users?: string[];
  /** One program account: a value, or a column of an enclosing query (then the relation is evaluated per row). */
  account?: Sql;
  /** Program accounts: an SQL uuid[] expression. */
  accounts?: Sql;
  /** One business's accounts: a value or a column of an enclosing query. */
  business?: Sql;
  /** Several businesses' accounts: an SQL uuid[] expression. */
  businesses?: Sql;
  /** Only these paths (default: all). */
  paths?: GrantPath[];
}

/**
 * The relation is kept in two parts. What holds whatever the time is a table, `grant_paths` (one row per
 * path, the relationship's terms as stored: its role, raw status, expiry, visibility rules), kept
 * true by triggers on every table it is computed from (migrations/1796701930690-GrantsTable.ts: a
 * write cannot forget it, whoever makes it). What depends on the instant is judged when it is read,
 * so that no job is needed for it to stay true: once expired (`expires_at` passed) or revoked, a
 * relationship gives the role EXPIRED, only on accounts the provider filed on, and only what the
 * provider submitted (`judged` below, the same for the table and for the definition).
 *
 * `grantPathsSql` is the definition: the union of the four paths computed from the tables. The
 * table holds exactly its rows (the database's view `grant_paths_from_inputs` is its text, checked
 * equal by test/grants.table.test.ts), and `grantsFromScratchSql` judges it as `grantsSql` judges the
 * table: the oracle of the tests and of `npm run grants:check`.
 */
const GRANT_COLUMNS = `user_id, program_account_id, business_id, role, via, relationship_id, provider_business_id, relationship_status,
       relationship_role, client_group_id, assignment_role, see_provider, see_client, see_others, expires_at`;

/** The restrictions as conditions on a grants row (alias `g`: the table, or the definition's rows). */
function rowRestrictions(rx: GrantRestriction): Sql {
  const parts: Sql[] = [];
  if (rx.user !== undefined) parts.push(typeof rx.user === "string" ? sql`g.user_id = ${rx.user}::uuid` : sql`g.user_id = ${rx.user}`);
  if (rx.users !== undefined) parts.push(sql`g.user_id = ANY(${rx.users}::uuid[])`);
  if (rx.account !== undefined) parts.push(sql`g.program_account_id = ${rx.account}`);
  if (rx.accounts !== undefined) parts.push(sql`g.program_account_id = ANY(${rx.accounts})`);
  if (rx.business !== undefined) parts.push(sql`g.business_id = ${rx.business}`);
  if (rx.businesses !== undefined) parts.push(sql`g.business_id = ANY(${rx.businesses})`);
  if (rx.paths !== undefined) parts.push(sql`g.via = ANY(${[...rx.paths]}::text[])`);
  return parts.length ? sql` AND ${join(parts, " AND ")}` : empty;
}

/**
 * The paths (alias `g`, GRANT_COLUMNS) judged at `now`: the relation's columns as callers read them.
 * A relationship has ended once revoked or its expiry passed; then its role is EXPIRED, its status
 * REVOKED or EXPIRED, it lets through only what the provider submitted, and it reaches an account
 * only if the provider filed a transaction on it. Own paths carry no relationship (ended is false).
 */
function judged(from: Sql, now: Date, where: Sql): Sql {
  const ended = sql`((g.relationship_status = 'REVOKED' OR g.expires_at <= ${now}) IS TRUE)`;
  return sql`SELECT g.user_id, g.program_account_id, g.business_id,
       CASE WHEN ${ended} THEN 'EXPIRED' ELSE g.role END AS role, g.via,
       g.relationship_id, g.provider_business_id,
       CASE WHEN g.relationship_status = 'REVOKED' THEN 'REVOKED' WHEN ${ended} THEN 'EXPIRED' ELSE g.relationship_status END AS relationship_status,
       g.relationship_role, g.client_group_id, g.assignment_role,
       (${ended} OR g.see_provider) AS see_provider,
       (NOT ${ended} AND g.see_client) AS see_client,
       (NOT ${ended} AND g.see_others) AS see_others
  FROM ${from}
 WHERE (NOT ${ended} OR EXISTS (
         SELECT 1 FROM transactions ft WHERE ft.program_account_id = g.program_account_id AND ft.submitted_by_business_id = g.provider_business_id))${where}`;
}

/**
 * The grants relation at `rx.now`, restricted as asked, read from the maintained table (a subquery:
 * use it as `(${grantsSql(...)}) g`). Each restriction is an index probe: (user, account),
 * (user, business), (account). Restricted to a column of the enclosing query (`account: sql\`pa.id\``),
 * it is one probe per row: cheaper than reading a viewer's grants once into the statement and
 * scanning them for every row (bench:plans --grants-table).
 */
export function grantsSql(rx: GrantRestriction): Sql {
  if (rx.paths !== undefined && !rx.paths.length) throw new Error("grantsSql: no path selected");
  return judged(sql`grant_paths g`, rx.now, rowRestrictions(rx));
}

/** The same relation computed from the tables (the definition, judged as the table is): the oracle. */
export function grantsFromScratchSql(rx: GrantRestriction): Sql {
  return judged(sql`(${grantPathsSql(rx)}) g`, rx.now, empty);
}

function restrictions(rx: Omit<GrantRestriction, "now">, userColumn: string): Sql {
  const parts: Sql[] = [];
  if (rx.user !== undefined) parts.push(typeof rx.user === "string" ? sql`${raw(userColumn)} = ${rx.user}::uuid` : sql`${raw(userColumn)} = ${rx.user}`);
  if (rx.users !== undefined) parts.push(sql`${raw(userColumn)} = ANY(${rx.users}::uuid[])`);
  if (rx.account !== undefined) parts.push(sql`pa.id = ${rx.account}`);
  if (rx.accounts !== undefined) parts.push(sql`pa.id = ANY(${rx.accounts})`);
  if (rx.business !== undefined) parts.push(sql`pa.business_id = ${rx.business}`);
  if (rx.businesses !== undefined) parts.push(sql`pa.business_id = ANY(${rx.businesses})`);
  return parts.length ? sql` AND ${join(parts, " AND ")}` : empty;
}

/** The columns every branch yields for a relationship path (`m`: the provider member, `r`: the relationship), as stored. */
function relationshipColumns(role: Sql, groupId: Sql, assignmentRole: Sql): Sql {
  return sql`m.user_id, pa.id AS program_account_id, pa.business_id, ${role} AS role, 'RELATIONSHIP'::text AS via,
       r.id AS relationship_id, r.provider_business_id, r.status::text AS relationship_status,
       r.role::text AS relationship_role, ${groupId} AS client_group_id, ${assignmentRole} AS assignment_role,
       r.see_submitted_by_provider AS see_provider, r.see_submitted_by_client AS see_client, r.see_submitted_by_others AS see_others,
       r.expires_at`;
}

/** What a relationship covers, whatever the time: its level (after it ended, `judged` narrows it to the accounts the provider filed on). */
const relationshipCoverage = sql`r.status IN ('ACTIVE', 'REVOKED') AND r.level IS NOT NULL AND r.role IS NOT NULL
   AND (r.level = 'BUSINESS' OR EXISTS (
         SELECT 1 FROM relationship_program_accounts x WHERE x.relationship_id = r.id AND x.program_account_id = pa.id))`;

/**
 * The definition: every path of the relation computed from the tables, time left out (GRANT_COLUMNS:
 * the relationship's terms as stored). Restricted as asked, each restriction written into each branch.
 */
export function grantPathsSql(rx: Omit<GrantRestriction, "now">): Sql {
  const paths = new Set<GrantPath>(rx.paths ?? ["BAM", "PROGRAM_ROLE", "RELATIONSHIP"]);
  const branches: Sql[] = [];
  const ownColumns = (userColumn: string, role: string, via: string) =>
    sql`${raw(userColumn)} AS user_id, pa.id AS program_account_id, pa.business_id, ${raw(role)} AS role, ${raw(`'${via}'::text`)} AS via,
       NULL::uuid AS relationship_id, NULL::uuid AS provider_business_id, NULL::text AS relationship_status,
       NULL::text AS relationship_role, NULL::uuid AS client_group_id, NULL::text AS assignment_role,
       NULL::boolean AS see_provider, NULL::boolean AS see_client, NULL::boolean AS see_others, NULL::timestamptz AS expires_at`;
  if (paths.has("BAM")) {
    branches.push(sql`SELECT ${ownColumns("m.user_id", "'BAM'::text", "BAM")}
  FROM business_memberships m JOIN program_accounts pa ON pa.business_id = m.business_id
 WHERE m.status = 'ACTIVE' AND m.is_bam${restrictions(rx, "m.user_id")}`);
  }
  if (paths.has("PROGRAM_ROLE")) {
    branches.push(sql`SELECT ${ownColumns("pr.user_id", "pr.role::text", "PROGRAM_ROLE")}
  FROM program_roles pr
  JOIN program_accounts pa ON pa.id = pr.program_account_id
  JOIN business_memberships m ON m.user_id = pr.user_id AND m.business_id = pa.business_id AND m.status = 'ACTIVE'
 WHERE TRUE${restrictions(rx, "pr.user_id")}`);
  }
  if (paths.has("RELATIONSHIP")) {
    // Restricted to some accounts, read from those accounts to their relationships (the LATERAL ...
    // OFFSET 0 keeps that order: a broker's thousands of relationships are never scanned to find the
    // few that reach the accounts at hand). Otherwise from the person's memberships outwards.
    const fromAccounts = rx.account !== undefined || rx.accounts !== undefined || rx.business !== undefined || rx.businesses !== undefined;
    const relationships = fromAccounts
      ? sql`program_accounts pa
  CROSS JOIN LATERAL (SELECT * FROM relationships r0 WHERE r0.client_business_id = pa.business_id OFFSET 0) r`
      : sql`relationships r`;
    const accountJoin = fromAccounts ? sql`` : sql`
  JOIN program_accounts pa ON pa.business_id = r.client_business_id`;
    // The provider's BAM acts for every client with the relationship's role.
    branches.push(sql`SELECT ${relationshipColumns(sql`r.role::text`, sql`NULL::uuid`, sql`NULL::text`)}
  FROM ${relationships}
  JOIN business_memberships m ON m.business_id = r.provider_business_id AND m.status = 'ACTIVE' AND m.is_bam${accountJoin}
 WHERE ${relationshipCoverage}${restrictions(rx, "m.user_id")}`);
    // Its other employees, through the client groups that hold the client: the lesser of the roles.
    branches.push(sql`SELECT ${relationshipColumns(
      sql`CASE WHEN r.role = 'READER' OR a.role = 'READER' THEN 'READER' ELSE 'EDITOR' END`,
      sql`g.id`,
      sql`a.role::text`,
    )}
  FROM ${relationships}
  JOIN client_group_clients gc ON gc.client_business_id = r.client_business_id
  JOIN client_groups g ON g.id = gc.group_id AND g.provider_business_id = r.provider_business_id AND g.deleted_at IS NULL
  JOIN client_group_assignments a ON a.group_id = g.id
  JOIN business_memberships m ON m.user_id = a.user_id AND m.business_id = r.provider_business_id AND m.status = 'ACTIVE' AND NOT m.is_bam${accountJoin}
 WHERE ${relationshipCoverage}${restrictions(rx, "m.user_id")}`);
  }
  if (!branches.length) throw new Error("grantPathsSql: no path selected");
  return join(branches, "\nUNION ALL\n");
}

/**
 * Rows of the table that the definition does not have, and rows of the definition the table lacks
 * (each with `side`: "stale" or "missing"); none when the table is true. Read by `npm run
 * grants:check` and the tests. A whole-relation comparison: an operator's check, not a request's.
 */
export function grantsDriftSql(): Sql {
  const columns = raw(GRANT_COLUMNS);
  return sql`(SELECT 'stale' AS side, * FROM (SELECT ${columns} FROM grant_paths EXCEPT ALL SELECT ${columns} FROM (${grantPathsSql({})}) d) x)
  UNION ALL
  (SELECT 'missing' AS side, * FROM (SELECT ${columns} FROM (${grantPathsSql({})}) d EXCEPT ALL SELECT ${columns} FROM grant_paths) y)`;
}

/** The grant (alias `g`) allows `action` (the role x action table of policy.ts, as a role list). */
export function grantAllows(g: string, action: Action): Sql {
  return sql`${raw(g)}.role = ANY(${rolesAllowing(action)}::text[])`;
}

/**
 * The grant (alias `g`) lets through a transaction (or version) submitted by `submitter`: every
 * transaction for the owner's people; for a provider, the relationship's visibility rules, judged on
 * the submitting business (the provider itself, the client, or any other business).
 */
export function grantLetsThrough(g: string, submitter: Sql): Sql {
  const G = raw(g);
  return sql`(${G}.see_provider IS NULL OR CASE WHEN ${submitter} = ${G}.provider_business_id THEN ${G}.see_provider
       WHEN ${submitter} = ${G}.business_id THEN ${G}.see_client ELSE ${G}.see_others END)`;
}

/**
 * The grant (alias `g`) sees every transaction of its account: an own path (the owner's people), or a
 * service provider's relationship, not ended, whose visibility rules let through what the provider,
 * the client and any other business submit. Only such a grant shows the account's money as a whole
 * (statement totals, every payment: see money.ts); an ended relationship never does.
 */
export function grantSeesWholeAccount(g: string): Sql {
  const G = raw(g);
  return sql`(${G}.see_provider IS NULL OR (${G}.see_provider AND ${G}.see_client AND ${G}.see_others))`;
}

/** The business a grant (alias `g`) acts as: the account's owner on an own path, the service provider on a relationship. */
export function grantActingBusiness(g: string): Sql {
  const G = raw(g);
  return sql`coalesce(${G}.provider_business_id, ${G}.business_id)`;
}

/** Which visibility rule lets the submitter through (for explanations); same branches as grantLetsThrough. */
export function grantMatchedRule(g: string, submitter: Sql): Sql {
  const G = raw(g);
  return sql`CASE WHEN ${G}.see_provider IS NULL THEN 'ALL_TRANSACTIONS' WHEN ${submitter} = ${G}.provider_business_id THEN 'SUBMITTED_BY_PROVIDER'
       WHEN ${submitter} = ${G}.business_id THEN 'SUBMITTED_BY_CLIENT' ELSE 'SUBMITTED_BY_OTHERS' END`;
}

/** A grants row as read from PostgreSQL. */
export interface GrantRow {
  user_id: string;
  program_account_id: string;
  business_id: string;
  role: string;
  via: GrantPath;
  relationship_id: string | null;
  provider_business_id: string | null;
  relationship_status: string | null;
  relationship_role: string | null;
  client_group_id: string | null;
  assignment_role: string | null;
  see_provider: boolean | null;
  see_client: boolean | null;
  see_others: boolean | null;
}

/**
 * The person's grants tied to some parents, as a FROM item `page_parent`: one row per (parent, path of
 * the person to an account of that parent), with the parent's id and position (`parent_id`, `ord`)
 * and the grant's columns (program_account_id, role, provider_business_id, business_id,
 * see_provider, see_client, see_others, ...). A list nested under those parents is read once per
 * grant on each parent, through the account's index, with that grant's rules applied (grantAllows,
 * grantLetsThrough on `page_parent`); a parent without a grant has no row, so nothing is read for it.
 *
 * The grants are decided by PostgreSQL in the statement that reads the list (grantsSql restricted to
 * the parents' accounts, joined to the parents), never shipped from a previous statement: only the
 * parents (and, for parents that are not accounts, the account each holds) are sent.
 */
export function grantsPerParent(
  rx: Pick<GrantRestriction, "now" | "user" | "paths">,
  parents:
    | { businesses: Sql }
    | { accounts: readonly string[] }
    | { pairs: readonly { parent: string; account: string }[] },
): Sql {
  // The grants are read set-wise for all the accounts at hand (one union, each branch driven by the
  // id list through the indexes), then tied to the parents. (Per parent, LATERAL, measured slower.)
  // Where the parents are the businesses or the accounts the grants were restricted to, each grant
  // names its parent already: its position in the list is the parent's order (a join to the list,
  // planned for a list of unknown length, was a nested loop: 1 ms of the broker page's 7).
  const byPosition = (column: string, restriction: Pick<GrantRestriction, "accounts" | "businesses">, ids: Sql) =>
    sql`(SELECT g.${raw(column)} AS parent_id, array_position(${ids}, g.${raw(column)}) AS ord, g.* FROM (${grantsSql({ ...rx, ...restriction })}) g) page_parent`;
  if ("businesses" in parents) {
    // A uuid[] expression: the ids bound as one, or those of a parent list read in the same statement.
    return byPosition("business_id", { businesses: parents.businesses }, parents.businesses);
  }
  if ("accounts" in parents) {
    const ids = sql`${[...parents.accounts]}::uuid[]`;
    return byPosition("program_account_id", { accounts: ids }, ids);
  }
  // A parent holding several accounts has one row per account; ord follows the parent's first appearance.
  const order = new Map<string, number>();
  for (const { parent } of parents.pairs) if (!order.has(parent)) order.set(parent, order.size + 1);
  const pairs = parents.pairs;
  return sql`(SELECT p.parent_id, p.ord, g.* FROM unnest(${pairs.map((x) => x.parent)}::uuid[], ${pairs.map((x) => x.account)}::uuid[], ${pairs.map((x) => order.get(x.parent)!)}::int[]) AS p(parent_id, account_id, ord)
     JOIN (${grantsSql({ ...rx, accounts: sql`${[...new Set(pairs.map((x) => x.account))]}::uuid[]` })}) g ON g.program_account_id = p.account_id) page_parent`;
}

/**
 * A FROM item (e.g. grantsPerParent's) as a common table expression `name`, computed once for the
 * whole statement. Referenced from a correlated subquery (a row's EXISTS), an inlined CTE has the
 * planner read the grants again for every row.
 */
export function materialized(name: string, from: Sql): Sql {
  return sql`${raw(name)} AS MATERIALIZED (SELECT * FROM ${from})`;
}
