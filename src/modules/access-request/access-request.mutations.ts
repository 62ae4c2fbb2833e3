import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { canSee } from "../../auth/visibility.js";
import { AccessRequestStatus, NotificationKind, ProgramRole } from "../../common/enums.js";
import { appError, badInput, forbidden, notFound } from "../../common/errors.js";
import { bn15Error, bn9Error } from "../../common/identifiers.js";
import { audit, idOf, mutate, notify, returning, text } from "../../common/mutation.js";
import { Business } from "../business/business.entity.js";
import { ProgramRoleAssignment } from "../membership/membership.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";
import type { Access } from "../../auth/access.js";
import { EmployeeAccessRequest } from "./access-request.entity.js";

@InputType()
export class RequestEmployeeAccessInput {
  @Field(() => String, { description: "The employer's business number (BN9)." })
  bn9!: string;

  @Field(() => String, { description: 'Why you need access, e.g. "I need access to make corrections and adjustments" (1-1000 characters).' })
  note!: string;
}

@InputType()
export class ProgramRoleGrantInput {
  @Field(() => String, { description: "Program account (BN15)." })
  bn15!: string;

  @Field(() => ProgramRole)
  role!: ProgramRole;
}

@InputType()
export class DecideEmployeeAccessInput {
  @Field(() => ID)
  requestId!: string;

  @Field(() => Boolean)
  approve!: boolean;

  @Field(() => [ProgramRoleGrantInput], { nullable: true, description: "On approval: a role per program account (at least one)." })
  roles?: ProgramRoleGrantInput[] | null;

  @Field(() => String, { nullable: true, description: "Shown to the requester (at most 1000 characters)." })
  note?: string | null;
}

/** Managers who decide requests to a business: its BAMs and the PAMs of its program accounts. */
async function deciders(ctx: Context, businessId: string): Promise<string[]> {
  const rows: { user_id: string }[] = await ctx.db.query(
    `SELECT m.user_id FROM business_memberships m WHERE m.business_id = $1 AND m.status = 'ACTIVE' AND m.is_bam
     UNION
     SELECT pr.user_id FROM program_roles pr JOIN program_accounts pa ON pa.id = pr.program_account_id
       JOIN business_memberships m ON m.user_id = pr.user_id AND m.business_id = pa.business_id AND m.status = 'ACTIVE'
      WHERE pa.business_id = $1 AND pr.role = 'PAM'`,
    [businessId],
  );
  return rows.map((r) => r.user_id);
}

@Resolver()
export class EmployeeAccessMutations {
  @Mutation(() => EmployeeAccessRequest, { description: "Ask an employer (by BN9) for access. Its BAMs and PAMs are notified." })
  async requestEmployeeAccess(@Ctx() ctx: Context, @Arg("input", () => RequestEmployeeAccessInput) input: RequestEmployeeAccessInput): Promise<EmployeeAccessRequest> {
    const err = bn9Error(input.bn9);
    if (err) throw badInput(err, "bn9");
    const note = text(input.note, "note", { max: 1000, required: true })!;
    if (ctx.access.isAgencyOfficer) throw forbidden("Agency officers act for the agency only and cannot join a business.");
    // Any registered business can be asked (an employee does not know it beforehand); unregistered
    // ones answer like unknown ones.
    const business = await ctx.db.getRepository(Business).findOneBy({ bn9: input.bn9 });
    if (!business || !business.registeredAt) throw notFound(`Business ${input.bn9}`);
    if (ctx.access.isMember(business.id)) throw appError("CONFLICT", "You are already a member of this business.");
    const managers = await deciders(ctx, business.id);
    return mutate(ctx, async (em) => {
      const request = await em.getRepository(EmployeeAccessRequest).save(
        Object.assign(new EmployeeAccessRequest(), { userId: ctx.viewer!.id, businessId: business.id, note, status: AccessRequestStatus.PENDING, decidedById: null, decidedAt: null, decisionNote: null }),
      );
      await audit(em, ctx, { businessId: business.id, action: "employee_request.created", targetType: "EmployeeAccessRequest", targetId: request.id, after: { note } });
      await notify(em, managers, {
        kind: NotificationKind.ACCESS_REQUESTED,
        title: "Access requested",
        body: `${ctx.viewer!.displayName} asked for access to ${business.legalName}: "${note}"`,
        businessId: business.id,
      });
      return request;
    });
  }

