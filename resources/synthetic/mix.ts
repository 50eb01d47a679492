import type { ReferrerRole } from '../../shared/domain/episodeCodes';

/**
 * The shape of a synthetic IAPT-LTC service: data, with where each figure comes from. Citations are to
 * ../shared/domain/talking-therapies-reference.md ("ref §n"). Where the reference has no national figure the
 * value is illustrative and says so; the generator's test pins the outcome rates it must produce.
 */

type Mix<T> = readonly (readonly [T, number])[];

/**
 * Long-term conditions: the IAPT-LTC pathways (ref §3: diabetes, COPD, cardiac; chronic pain counted as an LTC
 * since 2019; IBS among the MUS) with the default SNOMED codes of shared/domain/episodeCodes.ts. A quarter of
 * referrals have none (core pathway). Proportions are illustrative, not national.
 */
export const LTC_MIX: Mix<readonly string[]> = [
  [['44054006'], 24], // diabetes type 2
  [['46635009'], 4], // diabetes type 1
  [['13645005'], 12], // COPD
  [['53741008'], 9], // coronary heart disease
  [['84114007'], 3], // heart failure
  [['82423001'], 13], // chronic pain
  [['10743008'], 6], // IBS
  [['44054006', '53741008'], 3], // diabetes with CHD
  [['13645005', '84114007'], 1],
  [['195967001'], 2], // asthma
  [['230690007'], 2], // stroke
  [[], 21],
];

/** The clinic a condition's referrals come through: the referral's `team` (seed 000's integrated clinics). */
export function clinicFor(ltcCodes: readonly string[], practice: string): string {
  const first = ltcCodes[0];
  if (first === '44054006' || first === '46635009') return 'Diabetes clinic, Watford General';
  if (first === '13645005' || first === '195967001') return 'Respiratory clinic, Lister Hospital';
  if (first === '53741008' || first === '84114007' || first === '230690007') return 'Cardiac rehabilitation, Watford General';
  if (first === '82423001') return 'Pain management, St Albans City Hospital';
  if (first === '10743008') return 'Gastroenterology, Hemel Hempstead Hospital';
  return practice;
}

/**
 * Who refers, by condition (seed 000: GPs, practice nurses, DSNs, dieticians, podiatrists, hospital nurses,
 * consultants, self). The source code follows from the role through the default table (A1 GP, B1 self-referral,
 * A3 other primary care, H2 other secondary care specialty: ref §5.2).
 */
export function referrerMix(ltcCodes: readonly string[]): Mix<ReferrerRole> {
  const first = ltcCodes[0];
  if (first === '44054006' || first === '46635009')
    return [['gp', 30], ['self', 18], ['diabetes-specialist-nurse', 27], ['practice-nurse', 13], ['consultant', 6], ['dietician', 4], ['podiatrist', 2]];
  if (first === '13645005' || first === '195967001') return [['gp', 30], ['self', 15], ['respiratory-nurse', 35], ['practice-nurse', 15], ['consultant', 5]];
  if (first === '53741008' || first === '84114007' || first === '230690007') return [['gp', 25], ['self', 15], ['cardiac-rehab-nurse', 40], ['consultant', 15], ['practice-nurse', 5]];
  if (first === '82423001' || first === '10743008') return [['gp', 45], ['self', 25], ['consultant', 25], ['practice-nurse', 5]];
  return [['gp', 52], ['self', 44], ['practice-nurse', 4]];
}

/**
 * Problem descriptors (ref §5.3). The ADSM follows through `adsmFor` (ref §2.1): F40.0 MI, F40.1 SPIN, F41.0
 * PDSS, F42 OCI, F43.1 PCL-5, F45.2 HAI. Illustrative proportions, anxiety-heavy as LTC services are.
 */
export const DESCRIPTOR_MIX: Mix<string> = [
  ['F32', 19],
  ['F33', 7],
  ['F41.1', 25],
  ['F41.2', 21],
  ['F41.0', 8],
  ['F40.1', 5],
  ['F40.0', 2],
  ['F42', 2],
  ['F43.1', 4],
  ['F45.2', 5],
  ['F40.2', 2],
];

/**
 * How a referral ends. About a third of referrals end before a course of treatment in national data (ref §6:
 * 2023/24, 37 % of referrals completed treatment, 53 % of those starting did); an LTC service with in-clinic
 * referral loses fewer, so: not assessed, seen but not taken on, treated once, finished a course.
 */
