import { DRIVEN_BY_IDS, join, query, raw, sql, type Queryable, type Sql } from "../db/sql.js";
import type { Access, Principal } from "./access.js";
import { employmentColumns, type AccessLoader, type EmploymentRow } from "./access-loader.js";
import { grantAllows, grantSeesWholeAccount, grantsSql } from "./grants.js";
import { moneyOf, postingRules, postingTotals, type PostingTotalsRow, type StatementMoney } from "./money.js";

/**
 * Who, of the people subscribed in this process, may see one event, decided for all of them in one
 * SQL statement: their ids are an array joined to the grants relation (grants.ts), and every rule
 * is the one the API applies to a single request (money.ts, access.ts). A live event costs one
 * decision however many people follow it; the property test (test/authorization.property.test.ts)
 * checks, in random worlds, that for every viewer and every event this equals what each viewer's own
 * request decides (Access.can, statementMoney, roleOn) and what the domain's reference model says.
 *
 * Each viewer's answer comes with their Access, read in the same statement (employmentColumns, as
 * sign-in reads it) and primed with what the decision found on the event's account, so that
 * rendering the event for them asks PostgreSQL nothing more about who they are.
 */

/** One viewer's part of an event's audience: their access now, and the rule's answer for this event. */
export interface AudienceMember<V> {
  access: Access;
  verdict: V;
}

export interface Audience<V> {
  members: Map<string, AudienceMember<V>>;
  /** The caller's own columns, read in the same statement (`alongside`), by name. */
  alongside: Record<string, unknown>;
}

/** What a viewer may see of a statement event: whether they may view it, and its money as they see it. */
export interface StatementVerdict {
  mayView: boolean;
  /**
   * Whether the change is one they see: always with a FULL view; otherwise only when the event names
   * no journal line (the statement itself changed: issued) or one of the lines it names is on this
   * statement and theirs to see. Every amount they receive is a sum of lines they may see, so no
   * other change moves anything of theirs, and they are not told of it.
   */
  concerned: boolean;
  /** Their view of the statement's money (statementMoney's answer); null when they may not view it. */
  money: StatementMoney | null;
}

const ROW_COLUMNS = ["user_id", "memberships", "grants", "groups", "acts_for_clients"] as const;

/**
 * Runs the audience statement: for each viewer (`v.user_id`) their employment and the `verdict`
 * columns, all folded into one JSON value, with the caller's `alongside` columns beside it. The
 * verdicts read what `prelude` (a WITH list) defines, through `joins` (FROM items joined on the
 * viewer: aggregates computed once for all viewers, so that the statement grows with the viewers,
 * not with their square). Returns each viewer's access and verdict columns.
 */
async function audience<R extends Record<string, unknown>>(
  db: Queryable,
  loader: AccessLoader,
  viewers: readonly Principal[],
  now: Date,
  parts: { prelude?: Sql; joins?: Sql; verdict: { [K in keyof R]: Sql }; alongside: Record<string, Sql> },
): Promise<{ members: Map<string, { access: Access; row: R }>; alongside: Record<string, unknown> }> {
  const ids = viewers.map((v) => v.id);
  const verdictNames = Object.keys(parts.verdict) as (keyof R & string)[];
  const columns = [...ROW_COLUMNS, ...verdictNames];
  const selected = [employmentColumns(now, sql`v.user_id`), ...verdictNames.map((name) => sql`${parts.verdict[name]} AS ${raw(`"${name}"`)}`)];
  const alongside = Object.entries(parts.alongside);
  const [row] = await query<Record<string, unknown>>(
    db,
    sql`${parts.prelude ? sql`WITH ${parts.prelude} ` : sql``}SELECT
      (SELECT coalesce(json_agg(json_build_array(${raw(columns.map((c) => `x."${c}"`).join(", "))})), '[]'::json)
         FROM (SELECT v.user_id, ${join(selected, ", ")} FROM unnest(${ids}::uuid[]) AS v(user_id)${parts.joins ?? sql``}) x) AS members${
      alongside.length ? sql`, ${join(alongside.map(([name, expr]) => sql`${expr} AS ${raw(`"${name}"`)}`), ", ")}` : sql``
    }`,
    DRIVEN_BY_IDS,
  );
  const byId = new Map(viewers.map((v) => [v.id, v]));
  const members = new Map<string, { access: Access; row: R }>();
  for (const values of row!.members as unknown[][]) {
    const [userId, memberships, grants, groups, actsForClients] = values as [string, EmploymentRow["memberships"], EmploymentRow["grants"], string[], boolean];
    const viewer = byId.get(userId);
    if (!viewer) continue;
    const access = loader.fromRow(db, viewer, now, { memberships, grants, groups, acts_for_clients: actsForClients });
    members.set(userId, { access, row: Object.fromEntries(verdictNames.map((name, i) => [name, values[ROW_COLUMNS.length + i]])) as R });
  }
  const { members: _members, ...rest } = row!;
  return { members, alongside: rest };
}

/**
 * STATEMENT_UPDATED: for each viewer, whether they may view the statements of its program account
 * (a grant of theirs allows VIEW_STATEMENTS, as Access.can decides) and, if so, its money as they see it (statementMoney's rule: FULL with a
 * grant that sees every transaction of the account, otherwise RESTRICTED with the subtotal of the
 * postings their grants let through). Their access comes primed with their relationship roles on
 * the account, as a list that read them would leave it (Access.learnProviderRoles).
 */
