/**
 * NHS number check digit (Modulus 11).
 * Source: NHS Data Dictionary, "NHS Number" — weights 10..2 over the first nine digits;
 * check = 11 − (sum mod 11); 11 becomes 0; 10 means the number is invalid.
 */
const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** Strips the spaces and hyphens people type ("943 476 5919", "943-476-5919"). */
export function normaliseNhsNumber(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}

/** The check digit the first nine digits call for, or null when no digit can be valid (remainder 1). */
export function nhsCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) throw new RangeError('nhsCheckDigit needs exactly nine digits');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * WEIGHTS[i]!;
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

export type NhsNumberProblem = 'format' | 'check-digit';

/** Why a typed NHS number is not valid, or null when it is. */
export function nhsNumberProblem(raw: string): NhsNumberProblem | null {
  const digits = normaliseNhsNumber(raw);
  if (!/^\d{10}$/.test(digits)) return 'format';
  const expected = nhsCheckDigit(digits.slice(0, 9));
  return expected !== null && expected === Number(digits[9]) ? null : 'check-digit';
}

export function isValidNhsNumber(raw: string): boolean {
  return nhsNumberProblem(raw) === null;
}

/** en-GB display grouping 3-3-4, as printed on NHS letters. */
export function formatNhsNumber(digits: string): string {
  const d = normaliseNhsNumber(digits);
  return d.length === 10 ? `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}` : d;
}
