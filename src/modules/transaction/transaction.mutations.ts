import { Arg, Ctx, Field, InputType, Mutation, Resolver } from "type-graphql";
import { runMutation } from "../../application/mutation.js";
import { transactionCondition } from "../../auth/conditions.js";
import { addDays, businessDate } from "../../common/billing.js";
import { badInput, notFound } from "../../common/errors.js";
import { transactionNumberError } from "../../common/identifiers.js";
import { dateInput, moneyInput, percentInput, text } from "../../common/inputs.js";
import { MoneyScalar, formatCents } from "../../common/money.js";
import type { Context } from "../../context.js";
import { query, sql } from "../../db/sql.js";
import { chooseActingBusiness } from "../business/acting-business.js";
import { programAccountByBn15 } from "../program-account/program-account.service.js";
import { amendDeclaration, fileDeclaration, type DeclarationLine } from "./filing.js";
import { Transaction } from "./transaction.entity.js";

@InputType({ description: "One line of a declaration. Duties and taxes are computed by the server." })
export class DeclarationLineInput {
  @Field(() => String, { description: "10-digit tariff classification code." })
  classificationCode!: string;

  @Field(() => String, { description: "What the goods are (1-500 characters)." })
  description!: string;

  @Field(() => MoneyScalar, { description: "Value for duty, in CAD (0 to 99,999,999.99)." })
  valueForDuty!: string;

  @Field(() => String, { description: "Tariff treatment code, 1 or 2 digits, e.g. 2 (MFN) or 10 (CUSMA)." })
  tariffTreatment!: string;

  @Field(() => String, { description: 'Customs duty rate in percent, e.g. "6.5" (up to 4 decimals).' })
  customsDutyRate!: string;

  @Field(() => MoneyScalar, { nullable: true, description: "Special Import Measures Act duty (default 0.00)." })
  sima?: string | null;

  @Field(() => MoneyScalar, { nullable: true, description: "Excise duty and taxes (default 0.00)." })
  excise?: string | null;
}

@InputType({ description: "A Commercial Accounting Declaration (CAD) to file on a program account: its release date and lines." })
export class FileDeclarationInput {
  @Field(() => String, { description: "The importer's program account (BN15)." })
  bn15!: string;

  @Field(() => String, { description: "Release date of the goods (YYYY-MM-DD): not in the future, at most 4 years ago." })
  releasedOn!: string;

  @Field(() => [DeclarationLineInput], { description: "1 to 200 lines." })
  lines!: DeclarationLineInput[];

  @Field(() => String, {
    nullable: true,
    description: "The business you file as (BN9): the importer, or your service provider business. Needed only when you could file as either.",
  })
  asBusiness?: string | null;
}

@InputType({ description: "A correction (up to the due date) or an adjustment (after it) of a declaration: its lines as they should now be." })
export class AmendDeclarationInput {
  @Field(() => String, { description: "The 14-digit number of the declaration to amend." })
  transactionNumber!: string;

  @Field(() => [DeclarationLineInput], { description: "The declaration's complete new set of lines (1 to 200)." })
  lines!: DeclarationLineInput[];

  @Field(() => String, { description: "Why it changes (1-1000 characters)." })
  reason!: string;

  @Field(() => String, { nullable: true, description: "The business you act as (BN9), when you could act as either the importer or the original filer." })
  asBusiness?: string | null;
}

const MAX_LINES = 200;
const MAX_LINE_VALUE = 9_999_999_999n; // 99,999,999.99

/** The lines as filed, each field checked (BAD_USER_INPUT names it, e.g. lines[2].valueForDuty). */
function declarationLines(lines: DeclarationLineInput[]): DeclarationLine[] {
  if (lines.length === 0 || lines.length > MAX_LINES) throw badInput(`A declaration has 1 to ${MAX_LINES} lines; got ${lines.length}.`, "lines");
  return lines.map((l, i) => {
    const f = (name: string) => `lines[${i}].${name}`;
    if (!/^\d{10}$/.test(l.classificationCode)) throw badInput(`${f("classificationCode")} must be a 10-digit tariff classification code.`, f("classificationCode"));
    if (!/^\d{1,2}$/.test(l.tariffTreatment)) throw badInput(`${f("tariffTreatment")} must be a tariff treatment code of 1 or 2 digits, e.g. 2.`, f("tariffTreatment"));
    const amount = (value: string | null | undefined, name: string) => formatCents(moneyInput(value ?? "0.00", f(name), { min: 0n, max: MAX_LINE_VALUE }));
    return {
      classificationCode: l.classificationCode,
      description: text(l.description, f("description"), { max: 500, required: true })!,
      valueForDuty: amount(l.valueForDuty, "valueForDuty"),
      tariffTreatment: l.tariffTreatment,
      customsDutyRate: percentInput(l.customsDutyRate, f("customsDutyRate")),
      sima: amount(l.sima, "sima"),
      excise: amount(l.excise, "excise"),
    };
  });
}

