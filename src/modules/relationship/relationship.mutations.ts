import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from "type-graphql";
import { In, type EntityManager } from "typeorm";
import { snapshot } from "../../application/audit.js";
import { runMutation, type Tx } from "../../application/mutation.js";
import { visibleNode } from "../../application/targets.js";
import type { Coverage } from "../../auth/authority.js";
import { bamsOf, pamsOf } from "../../auth/people.js";
import type { Context } from "../../context.js";
import { NotificationKind, ProviderRole, RelationshipLevel, RelationshipStatus } from "../../common/enums.js";
import { appError, badInput, notFound } from "../../common/errors.js";
import { bn15Error, bn9Error, splitBn15 } from "../../common/identifiers.js";
import { text } from "../../common/inputs.js";
import { Business } from "../business/business.entity.js";
import { providerManagedByViewer } from "../business/business.service.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { BusinessRelationship, RelationshipProgramAccount } from "./relationship.entity.js";

@InputType({ description: "A service provider's request for access to a client, by BN9 (or BN15), with a comment." })
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
  @Field(() => Boolean, { description: "The provider sees transactions it submitted." })
  submittedByProvider!: boolean;

  @Field(() => Boolean, { description: "The provider sees transactions the client itself submitted." })
  submittedByClient!: boolean;

  @Field(() => Boolean, { description: "The provider sees transactions submitted by other businesses (e.g. another broker)." })
  submittedByOthers!: boolean;
}

@InputType({ description: "The terms a client sets on a relationship: level, role, expiry and visibility." })
export class RelationshipTermsInput {
  @Field(() => RelationshipLevel, { description: "Business level or program-account level." })
  level!: RelationshipLevel;

  @Field(() => [String], { nullable: true, description: "For PROGRAM_ACCOUNT level: the client's program accounts covered (BN15)." })
  programAccounts?: string[] | null;

  @Field(() => ProviderRole, { description: "Editor or Reader." })
  role!: ProviderRole;

  @Field(() => Date, { nullable: true, description: "When access ends (must be in the future); null: no expiry." })
  expiresAt?: Date | null;

  @Field(() => VisibilityInput, { description: "Which transactions the provider sees (by who submitted them)." })
  visibility!: VisibilityInput;
}

@InputType({ description: "A client's decision on a service provider's request for access." })
export class DecideRelationshipInput {
  @Field(() => ID, { description: "The relationship (request)'s id." })
  relationshipId!: string;

  @Field(() => Boolean, { description: "True to approve (with terms), false to reject." })
  approve!: boolean;

  @Field(() => RelationshipTermsInput, { nullable: true, description: "Required to approve." })
  terms?: RelationshipTermsInput | null;
}

@InputType({ description: "New terms a client sets on an active relationship." })
export class UpdateRelationshipInput {
  @Field(() => ID, { description: "The relationship's id." })
  relationshipId!: string;

  @Field(() => RelationshipTermsInput, { description: "The new terms (they replace the old ones)." })
  terms!: RelationshipTermsInput;
}

