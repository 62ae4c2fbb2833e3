import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from "type-graphql";
import { runMutation } from "../../application/mutation.js";
import { visibleNode } from "../../application/targets.js";
import type { Context } from "../../context.js";
import { ProviderRole } from "../../common/enums.js";
import { appError, badInput, notFound } from "../../common/errors.js";
import { bn9Error } from "../../common/identifiers.js";
import { idOf, text } from "../../common/inputs.js";
import { lookAlike, readableName } from "../../common/readable-name.js";
import type { EntityManager } from "typeorm";
import { providerManagedByViewer } from "../business/business.service.js";
import { ClientGroup, ClientGroupAssignment, ClientGroupClient } from "./client-group.entity.js";

@InputType({ description: "A new client group of a service provider." })
export class CreateClientGroupInput {
  @Field(() => String, { description: "Unique within the provider (deleted groups included), 1-100 characters." })
  name!: string;

  @Field(() => String, { nullable: true, description: "The provider (BN9), if you manage more than one." })
  providerBn9?: string | null;
}

@InputType({ description: "A client group's new name." })
export class RenameClientGroupInput {
  @Field(() => ID, { description: "The client group's id." })
  groupId!: string;

  @Field(() => String, { description: "The new name (unique within the provider, case and spacing ignored)." })
  name!: string;
}

@InputType({ description: "A client group, by its id." })
export class ClientGroupRefInput {
  @Field(() => ID, { description: "The client group's id." })
  groupId!: string;
}

@InputType({ description: "A client business to add to or remove from a client group." })
export class ClientGroupClientInput {
  @Field(() => ID, { description: "The client group's id." })
  groupId!: string;

  @Field(() => String, { description: "The client (BN9): it must have an active relationship with the provider." })
  clientBn9!: string;
}

@InputType({ description: "Assign an employee of the provider to a client group, or change their role there." })
export class ClientGroupAssignmentInput {
  @Field(() => ID, { description: "The client group's id." })
  groupId!: string;

  @Field(() => ID, { description: "An employee of the provider (User id)." })
  userId!: string;

  @Field(() => ProviderRole, { nullable: true, description: "Their role for the group's clients; null removes the assignment." })
  role?: ProviderRole | null;
}

const normalise = (name: string) => name.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();

/** A group name and its normalised form, both within the column's 100 characters. */
function groupName(value: string): { name: string; normalizedName: string } {
  const name = readableName(text(value, "name", { max: 100, required: true })!, "name");
  const normalizedName = normalise(name);
  if (normalizedName.length > 100) throw badInput("name is too long once normalised (at most 100 characters).", "name");
  return { name, normalizedName };
}

/**
 * CONFLICT when `name` looks like another of the provider's group names (deleted ones included,
 * as for exact names); checked under a lock per provider, so two look-alikes created at once are
 * not both let in.
 */
