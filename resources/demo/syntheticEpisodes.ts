/**
 * Synthetic episodes for the demo: one referral per patient, at every stage of the flow (seed 001), so every
 * screen opens on real content. Days are counted back from the day the demo starts; scores are plausible
 * trajectories, not real people's.
 */
export interface SyntheticSession {
  daysAgo: number;
  phq9: number;
  /** GAD-7, or the ADSM total where the descriptor calls for one. */
  anxiety: number;
  item9?: number;
  /** AttendOrDNACode; 5 unless given. */
  attendance?: number;
}

export interface SyntheticEpisode {
  label: string;
  status: 'awaiting-spa' | 'awaiting-triage' | 'waiting-assessment' | 'waiting-treatment' | 'in-treatment';
  pathway: 'integrated-ltc' | 'core';
  referrerRole: 'gp' | 'practice-nurse' | 'diabetes-specialist-nurse' | 'respiratory-nurse' | 'cardiac-rehab-nurse' | 'consultant' | 'self';
  ltcCodes: string[];
  team: string;
  reason: string;
  receivedDaysAgo: number;
  descriptor?: string;
  step?: 2 | 3;
  sessions: SyntheticSession[];
  bookedDaysAhead?: number;
  attempts?: { daysAgo: number; outcome: 'no-answer' | 'voicemail' | 'reached' }[];
  discharge?: { daysAgo: number; endCode: '46' | '47' | '14' };
  dds2?: [number, number];
  hba1c?: number;
  riskReview?: boolean;
  /** Patient-initiated pauses in waiting (IDS108). */
  pauses?: { fromDaysAgo: number; untilDaysAgo: number; reason: string }[];
  /** Joins the demo's "Living well with diabetes" course. */
  groupMember?: boolean;
}

const DIABETES = ['44054006'];
const COPD = ['13645005'];
const CHD = ['53741008'];

/** Weekly sessions ending `lastDaysAgo` ago, following the given totals. */
function weekly(lastDaysAgo: number, phq9: number[], anxiety: number[]): SyntheticSession[] {
  return phq9.map((p, i) => ({ daysAgo: lastDaysAgo + (phq9.length - 1 - i) * 7, phq9: p, anxiety: anxiety[i]! }));
}

export const SYNTHETIC_EPISODES: SyntheticEpisode[] = [
  { label: 'captured in clinic', status: 'awaiting-spa', pathway: 'integrated-ltc', referrerRole: 'diabetes-specialist-nurse', ltcCodes: DIABETES, team: 'Diabetes clinic, Watford General', reason: 'Distress about insulin; DDS2 positive in clinic.', receivedDaysAgo: 2, sessions: [], dds2: [4, 4] },
  { label: 'triage, trying to reach', status: 'awaiting-triage', pathway: 'core', referrerRole: 'gp', ltcCodes: [], team: 'Riverside Medical Centre', reason: 'Low mood since bereavement.', receivedDaysAgo: 9, sessions: [], attempts: [{ daysAgo: 7, outcome: 'no-answer' }, { daysAgo: 5, outcome: 'voicemail' }] },
  { label: 'waiting for assessment', status: 'waiting-assessment', pathway: 'integrated-ltc', referrerRole: 'respiratory-nurse', ltcCodes: COPD, team: 'Respiratory clinic, Lister Hospital', reason: 'Panic when breathless.', receivedDaysAgo: 24, sessions: [], bookedDaysAhead: 3 },
  { label: 'waiting for treatment', status: 'waiting-treatment', pathway: 'integrated-ltc', referrerRole: 'cardiac-rehab-nurse', ltcCodes: CHD, team: 'Cardiac rehabilitation, Watford General', reason: 'Worry after myocardial infarction.', receivedDaysAgo: 33, descriptor: 'F41.1', step: 3, sessions: [{ daysAgo: 12, phq9: 12, anxiety: 14 }], bookedDaysAhead: 5, pauses: [{ fromDaysAgo: 10, untilDaysAgo: 3, reason: 'Away visiting family; asked to start after the holiday.' }] },
  { label: 'in treatment, early', status: 'in-treatment', pathway: 'core', referrerRole: 'self', ltcCodes: [], team: 'Oakfield Practice', reason: 'Self-referral: low mood.', receivedDaysAgo: 40, descriptor: 'F32', step: 2, sessions: weekly(3, [17, 15], [11, 10]), bookedDaysAhead: 4 },
  { label: 'in treatment, improving', status: 'in-treatment', pathway: 'integrated-ltc', referrerRole: 'diabetes-specialist-nurse', ltcCodes: DIABETES, team: 'Diabetes clinic, Watford General', reason: 'Low mood and worry about hypos.', receivedDaysAgo: 80, descriptor: 'F41.2', step: 3, sessions: weekly(2, [19, 18, 16, 15, 13, 12, 10, 9, 8, 7], [16, 15, 14, 12, 11, 10, 9, 8, 7, 6]), bookedDaysAhead: 5, hba1c: 74, groupMember: true },
  { label: 'in treatment, item 9', status: 'in-treatment', pathway: 'core', referrerRole: 'gp', ltcCodes: [], team: 'High Street Surgery', reason: 'Depression, previous overdose 2019.', receivedDaysAgo: 50, descriptor: 'F33', step: 3, sessions: [...weekly(8, [21, 20], [12, 12]), { daysAgo: 1, phq9: 20, anxiety: 13, item9: 1 }] },
  { label: 'panic, PDSS, a DNA', status: 'in-treatment', pathway: 'core', referrerRole: 'gp', ltcCodes: [], team: 'Parkview Health Centre', reason: 'Panic attacks on buses.', receivedDaysAgo: 45, descriptor: 'F41.0', step: 2, sessions: [...weekly(10, [11, 10, 9], [16, 14, 12]), { daysAgo: 3, phq9: 0, anxiety: 0, attendance: 3 }] },
  { label: 'discharged, recovered', status: 'in-treatment', pathway: 'integrated-ltc', referrerRole: 'consultant', ltcCodes: DIABETES, team: 'Diabetes clinic, Watford General', reason: 'Diabetes distress, worry.', receivedDaysAgo: 120, descriptor: 'F41.1', step: 3, sessions: weekly(30, [18, 16, 13, 10, 8, 6], [15, 13, 11, 9, 7, 5]), discharge: { daysAgo: 28, endCode: '46' }, hba1c: 68 },
  { label: 'discharged, not recovered', status: 'in-treatment', pathway: 'core', referrerRole: 'practice-nurse', ltcCodes: CHD, team: 'Riverside Medical Centre', reason: 'Low mood after heart failure diagnosis.', receivedDaysAgo: 110, descriptor: 'F32', step: 2, sessions: weekly(40, [16, 15, 15, 14, 14], [11, 11, 10, 10, 10]), discharge: { daysAgo: 35, endCode: '47' } },
];
