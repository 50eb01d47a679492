import { describe, expect, it } from 'vitest';
import { matchesPatient } from '../../../shared/domain/patientSearch';

const margaret = { nhsNumber: '9990103003', givenName: 'Margaret', familyName: 'Ní Bhriain', dateOfBirth: '1962-09-19' };
const eleanor = { nhsNumber: '9990082022', givenName: 'Eleanor', familyName: 'Patel', dateOfBirth: '1958-03-07' };

describe('caseload search', () => {
  it.each([
    ['patel eleanor', eleanor, true],
    ['eleanor patel', eleanor, true],
    ['Patel, Eleanor', eleanor, true],
    ['pat ele', eleanor, true],
    ['patel margaret', eleanor, false],
    ['ni bhriain', margaret, true],
    ['bhriain', margaret, true],
    ['NÍ BHRIAIN', margaret, true],
    ['3003', margaret, true],
    ['3004', margaret, false],
    ['999 010 3003', margaret, true],
    ['9990103004', margaret, false],
    ['19/09/1962', margaret, true],
    ['1962-09-19', margaret, true],
    ['19/09/1963', margaret, false],
    ['', eleanor, true],
  ])('%s → %s', (query, patient, expected) => {
    expect(matchesPatient(query, patient)).toBe(expected);
  });
});