@InputType({ description: "A relationship either side ends (revokes)." })
export class EndRelationshipInput {
  @Field(() => ID, { description: "The relationship's id." })
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

/** Validates the terms' shape; returns the BN15s a PROGRAM_ACCOUNT-level relationship lists (none for BUSINESS level). */
function checkTerms(terms: RelationshipTermsInput): string[] {
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
  return listed;
}

/** The client's program accounts the terms list, read in the mutation's transaction (each must belong to the client). */
async function coveredByTerms(em: EntityManager, rel: BusinessRelationship, listed: string[]): Promise<ProgramAccount[]> {
  if (!listed.length) return [];
  const accounts = await em.getRepository(ProgramAccount).findBy({ bn15: In(listed), businessId: rel.clientBusinessId });
  const missing = listed.find((bn15) => !accounts.some((a) => a.bn15 === bn15));
  if (missing) throw badInput(`${missing} is not a program account of the client.`, "terms.programAccounts");
  return accounts;
}

async function coveredIds(em: EntityManager, relationshipId: string): Promise<string[]> {
  const rows = await em.getRepository(RelationshipProgramAccount).findBy({ relationshipId });
  return rows.map((r) => r.programAccountId);
}

/** A relationship the person may see (its settings: conditions.ts), or NOT_FOUND. */
const visibleRelationship = (ctx: Context, globalId: string) =>
  visibleNode<BusinessRelationship>(ctx, "Relationship", globalId, "relationshipId", "That relationship");

/** What the client-manager rule reads of a relationship whose coverage goes from `covered` to `next` (auth/authority.ts). */
const change = (rel: BusinessRelationship, covered: Coverage, next: Coverage) => ({
  clientBusinessId: rel.clientBusinessId,
  providerBusinessId: rel.providerBusinessId,
  requestedById: rel.requestedById,
  covered,
  next,
});

/** Audit of a relationship's event in the trails of both parties. */
const auditBoth = (tx: Tx, rel: BusinessRelationship, action: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null) =>
  tx.auditEach([rel.clientBusinessId, rel.providerBusinessId], { action, targetType: "Relationship", targetId: rel.id, before, after });

async function writeTerms(em: EntityManager, rel: BusinessRelationship, terms: RelationshipTermsInput, accountIds: string[]) {
  await em.query(
    `UPDATE relationships SET level = $2, role = $3, expires_at = $4, see_submitted_by_provider = $5, see_submitted_by_client = $6, see_submitted_by_others = $7
      WHERE id = $1`,
    [rel.id, terms.level, terms.role, terms.expiresAt ?? null, terms.visibility.submittedByProvider, terms.visibility.submittedByClient, terms.visibility.submittedByOthers],
  );
  await replaceCoveredAccounts(em, rel.id, accountIds);
}

async function replaceCoveredAccounts(em: EntityManager, relationshipId: string, accountIds: string[]) {
  await em.getRepository(RelationshipProgramAccount).delete({ relationshipId });
  if (accountIds.length) await em.getRepository(RelationshipProgramAccount).insert(accountIds.map((programAccountId) => ({ relationshipId, programAccountId })));
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
    return runMutation(ctx, "requestRelationship", {
      find: () => providerManagedByViewer(ctx, input.providerBn9),
      subject: (provider) => ({ businessId: provider.id }),
      prepare: async (provider) => {
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
        return { client, requestedPa };
      },
      run: async (tx, provider, { prepared: { client, requestedPa } }) => {
        const rel = await tx.em.getRepository(BusinessRelationship).save(
          Object.assign(new BusinessRelationship(), {
            clientBusinessId: client.id, providerBusinessId: provider.id, status: RelationshipStatus.PENDING, level: null, role: null, expiresAt: null,
            seeSubmittedByProvider: false, seeSubmittedByClient: false, seeSubmittedByOthers: false, requestComment: comment,
            requestedById: tx.actor.id, decidedById: null, decidedAt: null, endedById: null, endedAt: null,
          }),
        );
        // While pending, the requested account is only a suggestion for the decider (the scope ignores pending rows).
        if (requestedPa) await tx.em.getRepository(RelationshipProgramAccount).insert({ relationshipId: rel.id, programAccountId: requestedPa.id });
        const after = { status: RelationshipStatus.PENDING, provider: provider.bn9, client: client.bn9, programAccount: requestedPa?.bn15 ?? null, comment };
        await auditBoth(tx, rel, "relationship.requested", null, after);
        await tx.notify([...(await bamsOf(tx.em, client.id)), ...(requestedPa ? await pamsOf(tx.em, requestedPa.id) : [])], {
          kind: NotificationKind.ACCESS_REQUESTED,
          title: "A service provider asks for access",
          body: `${provider.legalName} asks for access to ${requestedPa ? requestedPa.bn15 : client.legalName}: "${comment}"`,
          businessId: client.id,
        });
        return rel;
      },
    });
  }

