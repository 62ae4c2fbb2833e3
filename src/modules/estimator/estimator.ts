import { Arg, Field, InputType, Int, ObjectType, Query, Resolver } from "type-graphql";
import { declarationDuties } from "../../common/duties.js";
import { badInput } from "../../common/errors.js";
import { moneyInput } from "../../common/inputs.js";
import { formatCents, MoneyScalar } from "../../common/money.js";

/** Lines one estimate takes at most (a large CAD has a few hundred; an estimate is a what-if). */
export const MAX_ESTIMATE_LINES = 100;

/**
 * The largest amount of a line, as CAD filing accepts it (transaction.mutations.ts): an estimate is
 * refused where a filing of the same lines would be, never computed past what the money columns and
 * arithmetic are sized for (999,999,999,999.99 with duty and tax on top did not fit).
 */
export const MAX_LINE_AMOUNT = 9_999_999_999n; // 99,999,999.99

const ZERO = "0.00";

@InputType({ description: "One line of goods to estimate, as it would appear on a CAD." })
export class EstimateLineInput {
  @Field(() => String, { description: "10-digit tariff classification code." })
  classificationCode!: string;

  @Field(() => MoneyScalar, { description: "Value for duty, in CAD (0 to 99,999,999.99, as on a CAD)." })
  valueForDuty!: string;

  @Field(() => String, { description: "Tariff treatment code (1 or 2 digits), e.g. 2 (MFN) or 10 (CUSMA)." })
  tariffTreatment!: string;

  @Field(() => String, { description: 'Customs duty rate in percent under that treatment, a decimal string from "0" to "999.9999", e.g. "6.5".' })
  customsDutyRate!: string;

  @Field(() => MoneyScalar, { nullable: true, description: "Special Import Measures Act duties (0 to 99,999,999.99); default 0." })
  sima?: string | null;

  @Field(() => MoneyScalar, { nullable: true, description: "Excise duty and tax (0 to 99,999,999.99); default 0." })
  excise?: string | null;
}

@ObjectType({ description: "Duties and taxes of one estimated line." })
export class DutyEstimateLine {
  @Field(() => Int, { description: "Position of the line in the input, from 1." })
  lineNo!: number;

  @Field(() => String, { description: "The line's tariff classification code, as given." })
  classificationCode!: string;

  @Field(() => String, { description: "The line's tariff treatment code, as given." })
  tariffTreatment!: string;

  @Field(() => MoneyScalar, { description: "The value for duty, as given." })
  valueForDuty!: string;

  @Field(() => MoneyScalar, { description: "Value for duty x rate, rounded to the cent." })
  customsDuty!: string;

  @Field(() => MoneyScalar, { description: "SIMA duties, as given (0 when left out)." })
  sima!: string;

  @Field(() => MoneyScalar, { description: "Excise duty and tax, as given (0 when left out)." })
  excise!: string;

  @Field(() => MoneyScalar, { description: "Value for duty + customs duty + SIMA + excise." })
  valueForTax!: string;

  @Field(() => MoneyScalar, { description: "5 % of the value for tax, rounded to the cent." })
  gst!: string;

  @Field(() => MoneyScalar, { description: "Customs duty + SIMA + excise + GST." })
  total!: string;
}

@ObjectType({ description: "An estimate of duties and taxes: computed as CAD filing computes them, nothing stored." })
export class DutyEstimate {
  @Field(() => [DutyEstimateLine], { description: "Each line's figures, in the order given." })
  lines!: DutyEstimateLine[];

  @Field(() => MoneyScalar, { description: "Customs duty of all lines." })
  customsDuty!: string;

  @Field(() => MoneyScalar, { description: "SIMA duties of all lines." })
  sima!: string;

  @Field(() => MoneyScalar, { description: "Excise duty and tax of all lines." })
  excise!: string;

  @Field(() => MoneyScalar, { description: "GST of all lines." })
  gst!: string;

  @Field(() => MoneyScalar, { description: "Customs duty + SIMA + excise + GST." })
  total!: string;
}

/** An amount from 0 to MAX_LINE_AMOUNT, or BAD_USER_INPUT naming the field (the Money scalar has already checked its form). */
function lineAmount(value: string, field: string): string {
  return formatCents(moneyInput(value, field, { min: 0n, max: MAX_LINE_AMOUNT }));
}

/**
 * The duty and tax estimator (seed 001: "Estimate duties and taxes"): from lines of goods, the duty,
 * value for tax, GST and totals, by `declarationDuties`, the function CAD filing and corrections use,
 * so an estimate and a filing of the same lines agree to the cent. Any signed-in person may use it;
 * it reads and writes nothing.
 */
@Resolver()
export class EstimatorResolver {
  @Query(() => DutyEstimate, {
    description: `Estimate duties and taxes for up to ${MAX_ESTIMATE_LINES} lines, computed exactly as a CAD's are. Any signed-in user; nothing is stored.`,
  })
  estimateDutiesAndTaxes(@Arg("lines", () => [EstimateLineInput], { description: `The lines to estimate (1 to ${MAX_ESTIMATE_LINES}).` }) lines: EstimateLineInput[]): DutyEstimate {
    if (lines.length === 0) throw badInput("Give at least one line.", "lines");
    if (lines.length > MAX_ESTIMATE_LINES) throw badInput(`At most ${MAX_ESTIMATE_LINES} lines (got ${lines.length}).`, "lines");
    const checked = lines.map((l, i) => {
      const at = (f: string) => `lines[${i}].${f}`;
      if (!/^\d{10}$/.test(l.classificationCode)) throw badInput(`"${l.classificationCode.slice(0, 20)}" is not a classification code: 10 digits.`, at("classificationCode"));
      if (!/^\d{1,2}$/.test(l.tariffTreatment)) throw badInput(`"${l.tariffTreatment.slice(0, 20)}" is not a tariff treatment code: 1 or 2 digits.`, at("tariffTreatment"));
      if (!/^\d{1,3}(\.\d{1,4})?$/.test(l.customsDutyRate)) {
        throw badInput(`"${l.customsDutyRate.slice(0, 20)}" is not a duty rate: a percentage from 0 to 999.9999 with at most 4 decimals.`, at("customsDutyRate"));
      }
      return {
        classificationCode: l.classificationCode,
        tariffTreatment: l.tariffTreatment,
        valueForDuty: lineAmount(l.valueForDuty, at("valueForDuty")),
        customsDutyRate: l.customsDutyRate,
        sima: lineAmount(l.sima ?? ZERO, at("sima")),
        excise: lineAmount(l.excise ?? ZERO, at("excise")),
      };
    });
    const d = declarationDuties(checked);
    return {
      lines: checked.map(({ customsDutyRate: _rate, ...l }, i) => ({ lineNo: i + 1, ...l, ...d.lines[i]! })),
      customsDuty: d.customsDuty,
      sima: d.sima,
      excise: d.excise,
      gst: d.gst,
      total: d.total,
    };
  }
}
