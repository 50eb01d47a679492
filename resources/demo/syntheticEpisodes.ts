/**
 * Synthetic episodes for the demo: one referral at every stage of the pathway (seed 001's flowchart), so every
 * screen has real content the moment the demo opens. Days are counted back from the day the demo starts; scores
 * are PHQ-9 / anxiety-measure totals, spread over the items by `spreadTotal`. Names and NHS numbers come from
 * syntheticPatients.ts (the 999 test range). No clinical rule is restated here: the app classifies what is stored.
 */
export type DemoStatus = 'awaiting-spa' | 'awaiting-triage' | 'waiting-assessment' | 'waiting-treatment' | 'in-treatment' | 'discharged';

export interface DemoSession {
  daysAgo: number;
  type: 'assessment' | 'treatment' | 'follow-up';
  /** AttendOrDNACode (ref §5.4): 5 attended, 3 did not attend. Omitted: booked ahead (daysAgo < 0). */
  attendance?: 5 | 3;
  phq9?: number;
  /** The anxiety measure's total: GAD-7, or the ADSM named by `anxietyMeasure`. */
  anxiety?: number;
  /** PHQ-9 item 9 answered above 0 at this session: the risk alert the demo leaves open. */
  item9?: number;
}

export interface DemoEpisode {
  /** Which synthetic patient (index into syntheticPatients). */
  patient: number;
  receivedDaysAgo: number;
  referrerRole: 'gp' | 'practice-nurse' | 'diabetes-specialist-nurse' | 'respiratory-nurse' | 'cardiac-rehab-nurse' | 'consultant' | 'self';
  ltcCodes: string[];
  pathway: 'integrated-ltc' | 'core';
  reason: string;
  status: DemoStatus;
  problemDescriptor?: string;
  step?: 2 | 3;
  anxietyMeasure?: 'gad7' | 'pdss';
  location: string;
  sessions: DemoSession[];
  /** End codes (ref §5.6): 46 mutually agreed completion, 47 ended earlier than the care professional planned. */
  discharge?: { daysAgo: number; endCode: '46' | '47' };
}

const DIABETES_CLINIC = 'Diabetes clinic, Lister Hospital';
const COPD_CLINIC = 'Respiratory clinic, Lister Hospital';
const GP = 'Riverside Medical Centre';

/** Weekly sessions from `startDaysAgo`, with the given PHQ-9 and anxiety totals. */
function weekly(startDaysAgo: number, scores: [number, number][], type: DemoSession['type'] = 'treatment'): DemoSession[] {
  return scores.map(([phq9, anxiety], i) => ({ daysAgo: startDaysAgo - i * 7, type: i === 0 ? 'assessment' : type, attendance: 5, phq9, anxiety }));
}

