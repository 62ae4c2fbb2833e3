import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from "type-graphql";
import type { EntityManager } from "typeorm";
import { snapshot } from "../../application/audit.js";
import { runMutation, type Tx } from "../../application/mutation.js";
import { bamsOf } from "../../auth/people.js";
import type { Context } from "../../context.js";
import { MembershipStatus, NotificationKind, ProgramRole } from "../../common/enums.js";
import { appError, forbidden, notFound } from "../../common/errors.js";
import { idOf } from "../../common/inputs.js";
import { businessByBn9 } from "../business/business.service.js";
import { programAccountByBn15 } from "../program-account/program-account.service.js";
import { BusinessMembership, ProgramRoleAssignment } from "./membership.entity.js";

@InputType({ description: "A person's role on a program account to set (or remove)." })
export class SetProgramRoleInput {
  @Field(() => ID, { description: "The member (User id)." })
  userId!: string;

  @Field(() => String, { description: "The program account (BN15)." })
  bn15!: string;

  @Field(() => ProgramRole, { nullable: true, description: "The new role; null removes their role on this account." })
  role?: ProgramRole | null;
}

@InputType({ description: "A person and the business they belong to." })
export class MemberInput {
  @Field(() => ID, { description: "The member (User id)." })
  userId!: string;

  @Field(() => String, { description: "The business (BN9)." })
  bn9!: string;
}

/** The active membership of `userId` in `businessId`, locked for this transaction; NOT_FOUND otherwise. */
async function lockedMembership(em: EntityManager, userId: string, businessId: string): Promise<BusinessMembership> {
  const m = await em
    .getRepository(BusinessMembership)
    .createQueryBuilder("m")
    .setLock("pessimistic_write")
    .where("m.user_id = :userId AND m.business_id = :businessId AND m.status = 'ACTIVE'", { userId, businessId })
    .getOne();
  if (!m) throw notFound("That member");
  return m;
}

/**
 * Anti-lockout: with every BAM row of the business locked, the actor must still be a BAM (a
 * concurrent removal may have just taken that away) and at least one other BAM must remain.
 */
async function assertBamsAfterRemoving(tx: Tx, businessId: string, removedUserId: string) {
  const bams = await bamsOf(tx.em, businessId, { lock: true });
  if (!bams.includes(tx.actor.id)) throw forbidden("Only a Business Account Manager can do this.");
  if (bams.filter((b) => b !== removedUserId).length === 0) {
    throw appError("CONFLICT", "The last Business Account Manager cannot be removed: add another BAM first.");
  }
}

/** A member of a business, by BN9 and user id: what the BAM-only mutations act on (auth/authority.ts). */
const member = (ctx: Context, input: MemberInput) => {
  const userId = idOf(input.userId, "User", "userId");
  return { find: () => businessByBn9(ctx, input.bn9), subject: (b: { id: string }) => ({ businessId: b.id, personId: userId }), userId };
};

@Resolver()
export class MembershipMutations {
  @Mutation(() => BusinessMembership, {
    description:
      "Give a member a role on a program account, change it, or remove it (role: null). BAM: any account of the business; " +
      "PAM: only the accounts they manage. Nobody changes their own role.",
  })
  async setProgramRole(@Ctx() ctx: Context, @Arg("input", () => SetProgramRoleInput) input: SetProgramRoleInput): Promise<BusinessMembership> {
    const userId = idOf(input.userId, "User", "userId");
    return runMutation(ctx, "setProgramRole", {
      find: () => programAccountByBn15(ctx, input.bn15),
      subject: (pa) => ({ accountId: pa.id, bn15: pa.bn15, personId: userId }),
      run: async (tx, pa) => {
        const membership = await lockedMembership(tx.em, userId, pa.businessId);
        const repo = tx.em.getRepository(ProgramRoleAssignment);
        const existing = await repo.findOneBy({ userId, programAccountId: pa.id });
        const before = existing ? { bn15: pa.bn15, role: existing.role } : { bn15: pa.bn15, role: null };
        if (input.role) {
          await repo.upsert({ userId, programAccountId: pa.id, role: input.role, grantedById: tx.actor.id }, ["userId", "programAccountId"]);
        } else if (existing) {
          await repo.delete({ id: existing.id });
        }
        await tx.audit({ businessId: pa.businessId, action: "member.role_changed", targetType: "User", targetId: userId, before, after: { bn15: pa.bn15, role: input.role ?? null } });
        await tx.notify([userId], {
          kind: NotificationKind.REQUEST_DECIDED,
          title: "Your access changed",
          body: input.role ? `You are now ${input.role} of ${pa.bn15}.` : `Your role on ${pa.bn15} was removed.`,
          businessId: pa.businessId,
        });
        return membership;
      },
    });
  }

