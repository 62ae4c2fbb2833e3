import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from "type-graphql";
import type { EntityManager } from "typeorm";
import { runMutation, type Tx } from "../../application/mutation.js";
import { visibleNode } from "../../application/targets.js";
import { platformRoleAllows } from "../../auth/agency.js";
import type { Context } from "../../context.js";
import { NotificationKind, RulingStatus } from "../../common/enums.js";
import { appError, badInput, forbidden } from "../../common/errors.js";
import { idOf, text } from "../../common/inputs.js";
import { query, sql } from "../../db/sql.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { RulingRequest } from "../ruling/ruling.entity.js";
import { rulingParties } from "../ruling/ruling.service.js";
import { User } from "../user/user.entity.js";
import { RulingCase } from "./ruling-case.js";

@InputType({ description: "A ruling request and the officer to assign it to." })
export class AssignRulingRequestInput {
  @Field(() => ID, { description: "The ruling request, as a queue item (RulingCase id)." })
  rulingCaseId!: string;

  @Field(() => ID, { nullable: true, description: "The officer to assign it to (a User id); you, when left out." })
  officerId?: string | null;
}

@InputType({ description: "An agency officer's decision on a ruling request." })
export class DecideRulingRequestInput {
  @Field(() => ID, { description: "The ruling request, as a queue item (RulingCase id)." })
  rulingCaseId!: string;

  @Field(() => String, { description: "The ruling, as the requester will read it (1-4000 characters)." })
  decision!: string;
}

const KIND_WORDS = (kind: string) => kind.toLowerCase().replace(/_/g, " ");

/** The work item, if the viewer may see it as one (anyone else: NOT_FOUND, like a missing one). */
const visibleCase = (ctx: Context, globalId: string) => visibleNode<RulingRequest>(ctx, "RulingCase", globalId, "rulingCaseId", "That ruling request");

async function officerName(ctx: Context, userId: string | null): Promise<string> {
  const u = userId ? await ctx.loaders.byId(User).load(userId) : null;
  return u ? `${u.displayName} (${u.username})` : "another officer";
}

/** Refusals for a request that is no longer open: CONFLICT, since the state is not the caller's to change. */
function assertOpen(r: { status: RulingStatus }) {
  if (r.status === RulingStatus.DECISION_RENDERED) throw appError("CONFLICT", "This ruling request has already been decided.");
  if (r.status === RulingStatus.WITHDRAWN) throw appError("CONFLICT", "The requester has withdrawn this ruling request.");
}

/** The row locked for this transaction, as it stands now. */
async function locked(em: EntityManager, id: string): Promise<{ status: RulingStatus; assigned_officer_id: string | null }> {
  const [row] = await em.query(`SELECT status, assigned_officer_id FROM ruling_requests WHERE id = $1 FOR UPDATE`, [id]);
  return row;
}

/**
 * Tells the requesting business's people (the person who submitted it, and the submitting business's
 * BAMs) who may still see the request.
 */
function notifyRequesters(tx: Tx, r: RulingRequest, n: { kind: NotificationKind; title: string; body: string }) {
  return tx.notifyReaders(
    { submitterUserId: r.submittedByUserId, businesses: [r.submittedByBusinessId], account: r.programAccountId, action: "VIEW_RULINGS", submitters: [r.submittedByBusinessId] },
    { ...n, businessId: r.submittedByBusinessId },
  );
}