export const DEMO_EPISODES: DemoEpisode[] = [
  {
    patient: 0,
    receivedDaysAgo: 2,
    referrerRole: 'diabetes-specialist-nurse',
    ltcCodes: ['44054006'],
    pathway: 'integrated-ltc',
    reason: 'Low mood and worry about diabetes complications; DDS2 screen positive in clinic.',
    status: 'awaiting-spa',
    location: DIABETES_CLINIC,
    sessions: [],
  },
  {
    patient: 1,
    receivedDaysAgo: 9,
    referrerRole: 'gp',
    ltcCodes: [],
    pathway: 'core',
    reason: 'Anxiety since redundancy; not sleeping.',
    status: 'awaiting-triage',
    location: GP,
    sessions: [],
  },
  {
    patient: 2,
    receivedDaysAgo: 20,
    referrerRole: 'respiratory-nurse',
    ltcCodes: ['13645005'],
    pathway: 'integrated-ltc',
    reason: 'Panic when breathless; avoiding leaving home.',
    status: 'waiting-assessment',
    location: COPD_CLINIC,
    sessions: [{ daysAgo: -5, type: 'assessment' }],
  },
  {
    patient: 3,
    receivedDaysAgo: 30,
    referrerRole: 'diabetes-specialist-nurse',
    ltcCodes: ['46635009'],
    pathway: 'integrated-ltc',
    reason: 'Fear of hypoglycaemia; checking glucose many times a night.',
    status: 'waiting-treatment',
    problemDescriptor: 'F41.1',
    step: 3,
    location: DIABETES_CLINIC,
    sessions: [{ daysAgo: 12, type: 'assessment', attendance: 5, phq9: 14, anxiety: 15 }, { daysAgo: -3, type: 'treatment' }],
  },
  {
    patient: 4,
    receivedDaysAgo: 60,
    referrerRole: 'gp',
    ltcCodes: ['44054006', '38341003'],
    pathway: 'integrated-ltc',
    reason: 'Depression after a diagnosis of type 2 diabetes.',
    status: 'in-treatment',
    problemDescriptor: 'F32',
    step: 3,
    location: DIABETES_CLINIC,
    sessions: [...weekly(35, [[18, 12], [17, 11], [15, 10], [13, 9]]), { daysAgo: -2, type: 'treatment' }],
  },
  {
    patient: 5,
    receivedDaysAgo: 95,
    referrerRole: 'cardiac-rehab-nurse',
    ltcCodes: ['53741008'],
    pathway: 'integrated-ltc',
    reason: 'Health anxiety and low mood after a heart attack.',
    status: 'in-treatment',
    problemDescriptor: 'F41.2',
    step: 3,
    location: 'Cardiac rehabilitation, Lister Hospital',
    sessions: [
      ...weekly(70, [[16, 14], [15, 14], [14, 13], [12, 12], [11, 10], [10, 9], [9, 8], [8, 7], [7, 6], [6, 6]]),
      { daysAgo: -1, type: 'treatment' },
    ],
  },
  {
    patient: 6,
    receivedDaysAgo: 50,
    referrerRole: 'practice-nurse',
    ltcCodes: [],
    pathway: 'core',
    reason: 'Panic attacks on buses and in supermarkets.',
    status: 'in-treatment',
    problemDescriptor: 'F41.0',
    step: 2,
    anxietyMeasure: 'pdss',
    location: GP,
    sessions: [
      { daysAgo: 28, type: 'assessment', attendance: 5, phq9: 9, anxiety: 16 },
      { daysAgo: 21, type: 'treatment', attendance: 5, phq9: 8, anxiety: 14 },
      { daysAgo: 14, type: 'treatment', attendance: 3 },
      { daysAgo: 7, type: 'treatment', attendance: 5, phq9: 7, anxiety: 11 },
      { daysAgo: -6, type: 'treatment' },
    ],
  },
  {
    patient: 7,
    receivedDaysAgo: 40,
    referrerRole: 'consultant',
    ltcCodes: ['84114007'],
    pathway: 'integrated-ltc',
    reason: 'Hopelessness since heart failure admission.',
    status: 'in-treatment',
    problemDescriptor: 'F32',
    step: 3,
    location: 'Heart failure clinic, Lister Hospital',
    sessions: [
      { daysAgo: 21, type: 'assessment', attendance: 5, phq9: 19, anxiety: 11 },
      { daysAgo: 14, type: 'treatment', attendance: 5, phq9: 20, anxiety: 12 },
      { daysAgo: 1, type: 'treatment', attendance: 5, phq9: 21, anxiety: 12, item9: 1 },
      { daysAgo: -4, type: 'treatment' },
    ],
  },
  {
    patient: 8,
    receivedDaysAgo: 150,
    referrerRole: 'diabetes-specialist-nurse',
    ltcCodes: ['44054006'],
    pathway: 'integrated-ltc',
    reason: 'Diabetes distress and low mood; missing insulin doses.',
    status: 'discharged',
    problemDescriptor: 'F41.2',
    step: 3,
    location: DIABETES_CLINIC,
    sessions: weekly(120, [[17, 13], [16, 12], [14, 11], [11, 9], [9, 7], [7, 6], [6, 5]]),
    discharge: { daysAgo: 75, endCode: '46' },
  },
  {
    patient: 9,
    receivedDaysAgo: 140,
    referrerRole: 'self',
    ltcCodes: ['82423001'],
    pathway: 'integrated-ltc',
    reason: 'Chronic back pain, low mood, stopped working.',
    status: 'discharged',
    problemDescriptor: 'F33',
    step: 3,
    location: GP,
    sessions: weekly(110, [[20, 14], [19, 14], [19, 13], [18, 13], [17, 12]]),
    discharge: { daysAgo: 70, endCode: '47' },
  },
  {
    patient: 10,
    receivedDaysAgo: 25,
    referrerRole: 'self',
    ltcCodes: [],
    pathway: 'core',
    reason: 'Worry about everything; tense all the time.',
    status: 'in-treatment',
    problemDescriptor: 'F41.1',
    step: 2,
    location: 'Telephone',
    sessions: [...weekly(14, [[11, 14], [10, 12]]), { daysAgo: -7, type: 'treatment' }],
  },
];

/** Item answers that add up to `total`, as evenly as the item range allows (the demo only needs the right total). */
export function spreadTotal(total: number, items: number, max: number): number[] {
  if (total < 0 || total > items * max) throw new RangeError(`a total of ${total} does not fit ${items} items of 0–${max}`);
  return Array.from({ length: items }, (_, i) => Math.floor(total / items) + (i < total % items ? 1 : 0));
}