export type Path = 'not-assessed' | 'not-taken-on' | 'treated-once' | 'finished';
export const PATH_MIX: Mix<Path> = [
  ['not-assessed', 12],
  ['not-taken-on', 16],
  ['treated-once', 10],
  ['finished', 62],
];

/** ref §5.6 end codes per path: 50 not assessed; 10–16 seen, not taken on; 46–48 and 96 seen and taken on. */
export const END_CODES_NOT_TAKEN_ON: Mix<string> = [['10', 15], ['11', 20], ['12', 20], ['13', 15], ['14', 20], ['16', 10]];
export const END_CODES_TREATED_ONCE: Mix<string> = [['47', 70], ['48', 30]];
export const END_CODES_FINISHED: Mix<string> = [['46', 82], ['47', 11], ['48', 4], ['96', 3]];

/**
 * AttendOrDNACode for a booked appointment (ref §5.4): 3 = did not attend. No national DNA rate exists (ref §6);
 * issue #11 asks for 10–15 %, so 11 % of appointments are missed (more DNAs come from patients who drop out).
 */
export const ATTENDANCE_MIX: Mix<number> = [[5, 79], [6, 4], [3, 11], [2, 4], [4, 1.5], [7, 0.5]];

/** ref §5.4 ConsMechanism: 01 face to face, 02 telephone, 11 video. */
export const MECHANISM_MIX: Mix<'01' | '02' | '11'> = [['01', 55], ['02', 30], ['11', 15]];

/**
 * Treatment sessions per finished course by step (ref §5.7: step 2 low intensity, step 3 high intensity; ref §6:
 * a mean of 6.8–7.5 sessions nationally). Ranges are illustrative.
 */
export const SESSIONS = { 2: { min: 3, max: 8 }, 3: { min: 5, max: 14 } } as const;

/**
 * Waits in days (ref §6: about 89 % start treatment within 6 weeks, 98–99 % within 18): log-normal medians.
 */
export const WAITS = { toAssessment: { median: 10, sigma: 0.5 }, toTreatment: { median: 8, sigma: 0.7 } } as const;

/**
 * How a course goes: the share of the improvement from the first score that is kept by the last. Tuned so the
 * finished courses give national-like rates (ref §6: recovery about 50 %, reliable improvement about 67 %);
 * tests/unit/syntheticService.test.ts holds the generator to them.
 */
export const RESPONSE_MIX: Mix<readonly [number, number]> = [
  [[0.5, 0.9], 50],
  [[0.2, 0.5], 26],
  [[-0.1, 0.2], 17],
  [[-0.5, -0.1], 7],
];

/** PHQ-9 item 9 above 0 at some session (a risk alert, answered by a risk review): illustrative. */
export const ITEM9_RATE = 0.08;

export const GIVEN_NAMES = [
  'Amara', 'Ben', 'Chloe', 'Dev', 'Eleanor', 'Farid', 'Grace', 'Hamza', 'Isla', 'Jack', 'Kiran', 'Lola', 'Mohammed', 'Nia', 'Oscar', 'Priya',
  'Rhys', 'Sofia', 'Tomasz', 'Uma', 'Victor', 'Wendy', 'Yusuf', 'Zara', 'Agnieszka', 'Bola', 'Ciaran', 'Deepa', 'Emeka', 'Fiona', 'Gareth', 'Hannah',
];
export const FAMILY_NAMES = [
  'Adeyemi', 'Brown', 'Clarke', 'Davies', 'Evans', 'Fernandes', 'Green', 'Hussain', 'Iqbal', 'Jones', 'Khan', 'Lewis', 'Murphy', 'Nowak', 'Okafor', 'Patel',
  'Quinn', 'Roberts', 'Smith', 'Taylor', 'Underwood', 'Vasquez', 'Williams', 'Xu', 'Young', 'Zielinski', 'Ahmed', 'Begum', 'Campbell', 'Dias', 'Edwards', 'Ferreira',
];
export const PRACTICES = ['Riverside Medical Centre', 'High Street Surgery', 'Parkview Health Centre', 'Oakfield Practice', 'Meadow Lane Surgery', 'Castle Street Medical Group'];

export const NOTE_LINES = [
  'Reviewed scores and homework; agreed the plan for next week.',
  'Worked on a thought record about the last hypo; behavioural experiment planned.',
  'Graded exposure to breathlessness cues; practised paced breathing.',
  'Activity scheduling reviewed; two valued activities completed this week.',
  'Discussed worry time and postponement; patient found it helpful.',
  'Relapse-prevention blueprint started; reviewed progress since assessment.',
  'Problem-solving around clinic appointments; carer involved with consent.',
];
