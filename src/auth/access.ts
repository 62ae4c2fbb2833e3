import DataLoader from "dataloader";
import { groupBy } from "../common/collections.js";
import { Role } from "../common/enums.js";
import { join, query, raw, sql, uuids, type Queryable, type Sql } from "../db/sql.js";
import { grantAllows, grantDrivers, grantLetsThrough, grantsSql, type GrantPath, type GrantRow } from "./grants.js";
import { greaterRole, rank, roleAllows, type Action } from "./policy.js";

/** The person the access is computed for: a User entity or its essentials. */
export interface Principal {
  id: string;
  platformRole: string | null;
}

/**
 * Above this many program accounts reached through service-provider relationships, root lists are
 * read in their own order and filtered row by row instead of being driven from the reachable accounts.
 */
export const SMALL_REACH = 1000;

/**
 * What one person may reach, decided in PostgreSQL (grants.ts) for one request, or for one mutation
 * inside its transaction.
 *
 * Loaded up front is only the person's own employment: their memberships, their own paths (BAM and
 * program roles) and their client-group assignments: a few rows, however many clients their business
 * acts for. What they reach through service-provider relationships (a broker's book of business:
 * possibly tens of thousands of accounts) is never loaded as a whole: checks ask PostgreSQL about the
 * accounts at hand (batched per request), and list filters embed the same SQL.
 */
export class Access {
  /** Root lists drive from the accounts reached when there are at most this many (tests lower it to exercise both ways). */
  static smallReach = SMALL_REACH;
  private readonly ownByAccount = new Map<string, GrantRow[]>();
  private readonly providerGrantsByAccount: DataLoader<string, GrantRow[]>;
  private readonly providerProfileByBusiness: DataLoader<string, boolean>;
  /** Relationship roles on accounts, as lists read them (rememberProviderRoles). */
  private readonly providerRoles = new Map<string, string[]>();
  private rolesMemo?: Promise<Role[]>;
  private sampleMemo?: Promise<ProviderReach | null>;
  /** Objects of a type that a visibility-filtered query returned: seen already, by construction. */
  private readonly vouched = new Map<string, Set<string>>();

  constructor(
    readonly db: Queryable,
    readonly viewer: Principal | null,
    readonly now: Date,
    /** businessId -> isBam, for active memberships. */
    readonly memberships: Map<string, boolean>,
    /** The person's own paths (BAM and program roles). */
    readonly ownGrants: GrantRow[],
    /** Live client groups the person is assigned to (provider employees). */
    readonly clientGroupIds: string[],
    /**
     * Whether a business the person belongs to is the provider in any active or ended relationship.
     * When not (an importer's people), relationship paths cannot exist and are never looked up.
     */
    readonly actsForClients = false,
  ) {
    for (const g of ownGrants) {
      const list = this.ownByAccount.get(g.program_account_id) ?? [];
      list.push(g);
      this.ownByAccount.set(g.program_account_id, list);
    }
    this.providerGrantsByAccount = new DataLoader(async (accountIds) => {
      if (!this.viewer || !this.actsForClients) return accountIds.map(() => []);
      const rows = await query<GrantRow>(
        db,
        grantsSql({ now, user: this.viewer.id, accounts: uuids(accountIds), paths: ["RELATIONSHIP"] }),
        REUSE,
      );
      const byAccount = groupBy(rows, (r) => r.program_account_id);
      return accountIds.map((id) => byAccount.get(id) ?? []);
    });
    this.providerProfileByBusiness = new DataLoader(async (businessIds) => {
      if (!this.viewer || !this.actsForClients) return businessIds.map(() => false);
      const rows = await query<{ business_id: string }>(
        db,
        sql`SELECT DISTINCT g.business_id FROM (${grantsSql({
          now,
          user: this.viewer.id,
          accounts: sql`ARRAY(SELECT id FROM program_accounts WHERE business_id = ANY(${uuids(businessIds)}))`,
          paths: ["RELATIONSHIP"],
        })}) g WHERE ${grantAllows("g", "VIEW_BUSINESS_PROFILE")}`,
        REUSE,
      );
      const seen = new Set(rows.map((r) => r.business_id));
      return businessIds.map((id) => seen.has(id));
    });
  }

  static anonymous(db: Queryable, now = new Date()): Access {
    return new Access(db, null, now, new Map(), [], []);
  }

