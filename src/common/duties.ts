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
