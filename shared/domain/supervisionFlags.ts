import { daysBetween, formatUkDate } from './dates';
import { DID_NOT_ATTEND } from './episodeCodes';
import { SIX_WEEKS_DAYS } from './waitingClock';

/**
 * Why a case should come up in supervision (issue #11 §1), as pure rules over facts the services gather from the
 * store. Sources: /work/shared/domain/talking-therapies-reference.md ("ref §n") and seed 000_adfed6568e7cefa4
 * (weekly reports of missing measures and of discharges that did not recover, used in supervision).
 */

export const SUPERVISION_FLAGS = [
  'risk',
  'reliable-deterioration',
  'nearing-18-weeks',
  'no-reliable-improvement',
  'waiting-over-6-weeks',
  'no-recent-contact',
  'repeated-dna',
  'discuss',
  'missing-measures',
] as const;
export type SupervisionFlagKind = (typeof SUPERVISION_FLAGS)[number];

/** How urgent each flag is: risk first, then harm (deterioration), then breaches of the waiting standards. */
const WEIGHT: Record<SupervisionFlagKind, number> = {
  risk: 100,
  'reliable-deterioration': 60,
  'nearing-18-weeks': 50,
  'no-reliable-improvement': 30,
  'waiting-over-6-weeks': 30,
  'no-recent-contact': 25,
  'repeated-dna': 20,
  discuss: 20,
  'missing-measures': 10,
};

export interface SupervisionFlag {
  kind: SupervisionFlagKind;
  reason: string;
}

/** What the rules read about one open referral. Dates are ISO (YYYY-MM-DD). */
export interface CaseFacts {
  today: string;
  receivedDate: string;
  /** Attended contacts' dates and all contacts' attendance codes. */
  lastAttendedContactDate: string | null;
  attendanceCodes: readonly number[];
  firstTreatmentDate: string | null;
  treatmentContacts: number;
  reliablyImproved: boolean;
  reliablyDeteriorated: boolean;
  /** The outcome engine's words for the change (classifyEpisode reasons), quoted in the flag. */
  changeReason: string;
  /** The latest PHQ-9's item 9 answer, if one was recorded. */
  latestPhq9Item9: number | null;
  latestPhq9Date: string | null;
  latestRiskLevel: 'low' | 'moderate' | 'high' | null;
  latestRiskDate: string | null;
  discussInSupervision: boolean;
  /** Measures measuresDue proposed for the last attended contact that were not recorded with it. */
  missingAtLastContact: readonly string[];
}

/** Issue #11 §1: "nearing 18 weeks" is 16 weeks or more (112 days) without a first treatment. */
const SIXTEEN_WEEKS = 112;
/** Issue #11 §1: no contact in 14 days. */
const NO_CONTACT_DAYS = 14;
/** Issue #11 §1: no reliable improvement after 4 or more treatment sessions. */
const SESSIONS_BEFORE_REVIEW = 4;
/** Issue #11 §1: 2 or more DNAs. */
const DNA_LIMIT = 2;

export function supervisionFlags(f: CaseFacts): SupervisionFlag[] {
  const flags: SupervisionFlag[] = [];
  // ref §2 (PHQ-9 item 9): any answer above 0 must start the risk workflow; a high risk level is the clinician's own judgement.
  if (f.latestPhq9Item9 !== null && f.latestPhq9Item9 > 0) {
    flags.push({ kind: 'risk', reason: `PHQ-9 item 9 answered ${f.latestPhq9Item9} on ${formatUkDate(f.latestPhq9Date ?? '')} (thoughts of self-harm; any answer above 0 needs a risk review)` });
  } else if (f.latestRiskLevel === 'high') {
    flags.push({ kind: 'risk', reason: `Risk assessed as high on ${formatUkDate(f.latestRiskDate ?? '')}` });
  }
  if (f.reliablyDeteriorated) flags.push({ kind: 'reliable-deterioration', reason: f.changeReason });
  if (f.firstTreatmentDate === null) {
    const waited = daysBetween(f.receivedDate, f.today);
    if (waited >= SIXTEEN_WEEKS) {
      flags.push({ kind: 'nearing-18-weeks', reason: `Waiting ${waited} days (${Math.floor(waited / 7)} weeks) for first treatment; the 18-week standard is 126 days (ref §4)` });
    } else if (waited > SIX_WEEKS_DAYS) {
      flags.push({ kind: 'waiting-over-6-weeks', reason: `Waiting ${waited} days (${Math.floor(waited / 7)} weeks) for first treatment; the 6-week standard is 42 days (ref §4)` });
    }
  }
  if (f.treatmentContacts >= SESSIONS_BEFORE_REVIEW && !f.reliablyImproved && !f.reliablyDeteriorated) {
    flags.push({ kind: 'no-reliable-improvement', reason: `${f.treatmentContacts} treatment sessions without reliable improvement. ${f.changeReason}` });
  }
  const since = f.lastAttendedContactDate ?? f.receivedDate;
  const quiet = daysBetween(since, f.today);
  if (quiet > NO_CONTACT_DAYS) {
    flags.push({
      kind: 'no-recent-contact',
      reason: f.lastAttendedContactDate ? `No contact for ${quiet} days (last attended ${formatUkDate(f.lastAttendedContactDate)})` : `No attended contact in the ${quiet} days since referral`,
    });
  }
  const dnas = f.attendanceCodes.filter((code) => code === DID_NOT_ATTEND).length;
  if (dnas >= DNA_LIMIT) flags.push({ kind: 'repeated-dna', reason: `${dnas} appointments not attended (DNA)` });
  if (f.discussInSupervision) flags.push({ kind: 'discuss', reason: 'The clinician asked to discuss this case in supervision' });
  // Seed 000: weekly reports highlight where measures have not been recorded.
  if (f.missingAtLastContact.length > 0) {
    flags.push({ kind: 'missing-measures', reason: `Not recorded at the last contact (${formatUkDate(f.lastAttendedContactDate ?? '')}): ${f.missingAtLastContact.join(', ')}` });
  }
  return flags;
}

/** Higher first: the sum of the flags' weights. */
export function casePriority(flags: readonly SupervisionFlag[]): number {
  return flags.reduce((sum, f) => sum + WEIGHT[f.kind], 0);
}

export const FLAG_LABELS: Record<SupervisionFlagKind, string> = {
  risk: 'Risk',
  'reliable-deterioration': 'Reliable deterioration',
  'nearing-18-weeks': 'Nearing 18 weeks',
  'no-reliable-improvement': 'No reliable improvement',
  'waiting-over-6-weeks': 'Waiting over 6 weeks',
  'no-recent-contact': 'No contact in 14 days',
  'repeated-dna': '2 or more DNAs',
  discuss: 'Discuss in supervision',
  'missing-measures': 'Measures missing',
};
