import type { Context } from "../../context.js";
import type { ListSpec } from "../../common/pagination.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import { BusinessRelationship, RelationshipProgramAccount } from "./relationship.entity.js";

/**
 * A relationship's settings are seen by the managers of both parties: the BAMs of the client and of
 * the provider, and a client's PAM for relationships that reach an account they manage (business
 * level, or listing it). The same rule as `checks.Relationship` in auth/visibility.ts.
 */
export function relationshipList(ctx: Context, opts: { nestedUnderBusiness: boolean }): ListSpec<BusinessRelationship> {
  const bamOf = ctx.scope.bamBusinessIds();
  // A client's PAM: business-level relationships, and those covering an account they manage.
  const pamOf = ctx.scope.managedBusinessIds("VIEW_RELATIONSHIP_SETTINGS").filter((b) => !bamOf.includes(b));
  const managedAccounts = ctx.scope.programAccountIdsFor("MANAGE_PROGRAM_ACCESS");
  return {
    entity: BusinessRelationship,
    alias: "r",
    sort: { expr: "r.created_at", type: "timestamptz" },
    direction: "DESC",
    // Under a business: the relationships where it is either party.
    parentExpr: opts.nestedUnderBusiness ? "party.id" : undefined,
    where: (qb) => {
      if (opts.nestedUnderBusiness) qb.innerJoin("businesses", "party", "party.id IN (r.client_business_id, r.provider_business_id)");
      qb.where(
        `(r.client_business_id = ANY(:rBam) OR r.provider_business_id = ANY(:rBam)
          OR (r.client_business_id = ANY(:rPam) AND (r.level = 'BUSINESS' OR EXISTS (
                SELECT 1 FROM relationship_program_accounts x WHERE x.relationship_id = r.id AND x.program_account_id = ANY(:rPamAccounts)))))`,
        { rBam: bamOf, rPam: pamOf, rPamAccounts: managedAccounts },
      );
    },
  };
}

/** Program accounts a PROGRAM_ACCOUNT-level relationship covers (those the viewer can see). */
export function relationshipAccountList(ctx: Context): ListSpec<ProgramAccount> {
  const rels = relationshipList(ctx, { nestedUnderBusiness: false });
  const visible = ctx.scope.programAccountIdsFor("VIEW_PROGRAM_ACCOUNT");
  return {
    entity: ProgramAccount,
    alias: "pa",
    sort: { expr: "pa.bn15", type: "text" },
    direction: "ASC",
    parentExpr: "rpa.relationship_id",
    where: (qb) => {
      qb.innerJoin(RelationshipProgramAccount, "rpa", "rpa.program_account_id = pa.id").innerJoin(BusinessRelationship, "r", "r.id = rpa.relationship_id");
      rels.where(qb as never);
      qb.andWhere("pa.id = ANY(:rpaVisible)", { rpaVisible: visible });
    },
  };
}
