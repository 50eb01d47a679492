// Types only (erased at build): the FHIR R4 shapes from @types/fhir, so shared/ stays free of runtime imports.
// eslint-disable-next-line no-restricted-imports
import type { Bundle, BundleEntry, Observation, Patient, QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4';
import { VERIFIED_TOOL_CODES } from './dataSet';
import { dateInPeriod, referralInPeriod, type ExportSource } from './source';

/**
 * A FHIR R4 Bundle (type "collection") of the period's patients, their questionnaire answers and the scored totals
 * (issue #11 §3). Totals are Observations coded in SNOMED CT as the data set codes them (ref §5.6: PHQ-9 total
 * 720433000, GAD-7 total 445455005), plus any code the service configured for the measures the reference marks
 * "not found"; a measure without a code is left out, never given a guessed one. A measure with a skipped item has
 * no total (ref §1: no prorating), so it has a QuestionnaireResponse and no Observation.
 *
 * Resource ids are the store's UUIDv7 ids, so the same export twice names the same resources.
 */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const SNOMED_SYSTEM = 'http://snomed.info/sct';

const urn = (id: string) => `urn:uuid:${id}`;

export function fhirBundle(source: ExportSource, options: { toolCodes?: Readonly<Record<string, string>>; timestamp: string }): Bundle {
  const toolCodes = { ...options.toolCodes, ...VERIFIED_TOOL_CODES };
  const referrals = new Map(source.referrals.filter((r) => referralInPeriod(r, source.period)).map((r) => [r.id, r]));
  const measures = source.measures.filter((m) => referrals.has(m.referralId) && dateInPeriod(m.date, source.period) && toolCodes[m.instrumentId] !== undefined);
  const patientIds = new Set(measures.map((m) => referrals.get(m.referralId)!.patientId));
  const entries: BundleEntry[] = [];

  for (const p of source.patients.filter((x) => patientIds.has(x.id))) {
    const patient: Patient = {
      resourceType: 'Patient',
      id: p.id,
      identifier: [{ system: NHS_NUMBER_SYSTEM, value: p.nhsNumber }],
      name: [{ use: 'official', family: p.familyName, given: [p.givenName] }],
      birthDate: p.dateOfBirth,
    };
    entries.push({ fullUrl: urn(p.id), resource: patient });
  }

  for (const m of measures) {
    const subject = { reference: urn(referrals.get(m.referralId)!.patientId) };
    const code = { coding: [{ system: SNOMED_SYSTEM, code: toolCodes[m.instrumentId]! }], text: m.instrumentId };
    const item: QuestionnaireResponseItem[] = m.answers.map((a, i) => ({
      linkId: String(i + 1),
      ...(typeof a === 'number' ? { answer: [{ valueDecimal: a }] } : a === 'na' ? { answer: [{ valueString: 'not applicable' }] } : {}),
    }));
    const response: QuestionnaireResponse = {
      resourceType: 'QuestionnaireResponse',
      id: m.id,
      status: 'completed',
      subject,
      authored: m.date,
      ...(m.completedBy === 'patient' ? { source: subject } : {}),
      item,
    };
    entries.push({ fullUrl: urn(m.id), resource: response });
    if (m.total === null) continue;
    const observationId = observationIdFor(m.id);
    const observation: Observation = {
      resourceType: 'Observation',
      id: observationId,
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }],
      code,
      subject,
      effectiveDateTime: m.date,
      valueQuantity: { value: m.total },
      derivedFrom: [{ reference: urn(m.id) }],
    };
    entries.push({ fullUrl: urn(observationId), resource: observation });
  }

  return { resourceType: 'Bundle', type: 'collection', timestamp: options.timestamp, entry: entries };
}

/**
 * The Observation's id: the measure's UUID with the lowest bit of its last digit turned, so it is stable, differs
 * from the QuestionnaireResponse's (which keeps the measure's own id) and maps back to the measure. Another
 * measure's id would clash only if its 74 random bits matched in all but one (UUIDv7, RFC 9562 §5.7).
 */
export function observationIdFor(measureId: string): string {
  const parts = measureId.split('-');
  const last = parts[4]!;
  const flipped = ((parseInt(last[last.length - 1]!, 16) ^ 1) & 0xf).toString(16);
  parts[4] = last.slice(0, -1) + flipped;
  return parts.join('-');
}
