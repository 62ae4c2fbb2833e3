import type { EntityManager } from "typeorm";
import { QueryFailedError } from "typeorm";
import { refreshContext, type Context } from "../context.js";
import { Access } from "../auth/access.js";
import { AuditEvent } from "../modules/audit/audit.entity.js";
import { Notification } from "../modules/notification/notification.entity.js";
import { queueEmails } from "../modules/notification/email.service.js";
import type { NotificationKind } from "./enums.js";
import { appError, badInput, unauthenticated } from "./errors.js";
import { fromGlobalId } from "./node.js";
import type { Sql } from "../db/sql.js";
import { publish } from "../events/bus.js";

/**
 * Runs a mutation as one database transaction: its change, its audit events and its notifications
 * commit together or not at all. Unique-constraint races become CONFLICT.
 *
 * The actor's authority is checked again inside the transaction: their memberships and program roles
 * are locked (FOR SHARE, so a concurrent removal waits for this change to finish) and their access is
 * read again, inside the transaction, before `authorize` runs. A manager removed a moment ago cannot
 * still grant. Afterwards the request's access and loaders are rebuilt, so the payload already shows
 * the access the change gave or took.
 */
export async function mutate<T>(
  ctx: Context,
  work: (em: EntityManager, access: Access) => Promise<T>,
  opts: { authorize?: (access: Access) => void | Promise<void> } = {},
): Promise<T> {
  const viewer = ctx.viewer;
  if (!viewer) throw unauthenticated();
  return runMutation(ctx, viewer, work, opts);
}

async function runMutation<T>(
  ctx: Context,
  viewer: NonNullable<Context["viewer"]>,
  work: (em: EntityManager, access: Access) => Promise<T>,
  opts: { authorize?: (access: Access) => void | Promise<void> },
): Promise<T> {
  let result: T;
  try {
    result = await ctx.db.transaction("READ COMMITTED", async (em) => {
      await em.query(`SELECT 1 FROM business_memberships WHERE user_id = $1 FOR SHARE`, [viewer.id]);
      await em.query(`SELECT 1 FROM program_roles WHERE user_id = $1 FOR SHARE`, [viewer.id]);
      const access = await Access.load(em, viewer, new Date());
      await opts.authorize?.(access);
      return work(em, access);
    });
  } catch (err) {
    throw translateDbError(err);
  }
  await refreshContext(ctx);
  return result;
}

/** What a unique violation means, per constraint: a message, or an input error naming the field. */
const constraintMessages: Record<string, string | { message: string; field: string }> = {
  relationships_one_live_per_pair: "There is already a pending or active relationship between these two businesses.",
  client_groups_provider_name: "A client group with this name exists (or existed) for this provider; choose another name.",
  employee_access_requests_one_pending: "You already have a pending access request to this business.",
  business_memberships_user_business: "This person is already a member of the business.",
  client_group_assignments_group_user: "This person is already assigned to the group.",
  businesses_asec: { message: "This ASEC belongs to another business: check the number the agency gave you.", field: "asec" },
};

function translateDbError(err: unknown): unknown {
  if (err instanceof QueryFailedError) {
    const driverError = (err as QueryFailedError & { driverError: { code?: string; constraint?: string } }).driverError;
    if (driverError.code === "23505") {
      const known = constraintMessages[driverError.constraint ?? ""];
      if (typeof known === "object") return badInput(known.message, known.field);
      return appError("CONFLICT", known ?? "This conflicts with an existing record.");
    }
    if (driverError.code === "23514" && driverError.constraint === "transaction_sequences_range") {
      return appError("CONFLICT", "The filing business has used every transaction number its ASEC allows (99,999,999 of them).");
    }
    if (driverError.code === "40001" || driverError.code === "40P01") {
      return appError("CONFLICT", "Another change to the same records happened at the same moment; try again.");
    }
    // Data exceptions (class 22) come from values the client sent that a check upstream let through:
    // still the client's mistake, never an internal error.
    if (driverError.code && dataExceptions[driverError.code]) return appError("BAD_USER_INPUT", dataExceptions[driverError.code]!);
  }
  return err;
}

