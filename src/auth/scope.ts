import type { DataSource, EntityManager } from "typeorm";
import { ProviderRole, RelationshipLevel, RelationshipStatus, Role } from "../common/enums.js";
import type { User } from "../modules/user/user.entity.js";
import { greaterRole, lesserRole, roleAllows, type Action } from "./policy.js";

/** Which transactions of a client a provider's grant lets through (the relationship's visibility rules). */
export interface TransactionVisibility {
  providerBusinessId: string;
  clientBusinessId: string;
  submittedByProvider: boolean;
  submittedByClient: boolean;
  submittedByOthers: boolean;
}

/** Why the viewer reaches a program account: what `accessExplanation` reports. */
export type AccessPath =
  | { kind: "BAM"; businessId: string }
  | { kind: "PROGRAM_ROLE"; businessId: string; role: Role }
  | {
      kind: "RELATIONSHIP";
      relationshipId: string;
      providerBusinessId: string;
      clientBusinessId: string;
      relationshipStatus: RelationshipStatus;
      relationshipRole: Role;
      /** For provider employees other than its BAM: the client group and their role in it. */
      clientGroupId: string | null;
      assignmentRole: Role | null;
    };

export interface Grant {
  programAccountId: string;
  /** The business that owns the program account. */
  businessId: string;
  role: Role;
  path: AccessPath;
  /** null: every transaction of the program account. */
  transactionFilter: TransactionVisibility | null;
}

interface ProgramAccountRef {
  id: string;
  businessId: string;
  bn15: string;
}

const toRole = (r: ProviderRole | string): Role => (r === ProviderRole.EDITOR ? Role.EDITOR : Role.READER);

/**
 * What the viewer can reach, computed once per request from memberships, program roles,
 * relationships (level, role, visibility, expiry, status) and client-group assignments.
 * List queries filter in SQL with it; shield rules check parent objects against it. One policy,
 * two uses: never a second version of a rule.
 */
export class AccessScope {
  readonly grantsByProgramAccount = new Map<string, Grant[]>();
  readonly programAccounts = new Map<string, ProgramAccountRef>();

  constructor(
    readonly viewer: User | null,
    readonly now: Date,
    /** businessId -> isBam, for active memberships. */
    readonly memberships: Map<string, boolean>,
    readonly grants: Grant[],
    programAccounts: ProgramAccountRef[],
    /** Client groups the viewer is assigned to (provider employees). */
    readonly clientGroupIds: string[] = [],
  ) {
    for (const pa of programAccounts) this.programAccounts.set(pa.id, pa);
    for (const g of grants) {
      const list = this.grantsByProgramAccount.get(g.programAccountId) ?? [];
      list.push(g);
      this.grantsByProgramAccount.set(g.programAccountId, list);
    }
  }

  static anonymous(now = new Date()): AccessScope {
    return new AccessScope(null, now, new Map(), [], []);
  }

  get isAuthenticated(): boolean {
    return this.viewer !== null;
  }

  get isAgencyOfficer(): boolean {
    return this.viewer?.platformRole === "AGENCY_OFFICER";
  }

  /** The portal roles the viewer holds anywhere (ORPHAN when signed in and linked to nothing). */
  get roles(): Role[] {
    if (!this.viewer) return [];
    const roles = new Set<Role>();
    if (this.isAgencyOfficer) roles.add(Role.AGENCY_OFFICER);
    for (const g of this.grants) roles.add(g.role);
    if (roles.size === 0 && this.memberships.size === 0) roles.add(Role.ORPHAN);
    return [...roles];
  }

  /** The strongest role on a program account, or null when it is out of reach. */
  roleOn(programAccountId: string): Role | null {
    return strongestRole(this.grantsByProgramAccount.get(programAccountId) ?? []);
  }

  /** Businesses where the viewer is a BAM. */
  bamBusinessIds(): string[] {
    return [...this.memberships].filter(([, bam]) => bam).map(([id]) => id);
  }

