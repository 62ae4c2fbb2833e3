import type { EntityManager } from "typeorm";
import type { Access } from "../auth/access.js";
import { writeAuthority, type GrantOf, type MutationName, type SubjectOf } from "../auth/authority.js";
import { appError, unauthenticated } from "../common/errors.js";
import { refreshContext, renewContext, type Context } from "../context.js";
import { query, returning, sql, type Sql } from "../db/sql.js";
import { readCommitted } from "../db/transaction.js";
import type { User } from "../modules/user/user.entity.js";
import { writeAudit, type AuditInput } from "./audit.js";
import { translateDbError } from "./db-errors.js";
import { notify, notifyReaders, type Notice } from "./notify.js";

/**
 * The one way a mutation changes data. Every mutation configures the same steps, and its authority
 * is the one declared for it in auth/authority.ts (looked up by the mutation's name):
 *
 *   1. find      what it acts on (id -> load -> visible, or NOT_FOUND, like what does not exist);
 *   2. check     the declared requirement, with the request's access (FORBIDDEN);
 *   3. prepare   what only an allowed person may have answered (input checked against the target);
 *   4. in one transaction: the person's memberships, program roles and profile row locked (FOR SHARE,
 *      so that a concurrent removal waits for this change to finish) and their access read again;
 *      `lock` locks what the decision reads and gives it as it is now; the declared requirement is
 *      checked again on that; `run` makes the change (a compare-and-set where two people may race:
 *      Tx.claim), writes its audit events and notifications (Tx.audit, Tx.notify);
 *   5. database refusals become the client's errors (db-errors.ts); after the commit, the request's
 *      access and loaders are rebuilt, so that the payload already shows what the change gave or took:
 *      the access read again, or, for a mutation declared to change none of it, the one read in the
 *      transaction (authority.ts, `access`).
 *
 * Step 2 guards `prepare` and `lock`: nothing that only an allowed person may have answered or
 * locked runs before it. A mutation that has neither is checked once, inside the transaction (step
 * 4), with the same requirement on access read later: the same FORBIDDEN, one statement fewer where
 * the requirement asks PostgreSQL (a filing's acting businesses), and never a check made on access
 * older than the one that decides.
 */
export interface MutationSteps<T, S, G, P, R> {
  /** What the mutation acts on, found before anything else: NOT_FOUND for what the person may not see. */
  find?: () => Promise<T>;
  /** What the declared requirement reads of the target (default: the target itself). */
  subject?: (target: T) => S | Promise<S>;
  /** After the check, before the transaction: input checked against the target, lookups; what `run` needs. */
  prepare?: (target: T, granted: G) => P | Promise<P>;
  /** Inside the transaction, before the second check: lock what the decision reads and give the subject as it is now (default: as found). */
  lock?: (tx: Tx, target: T, prepared: P) => Promise<S>;
  /** The change, its audit and notifications, inside the transaction: what was found, prepared, and granted by the second check on `subject`. */
  run: (tx: Tx, target: T, done: { granted: G; prepared: P; subject: S }) => Promise<R>;
}

/** `subject` may be left out only where the requirement reads nothing, or the target itself (checked, not inferred from). */
type SubjectGiven<T, S> = NoInfer<[S] extends [void] ? unknown : [T] extends [S] ? unknown : { subject: (target: T) => S | Promise<S> }>;

export async function runMutation<N extends MutationName, T = undefined, P = undefined, R = unknown>(
  ctx: Context,
  name: N,
  steps: MutationSteps<T, SubjectOf<N>, GrantOf<N>, P, R> & SubjectGiven<T, SubjectOf<N>>,
): Promise<R> {
  const viewer = signedIn(ctx, name);
  const target = (steps.find ? await steps.find() : undefined) as T;
  const subject = (steps.subject ? await steps.subject(target) : target) as SubjectOf<N>;
  let prepared = undefined as P;
  if (steps.prepare || steps.lock) {
    const granted = await check(name, ctx.access, subject);
    if (steps.prepare) prepared = await steps.prepare(target, granted);
  }
  let result: R;
  let txAccess: Access;
  try {
    result = await readCommitted(ctx.db, async (em) => {
      const tx = await openTx(em, ctx, viewer);
      txAccess = tx.access;
      const current = steps.lock ? await steps.lock(tx, target, prepared) : subject;
      return steps.run(tx, target, { granted: await check(name, tx.access, current), prepared, subject: current });
    });
  } catch (err) {
    throw translateDbError(err);
  }
  if (writeAuthority[name].access === "changes none") renewContext(ctx, txAccess!);
  else await refreshContext(ctx);
  return result;
}

/**
 * For a mutation whose work is several transactions (issuing statements: one per account): the
 * declared requirement checked before any of them, with the request's access.
 */
