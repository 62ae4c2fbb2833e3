import type { Context } from "../../context.js";
import { MembershipStatus } from "../../common/enums.js";
import { appError, badInput, forbidden } from "../../common/errors.js";
import { bn9Error, rmError, transactionNumberError } from "../../common/identifiers.js";
import { toCents } from "../../common/money.js";
import { checkAddress, checkLegalName } from "../../common/address.js";
import { audit, mutate } from "../../common/mutation.js";
import { AgencyAffinityRecord, RegistrationAttempt } from "../agency/agency.entity.js";
import { Business } from "../business/business.entity.js";
import { BusinessMembership } from "../membership/membership.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import type { RegisterBusinessInput } from "./registration.inputs.js";

/** Failed attempts allowed per business (and per person) in the window before registration is throttled. */
export const MAX_FAILED_ATTEMPTS = 5;
export const ATTEMPT_WINDOW_HOURS = 24;

const MISMATCH =
  "The information does not match the agency's records for this business. Check the legal name, address and your answers, then try again.";

/** Compare as the agency's records read, case and runs of spaces aside. */
const norm = (s: string) => s.normalize("NFKC").trim().replace(/\s+/g, " ").toUpperCase();

/**
 * Registers a business in the portal: the registrant becomes its first BAM and every program
 * account of the business is linked. Identity is proven by the legal name and address exactly as the
 * agency has them and by at least two correct affinity answers about one program account. Wrong
 * answers never say which was wrong, and repeated failures are throttled per business and per person.
 */
export async function registerBusiness(ctx: Context, input: RegisterBusinessInput): Promise<Business> {
  const e = bn9Error(input.bn9) ?? null;
  if (e) throw badInput(e, "bn9");
  const r = rmError(input.rm);
  if (r) throw badInput(r, "rm");
  if (ctx.access.isAgencyOfficer) throw forbidden("Agency officers act for the agency only and cannot register a business.");
  // Malformed identity is an input error naming the field (and no attempt); a well-formed one is then
  // compared with the agency's record, where a mismatch never says which part.
  const legalName = checkLegalName(input.legalName);
  const address = checkAddress(input.address);
  if (!input.acceptTerms) throw badInput("You must accept the terms and conditions to register.", "acceptTerms");
  const a = input.affinity;
  if (a.recentTransactionNumber != null) {
    const t = transactionNumberError(a.recentTransactionNumber);
    if (t) throw badInput(t, "affinity.recentTransactionNumber");
  }
  if ((a.recentTransactionNumber == null) !== (a.recentTransactionTotal == null)) {
    throw badInput("Question 1 needs both the transaction number and its total duties and taxes.", "affinity.recentTransactionNumber");
  }
  const answered = [a.recentTransactionNumber != null, a.lastPaymentAmount != null, a.lastStatementBalance != null].filter(Boolean).length;
  if (answered < 2) throw badInput("Answer at least two of the three questions.", "affinity");

  const viewer = ctx.viewer!;
  const outcome = await mutate(ctx, async (em) => {
    const business = await em.getRepository(Business).createQueryBuilder("b").setLock("pessimistic_write").where("b.bn9 = :bn9", { bn9: input.bn9 }).getOne();
    if (!business) return { ok: false as const, throttled: false };
    const since = new Date(Date.now() - ATTEMPT_WINDOW_HOURS * 3600_000);
    const [failures] = await em.query(
      `SELECT count(*) FILTER (WHERE business_id = $1)::int AS business, count(*) FILTER (WHERE user_id = $2)::int AS person
         FROM registration_attempts WHERE NOT succeeded AND created_at > $3 AND (business_id = $1 OR user_id = $2)`,
      [business.id, viewer.id, since],
    );
    if (failures.business >= MAX_FAILED_ATTEMPTS || failures.person >= MAX_FAILED_ATTEMPTS) return { ok: false as const, throttled: true };
    if (business.registeredAt) {
      return { ok: false as const, throttled: false, registered: true };
    }
    const pa = await em.getRepository(ProgramAccount).findOneBy({ businessId: business.id, rm: input.rm });
    const record = pa ? await em.getRepository(AgencyAffinityRecord).findOneBy({ programAccountId: pa.id }) : null;
    const sameMoney = (x: string | null | undefined, y: string) => x != null && toCents(x) === toCents(y);
    const correct =
      record !== null &&
      norm(legalName) === norm(business.legalName) &&
      norm(address.addressLine) === norm(business.addressLine) &&
      norm(address.city) === norm(business.city) &&
      norm(address.province) === norm(business.province) &&
      norm(address.postalCode).replace(/ /g, "") === norm(business.postalCode).replace(/ /g, "") &&
      // Every answer given must be right (and at least two were given).
      (a.recentTransactionNumber == null ||
        (a.recentTransactionNumber === record.recentTransactionNumber && sameMoney(a.recentTransactionTotal, record.recentTransactionTotal))) &&
      (a.lastPaymentAmount == null || sameMoney(a.lastPaymentAmount, record.lastPaymentAmount)) &&
      (a.lastStatementBalance == null || sameMoney(a.lastStatementBalance, record.lastStatementBalance));
    await em.getRepository(RegistrationAttempt).insert({ businessId: business.id, userId: viewer.id, succeeded: correct });
    if (!correct) return { ok: false as const, throttled: false };

    business.registeredAt = new Date();
    await em.getRepository(Business).save(business);
    await em.getRepository(BusinessMembership).upsert(
      { userId: viewer.id, businessId: business.id, isBam: true, status: MembershipStatus.ACTIVE, grantedById: viewer.id },
      ["userId", "businessId"],
    );
    const accounts = await em.getRepository(ProgramAccount).findBy({ businessId: business.id });
    await audit(em, ctx, {
      businessId: business.id,
      action: "business.registered",
      targetType: "Business",
      targetId: business.id,
      before: null,
      after: { bn9: business.bn9, bam: viewer.username, programAccounts: accounts.map((p) => p.bn15).sort() },
    });
    return { ok: true as const, business };
  });
  if (outcome.ok) return outcome.business;
  if (outcome.throttled) {
    throw appError("RATE_LIMITED", `Too many unsuccessful registration attempts. Try again in ${ATTEMPT_WINDOW_HOURS} hours or contact the agency.`);
  }
  if ("registered" in outcome && outcome.registered) {
    throw appError("CONFLICT", "This business is already registered in the portal. Ask one of its Business Account Managers for access.");
  }
  throw badInput(MISMATCH);
}