  @Mutation(() => BusinessRelationship, {
    description:
      "As the client's BAM (or the PAM of the program accounts concerned), approve with terms (level, role, expiry, visibility) or " +
      "reject a provider's request. One decision wins; a second gets CONFLICT.",
  })
  async decideRelationship(@Ctx() ctx: Context, @Arg("input", () => DecideRelationshipInput) input: DecideRelationshipInput): Promise<BusinessRelationship> {
    return runMutation(ctx, "decideRelationship", {
      find: async () => {
        const rel = await visibleRelationship(ctx, input.relationshipId);
        if (input.approve && !input.terms) throw badInput("Approving needs the terms: level, role, expiry and visibility.", "terms");
        if (!input.approve && input.terms) throw badInput("Terms are given only when approving.", "terms");
        // A pending request covers the account it named (BN15 requests), or the whole business.
        const requested = await coveredIds(ctx.db.manager, rel.id);
        return { rel, covered: { level: requested.length ? RelationshipLevel.PROGRAM_ACCOUNT : RelationshipLevel.BUSINESS, accountIds: requested } };
      },
      // Authority first (cheap, and before any lookup an outsider could use to probe): the accounts the
      // terms list are read in the transaction, and the authority over them checked again there.
      subject: ({ rel, covered }) => change(rel, covered, { level: input.terms?.level ?? covered.level, accountIds: covered.accountIds }),
      prepare: () => (input.approve ? checkTerms(input.terms!) : []),
      lock: async (tx, { rel, covered }, listed) => {
        const accounts = input.approve ? await coveredByTerms(tx.em, rel, listed) : [];
        return change(rel, covered, input.approve ? { level: input.terms!.level, accountIds: accounts.map((a) => a.id) } : covered);
      },
      run: async (tx, { rel }, { subject }) => {
        // The decision is a compare-and-set on PENDING (of two deciders, one wins), and an approval
        // writes its terms in the same statement (an ACTIVE row always has its terms).
        const t = input.terms;
        const decided = "This request has already been decided or withdrawn.";
        if (input.approve) {
          await tx.claim(
            `UPDATE relationships SET status = 'ACTIVE', decided_by_id = $2, decided_at = now(), level = $3, role = $4, expires_at = $5,
                    see_submitted_by_provider = $6, see_submitted_by_client = $7, see_submitted_by_others = $8
              WHERE id = $1 AND status = 'PENDING' RETURNING id`,
            [rel.id, tx.actor.id, t!.level, t!.role, t!.expiresAt ?? null, t!.visibility.submittedByProvider, t!.visibility.submittedByClient, t!.visibility.submittedByOthers],
            decided,
          );
          await replaceCoveredAccounts(tx.em, rel.id, subject.next.accountIds);
        } else {
          await tx.claim(`UPDATE relationships SET status = 'REJECTED', decided_by_id = $2, decided_at = now() WHERE id = $1 AND status = 'PENDING' RETURNING id`, [rel.id, tx.actor.id], decided);
        }
        const after = await tx.em.getRepository(BusinessRelationship).findOneByOrFail({ id: rel.id });
        const afterJson = { ...snapshot(after, RELATIONSHIP_FIELDS), programAccounts: await coveredAccounts(tx.em, rel.id) };
        await auditBoth(tx, rel, input.approve ? "relationship.approved" : "relationship.rejected", { status: RelationshipStatus.PENDING }, afterJson);
        const client = await tx.em.getRepository(Business).findOneByOrFail({ id: rel.clientBusinessId });
        await tx.notify([...(await bamsOf(tx.em, rel.providerBusinessId)), ...(rel.requestedById ? [rel.requestedById] : [])], {
          kind: NotificationKind.REQUEST_DECIDED,
          title: input.approve ? "Relationship approved" : "Relationship request rejected",
          body: `${client.legalName} ${input.approve ? "approved" : "rejected"} your access request.`,
          businessId: rel.providerBusinessId,
        });
        return after;
      },
    });
  }

