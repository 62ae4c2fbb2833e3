import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from "type-graphql";
import { In, type EntityManager } from "typeorm";
import type { Access } from "../../auth/access.js";
import type { Context } from "../../context.js";
import { canSee } from "../../auth/visibility.js";
import { NotificationKind, ProviderRole, RelationshipLevel, RelationshipStatus } from "../../common/enums.js";
import { appError, badInput, forbidden, notFound } from "../../common/errors.js";
import { bn15Error, bn9Error, splitBn15 } from "../../common/identifiers.js";
import { audit, idOf, mutate, notify, returning, snapshot, text } from "../../common/mutation.js";
import { Business } from "../business/business.entity.js";
import { providerManagedByViewer } from "../business/business.service.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { BusinessRelationship, RelationshipProgramAccount } from "./relationship.entity.js";

@InputType()
export class RequestRelationshipInput {
  @Field(() => String, { nullable: true, description: "The client's business number (BN9): access to the whole business." })
  clientBn9?: string | null;

  @Field(() => String, { nullable: true, description: "Or one program account of the client (BN15)." })
  clientBn15?: string | null;

  @Field(() => String, { nullable: true, description: "Your business (BN9), if you manage more than one service provider." })
  providerBn9?: string | null;

  @Field(() => String, { description: "A note to the client (1-1000 characters)." })
  comment!: string;
}

@InputType({ description: "Which transactions of the client the provider sees." })
export class VisibilityInput {
  @Field(() => Boolean)
  submittedByProvider!: boolean;

  @Field(() => Boolean)
  submittedByClient!: boolean;

  @Field(() => Boolean)
  submittedByOthers!: boolean;
}

@InputType()
export class RelationshipTermsInput {
  @Field(() => RelationshipLevel)
  level!: RelationshipLevel;

  @Field(() => [String], { nullable: true, description: "For PROGRAM_ACCOUNT level: the client's program accounts covered (BN15)." })
  programAccounts?: string[] | null;

  @Field(() => ProviderRole)
  role!: ProviderRole;

  @Field(() => Date, { nullable: true, description: "When access ends (must be in the future); null: no expiry." })
  expiresAt?: Date | null;

  @Field(() => VisibilityInput)
  visibility!: VisibilityInput;
}

@InputType()
export class DecideRelationshipInput {
  @Field(() => ID)
  relationshipId!: string;

  @Field(() => Boolean)
  approve!: boolean;

  @Field(() => RelationshipTermsInput, { nullable: true, description: "Required to approve." })
  terms?: RelationshipTermsInput | null;
}

@InputType()
export class UpdateRelationshipInput {
  @Field(() => ID)
  relationshipId!: string;

  @Field(() => RelationshipTermsInput)
  terms!: RelationshipTermsInput;
}

@InputType()
export class EndRelationshipInput {
  @Field(() => ID)
  relationshipId!: string;
}

const RELATIONSHIP_FIELDS = ["status", "level", "role", "expiresAt", "seeSubmittedByProvider", "seeSubmittedByClient", "seeSubmittedByOthers"];

async function coveredAccounts(em: EntityManager, relationshipId: string): Promise<string[]> {
  const rows: { bn15: string }[] = await em.query(
    `SELECT pa.bn15 FROM relationship_program_accounts rpa JOIN program_accounts pa ON pa.id = rpa.program_account_id WHERE rpa.relationship_id = $1 ORDER BY pa.bn15`,
    [relationshipId],
  );
  return rows.map((r) => r.bn15);
}

async function bamsOf(em: EntityManager, businessId: string): Promise<string[]> {
  const rows: { user_id: string }[] = await em.query(`SELECT user_id FROM business_memberships WHERE business_id = $1 AND is_bam AND status = 'ACTIVE'`, [businessId]);
  return rows.map((r) => r.user_id);
}