  /** One query: the person's memberships, own paths and client groups. */
  static async load(db: Queryable, viewer: Principal | null, now = new Date()): Promise<Access> {
    if (!viewer) return Access.anonymous(db, now);
    const [row] = await query<EmploymentRow>(db, sql`SELECT ${employmentColumns(now, sql`${viewer.id}::uuid`)}`, REUSE);
    return Access.fromRow(db, viewer, now, row!);
  }

  /**
   * Sign-in's one query: the profile of a token's subject (`profileColumns` of `users u`, for the
   * caller to hydrate) with the same employment columns as `load`; no row when the subject has no
   * profile yet. The columns are named, not `u.*`: a prepared statement's result must keep its shape
   * when a migration adds a column while this process runs.
   */
  static async loadBySubject(db: Queryable, subject: string, profileColumns: Sql, now = new Date()): Promise<{ row: Record<string, unknown>; access: Access } | null> {
    const [row] = await query<EmploymentRow & Record<string, unknown>>(
      db,
      sql`SELECT ${profileColumns}, ${employmentColumns(now, sql`u.id`)} FROM users u WHERE u.subject = ${subject}`,
      REUSE,
    );
    if (!row) return null;
    const { memberships, grants, groups, acts_for_clients, ...user } = row;
    const viewer = { id: user.id as string, platformRole: (user.platform_role as string | null) ?? null };
    return { row: user, access: Access.fromRow(db, viewer, now, { memberships, grants, groups, acts_for_clients }) };
  }

  private static fromRow(db: Queryable, viewer: Principal, now: Date, row: EmploymentRow): Access {
    return new Access(db, viewer, now, new Map(row.memberships.map((m) => [m.business_id, m.is_bam])), row.grants, row.groups, row.acts_for_clients);
  }

  get isAuthenticated(): boolean {
    return this.viewer !== null;
  }

  get isAgencyOfficer(): boolean {
    return this.viewer?.platformRole === "AGENCY_OFFICER";
  }

  /** An agency action (issuing statements, setting interest rates...): the platform role's row of the table. */
  agencyCan(action: Action): boolean {
    return this.isAgencyOfficer && roleAllows(Role.AGENCY_OFFICER, action);
  }

  isBam(businessId: string): boolean {
    return this.memberships.get(businessId) === true;
  }

  isMember(businessId: string): boolean {
    return this.memberships.has(businessId);
  }

  bamBusinessIds(): string[] {
    return [...this.memberships].filter(([, bam]) => bam).map(([id]) => id);
  }

  /**
   * The person's own role in a business for business-wide actions: BAM, or the strongest program role
   * they hold there. Acting for a client as its provider never counts: a broker does not manage its
   * client's business.
   */
  businessRole(businessId: string): Role | null {
    if (this.isBam(businessId)) return Role.BAM;
    return strongest(this.ownGrants.filter((g) => g.business_id === businessId && g.via === "PROGRAM_ROLE"));
  }

  canOnBusiness(action: Action, businessId: string): boolean {
    const role = this.businessRole(businessId);
    return role !== null && roleAllows(role, action);
  }

  /** Businesses where the person's own role allows `action` (members, relationships, audit). */
  managedBusinessIds(action: Action): string[] {
    return [...this.memberships.keys()].filter((b) => this.canOnBusiness(action, b));
  }

  /** Program accounts where the person's own paths allow `action` (all their transactions included). */
  ownAccountIds(action: Action): string[] {
    return [...this.ownByAccount].filter(([, gs]) => gs.some((g) => roleAllows(g.role as Role, action))).map(([id]) => id);
  }

  /** `action` on the account through the person's own roles (management actions are never a provider's). */
  ownCan(action: Action, programAccountId: string): boolean {
    const role = this.ownRoleOn(programAccountId);
    return role !== null && roleAllows(role, action);
  }

  ownRoleOn(programAccountId: string): Role | null {
    return strongest(this.ownByAccount.get(programAccountId) ?? []);
  }

  /** Every path to the account: own ones, and through service-provider relationships. */
  async grantsOn(programAccountId: string): Promise<GrantRow[]> {
    return [...(this.ownByAccount.get(programAccountId) ?? []), ...(await this.providerGrantsByAccount.load(programAccountId))];
  }