  @Mutation(() => BusinessMembership, { description: "Make a member a Business Account Manager (BAM only). More than one BAM is recommended." })
  async addBam(@Ctx() ctx: Context, @Arg("input", () => MemberInput) input: MemberInput): Promise<BusinessMembership> {
    const { userId, ...target } = member(ctx, input);
    return runMutation(ctx, "addBam", {
      ...target,
      run: async (tx, business) => {
        const m = await lockedMembership(tx.em, userId, business.id);
        if (m.isBam) throw appError("CONFLICT", "This member is already a Business Account Manager.");
        m.isBam = true;
        m.grantedById = tx.actor.id;
        await tx.em.getRepository(BusinessMembership).save(m);
        await tx.audit({ businessId: business.id, action: "member.bam_added", targetType: "User", targetId: userId, before: { isBam: false }, after: { isBam: true } });
        await tx.notify([userId], { kind: NotificationKind.REQUEST_DECIDED, title: "You are a Business Account Manager", body: `You now manage ${business.legalName}.`, businessId: business.id });
        return m;
      },
    });
  }

  @Mutation(() => BusinessMembership, { description: "Take BAM away from a member (BAM only). The last BAM can never be removed." })
  async removeBam(@Ctx() ctx: Context, @Arg("input", () => MemberInput) input: MemberInput): Promise<BusinessMembership> {
    const { userId, ...target } = member(ctx, input);
    return runMutation(ctx, "removeBam", {
      ...target,
      run: async (tx, business) => {
        await assertBamsAfterRemoving(tx, business.id, userId);
        const m = await lockedMembership(tx.em, userId, business.id);
        if (!m.isBam) throw appError("CONFLICT", "This member is not a Business Account Manager.");
        m.isBam = false;
        await tx.em.getRepository(BusinessMembership).save(m);
        await tx.audit({ businessId: business.id, action: "member.bam_removed", targetType: "User", targetId: userId, before: { isBam: true }, after: { isBam: false } });
        return m;
      },
    });
  }

  @Mutation(() => BusinessMembership, {
    description: "Remove a member from the business with all their roles and client-group assignments (BAM only; never the last BAM).",
  })
  async removeMember(@Ctx() ctx: Context, @Arg("input", () => MemberInput) input: MemberInput): Promise<BusinessMembership> {
    const { userId, ...target } = member(ctx, input);
    return runMutation(ctx, "removeMember", {
      ...target,
      run: async (tx, business) => {
        const m = await lockedMembership(tx.em, userId, business.id);
        if (m.isBam) await assertBamsAfterRemoving(tx, business.id, userId);
        const before = snapshot(m, ["isBam", "status"]);
        const roles = await tx.returning<{ bn15: string; role: string }>(
          `DELETE FROM program_roles pr USING program_accounts pa WHERE pa.id = pr.program_account_id AND pa.business_id = $1 AND pr.user_id = $2 RETURNING pa.bn15, pr.role`,
          [business.id, userId],
        );
        const groups = await tx.returning<{ name: string; role: string }>(
          `DELETE FROM client_group_assignments a USING client_groups g WHERE g.id = a.group_id AND g.provider_business_id = $1 AND a.user_id = $2 RETURNING g.name, a.role`,
          [business.id, userId],
        );
        m.isBam = false;
        m.status = MembershipStatus.REMOVED;
        await tx.em.getRepository(BusinessMembership).save(m);
        await tx.audit({ businessId: business.id, action: "member.removed", targetType: "User", targetId: userId, before: { ...before, roles, clientGroups: groups }, after: snapshot(m, ["isBam", "status"]) });
        return m;
      },
    });
  }
}
