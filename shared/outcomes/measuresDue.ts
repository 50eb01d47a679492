import { ATTENDED_CODES, type ContactType, type Episode } from './episodeSchema';

export interface DueMeasure {
  instrumentId: string;
  reason: string;
}

export interface ScheduleRules {
  adsmFor(descriptor: string | null | undefined): string | null;
  diabetesCodes: readonly string[];
  serviceUseRecallMonths: number;
}

const ASSESSMENT_TYPES: ReadonlySet<ContactType> = new Set(['assessment', 'assessment-and-treatment']);

/**
 * Which measures are due at a contact (ref §1 "session-by-session", §3 LTC measures, §8):
 * - every session: PHQ-9 and GAD-7, the ADSM where the problem calls for one (GAD-7 stays, so the fallback
 *   works), WSAS and the phobia scales;
 * - first and final contacts: employment status;
 * - at assessment the assessment PEQ, at the final contact the treatment PEQ;
 * - integrated LTC pathway, at assessment, the final contact and the follow-up: service use; with diabetes
 *   also DDS-17 and HbA1c.
 */
export function dueAt(episode: Episode, contact: { date: string; type: ContactType; final: boolean }, rules: ScheduleRules): DueMeasure[] {
  // Employment support is not a therapy session (ref §4), so no session-by-session measures are due there.
  if (contact.type === 'other' || contact.type === 'employment-support') return [];
  const due: DueMeasure[] = [
    { instrumentId: 'phq9', reason: 'Every session (ref §1).' },
    { instrumentId: 'gad7', reason: 'Every session; kept with an ADSM so the GAD-7 fallback works (ref §2.1).' },
  ];
  const adsm = rules.adsmFor(episode.problemDescriptor);
  if (adsm) due.push({ instrumentId: adsm, reason: `Every session: the anxiety disorder specific measure for ${episode.problemDescriptor} (ref §2.1).` });
  due.push({ instrumentId: 'wsas', reason: 'Every session; not used in recovery (ref §1, §8).' }, { instrumentId: 'phobia', reason: 'Every session; not used in recovery (ref §1, §8).' });

  const isFirst = !episode.contacts.some((c) => ATTENDED_CODES.has(c.attendance) && c.date < contact.date);
  if (isFirst || contact.final) {
    due.push({ instrumentId: 'employment', reason: `${isFirst ? 'First' : 'Final'} contact: employment status (ref §1, IDS004).` });
  }

  // The patient experience questionnaires (ref §1 PEQ): the assessment PEQ once assessed, the treatment PEQ at the end.
  if (ASSESSMENT_TYPES.has(contact.type)) due.push({ instrumentId: 'peq-assessment', reason: 'Assessment: patient experience of the assessment (ref §1, PEQ).' });
  if (contact.final) due.push({ instrumentId: 'peq-treatment', reason: 'Final contact: patient experience of treatment (ref §1, PEQ).' });

  const ltcPoint = ASSESSMENT_TYPES.has(contact.type) ? 'assessment' : contact.final ? 'final contact' : contact.type === 'follow-up' ? '3-month follow-up' : null;
  if (episode.pathway === 'integrated-ltc' && ltcPoint) {
    due.push({ instrumentId: 'service-use', reason: `Integrated LTC pathway, ${ltcPoint}: healthcare use over the last ${rules.serviceUseRecallMonths} months (ref §3).` });
    if (episode.ltcCodes.some((code) => rules.diabetesCodes.includes(code))) {
      due.push(
        { instrumentId: 'dds17', reason: `Integrated LTC pathway with diabetes, ${ltcPoint}: diabetes distress (ref §3).` },
        { instrumentId: 'hba1c', reason: `Integrated LTC pathway with diabetes, ${ltcPoint}: most recent HbA1c in mmol/mol (ref §3).` },
      );
    }
  }
  return due;
}