  /** The strongest role on a program account, or null when it is out of reach. */
  async roleOn(programAccountId: string): Promise<Role | null> {
    const own = this.ownRoleOn(programAccountId);
    // A provider's grant is Editor at most: an own Editor, PAM or BAM role is already the strongest.
    if (own && rank(own) >= rank(Role.EDITOR)) return own;
    const known = this.providerRoles.get(programAccountId);
    const provider = strongest(known ? known.map((role) => ({ role })) : await this.providerGrantsByAccount.load(programAccountId));
    return own && provider ? greaterRole(own, provider) : (own ?? provider);
  }

  async can(action: Action, programAccountId: string): Promise<boolean> {
    const role = await this.roleOn(programAccountId);
    return role !== null && roleAllows(role, action);
  }

  /**
   * The businesses the person may act as on the account for `action` (filing, submitting a ruling
   * request): the owner, through their own roles; a service provider, through a relationship path
   * whose role allows it (never an expired one) and whose visibility rules let the provider's own
   * submissions through (what it files, it can see and withdraw afterwards). What is filed records
   * that business as its submitter, which visibility rules then judge.
   */
  async filersOn(action: Action, programAccountId: string): Promise<string[]> {
    if (!this.viewer) return [];
    const rows = await query<{ filer: string }>(
      this.db,
      sql`SELECT DISTINCT f.filer FROM (
            SELECT g.*, CASE WHEN g.via = 'RELATIONSHIP' THEN g.provider_business_id ELSE g.business_id END AS filer
              FROM (${grantsSql({
                now: this.now,
                user: this.viewer.id,
                account: sql`${programAccountId}::uuid`,
                paths: this.actsForClients ? undefined : ["BAM", "PROGRAM_ROLE"],
              })}) g) f
           WHERE ${grantAllows("f", action)} AND ${grantLetsThrough("f", sql`f.filer`)}`,
      REUSE,
    );
    return rows.map((r) => r.filer);
  }

  /** Businesses whose profile the person may read: their own, and clients they actively act for. */
  async canViewBusinessProfile(businessId: string): Promise<boolean> {
    if (this.isMember(businessId)) return true;
    if (this.ownGrants.some((g) => g.business_id === businessId && roleAllows(g.role as Role, "VIEW_BUSINESS_PROFILE"))) return true;
    return this.providerProfileByBusiness.load(businessId);
  }

  /** Every portal role the person holds somewhere (ORPHAN when signed in and linked to nothing). */
  roles(): Promise<Role[]> {
    return (this.rolesMemo ??= (async () => {
      if (!this.viewer) return [];
      const roles = new Set<Role>();
      if (this.isAgencyOfficer) roles.add(Role.AGENCY_OFFICER);
      for (const g of this.ownGrants) roles.add(g.role as Role);
      if (this.actsForClients) {
        const rows = await query<{ role: Role }>(
          this.db,
          sql`SELECT DISTINCT g.role FROM (${grantsSql({ now: this.now, user: this.viewer.id, paths: ["RELATIONSHIP"] })}) g`,
          REUSE,
        );
        for (const r of rows) roles.add(r.role);
      }
      if (roles.size === 0 && this.memberships.size === 0) roles.add(Role.ORPHAN);
      return [...roles];
    })());
  }

  /**
   * The accounts reached through relationships, when they are few (at most SMALL_REACH); null for a
   * large book of business. Root lists use it to choose how to read (never what may be read: the
   * visibility condition is applied to every row either way).
   */
  providerReach(): Promise<ProviderReach | null> {
    return (this.sampleMemo ??= (async () => {
      if (!this.viewer || !this.actsForClients) return { accountIds: [], businessIds: [] };
      // A large book of business stays large for a while: skip the probe (reading row by row is right
      // for any book; only reading from a small book's accounts needs them listed, so that is never cached).
      const known = largeBooks.get(this.viewer.id);
      if (known && known.until > Date.now() && known.threshold === Access.smallReach) return null;
      const rows = await query<{ program_account_id: string; business_id: string }>(
        this.db,
        sql`SELECT g.program_account_id, g.business_id FROM (${grantsSql({ now: this.now, user: this.viewer.id, paths: ["RELATIONSHIP"] })}) g
            LIMIT ${Access.smallReach + 1}`,
        REUSE,
      );
      if (rows.length > Access.smallReach) {
        if (largeBooks.size > 10_000) largeBooks.clear();
        largeBooks.set(this.viewer.id, { until: Date.now() + LARGE_BOOK_MEMORY_MS, threshold: Access.smallReach });
        return null;
      }
      largeBooks.delete(this.viewer.id);
      return { accountIds: [...new Set(rows.map((r) => r.program_account_id))], businessIds: [...new Set(rows.map((r) => r.business_id))] };
    })());
  }

