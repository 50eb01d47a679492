import { nhsCheckDigit } from '../../shared/domain/nhsNumber';

/**
 * Synthetic patients for the demo and tests. NHS numbers are drawn from the 999 range NHS England reserves
 * for testing, so none can belong to a real person.
 */
export function validNhsNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 500_000) throw new RangeError('validNhsNumber takes 0 ≤ n < 500000');
  // Distinct n give distinct numbers: base 2n, or 2n+1 when 2n has no valid check digit. Their weighted sums
  // differ by 2 (mod 11), so 2n+1 is always valid when 2n is not.
  for (const k of [2 * n, 2 * n + 1]) {
    const nine = `999${String(k).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check !== null) return nine + String(check);
  }
  throw new Error('unreachable: one of two adjacent bases always has a check digit');
}

const GIVEN = ['Amara', 'Ben', 'Chloe', 'Dev', 'Eleanor', 'Farid', 'Grace', 'Hamza', 'Isla', 'Jack', 'Kiran', 'Lola', 'Mohammed', 'Nia', 'Oscar', 'Priya'];
const FAMILY = ['Adeyemi', 'Brown', 'Clarke', 'Davies', 'Evans', 'Fernandes', 'Green', 'Hussain', 'Iqbal', 'Jones', 'Khan', 'Lewis', 'Murphy', 'Nowak', 'Okafor', 'Patel'];
const PRACTICES = ['Riverside Medical Centre', 'High Street Surgery', 'Parkview Health Centre', 'Oakfield Practice'];

export interface SyntheticPatient {
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  gpPractice: string;
}

export function syntheticPatients(count: number): SyntheticPatient[] {
  return Array.from({ length: count }, (_, i) => ({
    nhsNumber: validNhsNumber(1000 + i * 37),
    givenName: GIVEN[i % GIVEN.length]!,
    familyName: FAMILY[(i * 7 + Math.floor(i / GIVEN.length) * 3) % FAMILY.length]!,
    dateOfBirth: `${1940 + ((i * 13) % 60)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 5) % 28)).padStart(2, '0')}`,
    gpPractice: PRACTICES[i % PRACTICES.length]!,
  }));
}
