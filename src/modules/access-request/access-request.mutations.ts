import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from "type-graphql";
import { In, type EntityManager } from "typeorm";
import { runMutation } from "../../application/mutation.js";
import { visibleNode } from "../../application/targets.js";
import { employeeRequestDeciders } from "../../auth/people.js";
import type { Context } from "../../context.js";
import { AccessRequestStatus, NotificationKind, ProgramRole } from "../../common/enums.js";
import { appError, badInput, forbidden, notFound } from "../../common/errors.js";
import { bn15Error, bn9Error } from "../../common/identifiers.js";
import { text } from "../../common/inputs.js";
import { Business } from "../business/business.entity.js";
import { ProgramRoleAssignment } from "../membership/membership.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { User } from "../user/user.entity.js";
import { EmployeeAccessRequest, EmployeeAccessRequestAccount } from "./access-request.entity.js";

/** Bound on the program accounts a request names, and on the roles a decision grants. */
export const MAX_NAMED_ACCOUNTS = 50;

@InputType({ description: "A request for access to an employer, by its BN9, with a justification." })
export class RequestEmployeeAccessInput {
  @Field(() => String, { description: "The employer's business number (BN9)." })
  bn9!: string;

  @Field(() => String, { description: 'Why you need access, e.g. "I need access to make corrections and adjustments" (1-1000 characters).' })
  note!: string;

  @Field(() => [String], {
    nullable: true,
    description:
      `The program accounts you need (BN15s of that business, at most ${MAX_NAMED_ACCOUNTS}). A PAM who manages every one of them may ` +
      "decide your request, as may the business's BAMs; a request naming none is decided by a BAM.",
  })
  programAccounts?: string[] | null;
}

@InputType({ description: "A role to give on one program account." })
export class ProgramRoleGrantInput {
  @Field(() => String, { description: "Program account (BN15)." })
  bn15!: string;

  @Field(() => ProgramRole, { description: "PAM, Editor or Reader." })
  role!: ProgramRole;
}

@InputType({ description: "A BAM's or PAM's decision on an employee's access request." })
export class DecideEmployeeAccessInput {
  @Field(() => ID, { description: "The access request's id." })
  requestId!: string;

  @Field(() => Boolean, { description: "True to approve (with roles), false to reject." })
  approve!: boolean;

  @Field(() => [ProgramRoleGrantInput], { nullable: true, description: `On approval: a role per program account (at least one, at most ${MAX_NAMED_ACCOUNTS}).` })
  roles?: ProgramRoleGrantInput[] | null;

  @Field(() => String, { nullable: true, description: "Shown to the requester (at most 1000 characters)." })
  note?: string | null;
}

/**
 * The business's program accounts named by BN15 (one query), in the order given; BAD_USER_INPUT
 * naming the entry that is malformed, repeated, or not an account of the business.
 */
async function accountsOfBusiness(
  db: EntityManager,
  businessId: string,
  bn15s: string[],
  listField: string,
  field: (i: number) => string,
): Promise<ProgramAccount[]> {
  if (bn15s.length > MAX_NAMED_ACCOUNTS) throw badInput(`At most ${MAX_NAMED_ACCOUNTS} program accounts (got ${bn15s.length}).`, listField);
  const seen = new Set<string>();
  for (const [i, bn15] of bn15s.entries()) {
    const e = bn15Error(bn15);
    if (e) throw badInput(e, field(i));
    if (seen.has(bn15)) throw badInput(`${bn15} is listed twice.`, field(i));
    seen.add(bn15);
  }
  const found = bn15s.length ? await db.getRepository(ProgramAccount).findBy({ bn15: In(bn15s), businessId }) : [];
  const byBn15 = new Map(found.map((pa) => [pa.bn15, pa]));
  return bn15s.map((bn15, i) => {
    const pa = byBn15.get(bn15);
    if (!pa) throw badInput(`${bn15} is not a program account of this business.`, field(i));
    return pa;
  });
}

@Resolver()
export class EmployeeAccessMutations {
  @Mutation(() => EmployeeAccessRequest, {
    description: "Ask an employer (by BN9) for access, naming the program accounts you need. Those who may decide it are notified: its BAMs, and the PAMs of the named accounts.",
  })
  async requestEmployeeAccess(@Ctx() ctx: Context, @Arg("input", () => RequestEmployeeAccessInput) input: RequestEmployeeAccessInput): Promise<EmployeeAccessRequest> {
    const err = bn9Error(input.bn9);
    if (err) throw badInput(err, "bn9");
    const note = text(input.note, "note", { max: 1000, required: true })!;
    return runMutation(ctx, "requestEmployeeAccess", {
      prepare: async () => {
        // Any registered business can be asked (an employee does not know it beforehand); unregistered
        // ones answer like unknown ones.
        const business = await ctx.db.getRepository(Business).findOneBy({ bn9: input.bn9 });
        if (!business || !business.registeredAt) throw notFound(`Business ${input.bn9}`);
        if (ctx.access.isMember(business.id)) throw appError("CONFLICT", "You are already a member of this business.");
        const named = await accountsOfBusiness(ctx.db.manager, business.id, input.programAccounts ?? [], "programAccounts", (i) => `programAccounts[${i}]`);
        return { business, named };
      },
      run: async (tx, _nothing, { prepared: { business, named } }) => {
        const request = await tx.em.getRepository(EmployeeAccessRequest).save(
          Object.assign(new EmployeeAccessRequest(), { userId: tx.actor.id, businessId: business.id, note, status: AccessRequestStatus.PENDING, decidedById: null, decidedAt: null, decisionNote: null }),
        );
        if (named.length) await tx.em.getRepository(EmployeeAccessRequestAccount).insert(named.map((pa) => ({ requestId: request.id, programAccountId: pa.id })));
        const after = { note, programAccounts: named.map((pa) => pa.bn15) };
        await tx.audit({ businessId: business.id, action: "employee_request.created", targetType: "EmployeeAccessRequest", targetId: request.id, after });
        // Those who may decide it are told.
        await tx.notify(await employeeRequestDeciders(tx.em, business.id, named.map((pa) => pa.id)), {
          kind: NotificationKind.ACCESS_REQUESTED,
          title: "Access requested",
          body: `${tx.actor.displayName} asked for access to ${business.legalName}: "${note}"`,
          businessId: business.id,
        });
        return request;
      },
    });
  }