  /**
   * SQL: the person may do `action` on the account in column `account`, decided row by row (for root
   * lists and single rows): their own accounts as a list, then a correlated lookup of the relationship
   * paths to that one account.
   */
  accountCondition(action: Action, account: string, rules?: (g: string) => Sql): Sql {
    const col = raw(account);
    // Own paths see the whole account; a provider's grant may add rules of its own (money.ts).
    return sql`(${col} = ANY(${uuids(this.ownAccountIds(action))}) OR EXISTS (
      SELECT 1 FROM ${this.providerGrants(col)} WHERE g.program_account_id = ${col} AND ${grantAllows("g", action)}${rules ? sql` AND ${rules("g")}` : sql``}))`;
  }

  /**
   * SQL: the person may see the transaction aliased `t` (its original filer judged by the visibility
   * rules) and, with `version`, that version too (its own submitter judged as well: a correction by a
   * business the rules exclude stays hidden). Decided row by row, like accountCondition.
   */
  transactionCondition(t: string, opts: { version?: string } = {}): Sql {
    const col = raw(`${t}.program_account_id`);
    return sql`(${col} = ANY(${uuids(this.ownAccountIds("VIEW_TRANSACTIONS"))}) OR EXISTS (
      SELECT 1 FROM ${this.providerGrants(col)} WHERE g.program_account_id = ${col} AND ${transactionRules("g", t, opts.version)}))`;
  }

  /**
   * SQL: the person may see the ruling request aliased `r`. Like a transaction, it is judged on the
   * business that submitted it: the owner's people see every request of the accounts their role
   * reaches; a provider sees a client's requests only where the relationship's visibility rules let
   * the submitter through (its own, the client's, other businesses'). Expired paths see none (the
   * role table: Expired users read only transactions). Decided row by row, like accountCondition.
   */
  rulingCondition(r: string): Sql {
    const col = raw(`${r}.program_account_id`);
    return sql`(${col} = ANY(${uuids(this.ownAccountIds("VIEW_RULINGS"))}) OR EXISTS (
      SELECT 1 FROM ${this.providerGrants(col)} WHERE g.program_account_id = ${col} AND ${rulingRules("g", r)}))`;
  }

  /**
   * SQL: the person may decide the employee access request aliased `ar`. A BAM decides every request
   * to their business. A PAM decides a request only when it names program accounts and every one of
   * them is an account they manage; a request naming none is the BAMs' to decide (domain: a PAM
   * approves or rejects requests for their program account only).
   */
  employeeRequestDeciderCondition(ar: string): Sql {
    const A = raw(ar);
    const bamOf = this.managedBusinessIds("MANAGE_BUSINESS_ACCESS");
    const managed = this.ownAccountIds("MANAGE_PROGRAM_ACCESS");
    return sql`(${A}.business_id = ANY(${uuids(bamOf)}) OR (
        EXISTS (SELECT 1 FROM employee_access_request_accounts x WHERE x.request_id = ${A}.id)
        AND NOT EXISTS (SELECT 1 FROM employee_access_request_accounts x WHERE x.request_id = ${A}.id AND NOT (x.program_account_id = ANY(${uuids(managed)})))))`;
  }

  /** SQL: the person may see the employee access request aliased `ar`: they made it, or they may decide it. */
  employeeRequestCondition(ar: string): Sql {
    return sql`(${raw(ar)}.user_id = ${this.viewer?.id ?? NOBODY}::uuid OR ${this.employeeRequestDeciderCondition(ar)})`;
  }

  /**
   * What drives a list nested under `parents` (see grantDrivers): the person's grants on the accounts
   * each parent is (`itself`) or holds (`accountsOf`), decided in the statement that reads the list.
   */
  async drivers(parents: readonly string[], accountsOf: (parents: readonly string[]) => Promise<Map<string, string[]>>): Promise<Sql> {
    if (accountsOf === itself) return grantDrivers(this.driverRestriction(), { accounts: parents });
    const accounts = await accountsOf(parents);
    return grantDrivers(this.driverRestriction(), { pairs: parents.flatMap((parent) => (accounts.get(parent) ?? []).map((account) => ({ parent, account }))) });
  }