  can(action: Action, programAccountId: string): boolean {
    return (this.grantsByProgramAccount.get(programAccountId) ?? []).some((g) => roleAllows(g.role, action));
  }

  /** Program accounts on which `action` is allowed: the SQL filter of every per-account list. */
  programAccountIdsFor(action: Action): string[] {
    const ids: string[] = [];
    for (const [id, grants] of this.grantsByProgramAccount) {
      if (grants.some((g) => roleAllows(g.role, action))) ids.push(id);
    }
    return ids;
  }

  isBam(businessId: string): boolean {
    return this.memberships.get(businessId) === true;
  }

  isMember(businessId: string): boolean {
    return this.memberships.has(businessId);
  }

  /**
   * The viewer's own role in a business for business-wide actions: BAM, or the strongest role they
   * hold as an employee on one of its program accounts. Provider access never counts here: a broker
   * does not manage its client's business.
   */
  businessRole(businessId: string): Role | null {
    if (this.isBam(businessId)) return Role.BAM;
    let best: Role | null = null;
    for (const g of this.grants) {
      if (g.businessId === businessId && g.path.kind === "PROGRAM_ROLE") best = best ? greaterRole(best, g.role) : g.role;
    }
    return best;
  }

  canOnBusiness(action: Action, businessId: string): boolean {
    const role = this.businessRole(businessId);
    return role !== null && roleAllows(role, action);
  }

  /** Businesses whose profile the viewer may read: their own, and clients they actively act for. */
  businessIdsWithProfile(): string[] {
    const ids = new Set(this.memberships.keys());
    for (const g of this.grants) if (roleAllows(g.role, "VIEW_BUSINESS_PROFILE")) ids.add(g.businessId);
    return [...ids];
  }

  canViewBusinessProfile(businessId: string): boolean {
    if (this.memberships.has(businessId)) return true;
    return this.grants.some((g) => g.businessId === businessId && roleAllows(g.role, "VIEW_BUSINESS_PROFILE"));
  }

  /** Businesses whose managers' view (members, relationships, requests) the viewer has. */
  managedBusinessIds(action: Action = "VIEW_MEMBERS"): string[] {
    return [...new Set([...this.memberships.keys(), ...this.grants.map((g) => g.businessId)])].filter((b) =>
      this.canOnBusiness(action, b),
    );
  }

  /**
   * Can the viewer see this transaction (and, given a version's submitting business, that version)?
   * The same decision as the SQL filter below. A provider's visibility rules apply to the original
   * filer and to whoever submitted each version: a correction by another business stays hidden from a
   * provider that may not see "other businesses".
   */
  canViewTransaction(t: { programAccountId: string; submittedByBusinessId: string }, versionSubmitter?: string): boolean {
    for (const g of this.grantsByProgramAccount.get(t.programAccountId) ?? []) {
      if (!roleAllows(g.role, "VIEW_TRANSACTIONS")) continue;
      const f = g.transactionFilter;
      if (!f) return true;
      if (visibilityAllows(f, t.submittedByBusinessId) && (versionSubmitter === undefined || visibilityAllows(f, versionSubmitter))) return true;
    }
    return false;
  }