export async function statementAudience(
  db: Queryable,
  event: { statementId: string; programAccountId: string; postingIds?: string[] },
  viewers: readonly Principal[],
  /** The process's (its clock: the instant rules are judged at, as every request of it judges them). */
  loader: AccessLoader,
  alongside: Record<string, Sql> = {},
): Promise<Audience<StatementVerdict>> {
  const now = loader.clock();
  const ids = viewers.map((v) => v.id);
  const account = sql`${event.programAccountId}::uuid`;
  const statement = sql`${event.statementId}::uuid`;
  // Every path of every viewer to the account, read once for all of them. The postings a grant lets
  // through depend on the grant's terms, not on whose it is: they are judged once per distinct set of
  // terms (`profile`: the owner's people share one, a relationship's people another), then summed per
  // viewer over the distinct postings any of their grants lets through (the sums statementMoney
  // makes: money.ts, postingTotals). The profile is every column postingRules reads of a grant: a rule
  // reading another must add it here (the property test would find the worlds where two grants with
  // different terms were judged as one).
  const prelude = sql`g AS MATERIALIZED (
        SELECT x.*, dense_rank() OVER (ORDER BY x.role, x.provider_business_id, x.business_id, x.see_provider, x.see_client, x.see_others) AS profile
          FROM (${grantsSql({ now, users: ids, account })}) x),
      p AS MATERIALIZED (SELECT DISTINCT ON (g.profile) g.* FROM g),
      pp AS MATERIALIZED (
        SELECT p.profile, sp.id, sp.kind, sp.amount FROM p JOIN statement_postings sp ON sp.statement_id = ${statement}
         WHERE ${postingRules("p", "sp")}),
      per AS (
        SELECT g.user_id,
               coalesce(json_agg(g.role) FILTER (WHERE g.via = 'RELATIONSHIP'), '[]'::json) AS provider_roles,
               bool_or(${grantAllows("g", "VIEW_STATEMENTS")}) AS may_view,
               bool_or(${grantAllows("g", "VIEW_STATEMENTS")} AND ${grantSeesWholeAccount("g")}) AS full
          FROM g GROUP BY g.user_id),
      seen AS (SELECT DISTINCT g.user_id, pp.id, pp.kind, pp.amount FROM g JOIN pp ON pp.profile = g.profile),
      totals AS (SELECT seen.user_id, ${postingTotals("seen")} FROM seen GROUP BY seen.user_id)`;
  const named = event.postingIds;
  const { members, alongside: read } = await audience<{ provider_roles: string[]; may_view: boolean; full: boolean; concerned: boolean; totals: PostingTotalsRow | null }>(
    db,
    loader,
    viewers,
    now,
    {
      prelude,
      joins: sql` LEFT JOIN per ON per.user_id = v.user_id LEFT JOIN totals ON totals.user_id = v.user_id`,
      verdict: {
        provider_roles: sql`coalesce(per.provider_roles, '[]'::json)`,
        may_view: sql`coalesce(per.may_view, false)`,
        full: sql`coalesce(per.full, false)`,
        concerned: named
          ? sql`(coalesce(per.full, false) OR EXISTS (SELECT 1 FROM seen WHERE seen.user_id = v.user_id AND seen.id = ANY(${named}::uuid[])))`
          : sql`TRUE`,
        totals: sql`CASE WHEN totals.user_id IS NULL THEN NULL ELSE json_build_object('charges', totals.charges, 'corrections', totals.corrections,
          'credits', totals.credits, 'interest', totals.interest, 'payments', totals.payments, 'refunds', totals.refunds, 'visible_charges', totals.visible_charges) END`,
      },
      alongside: {
        ...alongside,
        // The statement's own figures: shown only with a FULL view.
        whole: sql`(SELECT json_build_object('outstanding', (SELECT coalesce(sum(sp.open_amount), 0) FROM statement_postings sp WHERE sp.statement_id = s.id AND sp.amount > 0)::text,
                      'previousBalance', s.previous_balance::text, 'totalPayable', s.total_payable::text) FROM statements s WHERE s.id = ${statement})`,
      },
    },
  );
  const { whole, ...rest } = read as { whole: { outstanding: string; previousBalance: string; totalPayable: string } | null };
  const result = new Map<string, AudienceMember<StatementVerdict>>();
  for (const [userId, { access, row }] of members) {
    // As a list that read them would leave it: roleOn(account) needs no statement of its own.
    access.learnProviderRoles(new Map([[event.programAccountId, row.provider_roles]]));
    const money: StatementMoney | null = row.may_view ? moneyOf(row.full, row.totals, whole) : null;
    result.set(userId, { access, verdict: { mayView: row.may_view, concerned: row.may_view && row.concerned, money } });
  }
  return { members: result, alongside: rest };
}

/**
 * ACCESS_CHANGED: for each viewer, whether they are an active member of the business (who is told
 * that who reaches what through it changed). Active memberships are part of every access; the rule
 * is Access.isMember's.
 */
export async function memberAudience(
  db: Queryable,
  businessId: string,
  viewers: readonly Principal[],
  loader: AccessLoader,
  alongside: Record<string, Sql> = {},
): Promise<Audience<{ member: boolean }>> {
  const { members, alongside: read } = await audience<Record<string, never>>(db, loader, viewers, loader.clock(), { verdict: {}, alongside });
  const result = new Map<string, AudienceMember<{ member: boolean }>>();
  for (const [userId, { access }] of members) result.set(userId, { access, verdict: { member: access.isMember(businessId) } });
  return { members: result, alongside: read };
}
