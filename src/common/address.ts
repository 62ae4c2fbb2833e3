import { badInput } from "./errors.js";
import { text } from "./inputs.js";
import { readableName } from "./readable-name.js";

/** Canadian provinces and territories (two-letter codes). */
export const PROVINCES = ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"] as const;

// Canada Post: letter digit letter, digit letter digit; D, F, I, O, Q, U never appear, W and Z never first.
const POSTAL_CODE = /^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])(\d[ABCEGHJ-NPRSTV-Z]\d)$/;

export interface Address {
  addressLine: string;
  city: string;
  province: string;
  postalCode: string;
}

/** A legal name as the agency records it: 1-200 characters, no control characters, readable (readable-name.ts). */
export function checkLegalName(value: string, field = "legalName"): string {
  return readableName(text(value, field, { max: 200, required: true })!, field);
}

/**
 * A business address, normalised (province upper case, postal code as "A1A 1A1"), or BAD_USER_INPUT
 * naming the field (under `prefix`, e.g. "address.postalCode").
 */
export function checkAddress(a: Address, prefix = "address"): Address {
  const addressLine = text(a.addressLine, `${prefix}.addressLine`, { max: 200, required: true })!;
  const city = text(a.city, `${prefix}.city`, { max: 100, required: true })!;
  const province = a.province.trim().toUpperCase();
  if (!(PROVINCES as readonly string[]).includes(province)) {
    throw badInput(`"${a.province.slice(0, 20)}" is not a province or territory code; use one of ${PROVINCES.join(", ")}.`, `${prefix}.province`);
  }
  const m = POSTAL_CODE.exec(a.postalCode.replace(/\s+/g, "").toUpperCase());
  if (!m) throw badInput(`"${a.postalCode.slice(0, 20)}" is not a Canadian postal code, e.g. K1A 0B1.`, `${prefix}.postalCode`);
  return { addressLine, city, province, postalCode: `${m[1]} ${m[2]}` };
}