export async function checkBefore<N extends MutationName>(ctx: Context, name: N, subject: SubjectOf<N>): Promise<GrantOf<N>> {
  signedIn(ctx, name);
  return check(name, ctx.access, subject);
}

/** ... and again inside each of them, with the access read there (see openTx). */
export async function checkInside<N extends MutationName>(em: EntityManager, ctx: Context, name: N, subject: SubjectOf<N>): Promise<GrantOf<N>> {
  const tx = await openTx(em, ctx, signedIn(ctx, name));
  return check(name, tx.access, subject);
}

function signedIn(ctx: Context, name: MutationName): User {
  // The permission map's gate for this field recorded its name: a resolver runs under its own declaration.
  if (ctx.mutation !== undefined && ctx.mutation !== name) throw new Error(`the mutation ${ctx.mutation} ran under the authority declared for ${name}`);
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}

function check<N extends MutationName>(name: N, access: Access, subject: SubjectOf<N>): Promise<GrantOf<N>> {
  const requires = writeAuthority[name].requires as { check(access: Access, subject: unknown): unknown };
  return Promise.resolve(requires.check(access, subject)) as Promise<GrantOf<N>>;
}

/** The label of the statement that locks the actor's authority (where a mutation waits for a concurrent change of it). */
export const ACTOR_LOCKED = "mutation: the actor locked";

/**
 * The person's authority as of now, inside the transaction: their memberships and program roles
 * locked FOR SHARE (a concurrent removal waits for this change to finish, and this change for it),
 * and their profile row too, read from the locked row itself (a platform role taken away by a
 * transaction this one waited for is seen as it is now: a subquery would read the statement's older
 * snapshot). The access is then read in a statement of its own, which sees what those waited for.
 */
async function openTx(em: EntityManager, ctx: Context, viewer: User): Promise<Tx> {
  const [row] = await query<{ platform_role: string | null }>(
    em,
    sql`WITH m AS (SELECT 1 FROM business_memberships WHERE user_id = ${viewer.id}::uuid FOR SHARE),
             r AS (SELECT 1 FROM program_roles WHERE user_id = ${viewer.id}::uuid FOR SHARE)
        SELECT u.platform_role, (SELECT count(*) FROM m) + (SELECT count(*) FROM r) AS locked FROM users u WHERE u.id = ${viewer.id}::uuid FOR SHARE OF u`,
    { label: ACTOR_LOCKED },
  );
  if (!row) throw unauthenticated("Your portal profile no longer exists.");
  const access = await ctx.access.loader.load(em, { id: viewer.id, platformRole: row.platform_role });
  return new Tx(em, access, viewer);
}

/** A mutation's transaction: where its change, audit events and notifications are written together. */
export class Tx {
  constructor(
    readonly em: EntityManager,
    /** The person's access, read inside this transaction. */
    readonly access: Access,
    /** The person making the change: the audit's actor. */
    readonly actor: User,
  ) {}

  /** The instant the change is judged at (the access's: expiry, business dates). */
  get now(): Date {
    return this.access.now;
  }

  audit(...events: AuditInput[]): Promise<void> {
    return writeAudit(this.em, this.actor.id, events);
  }

  /** One event in the audit trail of each business it concerns (an agency action, a ruling's parties). */
  auditEach(businessIds: Iterable<string>, event: Omit<AuditInput, "businessId">): Promise<void> {
    const businesses = [...new Set(businessIds)];
    if (businesses.length === 0) throw new Error(`audit of ${event.action}: it concerns at least one business`);
    return this.audit(...businesses.map((businessId) => ({ ...event, businessId })));
  }

  notify(userIds: Iterable<string>, n: Notice): Promise<void> {
    return notify(this.em, userIds, n);
  }

  /** Tells those of a record's people who may read it (notify.ts, notifyReaders). */
  notifyReaders(who: Parameters<typeof notifyReaders>[2], n: Parameters<typeof notifyReaders>[3]): Promise<void> {
    return notifyReaders(this.em, this.now, who, n);
  }

  returning<T = Record<string, unknown>>(statement: string | Sql, params: unknown[] = []): Promise<T[]> {
    return returning<T>(this.em, statement, params);
  }

  /**
   * A compare-and-set: an UPDATE/DELETE ... WHERE <the state it expects> RETURNING that must touch a
   * row, or CONFLICT with `conflict` (someone else's change came first: of two at once, one wins).
   */
  async claim<T = Record<string, unknown>>(statement: string | Sql, params: unknown[], conflict: string): Promise<T[]> {
    const rows = await this.returning<T>(statement, params);
    if (rows.length === 0) throw appError("CONFLICT", conflict);
    return rows;
  }
}
