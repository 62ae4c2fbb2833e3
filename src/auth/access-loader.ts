import { query, sql, type Queryable, type Sql } from "../db/sql.js";
import { Access, type Principal } from "./access.js";
import { BooksBySize, type BookOfBusiness } from "./books.js";
import { grantsSql, type GrantRow } from "./grants.js";

/**
 * Reads a person's Access: the process's clock and book strategy, given once (the server's, or a
 * test's own), so that every access of a process (a request's, a mutation's inside its
 * transaction, a subscription event's) judges expiry and reads books alike.
 */
export class AccessLoader {
  readonly clock: () => Date;
  readonly books: BookOfBusiness;

  constructor(opts: { clock?: () => Date; books?: BookOfBusiness } = {}) {
    this.clock = opts.clock ?? (() => new Date());
    this.books = opts.books ?? new BooksBySize();
  }

  anonymous(db: Queryable): Access {
    return new Access(db, null, this.clock(), new Map(), [], [], false, this);
  }

  /** One query: the person's memberships, own paths and client groups. */
  async load(db: Queryable, viewer: Principal | null): Promise<Access> {
    if (!viewer) return this.anonymous(db);
    const now = this.clock();
    const [row] = await query<EmploymentRow>(db, sql`SELECT ${employmentColumns(now, sql`${viewer.id}::uuid`)}`, { ...REUSE, label: "access: employment" });
    return this.fromRow(db, viewer, now, row!);
  }

  /**
   * Sign-in's one query: the profile of a token's subject (`profileColumns` of `users u`, for the
   * caller to hydrate) with the same employment columns as `load`; no row when the subject has no
   * profile yet. The columns are named, not `u.*`: a prepared statement's result must keep its shape
   * when a migration adds a column while this process runs.
   */
  async loadBySubject(db: Queryable, subject: string, profileColumns: Sql): Promise<{ row: Record<string, unknown>; access: Access } | null> {
    const now = this.clock();
    const [row] = await query<EmploymentRow & Record<string, unknown>>(
      db,
      sql`SELECT ${profileColumns}, ${employmentColumns(now, sql`u.id`)} FROM users u WHERE u.subject = ${subject}`,
      { ...REUSE, label: "access: sign-in" },
    );
    if (!row) return null;
    const { memberships, grants, groups, acts_for_clients, ...user } = row;
    const viewer = { id: user.id as string, platformRole: (user.platform_role as string | null) ?? null };
    return { row: user, access: this.fromRow(db, viewer, now, { memberships, grants, groups, acts_for_clients }) };
  }

  /**
   * The same person's access as `access` (its employment as read then), on `db`, at the clock's
   * time, with none of its caches: what the policy learned of other rows before a change (grants
   * through relationships, objects known visible) is asked again.
   */
  again(db: Queryable, access: Access): Access {
    return new Access(db, access.viewer, this.clock(), access.memberships, access.ownGrants, access.clientGroupIds, access.actsForClients, this);
  }

  /** The access of a person whose employment was read with `employmentColumns` (sign-in, an event's audience: audience.ts). */
  fromRow(db: Queryable, viewer: Principal, now: Date, row: EmploymentRow): Access {
    return new Access(db, viewer, now, new Map(row.memberships.map((m) => [m.business_id, m.is_bam])), row.grants, row.groups, row.acts_for_clients, this);
  }
}

export interface EmploymentRow {
  memberships: { business_id: string; is_bam: boolean }[];
  grants: GrantRow[];
  groups: string[];
  acts_for_clients: boolean;
}

/** The person's (a uuid expression) memberships, own paths, client groups, and whether they act for clients, as columns. */
export function employmentColumns(now: Date, user: Sql): Sql {
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

/** The policy's lookups: keyed by ids, the same plan serves every viewer and book (see QueryOptions). */
const REUSE = { plan: "reuse" } as const;

/** Real time and books judged by size: for scripts, benchmarks and tests that do not bring their own. */
export const defaultAccessLoader = new AccessLoader();