const dataExceptions: Record<string, string> = {
  "22001": "A value is longer than the field allows.",
  "22003": "A number is out of the range the field allows.",
  "22007": "A date or time is not valid.",
  "22008": "A date or time is out of range.",
  "22021": "A text value contains a character that cannot be stored.",
  "22P02": "A value does not have the expected format.",
  "22P05": "A text value contains a character that cannot be stored (such as NUL).",
};

export interface AuditInput {
  businessId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Writes audit events in the mutation's own transaction (actor = the viewer). */
export async function audit(em: EntityManager, ctx: Context, ...events: AuditInput[]): Promise<void> {
  // Every audited change of who reaches what tells the businesses concerned (their dashboards look again).
  const changed = new Set(events.flatMap((e) => (e.businessId && ACCESS_ACTIONS.test(e.action) ? [e.businessId] : [])));
  for (const businessId of changed) await publish(em, { kind: "ACCESS_CHANGED", businessId });
  for (const e of events) {
    await em.getRepository(AuditEvent).save(
      Object.assign(new AuditEvent(), {
        businessId: e.businessId,
        actorUserId: ctx.viewer!.id,
        action: e.action,
        targetType: e.targetType,
        targetId: e.targetId,
        before: e.before ?? null,
        after: e.after ?? null,
      }),
    );
  }
}

/** Audit actions that change who reaches what (relationship approved, changed or ended; groups; roles). */
const ACCESS_ACTIONS = /^(relationship\.(approved|updated|ended)|client_group\.(deleted|client_added|client_removed|assignment_changed)|member\.|employee_request\.approved)/;

/**
 * The one way to notify people: an in-portal notification to each user and, for those who chose
 * email for this kind (notification_preferences), an email copy queued in the outbox. Both are
 * written in `em`'s transaction, so they exist exactly when the change they announce commits.
 * Any workflow (or scheduled job) producing a notification calls this, e.g. STATEMENT_ISSUED when
 * a statement is issued, with the recipients it chose. `title` and `body` are shown to the
 * recipients and emailed as they are: put nothing in them that a recipient may not see.
 */
export async function notify(
  em: EntityManager,
  userIds: Iterable<string>,
  n: { kind: NotificationKind; title: string; body: string; businessId: string | null },
): Promise<void> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  if (!em.queryRunner?.isTransactionActive) throw new Error("notify() must run inside the transaction of the change it announces");
  const inserted = await em.getRepository(Notification).insert(unique.map((userId) => ({ userId, ...n, readAt: null })));
  await queueEmails(em, inserted.identifiers.map((i) => i.id as string), n);
}

/** The database id behind a global id of the expected type, or BAD_USER_INPUT naming the field. */
export function idOf(globalId: string, type: string, field: string): string {
  const parsed = fromGlobalId(globalId);
  if (!parsed || parsed.type !== type) throw badInput(`"${globalId}" is not the id of a ${type}.`, field);
  return parsed.id;
}

/** Trimmed free text within bounds and without control characters, or BAD_USER_INPUT naming the field. */
export function text(value: string | null | undefined, field: string, opts: { min?: number; max: number; required?: boolean }): string | null {
  const v = (value ?? "").normalize("NFC").trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(v)) throw badInput(`${field} contains control characters.`, field);
  if (!v) {
    if (opts.required) throw badInput(`${field} is required.`, field);
    return null;
  }
  if (v.length < (opts.min ?? 1)) throw badInput(`${field} must be at least ${opts.min} characters.`, field);
  if (v.length > opts.max) throw badInput(`${field} must be at most ${opts.max} characters (got ${v.length}).`, field);
  return v;
}

/** Plain JSON of an entity's own columns, for audit before/after. */
export function snapshot(entity: object, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = (entity as Record<string, unknown>)[f];
    out[f] = v instanceof Date ? v.toISOString() : (v ?? null);
  }
  return out;
}

/**
 * Runs an UPDATE/INSERT/DELETE ... RETURNING in the transaction and returns the rows it touched
 * (TypeORM's plain `query` answers UPDATE and DELETE with `[rows, count]`).
 */
export async function returning<T = Record<string, unknown>>(em: EntityManager, statement: string | Sql, params: unknown[] = []): Promise<T[]> {
  if (!em.queryRunner) throw new Error("returning() must run inside a transaction");
  const result = typeof statement === "string" ? await em.queryRunner.query(statement, params, true) : await em.queryRunner.query(statement.text, statement.values, true);
  return result.records as T[];
}