/** Validates terms and resolves the covered program accounts (which must belong to the client). */
async function checkTerms(ctx: Context, rel: BusinessRelationship, terms: RelationshipTermsInput): Promise<ProgramAccount[]> {
  if (terms.expiresAt && terms.expiresAt.getTime() <= Date.now()) throw badInput("expiresAt must be in the future.", "terms.expiresAt");
  const v = terms.visibility;
  if (!v.submittedByProvider && !v.submittedByClient && !v.submittedByOthers) {
    throw badInput("Choose at least one kind of transaction the provider may see.", "terms.visibility");
  }
  if (terms.level === RelationshipLevel.BUSINESS) {
    if (terms.programAccounts?.length) throw badInput("A business-level relationship covers every program account; list none.", "terms.programAccounts");
    return [];
  }
  const listed = [...new Set(terms.programAccounts ?? [])];
  if (!listed.length) throw badInput("List the program accounts a PROGRAM_ACCOUNT-level relationship covers.", "terms.programAccounts");
  if (listed.length > 100) throw badInput("At most 100 program accounts.", "terms.programAccounts");
  for (const [i, bn15] of listed.entries()) {
    const e = bn15Error(bn15);
    if (e) throw badInput(e, `terms.programAccounts[${i}]`);
  }
  const accounts = await ctx.db.getRepository(ProgramAccount).findBy({ bn15: In(listed), businessId: rel.clientBusinessId });
  const missing = listed.find((bn15) => !accounts.some((a) => a.bn15 === bn15));
  if (missing) throw badInput(`${missing} is not a program account of the client.`, "terms.programAccounts");
  return accounts;
}

/**
 * Who decides for the client: its BAM, for anything; a PAM only when both what the relationship
 * covers now and what it will cover are program accounts they manage (a business-level relationship
 * reaches accounts they do not). Never the provider itself, whatever roles its people also hold.
 */
function assertClientManager(
  access: Access,
  viewerId: string,
  rel: BusinessRelationship,
  covered: { level: RelationshipLevel | null; accountIds: string[] },
  next: { level: RelationshipLevel | null; accountIds: string[] },
) {
  if (access.isMember(rel.providerBusinessId) || rel.requestedById === viewerId) {
    throw forbidden("A service provider cannot decide or change its own delegation: the client does.");
  }
  if (access.isBam(rel.clientBusinessId)) return;
  const pamCovers = (c: { level: RelationshipLevel | null; accountIds: string[] }) =>
    c.level !== RelationshipLevel.BUSINESS && c.accountIds.length > 0 && c.accountIds.every((id) => access.ownCan("MANAGE_PROGRAM_ACCESS", id));
  if (pamCovers(covered) && pamCovers(next)) return;
  throw forbidden("Only the client's BAM (or, for program accounts they manage, a PAM) can decide or change this relationship.");
}

async function coveredIds(em: EntityManager, relationshipId: string): Promise<string[]> {
  const rows = await em.getRepository(RelationshipProgramAccount).findBy({ relationshipId });
  return rows.map((r) => r.programAccountId);
}

async function loadVisible(ctx: Context, globalId: string): Promise<BusinessRelationship> {
  const id = idOf(globalId, "Relationship", "relationshipId");
  const rel = await ctx.db.getRepository(BusinessRelationship).findOneBy({ id });
  if (!rel || !(await canSee(ctx, "Relationship", rel))) throw notFound("That relationship");
  return rel;
}

async function writeTerms(em: EntityManager, rel: BusinessRelationship, terms: RelationshipTermsInput, accounts: ProgramAccount[]) {
  await em.query(
    `UPDATE relationships SET level = $2, role = $3, expires_at = $4, see_submitted_by_provider = $5, see_submitted_by_client = $6, see_submitted_by_others = $7
      WHERE id = $1`,
    [rel.id, terms.level, terms.role, terms.expiresAt ?? null, terms.visibility.submittedByProvider, terms.visibility.submittedByClient, terms.visibility.submittedByOthers],
  );
  await replaceCoveredAccounts(em, rel.id, accounts);
}

async function replaceCoveredAccounts(em: EntityManager, relationshipId: string, accounts: ProgramAccount[]) {
  await em.getRepository(RelationshipProgramAccount).delete({ relationshipId });
  if (accounts.length) await em.getRepository(RelationshipProgramAccount).insert(accounts.map((pa) => ({ relationshipId, programAccountId: pa.id })));
}