  /**
   * SQL condition over a transactions alias (and optionally a versions alias): every grant's program
   * accounts, narrowed by its visibility rules. "FALSE" when nothing is reachable, so that a list is
   * empty, never unfiltered.
   */
  transactionCondition(alias: string, paramPrefix = "scope", versionAlias?: string): { sql: string; params: Record<string, unknown> } {
    const params: Record<string, unknown> = {};
    const clauses: string[] = [];
    const full = new Set<string>();
    const filtered = new Map<string, { filter: TransactionVisibility; ids: string[] }>();
    for (const g of this.grants) {
      if (!roleAllows(g.role, "VIEW_TRANSACTIONS")) continue;
      if (!g.transactionFilter) full.add(g.programAccountId);
      else {
        const f = g.transactionFilter;
        const key = `${f.providerBusinessId}|${f.clientBusinessId}|${+f.submittedByProvider}${+f.submittedByClient}${+f.submittedByOthers}`;
        const entry = filtered.get(key) ?? { filter: f, ids: [] };
        entry.ids.push(g.programAccountId);
        filtered.set(key, entry);
      }
    }
    if (full.size) {
      params[`${paramPrefix}_full`] = [...full];
      clauses.push(`${alias}.program_account_id = ANY(:${paramPrefix}_full)`);
    }
    let i = 0;
    for (const { filter, ids } of filtered.values()) {
      const p = `${paramPrefix}_${i++}`;
      params[`${p}_pas`] = ids.filter((id) => !full.has(id));
      params[`${p}_prov`] = filter.providerBusinessId;
      params[`${p}_cli`] = filter.clientBusinessId;
      const allowed = (column: string) => {
        const sub: string[] = [];
        if (filter.submittedByProvider) sub.push(`${column} = :${p}_prov`);
        if (filter.submittedByClient) sub.push(`${column} = :${p}_cli`);
        if (filter.submittedByOthers) sub.push(`${column} NOT IN (:${p}_prov, :${p}_cli)`);
        return sub.length ? `(${sub.join(" OR ")})` : "FALSE";
      };
      const parts = [`${alias}.program_account_id = ANY(:${p}_pas)`, allowed(`${alias}.submitted_by_business_id`)];
      if (versionAlias) parts.push(allowed(`${versionAlias}.submitted_by_business_id`));
      clauses.push(`(${parts.join(" AND ")})`);
    }
    return { sql: clauses.length ? `(${clauses.join(" OR ")})` : "FALSE", params };
  }
}

/** The strongest role among grants, or null for none. */
export function strongestRole(grants: Grant[]): Role | null {
  return grants.length ? grants.map((g) => g.role).reduce(greaterRole) : null;
}

export function visibilityAllows(f: TransactionVisibility, submitter: string): boolean {
  if (submitter === f.providerBusinessId) return f.submittedByProvider;
  if (submitter === f.clientBusinessId) return f.submittedByClient;
  return f.submittedByOthers;
}

interface RelationshipRow {
  id: string;
  client_business_id: string;
  provider_business_id: string;
  status: RelationshipStatus;
  level: RelationshipLevel | null;
  role: ProviderRole | null;
  expires_at: Date | null;
  see_submitted_by_provider: boolean;
  see_submitted_by_client: boolean;
  see_submitted_by_others: boolean;
  program_account_ids: string[] | null;
}

/** Builds the scope of `viewer` as of `now` (a handful of indexed queries; none for anonymous). */
export async function loadScope(db: DataSource | EntityManager, viewer: User | null, now = new Date()): Promise<AccessScope> {
  if (!viewer) return AccessScope.anonymous(now);
  return (await loadScopes(db, [viewer], now)).get(viewer.id)!;
}

/**
 * The scopes of many users at once, with the same few queries as one: the request's own scope and
 * the managers' review ("who can reach this program account") are computed by this one function,
 * so they can never disagree.
 */