async function assertDistinctName(em: EntityManager, providerBusinessId: string, name: string, exceptGroupId: string | null): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('client_group_names:' || $1, 0))`, [providerBusinessId]);
  const rows: { name: string }[] = await em.query(`SELECT name FROM client_groups WHERE provider_business_id = $1 AND id IS DISTINCT FROM $2`, [providerBusinessId, exceptGroupId]);
  const other = lookAlike(name, rows.map((r) => r.name));
  if (other !== undefined) throw appError("CONFLICT", `"${name}" looks like the existing group name "${other}" (or one that existed); choose another name.`, { field: "name" });
}

/**
 * A client group the person may see (conditions.ts: its provider's BAM, or an employee assigned to
 * it), not deleted: what the group mutations act on, or NOT_FOUND. Who may change it is the declared
 * rule (auth/authority.ts): the provider's BAM.
 */
function liveGroup(ctx: Context, globalId: string) {
  return {
    find: async () => {
      const group = await visibleNode<ClientGroup>(ctx, "ClientGroup", globalId, "groupId", "That client group");
      if (group.deletedAt) throw notFound("That client group");
      return group;
    },
    subject: (group: ClientGroup) => ({ businessId: group.providerBusinessId }),
  };
}

@Resolver()
export class ClientGroupMutations {
  @Mutation(() => ClientGroup, { description: "Create a client group in your service-provider business (BAM only)." })
  async createClientGroup(@Ctx() ctx: Context, @Arg("input", () => CreateClientGroupInput) input: CreateClientGroupInput): Promise<ClientGroup> {
    const { name, normalizedName } = groupName(input.name);
    return runMutation(ctx, "createClientGroup", {
      find: () => providerManagedByViewer(ctx, input.providerBn9),
      subject: (provider) => ({ businessId: provider.id }),
      run: async (tx, provider) => {
        await assertDistinctName(tx.em, provider.id, name, null);
        const group = await tx.em.getRepository(ClientGroup).save(
          Object.assign(new ClientGroup(), { providerBusinessId: provider.id, name, normalizedName, deletedAt: null }),
        );
        await tx.audit({ businessId: provider.id, action: "client_group.created", targetType: "ClientGroup", targetId: group.id, after: { name } });
        return group;
      },
    });
  }

  @Mutation(() => ClientGroup, { description: "Rename a client group (names stay unique, deleted groups included)." })
  async renameClientGroup(@Ctx() ctx: Context, @Arg("input", () => RenameClientGroupInput) input: RenameClientGroupInput): Promise<ClientGroup> {
    const { name, normalizedName } = groupName(input.name);
    return runMutation(ctx, "renameClientGroup", {
      ...liveGroup(ctx, input.groupId),
      run: async (tx, group) => {
        await assertDistinctName(tx.em, group.providerBusinessId, name, group.id);
        const before = { name: group.name };
        group.name = name;
        group.normalizedName = normalizedName;
        await tx.em.getRepository(ClientGroup).save(group);
        await tx.audit({ businessId: group.providerBusinessId, action: "client_group.renamed", targetType: "ClientGroup", targetId: group.id, before, after: { name } });
        return group;
      },
    });
  }

  @Mutation(() => ClientGroup, { description: "Delete a client group: its employees lose access to its clients through it. The name stays taken." })
  async deleteClientGroup(@Ctx() ctx: Context, @Arg("input", () => ClientGroupRefInput) input: ClientGroupRefInput): Promise<ClientGroup> {
    return runMutation(ctx, "deleteClientGroup", {
      ...liveGroup(ctx, input.groupId),
      run: async (tx, group) => {
        group.deletedAt = tx.now;
        await tx.em.getRepository(ClientGroup).save(group);
        await tx.audit({ businessId: group.providerBusinessId, action: "client_group.deleted", targetType: "ClientGroup", targetId: group.id, before: { name: group.name }, after: null });
        return group;
      },
    });
  }

  @Mutation(() => ClientGroup, { description: "Add a client (with an active relationship to your business) to a group." })
  async addClientToGroup(@Ctx() ctx: Context, @Arg("input", () => ClientGroupClientInput) input: ClientGroupClientInput): Promise<ClientGroup> {
    const e = bn9Error(input.clientBn9);
    if (e) throw badInput(e, "clientBn9");
    return runMutation(ctx, "addClientToGroup", {
      ...liveGroup(ctx, input.groupId),
      prepare: async (group) => {
        const [client] = await ctx.db.query(
          `SELECT b.id FROM businesses b JOIN relationships r ON r.client_business_id = b.id
            WHERE b.bn9 = $1 AND r.provider_business_id = $2 AND r.status = 'ACTIVE' AND (r.expires_at IS NULL OR r.expires_at > $3)`,
          [input.clientBn9, group.providerBusinessId, ctx.access.now],
        );
        if (!client) throw notFound(`A client ${input.clientBn9} with an active relationship to your business`);
        return client.id as string;
      },
      run: async (tx, group, { prepared: clientId }) => {
        const exists = await tx.em.getRepository(ClientGroupClient).existsBy({ groupId: group.id, clientBusinessId: clientId });
        if (exists) throw appError("CONFLICT", "This client is already in the group.");
        await tx.em.getRepository(ClientGroupClient).insert({ groupId: group.id, clientBusinessId: clientId });
        await tx.audit({ businessId: group.providerBusinessId, action: "client_group.client_added", targetType: "ClientGroup", targetId: group.id, after: { client: input.clientBn9 } });
        return group;
      },
    });
  }

  @Mutation(() => ClientGroup, { description: "Remove a client from a group." })
  async removeClientFromGroup(@Ctx() ctx: Context, @Arg("input", () => ClientGroupClientInput) input: ClientGroupClientInput): Promise<ClientGroup> {
    const e = bn9Error(input.clientBn9);
    if (e) throw badInput(e, "clientBn9");
    return runMutation(ctx, "removeClientFromGroup", {
      ...liveGroup(ctx, input.groupId),
      run: async (tx, group) => {
        const removed = await tx.returning(
          `DELETE FROM client_group_clients gc USING businesses b WHERE b.id = gc.client_business_id AND gc.group_id = $1 AND b.bn9 = $2 RETURNING gc.group_id`,
          [group.id, input.clientBn9],
        );
        if (removed.length === 0) throw notFound(`Client ${input.clientBn9} in this group`);
        await tx.audit({ businessId: group.providerBusinessId, action: "client_group.client_removed", targetType: "ClientGroup", targetId: group.id, before: { client: input.clientBn9 } });
        return group;
      },
    });
  }

  @Mutation(() => ClientGroup, { description: "Assign an employee of the provider to a group with a role, change it, or remove it (role: null)." })
  async setClientGroupAssignment(@Ctx() ctx: Context, @Arg("input", () => ClientGroupAssignmentInput) input: ClientGroupAssignmentInput): Promise<ClientGroup> {
    const userId = idOf(input.userId, "User", "userId");
    const { find } = liveGroup(ctx, input.groupId);
    return runMutation(ctx, "setClientGroupAssignment", {
      find,
      subject: (group) => ({ businessId: group.providerBusinessId, personId: userId }),
      run: async (tx, group) => {
        // Locked so that a concurrent removal of the employee cannot leave an assignment behind.
        const [member] = await tx.em.query(
          `SELECT 1 FROM business_memberships WHERE user_id = $1 AND business_id = $2 AND status = 'ACTIVE' FOR SHARE`,
          [userId, group.providerBusinessId],
        );
        if (!member) throw notFound("That employee of the provider");
        const repo = tx.em.getRepository(ClientGroupAssignment);
        const existing = await repo.findOneBy({ groupId: group.id, userId });
        if (input.role) {
          if (existing) await repo.update({ id: existing.id }, { role: input.role });
          else await repo.insert({ groupId: group.id, userId, role: input.role });
        } else if (existing) await repo.delete({ id: existing.id });
        else throw notFound("That assignment");
        await tx.audit({
          businessId: group.providerBusinessId, action: "client_group.assignment_changed", targetType: "ClientGroup", targetId: group.id,
          before: { userId, role: existing?.role ?? null }, after: { userId, role: input.role ?? null },
        });
        return group;
      },
    });
  }
}
