/**
 * Identifier formats of the domain (see the domain spec, "Identifiers").
 * Each validator returns an error message a person can act on, or null when valid.
 */

/** Luhn (mod 10) check over a string of digits whose last digit is the check digit. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The Luhn check digit to append to `payload`. */
export function luhnCheckDigit(payload: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(payload + d)) return String(d);
  throw new Error("unreachable");
}

export function bn9Error(value: string): string | null {
  if (!/^\d{9}$/.test(value)) return `"${value}" is not a business number: a BN9 is 9 digits, e.g. 123456782`;
  if (!luhnValid(value)) return `"${value}" is not a valid business number: its check digit (the last digit) does not match`;
  return null;
}

export function rmError(value: string): string | null {
  return /^RM\d{4}$/.test(value) ? null : `"${value}" is not a program account reference: expected RM and 4 digits, e.g. RM0001`;
}

export function bn15Error(value: string): string | null {
  const m = /^(\d{9})(RM\d{4})$/.exec(value);
  if (!m) return `"${value}" is not a program account number: a BN15 is the BN9, RM and 4 digits, e.g. 123456782RM0001`;
  if (!luhnValid(m[1]!)) return `"${value}" is not a valid program account number: the check digit of its BN9 (${m[1]}) does not match`;
  return null;
}

export function splitBn15(value: string): { bn9: string; rm: string } {
  return { bn9: value.slice(0, 9), rm: value.slice(9) };
}

/** Transaction number: 5-digit ASEC, 8-digit sequence, 1 Luhn check digit over the first 13 (ours). */
export function transactionNumberError(value: string): string | null {
  if (!/^\d{14}$/.test(value)) return `"${value}" is not a transaction number: expected 14 digits`;
  if (!luhnValid(value)) return `"${value}" is not a valid transaction number: its check digit (the last digit) does not match`;
  return null;
}

export function makeTransactionNumber(asec: string, sequence: number): string {
  if (!/^\d{5}$/.test(asec)) throw new Error(`an ASEC is 5 digits, got "${asec}"`);
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 99_999_999) throw new Error(`a transaction sequence is 0..99999999, got ${sequence}`);
  const payload = asec + String(sequence).padStart(8, "0");
  return payload + luhnCheckDigit(payload);
}