export async function loadScopes(db: DataSource | EntityManager, users: User[], now = new Date()): Promise<Map<string, AccessScope>> {
  const q = (sql: string, params: unknown[]) => db.query(sql, params);
  const userIds = users.map((u) => u.id);

  const memberRows: { user_id: string; business_id: string; is_bam: boolean }[] = await q(
    `SELECT user_id, business_id, is_bam FROM business_memberships WHERE user_id = ANY($1) AND status = 'ACTIVE'`,
    [userIds],
  );
  const memberBusinessIds = [...new Set(memberRows.map((m) => m.business_id))];
  const anyMembers = memberRows.length > 0;

  // A program role counts only while its holder is still a member of that business.
  const roleRows: { user_id: string; program_account_id: string; business_id: string; role: Role }[] = anyMembers
    ? await q(
        `SELECT pr.user_id, pr.program_account_id, pa.business_id, pr.role
           FROM program_roles pr
           JOIN program_accounts pa ON pa.id = pr.program_account_id
           JOIN business_memberships m ON m.user_id = pr.user_id AND m.business_id = pa.business_id AND m.status = 'ACTIVE'
          WHERE pr.user_id = ANY($1)`,
        [userIds],
      )
    : [];
  const relRows: RelationshipRow[] = anyMembers
    ? await q(
        `SELECT r.id, r.client_business_id, r.provider_business_id, r.status, r.level, r.role, r.expires_at,
                r.see_submitted_by_provider, r.see_submitted_by_client, r.see_submitted_by_others,
                (SELECT array_agg(rpa.program_account_id) FROM relationship_program_accounts rpa WHERE rpa.relationship_id = r.id) AS program_account_ids
           FROM relationships r
          WHERE r.provider_business_id = ANY($1) AND r.status IN ('ACTIVE', 'REVOKED')`,
        [memberBusinessIds],
      )
    : [];
  const assignmentRows: { user_id: string; group_id: string; provider_business_id: string; client_business_id: string | null; role: ProviderRole }[] =
    anyMembers
      ? await q(
          `SELECT a.user_id, g.id AS group_id, g.provider_business_id, gc.client_business_id, a.role
             FROM client_group_assignments a
             JOIN client_groups g ON g.id = a.group_id AND g.deleted_at IS NULL
             JOIN business_memberships m ON m.user_id = a.user_id AND m.business_id = g.provider_business_id AND m.status = 'ACTIVE'
        LEFT JOIN client_group_clients gc ON gc.group_id = g.id
            WHERE a.user_id = ANY($1)`,
          [userIds],
        )
      : [];
  // After expiry or revocation a provider keeps only the accounts it actually filed on.
  const ended = relRows.filter((r) => isEnded(r, now));
  const filedRows: { program_account_id: string; provider_id: string }[] = ended.length
    ? await q(
        `SELECT DISTINCT t.program_account_id, t.submitted_by_business_id AS provider_id
           FROM transactions t JOIN program_accounts pa ON pa.id = t.program_account_id
          WHERE t.submitted_by_business_id = ANY($1) AND pa.business_id = ANY($2)`,
        [[...new Set(ended.map((r) => r.provider_business_id))], [...new Set(ended.map((r) => r.client_business_id))]],
      )
    : [];
  const filedOn = new Set(filedRows.map((r) => `${r.provider_id}|${r.program_account_id}`));
  const bamBusinessIds = [...new Set(memberRows.filter((m) => m.is_bam).map((m) => m.business_id))];
  const clientIds = relRows.filter((r) => r.level === RelationshipLevel.BUSINESS).map((r) => r.client_business_id);
  const explicitPaIds = [...roleRows.map((r) => r.program_account_id), ...relRows.flatMap((r) => r.program_account_ids ?? [])];
  const paRows: { id: string; business_id: string; bn15: string }[] =
    bamBusinessIds.length + clientIds.length + explicitPaIds.length > 0
      ? await q(`SELECT id, business_id, bn15 FROM program_accounts WHERE business_id = ANY($1) OR id = ANY($2)`, [
          [...bamBusinessIds, ...clientIds],
          explicitPaIds,
        ])
      : [];
  const allPas = paRows.map((p) => ({ id: p.id, businessId: p.business_id, bn15: p.bn15 }));

  const scopes = new Map<string, AccessScope>();
  for (const user of users) {
    const memberships = new Map(memberRows.filter((m) => m.user_id === user.id).map((m) => [m.business_id, m.is_bam]));
    const assignments = assignmentRows.filter((a) => a.user_id === user.id);
    const rels = relRows.filter((r) => memberships.has(r.provider_business_id));
    const grants = grantsFor(
      memberships,
      roleRows.filter((r) => r.user_id === user.id),
      rels,
      assignments,
      allPas,
      filedOn,
      now,
    );
    const reach = new Set(grants.map((g) => g.programAccountId));
    scopes.set(
      user.id,
      new AccessScope(user, now, memberships, grants, allPas.filter((p) => reach.has(p.id)), [...new Set(assignments.map((a) => a.group_id))]),
    );
  }
  return scopes;
}