@Resolver()
export class RelationshipMutations {
  @Mutation(() => BusinessRelationship, {
    description: "As a service provider's BAM, ask a client (by BN9, or BN15 for one program account) for delegated access.",
  })
  async requestRelationship(@Ctx() ctx: Context, @Arg("input", () => RequestRelationshipInput) input: RequestRelationshipInput): Promise<BusinessRelationship> {
    const comment = text(input.comment, "comment", { max: 1000, required: true })!;
    if (!input.clientBn9 === !input.clientBn15) throw badInput("Give the client's BN9 or one BN15 (not both).", "clientBn9");
    let clientBn9 = input.clientBn9 ?? null;
    let requestedRm: string | null = null;
    if (input.clientBn15) {
      const e = bn15Error(input.clientBn15);
      if (e) throw badInput(e, "clientBn15");
      ({ bn9: clientBn9, rm: requestedRm } = splitBn15(input.clientBn15));
    } else {
      const e = bn9Error(clientBn9!);
      if (e) throw badInput(e, "clientBn9");
    }
    const provider = await providerManagedByViewer(ctx, input.providerBn9);
    const client = await ctx.db.getRepository(Business).findOneBy({ bn9: clientBn9! });
    if (!client || !client.registeredAt) throw notFound(`Business ${clientBn9}`);
    if (client.id === provider.id) throw badInput("A business cannot delegate to itself.", "clientBn9");
    // A live relationship between the pair is a CONFLICT whatever account was named, so that the
    // answer does not tell which of the client's accounts exist.
    const live = await ctx.db.getRepository(BusinessRelationship).existsBy({
      clientBusinessId: client.id, providerBusinessId: provider.id, status: In([RelationshipStatus.PENDING, RelationshipStatus.ACTIVE]),
    });
    if (live) throw appError("CONFLICT", "There is already a pending or active relationship between these two businesses.");
    const requestedPa = requestedRm ? await ctx.db.getRepository(ProgramAccount).findOneBy({ businessId: client.id, rm: requestedRm }) : null;
    if (requestedRm && !requestedPa) throw notFound(`Program account ${input.clientBn15}`);

    return mutate(ctx, async (em) => {
      const rel = await em.getRepository(BusinessRelationship).save(
        Object.assign(new BusinessRelationship(), {
          clientBusinessId: client.id, providerBusinessId: provider.id, status: RelationshipStatus.PENDING, level: null, role: null, expiresAt: null,
          seeSubmittedByProvider: false, seeSubmittedByClient: false, seeSubmittedByOthers: false, requestComment: comment,
          requestedById: ctx.viewer!.id, decidedById: null, decidedAt: null, endedById: null, endedAt: null,
        }),
      );
      // While pending, the requested account is only a suggestion for the decider (the scope ignores pending rows).
      if (requestedPa) await em.getRepository(RelationshipProgramAccount).insert({ relationshipId: rel.id, programAccountId: requestedPa.id });
      const after = { status: RelationshipStatus.PENDING, provider: provider.bn9, client: client.bn9, programAccount: requestedPa?.bn15 ?? null, comment };
      await audit(
        em, ctx,
        { businessId: client.id, action: "relationship.requested", targetType: "Relationship", targetId: rel.id, after },
        { businessId: provider.id, action: "relationship.requested", targetType: "Relationship", targetId: rel.id, after },
      );
      const pams: { user_id: string }[] = requestedPa
        ? await em.query(`SELECT user_id FROM program_roles WHERE program_account_id = $1 AND role = 'PAM'`, [requestedPa.id])
        : [];
      await notify(em, [...(await bamsOf(em, client.id)), ...pams.map((p) => p.user_id)], {
        kind: NotificationKind.ACCESS_REQUESTED,
        title: "A service provider asks for access",
        body: `${provider.legalName} asks for access to ${requestedPa ? requestedPa.bn15 : client.legalName}: "${comment}"`,
        businessId: client.id,
      });
      return rel;
    });
  }

