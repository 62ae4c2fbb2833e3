import { Arg, Ctx, Field, InputType, Mutation, Resolver } from "type-graphql";
import type { EntityManager } from "typeorm";
import { snapshot } from "../../application/audit.js";
import { runMutation } from "../../application/mutation.js";
import type { Context } from "../../context.js";
import { checkAddress, checkLegalName } from "../../common/address.js";
import { appError, badInput } from "../../common/errors.js";
import { AddressInput } from "../registration/registration.inputs.js";
import { Business } from "./business.entity.js";
import { businessByBn9 } from "./business.service.js";

@InputType({ description: "A business's new legal name and address (BAM only)." })
export class UpdateLegalEntityInput {
  @Field(() => String, { description: "The business (BN9)." })
  bn9!: string;

  @Field(() => String, { nullable: true, description: "The new legal name (1-200 characters); left out: unchanged." })
  legalName?: string | null;

  @Field(() => AddressInput, { nullable: true, description: "The new address; left out: unchanged." })
  address?: AddressInput | null;
}

@InputType({ description: "Making your business a service provider, with its account security number (ASEC)." })
export class RegisterServiceProviderInput {
  @Field(() => String, { description: "The business (BN9)." })
  bn9!: string;

  @Field(() => String, { description: "Its account security number (ASEC, 5 digits) as the agency issued it: it prefixes the transaction numbers it files." })
  asec!: string;
}

const LEGAL_ENTITY_FIELDS = ["legalName", "addressLine", "city", "province", "postalCode"];

/** The business row, locked for the rest of the transaction. */
async function lockedBusiness(em: EntityManager, id: string): Promise<Business> {
  return em.getRepository(Business).createQueryBuilder("b").setLock("pessimistic_write").where("b.id = :id", { id }).getOneOrFail();
}

/** What the business's authority reads of it (auth/authority.ts). */
const asSubject = (b: Business) => ({ businessId: b.id, name: b.legalName });

@Resolver()
export class BusinessMutations {
  @Mutation(() => Business, {
    description:
      "As the business's BAM, change its legal name and/or address (validated like registration). Audited with the record before " +
      "and after; nobody else can.",
  })
  async updateLegalEntity(@Ctx() ctx: Context, @Arg("input", () => UpdateLegalEntityInput) input: UpdateLegalEntityInput): Promise<Business> {
    if (input.legalName == null && input.address == null) throw badInput("Give a new legal name, a new address, or both.", "legalName");
    const legalName = input.legalName != null ? checkLegalName(input.legalName) : null;
    const address = input.address ? checkAddress(input.address) : null;
    return runMutation(ctx, "updateLegalEntity", {
      find: () => businessByBn9(ctx, input.bn9),
      subject: asSubject,
      run: async (tx, business) => {
        const row = await lockedBusiness(tx.em, business.id);
        const before = snapshot(row, LEGAL_ENTITY_FIELDS);
        Object.assign(row, legalName !== null ? { legalName } : {}, address ?? {});
        const after = snapshot(row, LEGAL_ENTITY_FIELDS);
        if (JSON.stringify(before) === JSON.stringify(after)) return row;
        await tx.em.getRepository(Business).update({ id: row.id }, { legalName: row.legalName, addressLine: row.addressLine, city: row.city, province: row.province, postalCode: row.postalCode });
        await tx.audit({ businessId: row.id, action: "business.legal_entity_updated", targetType: "Business", targetId: row.id, before, after });
        return row;
      },
    });
  }

  @Mutation(() => Business, {
    description:
      "As the business's BAM, register it as a service provider (a customs broker or trade consultant) with its ASEC, so that its " +
      "BAM can request relationships with clients. An ASEC belonging to another business is refused (BAD_USER_INPUT on asec).",
  })
  async registerServiceProvider(@Ctx() ctx: Context, @Arg("input", () => RegisterServiceProviderInput) input: RegisterServiceProviderInput): Promise<Business> {
    const asec = input.asec.trim();
    if (!/^\d{5}$/.test(asec)) throw badInput(`"${input.asec.slice(0, 20)}" is not an ASEC: an account security number is 5 digits.`, "asec");
    return runMutation(ctx, "registerServiceProvider", {
      find: () => businessByBn9(ctx, input.bn9),
      subject: asSubject,
      run: async (tx, business) => {
        const row = await lockedBusiness(tx.em, business.id);
        if (row.isServiceProvider) throw appError("CONFLICT", `${row.legalName} is already registered as a service provider.`);
        // A business has one ASEC: the one on the agency's record, when it has one already (as an importer that posted security).
        if (row.asec !== null && row.asec !== asec) {
          throw badInput(`${row.legalName} already has ASEC ${row.asec}: a business has one account security number.`, "asec");
        }
        const [taken] = await tx.em.query(`SELECT 1 FROM businesses WHERE asec = $1 AND id <> $2`, [asec, row.id]);
        if (taken) throw badInput("This ASEC belongs to another business: check the number the agency gave you.", "asec");
        const before = snapshot(row, ["isServiceProvider", "asec"]);
        // A concurrent registration of the same ASEC elsewhere fails on the unique index (businesses_asec): the same answer.
        await tx.em.getRepository(Business).update({ id: row.id }, { isServiceProvider: true, asec });
        Object.assign(row, { isServiceProvider: true, asec });
        await tx.audit({
          businessId: row.id, action: "business.service_provider_registered", targetType: "Business", targetId: row.id,
          before, after: snapshot(row, ["isServiceProvider", "asec"]),
        });
        return row;
      },
    });
  }
}