/** A transaction the person may see (its filer judged by their rules: conditions.ts), with its importer; else NOT_FOUND. */
async function visibleTransaction(ctx: Context, transactionNumber: string): Promise<{ t: Transaction; importerId: string }> {
  const e = transactionNumberError(transactionNumber);
  if (e) throw badInput(e, "transactionNumber");
  const [row] = await query<{ id: string; importer_id: string }>(
    ctx.db,
    sql`SELECT t.id, pa.business_id AS importer_id FROM transactions t JOIN program_accounts pa ON pa.id = t.program_account_id
         WHERE t.transaction_number = ${transactionNumber} AND ${transactionCondition(ctx.access, "t")}`,
  );
  if (!row) throw notFound(`Transaction ${transactionNumber}`);
  return { t: await ctx.db.getRepository(Transaction).findOneByOrFail({ id: row.id }), importerId: row.importer_id };
}

@Resolver()
export class TransactionMutations {
  @Mutation(() => Transaction, {
    description:
      "File a CAD on a program account, as the importer (Editor or above) or as its service provider (an Editor grant, relationship active). " +
      "The server computes duties and taxes, assigns the transaction number and posts the charge on the statement.",
  })
  async fileDeclaration(@Ctx() ctx: Context, @Arg("input", () => FileDeclarationInput) input: FileDeclarationInput): Promise<Transaction> {
    const releasedOn = dateInput(input.releasedOn, "releasedOn");
    const lines = declarationLines(input.lines);
    const requestDay = businessDate(ctx.access.now);
    if (releasedOn > requestDay) throw badInput(`releasedOn is in the future (${releasedOn}); declare goods once they are released.`, "releasedOn");
    if (releasedOn < addDays(requestDay, -4 * 365)) throw badInput("releasedOn is more than 4 years ago.", "releasedOn");
    return runMutation(ctx, "fileDeclaration", {
      find: () => programAccountByBn15(ctx, input.bn15),
      subject: (pa) => ({ accountId: pa.id }),
      run: async (tx, pa, { granted: candidates }) => {
        const today = businessDate(tx.now);
        const filer = chooseActingBusiness(candidates, input.asBusiness, "file declarations");
        const { transaction, duties } = await fileDeclaration(tx.em, {
          programAccountId: pa.id,
          filer,
          userId: tx.actor.id,
          releasedOn,
          lines,
          today,
        });
        await tx.audit({
          businessId: pa.businessId,
          action: "transaction.filed",
          targetType: "Transaction",
          targetId: transaction.id,
          after: { transactionNumber: transaction.transactionNumber, bn15: pa.bn15, releasedOn, filedBy: filer.bn9, total: duties.total, late: transaction.late },
        });
        return transaction;
      },
    });
  }

  @Mutation(() => Transaction, {
    description:
      "Amend a declaration with a complete new set of lines: up to and including the payment due date of its statement, a CORRECTION " +
      "(accepted at once, no interest); after it, an ADJUSTMENT under agency review. Only the business that filed it or the importer " +
      "may, and only if every version of it is visible to you.",
  })
  async amendDeclaration(@Ctx() ctx: Context, @Arg("input", () => AmendDeclarationInput) input: AmendDeclarationInput): Promise<Transaction> {
    const lines = declarationLines(input.lines);
    const reason = text(input.reason, "reason", { max: 1000, required: true })!;
    return runMutation(ctx, "amendDeclaration", {
      find: () => visibleTransaction(ctx, input.transactionNumber),
      // Only the business that filed it or the importer, seeing every version of it.
      subject: ({ t, importerId }) => ({ accountId: t.programAccountId, transactionId: t.id, among: [t.submittedByBusinessId, importerId] }),
      run: async (tx, { t: found, importerId }, { granted: candidates }) => {
        const actor = chooseActingBusiness(candidates, input.asBusiness, "change this declaration");
        const t = await tx.em.getRepository(Transaction).findOneByOrFail({ id: found.id });
        const { transaction, version, delta } = await amendDeclaration(tx.em, {
          transactionId: t.id,
          actingBusinessId: actor.id,
          userId: tx.actor.id,
          lines,
          reason,
          today: businessDate(tx.now),
        });
        await tx.audit({
          businessId: importerId,
          action: version.kind === "CORRECTION" ? "transaction.corrected" : "transaction.adjustment_submitted",
          targetType: "Transaction",
          targetId: transaction.id,
          before: { versionNo: version.versionNo - 1, total: t.totalDutiesAndTaxes },
          after: { versionNo: version.versionNo, kind: version.kind, status: version.status, total: version.totalDutiesAndTaxes, difference: formatCents(delta), by: actor.bn9, reason },
        });
        return transaction;
      },
    });
  }
}