  /** Drivers for lists nested under businesses (a uuid[] expression: see ListSpec.driversFor): the person's grants on each business's accounts. */
  businessDrivers(businessIds: Sql): Sql {
    return grantDrivers(this.driverRestriction(), { businesses: businessIds });
  }

  /** The person's paths, for drivers: relationship paths only for someone who acts for clients; nobody's for anonymous callers. */
  private driverRestriction() {
    return { now: this.now, user: this.viewer?.id ?? NOBODY, paths: this.actsForClients ? undefined : (["BAM", "PROGRAM_ROLE"] as GrantPath[]) };
  }

  /**
   * The person's relationship roles on some accounts, as a list's statement read them from its
   * drivers (ListSpec.remembersRolesOn): every relationship path to each account (none: no such
   * path), so that `roleOn` for them needs no statement of its own.
   */
  rememberProviderRoles(roles: Map<string, string[]>): void {
    for (const [account, list] of roles) if (!this.providerRoles.has(account)) this.providerRoles.set(account, list);
  }

  /** This person's relationship paths to the account in `account` (a column: evaluated per row). */
  private providerGrants(account: Sql): Sql {
    return sql`(${grantsSql({ now: this.now, user: this.viewer?.id ?? NOBODY, account, paths: ["RELATIONSHIP"] })}) g`;
  }

  vouch(type: string, ids: Iterable<string>): void {
    let set = this.vouched.get(type);
    if (!set) this.vouched.set(type, (set = new Set()));
    for (const id of ids) set.add(id);
  }

  isVouched(type: string, id: string): boolean {
    return this.vouched.get(type)?.has(id) ?? false;
  }
}

interface EmploymentRow {
  memberships: { business_id: string; is_bam: boolean }[];
  grants: GrantRow[];
  groups: string[];
  acts_for_clients: boolean;
}

/** The person's (a uuid expression) memberships, own paths, client groups, and whether they act for clients, as columns. */
function employmentColumns(now: Date, user: Sql): Sql {
  return sql`(SELECT coalesce(json_agg(json_build_object('business_id', business_id, 'is_bam', is_bam)), '[]'::json)
           FROM business_memberships WHERE user_id = ${user} AND status = 'ACTIVE') AS memberships,
        (SELECT coalesce(json_agg(g), '[]'::json) FROM (${grantsSql({ now, user, paths: ["BAM", "PROGRAM_ROLE"] })}) g) AS grants,
        (SELECT coalesce(json_agg(DISTINCT a.group_id), '[]'::json)
           FROM client_group_assignments a
           JOIN client_groups cg ON cg.id = a.group_id AND cg.deleted_at IS NULL
           JOIN business_memberships m ON m.user_id = a.user_id AND m.business_id = cg.provider_business_id AND m.status = 'ACTIVE'
          WHERE a.user_id = ${user}) AS groups,
        EXISTS (SELECT 1 FROM business_memberships m
                 -- From the person's few memberships through the provider index. A provider column with a
                 -- handful of distinct values (one large broker) makes the planner expect a match within
                 -- the first rows of a scan; for an importer's people, who have none, that scan reads
                 -- every relationship of the broker. Ordered as the index is, the index is the cheap way.
                 CROSS JOIN LATERAL (SELECT 1 FROM relationships r WHERE r.provider_business_id = m.business_id
                                       AND r.status IN ('ACTIVE', 'REVOKED') ORDER BY r.provider_business_id, r.status LIMIT 1) r
                 WHERE m.user_id = ${user} AND m.status = 'ACTIVE') AS acts_for_clients`;
}

export interface ProviderReach {
  accountIds: string[];
  businessIds: string[];
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
    REUSE,
  );
  return rows.map((r) => r.user_id);
}

/** Lists nested under program accounts: each parent is its own account. */
export const itself = async (parents: readonly string[]) => new Map(parents.map((p) => [p, [p]]));

/** People known to reach a large book of business, until when (per process). */
const largeBooks = new Map<string, { until: number; threshold: number }>();
const LARGE_BOOK_MEMORY_MS = 60_000;

/** The policy's lookups: keyed by ids, the same plan serves every viewer and book (see QueryOptions). */
const REUSE = { plan: "reuse" } as const;

/** The nil uuid: a person no row belongs to. */
const NOBODY = "00000000-0000-0000-0000-000000000000";

function strongest(grants: { role: string }[]): Role | null {
  return grants.length ? grants.map((g) => g.role as Role).reduce(greaterRole) : null;
}
