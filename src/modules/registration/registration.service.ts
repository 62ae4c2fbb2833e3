import type { Context } from "../../context.js";
import { MembershipStatus } from "../../common/enums.js";
import { appError, badInput } from "../../common/errors.js";
import { bn9Error, rmError, transactionNumberError } from "../../common/identifiers.js";
import { toCents } from "../../common/money.js";
import { checkAddress, checkLegalName } from "../../common/address.js";
import { runMutation } from "../../application/mutation.js";
import { AgencyAffinityRecord, RegistrationAttempt } from "../agency/agency.entity.js";
import { Business } from "../business/business.entity.js";
import { BusinessMembership } from "../membership/membership.entity.js";
import { ProgramAccount } from "../program-account/program-account.entity.js";
import type { RegisterBusinessInput } from "./registration.inputs.js";

/** Failed attempts allowed in the window, per person on one business and per person overall. */
export const MAX_FAILED_PER_PERSON_AND_BUSINESS = 5;
export const MAX_FAILED_PER_PERSON = 10;
export const ATTEMPT_WINDOW_HOURS = 24;
/** Failures on one business (by anyone) past which every attempt on it is slowed down, never refused. */
export const BUSINESS_SLOWDOWN_AFTER = 10;

/**
 * How far apart one person's attempts on a business must be, given its failures in the window by
 * everyone: no spacing up to the threshold, then half a second more per failure, at most 5 s.
 * Slowing makes guessing one business's answers by many accounts costly; refusing would let anyone
 * lock its owner out. An attempt too soon after the person's previous one on that business is
 * refused at once (RATE_LIMITED, Retry-After): nobody waits inside the server, holding a slot.
 */
export function businessDelayMs(failures: number): number {
  if (failures < BUSINESS_SLOWDOWN_AFTER) return 0;
  return Math.min(5000, 500 * (failures - BUSINESS_SLOWDOWN_AFTER + 1));
}

const MISMATCH =
  "The information does not match the agency's records for this business. Check the legal name, address and your answers, then try again.";

/** Compare as the agency's records read, case and runs of spaces aside. */
const norm = (s: string) => s.normalize("NFKC").trim().replace(/\s+/g, " ").toUpperCase();

type Outcome =
  | { ok: true; business: Business }
  | { ok: false; reason: "mismatch" | "throttled" | "registered-member" }
  | { ok: false; reason: "too-soon"; retryAfterSeconds: number };

/**
 * Registers a business in the portal: the registrant becomes its first BAM and every program
 * account of the business is linked. Identity is proven by the legal name and address exactly as the
 * agency has them and by at least two correct affinity answers about one program account.
 *
 * What a prober learns is nothing: a wrong answer, a BN9 that no business has, and a business
 * already registered (to someone not its member) all get the same BAD_USER_INPUT message, and all
 * count as failures. Failures are throttled per person on one business and per person overall
 * (RATE_LIMITED); failures on a business by everyone only slow attempts on it down, so that nobody
 * can lock a business's owner out of registering it.
 */
export async function registerBusiness(ctx: Context, input: RegisterBusinessInput): Promise<Business> {
  const e = bn9Error(input.bn9) ?? null;
  if (e) throw badInput(e, "bn9");
  const r = rmError(input.rm);
  if (r) throw badInput(r, "rm");
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
  const windowStart = () => new Date(Date.now() - ATTEMPT_WINDOW_HOURS * 3600_000);

  const outcome: Outcome = await runMutation(ctx, "registerBusiness", {
    run: async (tx) => {
      const em = tx.em;
      // Under the business's row lock, so that one person's attempts at once are counted one by one.
      const business = await em.getRepository(Business).createQueryBuilder("b").setLock("pessimistic_write").where("b.bn9 = :bn9", { bn9: input.bn9 }).getOne();
      const [failures] = await em.query(
        `SELECT count(*)::int AS person, count(*) FILTER (WHERE business_id = $2)::int AS pair,
                (SELECT count(*)::int FROM registration_attempts WHERE business_id = $2 AND NOT succeeded AND created_at > $3) AS business,
                extract(epoch FROM max(created_at) FILTER (WHERE business_id = $2) - now()) AS "lastAgo"
           FROM registration_attempts WHERE user_id = $1 AND NOT succeeded AND created_at > $3`,
        [viewer.id, business?.id ?? null, windowStart()],
      );
      if (failures.person >= MAX_FAILED_PER_PERSON || failures.pair >= MAX_FAILED_PER_PERSON_AND_BUSINESS) return { ok: false, reason: "throttled" };
      const spacing = businessDelayMs(failures.business);
      if (spacing > 0 && failures.lastAgo !== null) {
        const wait = spacing / 1000 + Number(failures.lastAgo); // lastAgo is negative: seconds since the person's last failure
        if (wait > 0) return { ok: false, reason: "too-soon", retryAfterSeconds: Math.ceil(wait) };
      }
      const fail = async (): Promise<Outcome> => {
        await em.getRepository(RegistrationAttempt).insert({ businessId: business?.id ?? null, userId: viewer.id, succeeded: false });
        return { ok: false, reason: "mismatch" };
      };
      if (!business) return fail();
      if (business.registeredAt) {
        // Its members may be told; to anyone else it looks exactly like wrong information.
        const member = await em.getRepository(BusinessMembership).findOneBy({ userId: viewer.id, businessId: business.id, status: MembershipStatus.ACTIVE });
        return member ? { ok: false, reason: "registered-member" } : fail();
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
      if (!correct) return fail();
      await em.getRepository(RegistrationAttempt).insert({ businessId: business.id, userId: viewer.id, succeeded: true });

      business.registeredAt = tx.now;
      await em.getRepository(Business).save(business);
      await em.getRepository(BusinessMembership).upsert(
        { userId: viewer.id, businessId: business.id, isBam: true, status: MembershipStatus.ACTIVE, grantedById: viewer.id },
        ["userId", "businessId"],
      );
      const accounts = await em.getRepository(ProgramAccount).findBy({ businessId: business.id });
      await tx.audit({
        businessId: business.id,
        action: "business.registered",
        targetType: "Business",
        targetId: business.id,
        before: null,
        after: { bn9: business.bn9, bam: viewer.username, programAccounts: accounts.map((p) => p.bn15).sort() },
      });
      return { ok: true, business };
    },
  });
  if (outcome.ok) return outcome.business;
  switch (outcome.reason) {
    case "too-soon":
      throw appError(
        "RATE_LIMITED",
        `Many unsuccessful attempts were made on this business recently: try again in ${outcome.retryAfterSeconds} s.`,
        { retryAfterSeconds: outcome.retryAfterSeconds, http: { status: 429, headers: new Map([["retry-after", String(outcome.retryAfterSeconds)]]) } },
      );
    case "throttled":
      throw appError("RATE_LIMITED", `Too many unsuccessful registration attempts. Try again in ${ATTEMPT_WINDOW_HOURS} hours or contact the agency.`);
    case "registered-member":
      throw appError("CONFLICT", "This business is already registered in the portal, and you are one of its members.");
    case "mismatch":
      throw badInput(MISMATCH);
  }
}