  @Mutation(() => EmployeeAccessRequest, {
    description:
      "Approve (with a role per program account) or reject an employee's request. BAM: any account; PAM: only the accounts " +
      "they manage. When two managers decide at once, one decision wins and the other gets CONFLICT.",
  })
  async decideEmployeeAccess(@Ctx() ctx: Context, @Arg("input", () => DecideEmployeeAccessInput) input: DecideEmployeeAccessInput): Promise<EmployeeAccessRequest> {
    const requestId = idOf(input.requestId, "EmployeeAccessRequest", "requestId");
    const note = text(input.note, "note", { max: 1000 });
    const request = await ctx.db.getRepository(EmployeeAccessRequest).findOneBy({ id: requestId });
    if (!request || !(await canSee(ctx, "EmployeeAccessRequest", request))) throw notFound("That access request");
    if (request.userId === ctx.viewer!.id) throw forbidden("You cannot decide your own request.");

    const grants: { pa: ProgramAccount; role: ProgramRole }[] = [];
    if (input.approve) {
      if (!input.roles?.length) throw badInput("Choose at least one role on a program account to approve.", "roles");
      const seen = new Set<string>();
      for (const [i, g] of input.roles.entries()) {
        const e = bn15Error(g.bn15);
        if (e) throw badInput(e, `roles[${i}].bn15`);
        if (seen.has(g.bn15)) throw badInput(`${g.bn15} is listed twice.`, `roles[${i}].bn15`);
        seen.add(g.bn15);
        const pa = await ctx.db.getRepository(ProgramAccount).findOneBy({ bn15: g.bn15 });
        if (!pa || pa.businessId !== request.businessId) throw badInput(`${g.bn15} is not a program account of this business.`, `roles[${i}].bn15`);
        grants.push({ pa, role: g.role });
      }
    } else if (input.roles?.length) {
      throw badInput("Roles are given only when approving.", "roles");
    }
    // BAM: any account; PAM: only the accounts they manage (and never more than PAM).
    const allowed = (access: Access) => {
      if (!access.canOnBusiness("MANAGE_PROGRAM_ACCESS", request.businessId)) throw forbidden("Only the business's BAM or a PAM can decide access requests.");
      for (const g of grants) if (!access.ownCan("MANAGE_PROGRAM_ACCESS", g.pa.id)) throw forbidden(`You do not manage access to ${g.pa.bn15}.`);
    };
    allowed(ctx.access);
    const requester = await ctx.loaders.byId(User).load(request.userId);
    if (input.approve && requester?.platformRole) throw forbidden("Agency officers cannot be given access to a business.");

    return mutate(ctx, async (em) => {
      const status = input.approve ? AccessRequestStatus.APPROVED : AccessRequestStatus.REJECTED;
      // The decision itself is a compare-and-set: of two managers deciding at once, one wins.
      const updated = await returning(
        em,
        `UPDATE employee_access_requests SET status = $2, decided_by_id = $3, decided_at = now(), decision_note = $4
          WHERE id = $1 AND status = 'PENDING' RETURNING id`,
        [request.id, status, ctx.viewer!.id, note],
      );
      if (updated.length === 0) throw appError("CONFLICT", "This request has already been decided.");
      if (input.approve) {
        // A former member comes back as a plain member; someone who is already an active member
        // (and perhaps a BAM) is never touched by an employee request.
        const joined = await returning(
          em,
          `INSERT INTO business_memberships (user_id, business_id, is_bam, status, granted_by_id) VALUES ($1, $2, false, 'ACTIVE', $3)
           ON CONFLICT (user_id, business_id) DO UPDATE SET status = 'ACTIVE', is_bam = false, granted_by_id = $3
             WHERE business_memberships.status <> 'ACTIVE'
           RETURNING id`,
          [request.userId, request.businessId, ctx.viewer!.id],
        );
        if (joined.length === 0) throw appError("CONFLICT", "The requester is already a member of this business; change their roles instead.");
        for (const g of grants) {
          await em.getRepository(ProgramRoleAssignment).upsert(
            { userId: request.userId, programAccountId: g.pa.id, role: g.role, grantedById: ctx.viewer!.id },
            ["userId", "programAccountId"],
          );
        }
      }
      await audit(em, ctx, {
        businessId: request.businessId,
        action: input.approve ? "employee_request.approved" : "employee_request.rejected",
        targetType: "EmployeeAccessRequest",
        targetId: request.id,
        before: { status: AccessRequestStatus.PENDING },
        after: { status, roles: grants.map((g) => ({ bn15: g.pa.bn15, role: g.role })), note },
      });
      await notify(em, [request.userId], {
        kind: NotificationKind.REQUEST_DECIDED,
        title: input.approve ? "Access granted" : "Access request rejected",
        body: input.approve ? `You now have: ${grants.map((g) => `${g.role} of ${g.pa.bn15}`).join(", ")}.` : `Your request was rejected${note ? `: ${note}` : "."}`,
        businessId: request.businessId,
      });
      return em.getRepository(EmployeeAccessRequest).findOneByOrFail({ id: request.id });
    }, { authorize: allowed });
  }
}