  @Mutation(() => EmployeeAccessRequest, {
    description:
      "Approve (with a role per program account) or reject an employee's request. BAM: any request, roles on any account; PAM: " +
      "requests naming only accounts they manage, roles only on those. When two managers decide at once, one decision wins and " +
      "the other gets CONFLICT.",
  })
  async decideEmployeeAccess(@Ctx() ctx: Context, @Arg("input", () => DecideEmployeeAccessInput) input: DecideEmployeeAccessInput): Promise<EmployeeAccessRequest> {
    const note = text(input.note, "note", { max: 1000 });
    return runMutation(ctx, "decideEmployeeAccess", {
      find: async () => {
        const request = await visibleNode<EmployeeAccessRequest>(ctx, "EmployeeAccessRequest", input.requestId, "requestId", "That access request");
        // The roles a decision grants, on accounts of the request's business (all in one query).
        let grants: { pa: ProgramAccount; role: ProgramRole }[] = [];
        if (input.approve) {
          if (!input.roles?.length) throw badInput("Choose at least one role on a program account to approve.", "roles");
          const accounts = await accountsOfBusiness(ctx.db.manager, request.businessId, input.roles.map((g) => g.bn15), "roles", (i) => `roles[${i}].bn15`);
          grants = accounts.map((pa, i) => ({ pa, role: input.roles![i]!.role }));
        } else if (input.roles?.length) {
          throw badInput("Roles are given only when approving.", "roles");
        }
        return { request, grants };
      },
      subject: ({ request, grants }) => ({ requestId: request.id, personId: request.userId, grants: grants.map((g) => ({ accountId: g.pa.id, bn15: g.pa.bn15 })) }),
      prepare: async ({ request }) => {
        const requester = await ctx.loaders.byId(User).load(request.userId);
        if (input.approve && requester?.platformRole) throw forbidden("Agency officers cannot be given access to a business.");
      },
      run: async (tx, { request, grants }) => {
        const status = input.approve ? AccessRequestStatus.APPROVED : AccessRequestStatus.REJECTED;
        // The decision itself is a compare-and-set: of two managers deciding at once, one wins.
        await tx.claim(
          `UPDATE employee_access_requests SET status = $2, decided_by_id = $3, decided_at = now(), decision_note = $4
            WHERE id = $1 AND status = 'PENDING' RETURNING id`,
          [request.id, status, tx.actor.id, note],
          "This request has already been decided.",
        );
        if (input.approve) {
          // A former member comes back as a plain member; someone who is already an active member
          // (and perhaps a BAM) is never touched by an employee request.
          await tx.claim(
            `INSERT INTO business_memberships (user_id, business_id, is_bam, status, granted_by_id) VALUES ($1, $2, false, 'ACTIVE', $3)
             ON CONFLICT (user_id, business_id) DO UPDATE SET status = 'ACTIVE', is_bam = false, granted_by_id = $3
               WHERE business_memberships.status <> 'ACTIVE'
             RETURNING id`,
            [request.userId, request.businessId, tx.actor.id],
            "The requester is already a member of this business; change their roles instead.",
          );
          await tx.em.getRepository(ProgramRoleAssignment).upsert(
            grants.map((g) => ({ userId: request.userId, programAccountId: g.pa.id, role: g.role, grantedById: tx.actor.id })),
            ["userId", "programAccountId"],
          );
        }
        await tx.audit({
          businessId: request.businessId,
          action: input.approve ? "employee_request.approved" : "employee_request.rejected",
          targetType: "EmployeeAccessRequest",
          targetId: request.id,
          before: { status: AccessRequestStatus.PENDING },
          after: { status, roles: grants.map((g) => ({ bn15: g.pa.bn15, role: g.role })), note },
        });
        await tx.notify([request.userId], {
          kind: NotificationKind.REQUEST_DECIDED,
          title: input.approve ? "Access granted" : "Access request rejected",
          body: input.approve ? `You now have: ${grants.map((g) => `${g.role} of ${g.pa.bn15}`).join(", ")}.` : `Your request was rejected${note ? `: ${note}` : "."}`,
          businessId: request.businessId,
        });
        return tx.em.getRepository(EmployeeAccessRequest).findOneByOrFail({ id: request.id });
      },
    });
  }
}