  @Mutation(() => BusinessRelationship, {
    description:
      "As the client's BAM (or the PAM of the program accounts concerned), approve with terms (level, role, expiry, visibility) or " +
      "reject a provider's request. One decision wins; a second gets CONFLICT.",
  })
  async decideRelationship(@Ctx() ctx: Context, @Arg("input", () => DecideRelationshipInput) input: DecideRelationshipInput): Promise<BusinessRelationship> {
    const rel = await loadVisible(ctx, input.relationshipId);
    if (input.approve && !input.terms) throw badInput("Approving needs the terms: level, role, expiry and visibility.", "terms");
    if (!input.approve && input.terms) throw badInput("Terms are given only when approving.", "terms");
    // A pending request covers the account it named (BN15 requests), or the whole business.
    const requested = await coveredIds(ctx.db.manager, rel.id);
    const covered = { level: requested.length ? RelationshipLevel.PROGRAM_ACCOUNT : RelationshipLevel.BUSINESS, accountIds: requested };
    const viewerId = ctx.viewer!.id;
    // Authority first (cheap, and before any lookup an outsider could use to probe).
    const pamOnly = (t: RelationshipTermsInput | null | undefined) => ({ level: t?.level ?? covered.level, accountIds: requested });
    assertClientManager(ctx.access, viewerId, rel, covered, pamOnly(input.terms));
    const accounts = input.approve ? await checkTerms(ctx, rel, input.terms!) : [];
    const next = input.approve ? { level: input.terms!.level, accountIds: accounts.map((a) => a.id) } : covered;
    const allowed = (access: Access) => assertClientManager(access, viewerId, rel, covered, next);
    allowed(ctx.access);
    return mutate(ctx, async (em) => {
      // The decision is a compare-and-set on PENDING (of two deciders, one wins), and an approval
      // writes its terms in the same statement (an ACTIVE row always has its terms).
      const t = input.terms;
      const won = input.approve
        ? await returning(
            em,
            `UPDATE relationships SET status = 'ACTIVE', decided_by_id = $2, decided_at = now(), level = $3, role = $4, expires_at = $5,
                    see_submitted_by_provider = $6, see_submitted_by_client = $7, see_submitted_by_others = $8
              WHERE id = $1 AND status = 'PENDING' RETURNING id`,
            [rel.id, ctx.viewer!.id, t!.level, t!.role, t!.expiresAt ?? null, t!.visibility.submittedByProvider, t!.visibility.submittedByClient, t!.visibility.submittedByOthers],
          )
        : await returning(
            em,
            `UPDATE relationships SET status = 'REJECTED', decided_by_id = $2, decided_at = now() WHERE id = $1 AND status = 'PENDING' RETURNING id`,
            [rel.id, ctx.viewer!.id],
          );
      if (won.length === 0) throw appError("CONFLICT", "This request has already been decided or withdrawn.");
      if (input.approve) await replaceCoveredAccounts(em, rel.id, accounts);
      const after = await em.getRepository(BusinessRelationship).findOneByOrFail({ id: rel.id });
      const afterJson = { ...snapshot(after, RELATIONSHIP_FIELDS), programAccounts: await coveredAccounts(em, rel.id) };
      const action = input.approve ? "relationship.approved" : "relationship.rejected";
      await audit(
        em, ctx,
        { businessId: rel.clientBusinessId, action, targetType: "Relationship", targetId: rel.id, before: { status: RelationshipStatus.PENDING }, after: afterJson },
        { businessId: rel.providerBusinessId, action, targetType: "Relationship", targetId: rel.id, before: { status: RelationshipStatus.PENDING }, after: afterJson },
      );
      const client = await em.getRepository(Business).findOneByOrFail({ id: rel.clientBusinessId });
      await notify(em, [...(await bamsOf(em, rel.providerBusinessId)), ...(rel.requestedById ? [rel.requestedById] : [])], {
        kind: NotificationKind.REQUEST_DECIDED,
        title: input.approve ? "Relationship approved" : "Relationship request rejected",
        body: `${client.legalName} ${input.approve ? "approved" : "rejected"} your access request.`,
        businessId: rel.providerBusinessId,
      });
      return after;
    }, { authorize: allowed });
  }