const isEnded = (rel: RelationshipRow, now: Date) =>
  rel.status === RelationshipStatus.REVOKED || (rel.expires_at !== null && new Date(rel.expires_at).getTime() <= now.getTime());

function grantsFor(
  memberships: Map<string, boolean>,
  roleRows: { program_account_id: string; business_id: string; role: Role }[],
  relRows: RelationshipRow[],
  assignmentRows: { group_id: string; provider_business_id: string; client_business_id: string | null; role: ProviderRole }[],
  pas: ProgramAccountRef[],
  filedOn: Set<string>,
  now: Date,
): Grant[] {
  const pasOf = (businessId: string) => pas.filter((p) => p.businessId === businessId);
  const grants: Grant[] = [];
  for (const [b, isBam] of memberships) {
    if (!isBam) continue;
    for (const pa of pasOf(b)) {
      grants.push({ programAccountId: pa.id, businessId: b, role: Role.BAM, path: { kind: "BAM", businessId: b }, transactionFilter: null });
    }
  }
  for (const r of roleRows) {
    grants.push({
      programAccountId: r.program_account_id,
      businessId: r.business_id,
      role: r.role,
      path: { kind: "PROGRAM_ROLE", businessId: r.business_id, role: r.role },
      transactionFilter: null,
    });
  }

  for (const rel of relRows) {
    const expiredOrRevoked = isEnded(rel, now);
    const status = rel.status === RelationshipStatus.REVOKED ? RelationshipStatus.REVOKED : expiredOrRevoked ? RelationshipStatus.EXPIRED : RelationshipStatus.ACTIVE;
    if (!rel.level || !rel.role) continue;
    const relRole = toRole(rel.role);
    // Who inside the provider acts for this client: its BAM, or employees through a client group
    // (the lesser of the relationship's role and their assignment; the best group if several).
    let effective: { role: Role; groupId: string | null; assignmentRole: Role | null } | null = null;
    if (memberships.get(rel.provider_business_id)) {
      effective = { role: relRole, groupId: null, assignmentRole: null };
    } else {
      for (const a of assignmentRows) {
        if (a.provider_business_id !== rel.provider_business_id || a.client_business_id !== rel.client_business_id) continue;
        const role = lesserRole(relRole, toRole(a.role));
        if (!effective || greaterRole(effective.role, role) !== effective.role) {
          effective = { role, groupId: a.group_id, assignmentRole: toRole(a.role) };
        }
      }
    }
    if (!effective) continue;
    let covered = rel.level === RelationshipLevel.BUSINESS ? pasOf(rel.client_business_id) : pas.filter((p) => rel.program_account_ids?.includes(p.id));
    // Ended: only the accounts the provider filed on (not, say, an account the client opened since).
    if (expiredOrRevoked) covered = covered.filter((pa) => filedOn.has(`${rel.provider_business_id}|${pa.id}`));
    for (const pa of covered) {
      grants.push({
        programAccountId: pa.id,
        businessId: rel.client_business_id,
        // After expiry or revocation: read-only, and only what the provider itself submitted.
        role: expiredOrRevoked ? Role.EXPIRED : effective.role,
        path: {
          kind: "RELATIONSHIP",
          relationshipId: rel.id,
          providerBusinessId: rel.provider_business_id,
          clientBusinessId: rel.client_business_id,
          relationshipStatus: status,
          relationshipRole: relRole,
          clientGroupId: effective.groupId,
          assignmentRole: effective.assignmentRole,
        },
        transactionFilter: {
          providerBusinessId: rel.provider_business_id,
          clientBusinessId: rel.client_business_id,
          submittedByProvider: expiredOrRevoked ? true : rel.see_submitted_by_provider,
          submittedByClient: expiredOrRevoked ? false : rel.see_submitted_by_client,
          submittedByOthers: expiredOrRevoked ? false : rel.see_submitted_by_others,
        },
      });
    }
  }
  return grants;
}
