import { REFERRAL_SOURCES, STEPS, type ContactType, type EpisodeInput, type ReferralSourceCode, type Step } from '../../../shared/outcomes';
import type { ContactsTable, MeasuresTable, ReferralsTable } from '../store/schema';

const SOURCE_CODES = new Set<string>(REFERRAL_SOURCES.map((s) => s.code));
const isSourceCode = (code: string): code is ReferralSourceCode => SOURCE_CODES.has(code);

/**
 * The one place stored rows become the `Episode` the outcomes engine reads (`classifyEpisode`, `measuresDue`).
 * When the engine's input changes (issue #7), only this adapter changes.
 *
 * - Contacts go in exactly as stored, except those booked ahead (no attendance code yet): they have not happened.
 * - Measures go in with their totals; a measure with a skipped item has no total and cannot count (ref §1).
 * - Deleted rows never count.
 * - The caseholder is the episode's clinician (report splits hang on it).
 */
/** The columns the adapter reads: reports select only these, so a service-scale report does not load notes or answers. */
export type EpisodeReferralColumns = Pick<ReferralsTable, 'id' | 'patient_id' | 'caseholder_id' | 'source_code' | 'step' | 'received_date' | 'problem_descriptor' | 'pathway' | 'ltc_codes' | 'discharge_date' | 'end_code'>;
export type EpisodeContactColumns = Pick<ContactsTable, 'id' | 'date' | 'start_time' | 'type' | 'attendance' | 'deleted_at'>;
export type EpisodeMeasureColumns = Pick<MeasuresTable, 'date' | 'instrument_id' | 'total' | 'contact_id' | 'deleted_at'>;

export function toEpisode(referral: EpisodeReferralColumns, contacts: readonly EpisodeContactColumns[], measures: readonly EpisodeMeasureColumns[]): EpisodeInput {
  const liveContacts = contacts.filter((c) => c.deleted_at === null && c.attendance !== null);
  const contactIds = new Set(liveContacts.map((c) => c.id));
  return {
    id: referral.id,
    patientId: referral.patient_id,
    clinicianId: referral.caseholder_id,
    ...(isSourceCode(referral.source_code) ? { referralSource: referral.source_code } : {}),
    ...(STEPS.includes(referral.step as Step) ? { step: referral.step as Step } : {}),
    referralReceived: referral.received_date,
    problemDescriptor: referral.problem_descriptor,
    pathway: referral.pathway as 'integrated-ltc' | 'core',
    // "Other" and any code the engine would not read as SNOMED stay in the record but out of the rules.
    ltcCodes: (JSON.parse(referral.ltc_codes) as string[]).filter((code) => /^\d{6,18}$/.test(code)),
    contacts: liveContacts.map((c) => ({ id: c.id, date: c.date, time: c.start_time, type: c.type as ContactType, attendance: c.attendance! })),
    measures: measures
      .filter((m) => m.deleted_at === null && m.total !== null)
      .map((m) => ({
        date: m.date,
        instrumentId: m.instrument_id,
        total: m.total!,
        ...(m.contact_id && contactIds.has(m.contact_id) ? { contactId: m.contact_id } : {}),
      })),
    ...(referral.discharge_date && referral.end_code ? { dischargeDate: referral.discharge_date, endCode: referral.end_code } : {}),
  };
}