  @Mutation(() => BusinessRelationship, { description: "As the client's manager, change an active (or expired) relationship's level, role, expiry and visibility." })
  async updateRelationship(@Ctx() ctx: Context, @Arg("input", () => UpdateRelationshipInput) input: UpdateRelationshipInput): Promise<BusinessRelationship> {
    const rel = await loadVisible(ctx, input.relationshipId);
    const viewerId = ctx.viewer!.id;
    const current = { level: rel.level, accountIds: await coveredIds(ctx.db.manager, rel.id) };
    assertClientManager(ctx.access, viewerId, rel, current, { level: input.terms.level, accountIds: current.accountIds });
    const accounts = await checkTerms(ctx, rel, input.terms);
    const next = { level: input.terms.level, accountIds: accounts.map((a) => a.id) };
    return mutate(ctx, async (em, access) => {
      const locked = await em.getRepository(BusinessRelationship).createQueryBuilder("r").setLock("pessimistic_write").where("r.id = :id", { id: rel.id }).getOne();
      if (!locked || locked.status !== RelationshipStatus.ACTIVE) throw appError("CONFLICT", "Only an active (or expired) relationship can be changed.");
      // Checked again on the locked row with the actor's authority as of now.
      assertClientManager(access, viewerId, locked, { level: locked.level, accountIds: await coveredIds(em, rel.id) }, next);
      const before = { ...snapshot(locked, RELATIONSHIP_FIELDS), programAccounts: await coveredAccounts(em, rel.id) };
      await writeTerms(em, rel, input.terms, accounts);
      const after = await em.getRepository(BusinessRelationship).findOneByOrFail({ id: rel.id });
      const afterJson = { ...snapshot(after, RELATIONSHIP_FIELDS), programAccounts: await coveredAccounts(em, rel.id) };
      await audit(
        em, ctx,
        { businessId: rel.clientBusinessId, action: "relationship.updated", targetType: "Relationship", targetId: rel.id, before, after: afterJson },
        { businessId: rel.providerBusinessId, action: "relationship.updated", targetType: "Relationship", targetId: rel.id, before, after: afterJson },
      );
      await notify(em, await bamsOf(em, rel.providerBusinessId), {
        kind: NotificationKind.RELATIONSHIP_CHANGED,
        title: "Relationship changed",
        body: "A client changed the terms of your access.",
        businessId: rel.providerBusinessId,
      });
      return after;
    });
  }

  @Mutation(() => BusinessRelationship, {
    description: "Either side's BAM ends a relationship (an active one is REVOKED; a pending request is withdrawn as REJECTED).",
  })
  async endRelationship(@Ctx() ctx: Context, @Arg("input", () => EndRelationshipInput) input: EndRelationshipInput): Promise<BusinessRelationship> {
    const rel = await loadVisible(ctx, input.relationshipId);
    const allowed = (access: Access) => {
      if (!access.isBam(rel.clientBusinessId) && !access.isBam(rel.providerBusinessId)) {
        throw forbidden("Only a BAM of the client or of the provider can end a relationship.");
      }
    };
    allowed(ctx.access);
    return mutate(ctx, async (em) => {
      const [current] = await em.query(`SELECT status FROM relationships WHERE id = $1 FOR UPDATE`, [rel.id]);
      const ended = await returning<{ status: string }>(
        em,
        `UPDATE relationships SET status = CASE WHEN status = 'PENDING' THEN 'REJECTED'::relationship_status ELSE 'REVOKED'::relationship_status END,
                ended_by_id = $2, ended_at = now()
          WHERE id = $1 AND status IN ('PENDING', 'ACTIVE') RETURNING status`,
        [rel.id, ctx.viewer!.id],
      );
      if (ended.length === 0) throw appError("CONFLICT", "This relationship has already ended.");
      const before = { status: current.status };
      const after = { status: ended[0]!.status };
      await audit(
        em, ctx,
        { businessId: rel.clientBusinessId, action: "relationship.ended", targetType: "Relationship", targetId: rel.id, before, after },
        { businessId: rel.providerBusinessId, action: "relationship.ended", targetType: "Relationship", targetId: rel.id, before, after },
      );
      const otherSide = ctx.access.isBam(rel.clientBusinessId) ? rel.providerBusinessId : rel.clientBusinessId;
      await notify(em, await bamsOf(em, otherSide), {
        kind: NotificationKind.RELATIONSHIP_ENDED,
        title: "Relationship ended",
        body: "A relationship between your business and another was ended.",
        businessId: otherSide,
      });
      return em.getRepository(BusinessRelationship).findOneByOrFail({ id: rel.id });
    }, { authorize: allowed });
  }
}
