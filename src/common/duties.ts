import { applyPercent, formatCents, toCents } from "./money.js";

export interface LineInput {
  valueForDuty: string;
  customsDutyRate: string; // percent, e.g. "6.5"
  sima: string;
  excise: string;
}

export interface LineDuties {
  customsDuty: string;
  valueForTax: string;
  gst: string;
  total: string;
}

/**
 * Duties and taxes of one CAD line (domain spec): customs duty = value for duty x rate;
 * value for tax = value for duty + customs duty + SIMA + excise; GST = 5 % of value for tax.
 * Each amount is rounded to the cent, half away from zero, in integer cents.
 */
export function lineDuties(line: LineInput): LineDuties {
  const vfd = toCents(line.valueForDuty);
  const duty = applyPercent(vfd, line.customsDutyRate);
  const sima = toCents(line.sima);
  const excise = toCents(line.excise);
  const vft = vfd + duty + sima + excise;
  const gst = applyPercent(vft, "5");
  return {
    customsDuty: formatCents(duty),
    valueForTax: formatCents(vft),
    gst: formatCents(gst),
    total: formatCents(duty + sima + excise + gst),
  };
}

export interface DeclarationDuties {
  lines: LineDuties[];
  customsDuty: string;
  sima: string;
  excise: string;
  gst: string;
  /** Customs duty + SIMA + excise + GST. */
  total: string;
}

/**
 * Duties and taxes of a whole declaration: each line computed and rounded on its own (lineDuties),
 * then the rounded line amounts summed exactly. CAD filing, corrections and the estimator all use it.
 */
export function declarationDuties(lines: LineInput[]): DeclarationDuties {
  const computed = lines.map(lineDuties);
  const sum = (pick: (i: number) => string) => formatCents(computed.reduce((acc, _, i) => acc + toCents(pick(i)), 0n));
  return {
    lines: computed,
    customsDuty: sum((i) => computed[i]!.customsDuty),
    sima: sum((i) => lines[i]!.sima),
    excise: sum((i) => lines[i]!.excise),
    gst: sum((i) => computed[i]!.gst),
    total: sum((i) => computed[i]!.total),
  };
}
