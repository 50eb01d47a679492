import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatNhsNumber, isValidNhsNumber, nhsCheckDigit, nhsNumberProblem } from '../../shared/domain/nhsNumber';
import { formatUkDate, parseUkDate, daysBetween, isIsoDate } from '../../shared/domain/dates';

describe('NHS number (Modulus 11)', () => {
  it.each([
    ['9434765919', null], // NHS Digital's worked example
    ['943 476 5919', null],
    ['943-476-5919', null],
    ['9434765918', 'check-digit'],
    ['943476591', 'format'],
    ['94347659199', 'format'],
    ['943476591X', 'format'],
    ['', 'format'],
  ])('%s → %s', (input, problem) => {
    expect(nhsNumberProblem(input)).toBe(problem);
  });

  it('rejects nine digits whose remainder makes the check digit 10', () => {
    // 100000001: sum = 10 + 2 = 12 → 12 mod 11 = 1 → 11 − 1 = 10 → no valid number.
    expect(nhsCheckDigit('100000001')).toBeNull();
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`100000001${d}`)).toBe(false);
  });

  it('property: exactly one final digit is valid unless the remainder rule forbids all', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), (nine) => {
        const valid = [...'0123456789'].filter((d) => isValidNhsNumber(nine + d));
        const check = nhsCheckDigit(nine);
        expect(valid).toEqual(check === null ? [] : [String(check)]);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: changing any single digit of a valid number makes it invalid', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (nine, pos, delta) => {
        const check = nhsCheckDigit(nine);
        fc.pre(check !== null);
        const valid = nine + String(check);
        const digits = [...valid];
        digits[pos] = String((Number(digits[pos]) + delta) % 10);
        expect(isValidNhsNumber(digits.join(''))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: transposing two adjacent different digits is detected (weights differ)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), fc.integer({ min: 0, max: 7 }), (nine, pos) => {
        const check = nhsCheckDigit(nine);
        fc.pre(check !== null && nine[pos] !== nine[pos + 1]);
        const d = [...nine];
        [d[pos], d[pos + 1]] = [d[pos + 1]!, d[pos]!];
        expect(isValidNhsNumber(d.join('') + String(check))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('formats 3-3-4', () => expect(formatNhsNumber('9434765919')).toBe('943 476 5919'));
});

describe('calendar dates', () => {
  it('parses en-GB input and rejects impossible dates', () => {
    expect(parseUkDate('07/03/1958')).toBe('1958-03-07');
    expect(parseUkDate('7.3.1958')).toBe('1958-03-07');
    expect(parseUkDate('29/02/2024')).toBe('2024-02-29');
    expect(parseUkDate('29/02/2023')).toBeNull();
    expect(parseUkDate('31/04/2020')).toBeNull();
    expect(parseUkDate('1958-03-07')).toBeNull();
    expect(isIsoDate('2023-02-29')).toBe(false);
  });
  it('round-trips ISO ↔ en-GB', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        expect(parseUkDate(formatUkDate(iso))).toBe(iso);
      }),
    );
  });
  it('counts days across a DST change without drift', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-01-01', '2026-02-12')).toBe(42);
  });
  it('counts the days between any two dates as the calendar does (leap years, centuries, either order)', () => {
    const day = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, (a, b) => {
        expect(daysBetween(a, b)).toBe((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('synthetic NHS numbers (demo and tests)', () => {
  it('are valid, in the 999 test range, and distinct for distinct inputs', async () => {
    const { validNhsNumber } = await import('../../resources/demo/syntheticPatients');
    const seen = new Set<string>();
    for (let n = 0; n < 20_000; n++) {
      const v = validNhsNumber(n);
      expect(isValidNhsNumber(v)).toBe(true);
      expect(v.startsWith('999')).toBe(true);
      seen.add(v);
    }
    expect(seen.size).toBe(20_000);
  });
});
