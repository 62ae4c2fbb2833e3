import DataLoader from "dataloader";
import { groupBy } from "../common/collections.js";
import { Role } from "../common/enums.js";
import { query, sql, uuids, type Queryable, type Sql } from "../db/sql.js";
import type { AccessLoader } from "./access-loader.js";
import type { SmallBook } from "./books.js";
import { grantAllows, grantsPerParent, grantsSql, type GrantPath, type GrantRow } from "./grants.js";
import { greaterRole, rank, roleAllows, type Action } from "./policy.js";

/** The person the access is computed for: a User entity or its essentials. */
export interface Principal {
  id: string;
  platformRole: string | null;
}

/**
 * What one person may reach, for one request (or for one mutation, read again inside its
 * transaction): the state the policy's decisions read. The decisions themselves are SQL
 * (grants.ts, conditions.ts) or read this state in memory.
 *
 * Loaded up front is only the person's own employment: their memberships, their own paths (BAM and
 * program roles) and their client-group assignments: a few rows, however many clients their business
 * acts for. What they reach through service-provider relationships (a broker's book of business:
 * possibly tens of thousands of accounts) is never loaded as a whole: checks ask PostgreSQL about the
 * accounts at hand (batched per request), and list filters embed the same SQL.
 *
 * Why one file of ~260 lines: it is the state and the questions asked of it, nothing else (its
 * loading is access-loader.ts, its SQL grants.ts and conditions.ts, the book strategy books.ts);
 * each method is a few lines over the same fields, and splitting them would spread one object.
 */
export class Access {
  private readonly ownByAccount = new Map<string, GrantRow[]>();
  private readonly providerGrantsByAccount: DataLoader<string, GrantRow[]>;
  private readonly providerProfileByBusiness: DataLoader<string, boolean>;
  /** Relationship roles on accounts, as lists read them (learnProviderRoles). */
  private readonly providerRoles = new Map<string, string[]>();
  private rolesMemo?: Promise<Role[]>;
  private bookMemo?: Promise<SmallBook | null>;
  /** Objects a visibility-filtered query returned, per GraphQL type: visible by construction. */
  private readonly knownVisible = new Map<string, Set<string>>();

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
    readonly actsForClients: boolean,
    /** Made by (the clock and the book strategy of) this loader: a refreshed access is read the same way. */
    readonly loader: AccessLoader,
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
        { ...REUSE, label: "access: relationship grants on accounts" },
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
        { ...REUSE, label: "access: client profiles" },
      );
      const seen = new Set(rows.map((r) => r.business_id));
      return businessIds.map((id) => seen.has(id));
    });
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
          { ...REUSE, label: "access: relationship roles" },
        );
        for (const r of rows) roles.add(r.role);
      }
      if (roles.size === 0 && this.memberships.size === 0) roles.add(Role.ORPHAN);
      return [...roles];
    })());
  }

  /**
   * The accounts the person reaches through relationships, when that book of business is small;
   * null for a large one (see books.ts: the loader's strategy decides). Root lists use it to choose
   * how to read, never what may be read.
   */
  smallBook(): Promise<SmallBook | null> {
    return (this.bookMemo ??= !this.viewer || !this.actsForClients
      ? Promise.resolve({ accountIds: [], businessIds: [] })
      : this.loader.books.smallBook(this.db, this.viewer.id, this.now));
  }

  /**
   * The person's grants on the accounts each parent is (`itself`) or holds (`accountsOf`), as rows
   * tied to their parent (grantsPerParent): what a list nested under those parents is read through,
   * decided in the statement that reads the list.
   */
  async grantsOfParents(parents: readonly string[], accountsOf: (parents: readonly string[]) => Promise<Map<string, string[]>>): Promise<Sql> {
    if (accountsOf === itself) return grantsPerParent(this.grantRestriction(), { accounts: parents });
    const accounts = await accountsOf(parents);
    return grantsPerParent(this.grantRestriction(), { pairs: parents.flatMap((parent) => (accounts.get(parent) ?? []).map((account) => ({ parent, account }))) });
  }

  /** The person's grants on each business's accounts (the businesses as a uuid[] expression: see ListSpec.parentRowsFor). */
  grantsOfBusinesses(businessIds: Sql): Sql {
    return grantsPerParent(this.grantRestriction(), { businesses: businessIds });
  }

  /** The person's paths: relationship paths only for someone who acts for clients; nobody's for anonymous callers. */
  grantRestriction(): { now: Date; user: string; paths?: GrantPath[] } {
    return { now: this.now, user: this.viewer?.id ?? NOBODY, paths: this.actsForClients ? undefined : ["BAM", "PROGRAM_ROLE"] };
  }

  /**
   * The person's relationship roles on some accounts, as a list's statement read them from its
   * grants (ListSpec.rolesOnAccountIn): every relationship path to each account (none: no such
   * path), so that `roleOn` for them needs no statement of its own.
   */
  learnProviderRoles(roles: Map<string, string[]>): void {
    for (const [account, list] of roles) if (!this.providerRoles.has(account)) this.providerRoles.set(account, list);
  }

  /** Objects of `type` a visibility-filtered query returned: their admission needs no second check. */
  markVisible(type: string, ids: Iterable<string>): void {
    let set = this.knownVisible.get(type);
    if (!set) this.knownVisible.set(type, (set = new Set()));
    for (const id of ids) set.add(id);
  }

  isKnownVisible(type: string, id: string): boolean {
    return this.knownVisible.get(type)?.has(id) ?? false;
  }
}

/** Lists nested under program accounts: each parent is its own account. */
export const itself = async (parents: readonly string[]) => new Map(parents.map((p) => [p, [p]]));

/** The policy's lookups: keyed by ids, the same plan serves every viewer and book (see QueryOptions). */
const REUSE = { plan: "reuse" } as const;

/** The nil uuid: a person no row belongs to. */
export const NOBODY = "00000000-0000-0000-0000-000000000000";

function strongest(grants: { role: string }[]): Role | null {
  return grants.length ? grants.map((g) => g.role as Role).reduce(greaterRole) : null;
}

