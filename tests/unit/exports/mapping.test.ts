import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '../../../shared/exports/csv';
import { ageOn, completeness, dataSetFiles } from '../../../shared/exports/dataSet';
import { fhirBundle, observationIdFor } from '../../../shared/exports/fhirBundle';
import { pseudonymisedRows } from '../../../shared/exports/pseudonymised';
import type { ExportSource } from '../../../shared/exports/source';

/** The pure mappings on a hand-made source, where each expected value can be read off the input. */
const source: ExportSource = {
  period: { from: '2025-04-01', to: '2026-03-31' },
  patients: [{ id: 'p1', nhsNumber: '9434765919', givenName: 'Zoë', familyName: '=HYPERLINK("x")', dateOfBirth: '1962-09-19', gpPractice: 'Oakfield' }],
  referrals: [
    { id: 'r1', patientId: 'p1', receivedDate: '2025-05-01', sourceCode: 'A1', ltcCodes: ['44054006', '13645005'], problemDescriptor: 'F41.1', pathway: 'integrated-ltc', step: 3, endCode: '46', dischargeDate: '2025-09-01' },
    // Discharged before the period: not in it.
    { id: 'r0', patientId: 'p1', receivedDate: '2024-01-01', sourceCode: 'A1', ltcCodes: [], problemDescriptor: null, pathway: 'core', step: null, endCode: '14', dischargeDate: '2025-03-31' },
  ],
  contacts: [
    { id: 'c1', referralId: 'r1', date: '2025-06-01', startTime: '10:00', durationMinutes: 50, type: 'treatment', mechanism: '11', attendance: 5, therapyType: '304891004' },
    { id: 'c2', referralId: 'r1', date: '2025-06-08', startTime: '10:00', durationMinutes: 50, type: 'other', mechanism: '01', attendance: 3, therapyType: null },
  ],
  measures: [
    { id: '0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b', referralId: 'r1', contactId: 'c1', instrumentId: 'phq9', answers: [2, 2, 2, 2, 2, 2, 2, 1, 0], total: 15, date: '2025-06-01', completedBy: 'patient' },
    { id: 'm2', referralId: 'r1', contactId: null, instrumentId: 'spin', answers: [], total: 30, date: '2025-05-02', completedBy: 'clinician' },
    { id: 'm3', referralId: 'r1', contactId: 'c1', instrumentId: 'service-use', answers: [3, 1, 0, 2, 0, 4], total: null, date: '2025-06-01', completedBy: 'clinician' },
  ],
  pauses: [
    { id: 'w1', referralId: 'r1', startDate: '2025-05-10', endDate: '2025-05-20' },
    // Ended before the period: not in it.
    { id: 'w0', referralId: 'r1', startDate: '2025-03-01', endDate: '2025-03-20' },
    { id: 'w2', referralId: 'r1', startDate: '2026-03-01', endDate: null },
  ],
};

describe('data-set mapping', () => {
  it('maps the reference’s codes and leaves unrecorded fields empty', () => {
    const files = Object.fromEntries(dataSetFiles(source).map((f) => [f.table, f]));
    expect(files.IDS101!.rows).toEqual([['r1', 'p1', '2025-05-01', 'A1', '2025-09-01', '46', 'integrated-ltc', 3]]);
    // ref §5.4: AppType 02 for treatment, none for "other"; IAPTLTCServiceInd Y on an integrated LTC pathway.
    expect(files.IDS201!.rows.map((r) => [r[5], r[6], r[7], r[8]])).toEqual([['02', '11', 5, 'Y'], [null, '01', 3, 'Y']]);
    // ref §5.5: one care activity for the attended contact only.
    expect(files.IDS202!.rows).toEqual([['c1-1', 'c1', 'r1', '304891004', 50]]);
    expect(files.IDS602!.rows.map((r) => r[2])).toEqual(['44054006', '13645005']);
    expect(files.IDS603!.rows).toEqual([['r1', 'F411', 'ICD-10', 'Primary']]);
    // ref §5.1 IDS108: the pauses overlapping the period; an open one's missing end is not counted as a gap.
    expect(files.IDS108!.rows).toEqual([['w1', 'r1', '2025-05-10', '2025-05-20'], ['w2', 'r1', '2026-03-01', null]]);
    expect(completeness(dataSetFiles(source)).find((c) => c.table === 'IDS108')!.columns.every((c) => c.empty === 0)).toBe(true);
    // ref §5.6: SPIN has no code unless the service gives one; healthcare use is not a scored assessment.
    expect(files.IDS606!.rows).toEqual([['m2', 'r1', 'spin', null, 30, '2025-05-02', 62]]);
    expect(files.IDS607!.rows.map((r) => r[4])).toEqual(['720433000']);
    expect(dataSetFiles(source, { toolCodes: { spin: '1234567' } }).find((f) => f.table === 'IDS606')!.rows[0]![3]).toBe('1234567');
    const ids201 = completeness(dataSetFiles(source)).find((c) => c.table === 'IDS201')!;
    expect(ids201.columns.find((c) => c.column === 'AppType')!.empty).toBe(1);
  });

  it('gives whole years of age, the day before and on the birthday', () => {
    expect(ageOn('1962-09-19', '2025-09-18')).toBe(62);
    expect(ageOn('1962-09-19', '2025-09-19')).toBe(63);
  });

  it('writes CSV a spreadsheet cannot run as a formula, and reads it back', () => {
    const text = toCsv(['a', 'b'], [['=HYPERLINK("x")', 'line\nbreak, comma'], [null, -3]]);
    expect(text).toBe('a,b\r\n"\'=HYPERLINK(""x"")","line\nbreak, comma"\r\n,-3\r\n');
    expect(parseCsv(text)).toEqual([['a', 'b'], ['\'=HYPERLINK("x")', 'line\nbreak, comma'], ['', '-3']]);
  });
});

describe('FHIR mapping', () => {
  it('codes PHQ-9 as SNOMED 720433000, links the observation to its answers, and gives each resource its own id', () => {
    const bundle = fhirBundle(source, { timestamp: '2026-04-01T00:00:00.000Z' });
    const types = bundle.entry!.map((e) => e.resource!.resourceType);
    expect(types).toEqual(['Patient', 'QuestionnaireResponse', 'Observation']);
    const obs = bundle.entry![2]!.resource as { code: { coding: { system: string; code: string }[] }; valueQuantity: { value: number }; derivedFrom: { reference: string }[] };
    expect(obs.code.coding[0]).toEqual({ system: 'http://snomed.info/sct', code: '720433000' });
    expect(obs.valueQuantity.value).toBe(15);
    expect(obs.derivedFrom[0]!.reference).toBe(bundle.entry![1]!.fullUrl);
    const id = '0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b';
    expect(observationIdFor(id)).not.toBe(id);
    expect(observationIdFor(observationIdFor(id))).toBe(id);
  });
});

describe('pseudonymised mapping', () => {
  it('keeps months only and the pseudonym it is given', () => {
    const { rows } = pseudonymisedRows(source, (nhs) => `hmac(${nhs.length})`, 3);
    expect(rows).toEqual([['hmac(10)', '1962-09', '2025-05', '2025-09', 'A1', '46', 'integrated-ltc', '44054006 13645005', '2025-06', 3, 3, 1, 0, 2, 0, 4]]);
  });
});