@Resolver()
export class RulingCaseMutations {
  @Mutation(() => RulingCase, {
    description:
      "Agency officers: assign a ruling request to yourself or another officer. A new request can be assigned by any officer; an " +
      "assigned one is handed over only by its assignee (anyone else: CONFLICT, it is held). Two officers assigning at once: one " +
      "wins, the other gets CONFLICT. The " +
      "requester is told when it is first assigned, and the officer when someone else assigned it to them.",
  })
  async assignRulingRequest(@Ctx() ctx: Context, @Arg("input", () => AssignRulingRequestInput) input: AssignRulingRequestInput): Promise<RulingCase> {
    const viewerId = ctx.viewer!.id;
    return runMutation(ctx, "assignRulingRequest", {
      find: () => visibleCase(ctx, input.rulingCaseId),
      prepare: async (r) => {
        const officerId = input.officerId ? idOf(input.officerId, "User", "officerId") : viewerId;
        assertOpen(r);
        // Held by another officer: a CONFLICT whether it was taken a moment ago (two officers claiming at
        // once get one winner and one CONFLICT, however their requests interleave) or long before.
        if (r.status === RulingStatus.ASSIGNED && r.assignedOfficerId !== viewerId) {
          throw appError("CONFLICT", `This request is assigned to ${await officerName(ctx, r.assignedOfficerId)}: only they can hand it over.`);
        }
        if (r.assignedOfficerId === officerId) throw badInput("It is already assigned to that officer.", "officerId");
        return officerId;
      },
      run: async (tx, r, { prepared: officerId }) => {
        // Only agency officers are given agency work; their row is locked so the role holds until commit.
        const [target] = await query<{ ok: boolean; username: string }>(
          tx.em,
          sql`SELECT u.username, ${platformRoleAllows("u.platform_role", "DECIDE_RULINGS")} AS ok FROM users u WHERE u.id = ${officerId}::uuid FOR SHARE`,
        );
        if (!target?.ok) throw badInput("That person is not an agency officer: ruling requests are assigned to agency officers only.", "officerId");
        // Compare-and-set on the locked row: still new, or still the actor's to hand over.
        const before = await locked(tx.em, r.id);
        const claimable = before.status === RulingStatus.SUBMITTED || (before.status === RulingStatus.ASSIGNED && before.assigned_officer_id === viewerId);
        if (!claimable || before.assigned_officer_id === officerId) {
          assertOpen(before);
          throw appError("CONFLICT", `This request is assigned to ${await officerName(ctx, before.assigned_officer_id)}: only they can hand it over.`);
        }
        await tx.em.query(`UPDATE ruling_requests SET status = 'ASSIGNED', assigned_officer_id = $2, assigned_at = now() WHERE id = $1`, [r.id, officerId]);
        const after = await tx.em.getRepository(RulingRequest).findOneByOrFail({ id: r.id });
        const previous = before.assigned_officer_id ? (await tx.em.getRepository(User).findOneBy({ id: before.assigned_officer_id }))?.username ?? null : null;
        await tx.auditEach(await rulingParties(tx.em, r), {
          action: before.status === RulingStatus.SUBMITTED ? "ruling.assigned" : "ruling.reassigned",
          targetType: "RulingRequest",
          targetId: r.id,
          before: { status: before.status, assignee: previous },
          after: { status: RulingStatus.ASSIGNED, assignee: target.username },
        });
        const pa = await tx.em.getRepository(ProgramAccount).findOneByOrFail({ id: r.programAccountId });
        if (before.status === RulingStatus.SUBMITTED) {
          await notifyRequesters(tx, r, {
            kind: NotificationKind.RULING_ASSIGNED,
            title: "Ruling request assigned",
            body: `Your ${KIND_WORDS(r.kind)} ruling request on ${pa.bn15} is now with an agency officer.`,
          });
        }
        if (officerId !== viewerId) {
          await tx.notify([officerId], {
            kind: NotificationKind.RULING_ASSIGNED,
            title: "Ruling request assigned to you",
            body: `${tx.actor.displayName} assigned you a ${KIND_WORDS(r.kind)} ruling request (${pa.bn15}).`,
            businessId: null,
          });
        }
        return RulingCase.of(after);
      },
    });
  }

  @Mutation(() => RulingCase, {
    description:
      "Agency officers: render the decision on a ruling request assigned to you. It is final: the status becomes DECISION_RENDERED " +
      "and the requester is told. A decision and a withdrawal (or a hand-over) at the same moment: one wins, the other gets CONFLICT.",
  })
  async decideRulingRequest(@Ctx() ctx: Context, @Arg("input", () => DecideRulingRequestInput) input: DecideRulingRequestInput): Promise<RulingCase> {
    const decision = text(input.decision, "decision", { max: 4000, required: true })!;
    const viewerId = ctx.viewer!.id;
    return runMutation(ctx, "decideRulingRequest", {
      find: () => visibleCase(ctx, input.rulingCaseId),
      prepare: async (r) => {
        assertOpen(r);
        if (r.status === RulingStatus.SUBMITTED) throw forbidden("Assign this request to yourself first: only its assigned officer decides it.");
        if (r.assignedOfficerId !== viewerId) throw forbidden(`Only the assigned officer, ${await officerName(ctx, r.assignedOfficerId)}, decides this request.`);
      },
      run: async (tx, r) => {
        const before = await locked(tx.em, r.id);
        if (before.status !== RulingStatus.ASSIGNED || before.assigned_officer_id !== viewerId) {
          assertOpen(before);
          throw appError("CONFLICT", `This request was handed over to ${await officerName(ctx, before.assigned_officer_id)} in the meantime.`);
        }
        await tx.em.query(`UPDATE ruling_requests SET status = 'DECISION_RENDERED', decision = $2, decided_at = now() WHERE id = $1`, [r.id, decision]);
        const after = await tx.em.getRepository(RulingRequest).findOneByOrFail({ id: r.id });
        await tx.auditEach(await rulingParties(tx.em, r), {
          action: "ruling.decided",
          targetType: "RulingRequest",
          targetId: r.id,
          before: { status: before.status },
          after: { status: RulingStatus.DECISION_RENDERED, decision },
        });
        const pa = await tx.em.getRepository(ProgramAccount).findOneByOrFail({ id: r.programAccountId });
        await notifyRequesters(tx, r, {
          kind: NotificationKind.RULING_DECIDED,
          title: "Ruling decision rendered",
          body: `The agency decided your ${KIND_WORDS(r.kind)} ruling request on ${pa.bn15}: read the decision in the portal.`,
        });
        return RulingCase.of(after);
      },
    });
  }
}