  @Mutation(() => BusinessRelationship, { description: "As the client's manager, change an active (or expired) relationship's level, role, expiry and visibility." })
  async updateRelationship(@Ctx() ctx: Context, @Arg("input", () => UpdateRelationshipInput) input: UpdateRelationshipInput): Promise<BusinessRelationship> {
    return runMutation(ctx, "updateRelationship", {
      find: async () => {
        const rel = await visibleRelationship(ctx, input.relationshipId);
        return { rel, covered: { level: rel.level, accountIds: await coveredIds(ctx.db.manager, rel.id) } };
      },
      subject: ({ rel, covered }) => change(rel, covered, { level: input.terms.level, accountIds: covered.accountIds }),
      prepare: () => checkTerms(input.terms),
      // Checked again on the locked row, with the accounts the terms list read in this transaction.
      lock: async (tx, { rel }, listed) => {
        const accounts = await coveredByTerms(tx.em, rel, listed);
        const locked = await tx.em.getRepository(BusinessRelationship).createQueryBuilder("r").setLock("pessimistic_write").where("r.id = :id", { id: rel.id }).getOne();
        if (!locked || locked.status !== RelationshipStatus.ACTIVE) throw appError("CONFLICT", "Only an active (or expired) relationship can be changed.");
        return change(locked, { level: locked.level, accountIds: await coveredIds(tx.em, rel.id) }, { level: input.terms.level, accountIds: accounts.map((a) => a.id) });
      },
      run: async (tx, { rel }, { subject }) => {
        const current = await tx.em.getRepository(BusinessRelationship).findOneByOrFail({ id: rel.id });
        const before = { ...snapshot(current, RELATIONSHIP_FIELDS), programAccounts: await coveredAccounts(tx.em, rel.id) };
        await writeTerms(tx.em, rel, input.terms, subject.next.accountIds);
        const after = await tx.em.getRepository(BusinessRelationship).findOneByOrFail({ id: rel.id });
        const afterJson = { ...snapshot(after, RELATIONSHIP_FIELDS), programAccounts: await coveredAccounts(tx.em, rel.id) };
        await auditBoth(tx, rel, "relationship.updated", before, afterJson);
        await tx.notify(await bamsOf(tx.em, rel.providerBusinessId), {
          kind: NotificationKind.RELATIONSHIP_CHANGED,
          title: "Relationship changed",
          body: "A client changed the terms of your access.",
          businessId: rel.providerBusinessId,
        });
        return after;
      },
    });
  }

  @Mutation(() => BusinessRelationship, {
    description: "Either side's BAM ends a relationship (an active one is REVOKED; a pending request is withdrawn as REJECTED).",
  })
  async endRelationship(@Ctx() ctx: Context, @Arg("input", () => EndRelationshipInput) input: EndRelationshipInput): Promise<BusinessRelationship> {
    return runMutation(ctx, "endRelationship", {
      find: () => visibleRelationship(ctx, input.relationshipId),
      run: async (tx, rel) => {
        const [current] = await tx.em.query(`SELECT status FROM relationships WHERE id = $1 FOR UPDATE`, [rel.id]);
        const ended = await tx.claim<{ status: string }>(
          `UPDATE relationships SET status = CASE WHEN status = 'PENDING' THEN 'REJECTED'::relationship_status ELSE 'REVOKED'::relationship_status END,
                  ended_by_id = $2, ended_at = now()
            WHERE id = $1 AND status IN ('PENDING', 'ACTIVE') RETURNING status`,
          [rel.id, tx.actor.id],
          "This relationship has already ended.",
        );
        await auditBoth(tx, rel, "relationship.ended", { status: current.status }, { status: ended[0]!.status });
        const otherSide = tx.access.isBam(rel.clientBusinessId) ? rel.providerBusinessId : rel.clientBusinessId;
        await tx.notify(await bamsOf(tx.em, otherSide), {
          kind: NotificationKind.RELATIONSHIP_ENDED,
          title: "Relationship ended",
          body: "A relationship between your business and another was ended.",
          businessId: otherSide,
        });
        return tx.em.getRepository(BusinessRelationship).findOneByOrFail({ id: rel.id });
      },
    });
  }
}
