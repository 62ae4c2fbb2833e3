import { Arg, Ctx, Field, Int, Mutation, ObjectType, Query, Resolver, FieldResolver, Root } from "type-graphql";
import { LocalDate } from "../../common/dates.js";
import { checkBefore, checkInside, runMutation } from "../../application/mutation.js";
import { addDays, businessDate } from "../../common/billing.js";
import { badInput } from "../../common/errors.js";
import { dateInput } from "../../common/inputs.js";
import { OVERDUE_POINTS, percentUnits } from "../../common/interest.js";
import type { Context } from "../../context.js";
import { query, sql } from "../../db/sql.js";
import { PrescribedInterestRate } from "./interest-rate.entity.js";
import { issueDueStatements } from "./issuing.js";

@ObjectType({ description: "What a run of statement issuing did." })
export class IssueStatementsResult {
  @Field(() => LocalDate, { description: "The business date it ran as of (today, in Ottawa)." })
  asOf!: string;

  @Field(() => Int, { description: "Statements issued (every statement whose issue date had come)." })
  issued!: number;
}

@Resolver(() => PrescribedInterestRate)
export class StatementMutations {
  @Mutation(() => IssueStatementsResult, {
    description:
      "Agency officers: issue now every statement whose issue date has come (what the daily statement-issuing job does by itself): interest on " +
      "overdue amounts is posted, the statement is ISSUED and its readers notified. Each program account is its own transaction.",
  })
  async issueStatements(@Ctx() ctx: Context): Promise<IssueStatementsResult> {
    await checkBefore(ctx, "issueStatements", undefined);
    const now = ctx.access.now;
    const asOf = businessDate(now);
    const { issued } = await issueDueStatements(ctx.db, ctx.logger, {
      today: asOf,
      now,
      actorUserId: ctx.viewer!.id,
      // The declared authority again, on the officer's locked row, in each account's transaction.
      authorize: (em) => checkInside(em, ctx, "issueStatements", undefined),
    });
    return { asOf, issued };
  }

  @Mutation(() => PrescribedInterestRate, {
    description:
      "Agency officers: the prescribed interest rate from a date on (today or later: days already past keep their rate). Overdue amounts bear it plus 6 points.",
  })
  async setPrescribedInterestRate(
    @Ctx() ctx: Context,
    @Arg("effectiveFrom", () => String, { description: "First day the rate applies (YYYY-MM-DD), usually the first day of a quarter." }) effectiveFrom: string,
    @Arg("rate", () => String, { description: 'Percent a year, e.g. "3.5" (0 to 99.9999, up to 4 decimals).' }) rate: string,
  ): Promise<PrescribedInterestRate> {
    dateInput(effectiveFrom, "effectiveFrom");
    if (!/^\d{1,2}(\.\d{1,4})?$/.test(rate)) throw badInput('rate must be a percentage such as "3.5" (0 to 99.9999, up to 4 decimals).', "rate");
    return runMutation(ctx, "setPrescribedInterestRate", {
      run: async (tx) => {
        if (effectiveFrom < businessDate(tx.now)) throw badInput("effectiveFrom is in the past: days already past keep the rate they had.", "effectiveFrom");
        // A day whose interest is already posted (an adjustment accepted today is charged up to today) keeps its rate too.
        const [{ charged }] = (await query<{ charged: string | null }>(tx.em, sql`SELECT max(interest_through)::text AS charged FROM statement_postings`)) as [{ charged: string | null }];
        if (charged && effectiveFrom <= charged) {
          throw badInput(`Interest up to ${charged} is already posted at the rate in force then: a new rate may start on ${addDays(charged, 1)} at the earliest.`, "effectiveFrom");
        }
        const [before] = await query<{ rate: string }>(tx.em, sql`SELECT rate::text FROM prescribed_interest_rates WHERE effective_from = ${effectiveFrom}::date FOR UPDATE`);
        await query(
          tx.em,
          sql`INSERT INTO prescribed_interest_rates (effective_from, rate, set_by_user_id) VALUES (${effectiveFrom}::date, ${rate}::numeric, ${tx.actor.id}::uuid)
              ON CONFLICT (effective_from) DO UPDATE SET rate = EXCLUDED.rate, set_by_user_id = EXCLUDED.set_by_user_id`,
        );
        await tx.audit({
          businessId: null,
          action: "interest_rate.set",
          targetType: "PrescribedInterestRate",
          targetId: null,
          before: before ? { effectiveFrom, rate: before.rate } : null,
          after: { effectiveFrom, rate },
        });
        return tx.em.getRepository(PrescribedInterestRate).findOneByOrFail({ effectiveFrom });
      },
    });
  }

  @Query(() => [PrescribedInterestRate], { description: "The prescribed interest rates by period, oldest first (before the first: 3 %). Public figures." })
  prescribedInterestRates(@Ctx() ctx: Context): Promise<PrescribedInterestRate[]> {
    return ctx.db.getRepository(PrescribedInterestRate).find({ order: { effectiveFrom: "ASC" } });
  }

  @FieldResolver(() => String, { description: "The rate overdue amounts bear: the prescribed rate plus 6 points, percent a year." })
  overdueRate(@Root() r: PrescribedInterestRate): string {
    const units = percentUnits(r.rate) + percentUnits(OVERDUE_POINTS);
    return `${units / 10_000n}.${String(units % 10_000n).padStart(4, "0")}`;
  }
}
