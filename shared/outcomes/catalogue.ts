import type { InstrumentInput, ResponseOption } from './instrumentSchema';

/**
 * The instrument catalogue: data, validated against InstrumentDefinition when loaded (outcomes.ts).
 * Sources are the domain reference (`../shared/domain/talking-therapies-reference.md`, "ref §n") and the
 * commissioning seeds. Item text ships only where the licence allows it (ref §1, §3, §8).
 */
const REF = 'NHS Talking Therapies domain reference';

const PHQ_OPTIONS: ResponseOption[] = [
  { value: 0, label: 'Not at all' },
  { value: 1, label: 'Several days' },
  { value: 2, label: 'More than half the days' },
  { value: 3, label: 'Nearly every day' },
];
const PHQ_LICENCE = 'Free: Pfizer released the PHQ and GAD-7 without copyright restriction (ref §1)';
const ZERO_TO_EIGHT = (anchors: [string, string, string, string, string]): ResponseOption[] =>
  Array.from({ length: 9 }, (_, v) => ({ value: v, label: v % 2 === 0 ? `${v} – ${anchors[v / 2]}` : String(v) }));
const DDS_OPTIONS: ResponseOption[] = [
  { value: 1, label: 'Not a problem' },
  { value: 2, label: 'A slight problem' },
  { value: 3, label: 'A moderate problem' },
  { value: 4, label: 'Somewhat serious problem' },
  { value: 5, label: 'A serious problem' },
  { value: 6, label: 'A very serious problem' },
];
const PEQ_FREQUENCY: ResponseOption[] = [
  { value: 0, label: 'Never' },
  { value: 1, label: 'Rarely' },
  { value: 2, label: 'Sometimes' },
  { value: 3, label: 'Most of the time' },
  { value: 4, label: 'All of the time' },
];
const YES_NO: ResponseOption[] = [
  { value: 1, label: 'Yes' },
  { value: 0, label: 'No' },
];

/** NHS Digital's guide, as the reference quotes it; the values it prints are verified (ref §2.2). */
const GUIDE = `NHS Digital, A guide to IAPT data and publications v2.1, PROM questionnaires (${REF} §2.2)`;

interface Cut {
  value: number;
  operator?: '>=' | '>';
  /** False where the value is not the guide's (a configured alternative such as the OCI-R or IES-R). */
  verified: boolean;
  source: string;
}

/** An ADSM or other licensed measure: the clinician enters the total; no item wording ships (ref §2.2). */
function scoreEntry(
  id: string,
  title: string,
  range: { min: number; max: number; integer: boolean },
  caseness: Cut,
  reliableChange: Cut | null,
  licence: string,
  source: string,
): InstrumentInput {
  return {
    id,
    version: '1',
    title,
    kind: 'score-entry',
    items: [{ id: 'total', range }],
    scoring: { method: 'value', decimals: range.integer ? 0 : 2 },
    totalRange: { min: range.min, max: range.max },
    caseness: { threshold: caseness.value, operator: caseness.operator ?? '>=', basis: 'total', verified: caseness.verified, source: caseness.source },
    ...(reliableChange
      ? { reliableChange: { value: reliableChange.value, operator: reliableChange.operator ?? '>=', verified: reliableChange.verified, source: reliableChange.source } }
      : {}),
    licence,
    source,
  };
}

/** A value printed in the guide's table (ref §2.2): verified. */
const guide = (value: number, operator: '>=' | '>' = '>='): Cut => ({ value, operator, verified: true, source: GUIDE });
/** A value the guide does not print: a default the service should confirm, so results that use it warn. */
const unverified = (value: number, source: string): Cut => ({ value, verified: false, source });

export const CATALOGUE: InstrumentInput[] = [
  {
    id: 'phq9',
    version: '1',
    title: 'PHQ-9 (depression)',
    kind: 'questionnaire',
    instructions: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
    recallPeriod: '2 weeks',
    responseOptions: PHQ_OPTIONS,
    items: [
      { id: '1', text: 'Little interest or pleasure in doing things' },
      { id: '2', text: 'Feeling down, depressed, or hopeless' },
      { id: '3', text: 'Trouble falling or staying asleep, or sleeping too much' },
      { id: '4', text: 'Feeling tired or having little energy' },
      { id: '5', text: 'Poor appetite or overeating' },
      { id: '6', text: 'Feeling bad about yourself — or that you are a failure or have let yourself or your family down' },
      { id: '7', text: 'Trouble concentrating on things, such as reading the newspaper or watching television' },
      { id: '8', text: 'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual' },
      // ref §1 and §8: any item-9 answer above 0 triggers the risk workflow; the total is never altered.
      { id: '9', text: 'Thoughts that you would be better off dead or of hurting yourself in some way', riskAbove: 0, riskFlag: 'phq9-item9' },
    ],
    scoring: { method: 'sum' },
    totalRange: { min: 0, max: 27 },
    caseness: { threshold: 10, basis: 'total', verified: true, source: `${GUIDE}; ${REF} §1, §8 (programme caseness ≥ 10)` },
    reliableChange: { value: 6, verified: true, source: `${GUIDE}; ${REF} §1, §8 (≥ 6 points)` },
    severityBands: {
      bands: [
        { min: 0, max: 4, label: 'Minimal' },
        { min: 5, max: 9, label: 'Mild' },
        { min: 10, max: 14, label: 'Moderate' },
        { min: 15, max: 19, label: 'Moderately severe' },
        { min: 20, max: 27, label: 'Severe' },
      ],
      verified: true,
      source: `${REF} §1 (Kroenke bands)`,
    },
    licence: PHQ_LICENCE,
    snomed: '720433000',
    source: `${REF} §1`,
  },
  {
    id: 'gad7',
    version: '1',
    title: 'GAD-7 (anxiety)',
    kind: 'questionnaire',
    instructions: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
    recallPeriod: '2 weeks',
    responseOptions: PHQ_OPTIONS,
    items: [
      { id: '1', text: 'Feeling nervous, anxious or on edge' },
      { id: '2', text: 'Not being able to stop or control worrying' },
      { id: '3', text: 'Worrying too much about different things' },
      { id: '4', text: 'Trouble relaxing' },
      { id: '5', text: 'Being so restless that it is hard to sit still' },
      { id: '6', text: 'Becoming easily annoyed or irritable' },
      { id: '7', text: 'Feeling afraid as if something awful might happen' },
    ],
    scoring: { method: 'sum' },
    totalRange: { min: 0, max: 21 },
    caseness: { threshold: 8, basis: 'total', verified: true, source: `${GUIDE}; ${REF} §1, §8 (programme caseness ≥ 8, not the generic ≥ 10)` },
    reliableChange: { value: 4, verified: true, source: `${GUIDE}; ${REF} §1, §8 (≥ 4 points)` },
    severityBands: {
      bands: [
        { min: 0, max: 4, label: 'Minimal' },
        { min: 5, max: 9, label: 'Mild' },
        { min: 10, max: 14, label: 'Moderate' },
        { min: 15, max: 21, label: 'Severe' },
      ],
      verified: true,
      source: `${REF} §1 (Spitzer bands)`,
    },
    licence: PHQ_LICENCE,
    snomed: '445455005',
    source: `${REF} §1`,
  },
  {
    id: 'phq4',
    version: '1',
    title: 'PHQ-4 (PHQ-2 + GAD-2 screen)',
    kind: 'screen',
    instructions: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
    recallPeriod: '2 weeks',
    responseOptions: PHQ_OPTIONS,
    items: [
      { id: 'gad-1', text: 'Feeling nervous, anxious or on edge' },
      { id: 'gad-2', text: 'Not being able to stop or control worrying' },
      { id: 'phq-1', text: 'Little interest or pleasure in doing things' },
      { id: 'phq-2', text: 'Feeling down, depressed, or hopeless' },
    ],
    scoring: {
      method: 'sum',
      subscales: [
        { id: 'gad2', title: 'GAD-2', items: ['gad-1', 'gad-2'], method: 'sum' },
        { id: 'phq2', title: 'PHQ-2', items: ['phq-1', 'phq-2'], method: 'sum' },
      ],
    },
    totalRange: { min: 0, max: 12 },
    // Kroenke et al. 2009 (Psychosomatics 50:613), as specified in issue #3: positive if PHQ-2 ≥ 3 or GAD-2 ≥ 3.
    screen: { basis: 'any-subscale', threshold: 3, label: 'positive screen (PHQ-2 or GAD-2 ≥ 3)', verified: true, source: 'Kroenke 2009; issue #3' },
    severityBands: {
      bands: [
        { min: 0, max: 2, label: 'None' },
        { min: 3, max: 5, label: 'Mild' },
        { min: 6, max: 8, label: 'Moderate' },
        { min: 9, max: 12, label: 'Severe' },
      ],
      verified: true,
      source: 'Kroenke 2009; issue #3',
    },
    licence: PHQ_LICENCE,
    source: 'Kroenke et al. 2009; issue #3',
  },
  {
    id: 'wsas',
    version: '1',
    title: 'Work and Social Adjustment Scale (WSAS)',
    kind: 'questionnaire',
    instructions: 'Rate each area from 0 (not at all impaired) to 8 (very severely impaired).',
    responseOptions: ZERO_TO_EIGHT(['Not at all', 'Slightly', 'Definitely', 'Markedly', 'Very severely']),
    items: [
      // ref §1: the work item may be "not applicable" (not working or retired).
      { id: 'work', text: 'Because of my problem my ability to work is impaired', notApplicableAllowed: true },
      { id: 'home', text: 'Because of my problem my home management (cleaning, tidying, shopping, cooking, looking after home or children, paying bills) is impaired' },
      { id: 'social', text: 'Because of my problem my social leisure activities (with other people, such as parties, outings, visits, home entertaining) are impaired' },
      { id: 'private', text: 'Because of my problem my private leisure activities (done alone, such as reading, gardening, sewing, walking alone) are impaired' },
      { id: 'relationships', text: 'Because of my problem my ability to form and maintain close relationships with others, including those I live with, is impaired' },
    ],
    scoring: { method: 'sum' },
    totalRange: { min: 0, max: 40 },
    // ref §1: no programme caseness and no programme reliable change for WSAS. Mundt 2002 bands are [U].
    severityBands: {
      bands: [
        { min: 0, max: 9, label: 'Subclinical' },
        { min: 10, max: 20, label: 'Significant impairment' },
        { min: 21, max: 40, label: 'Moderately severe or worse' },
      ],
      verified: false,
      source: `${REF} §1 (Mundt 2002) [U]`,
    },
    licence: 'Free to use, citing Mundt et al. 2002 (ref §1) [U]',
    source: `${REF} §1`,
  },
  {
    id: 'phobia',
    version: '1',
    title: 'IAPT Phobia Scales',
    kind: 'questionnaire',
    instructions: 'Choose a number to show how much you would avoid each of the situations or objects listed.',
    // ref §1: anchor wording is [U].
    responseOptions: ZERO_TO_EIGHT(['Would not avoid it', 'Slightly avoid it', 'Definitely avoid it', 'Markedly avoid it', 'Always avoid it']),
    items: [
      { id: 'social', text: 'Social situations due to a fear of being embarrassed or making a fool of myself' },
      { id: 'agoraphobic', text: 'Certain situations because of a fear of having a panic attack or other distressing symptoms (such as loss of bladder control, vomiting or dizziness)' },
      { id: 'specific', text: 'Certain situations because of a fear of particular objects or activities (such as animals, heights, seeing blood, being in confined spaces, driving or flying)' },
    ],
    scoring: {
      method: 'sum',
      subscales: [
        { id: 'social', title: 'Social phobia', items: ['social'], method: 'sum' },
        { id: 'agoraphobic', title: 'Agoraphobia', items: ['agoraphobic'], method: 'sum' },
        { id: 'specific', title: 'Specific phobia', items: ['specific'], method: 'sum' },
      ],
    },
    totalRange: { min: 0, max: 24 },
    // ref §1: the IAPT Data Handbook suggests ≥ 4 on any item = clinical caseness; not used in national recovery.
    caseness: { threshold: 4, basis: 'any-item', verified: true, source: `${REF} §1 (Data Handbook, as quoted)` },
    licence: 'Crown/NHS material, free (ref §1) [U]',
    source: `${REF} §1`,
  },
  {
    id: 'phq15',
    version: '1',
    title: 'PHQ-15 (somatic symptoms)',
    kind: 'questionnaire',
    instructions: 'During the past 4 weeks, how much have you been bothered by any of the following problems?',
    recallPeriod: '4 weeks',
    // ref §3: items score 0–2 (sources claiming 0–3 are wrong).
    responseOptions: [
      { value: 0, label: 'Not bothered at all' },
      { value: 1, label: 'Bothered a little' },
      { value: 2, label: 'Bothered a lot' },
    ],
    items: [
      { id: 'a', text: 'Stomach pain' },
      { id: 'b', text: 'Back pain' },
      { id: 'c', text: 'Pain in your arms, legs, or joints (knees, hips, etc.)' },
      // ref §3: applies to women only; "not applicable" gives a range of 0–28.
      { id: 'd', text: 'Menstrual cramps or other problems with your periods', notApplicableAllowed: true },
      { id: 'e', text: 'Headaches' },
      { id: 'f', text: 'Chest pain' },
      { id: 'g', text: 'Dizziness' },
      { id: 'h', text: 'Fainting spells' },
      { id: 'i', text: 'Feeling your heart pound or race' },
      { id: 'j', text: 'Shortness of breath' },
      { id: 'k', text: 'Pain or problems during sexual intercourse' },
      { id: 'l', text: 'Constipation, loose bowels, or diarrhoea' },
      { id: 'm', text: 'Nausea, gas, or indigestion' },
      { id: 'n', text: 'Feeling tired or having low energy' },
      { id: 'o', text: 'Trouble sleeping' },
    ],
    scoring: { method: 'sum' },
    totalRange: { min: 0, max: 30 },
    // ref §2.2 notes: caseness ≥ 10 only where an unspecified MUS is the problem — never, say, for diabetes.
    caseness: { threshold: 10, basis: 'total', when: 'mus-descriptor', verified: true, source: GUIDE },
    severityBands: {
      bands: [
        { min: 0, max: 4, label: 'Minimal' },
        { min: 5, max: 9, label: 'Low' },
        { min: 10, max: 14, label: 'Medium' },
        { min: 15, max: 30, label: 'High' },
      ],
      verified: true,
      source: `${REF} §3 (Kroenke 2002: 5 / 10 / 15)`,
    },
    licence: 'PHQ family, free (ref §3)',
    source: `${REF} §3`,
  },
  {
    id: 'dds2',
    version: '1',
    title: 'Diabetes Distress Scale, 2 items (DDS2) — the Talking Health diabetes screen',
    kind: 'screen',
    instructions: 'How much is each of the following a problem for you at present?',
    responseOptions: DDS_OPTIONS,
    items: [
      // Seed 001 ("Talking Health Screening programme") uses exactly these two items: the screen is DDS2 (ref §7).
      { id: '1', text: 'Feeling overwhelmed by the demands of living with diabetes' },
      { id: '2', text: 'Feeling that I am often failing with my diabetes routine' },
    ],
    // ref §3 and §8: DDS is scored as a mean (1–6), not a sum.
    scoring: { method: 'mean' },
    totalRange: { min: 1, max: 6 },
    // ref §7: Fisher 2008 original rule, mean ≥ 3 (total ≥ 6) = moderate distress. A service may choose the newer ≥ 2.0.
    screen: { basis: 'total', threshold: 3, label: 'moderate distress or more (DDS2 mean ≥ 3, Fisher 2008)', verified: true, source: `${REF} §3, §7` },
    severityBands: {
      bands: [
        { min: 1, max: 2.99, label: 'Little or no distress' },
        { min: 3, max: 6, label: 'Moderate distress or more' },
      ],
      verified: true,
      source: `${REF} §7 (Fisher 2008 original threshold)`,
    },
    licence: 'Free for clinical and research use (Behavioral Diabetes Institute) (ref §3) [U]',
    source: `${REF} §3, §7; seed 001`,
  },
  {
    id: 'dds17',
    version: '1',
    title: 'Diabetes Distress Scale (DDS-17)',
    kind: 'questionnaire',
    instructions: 'Consider the degree to which each of the following may have distressed or bothered you during the past month.',
    recallPeriod: '1 month',
    responseOptions: DDS_OPTIONS,
    items: [
      { id: '1', text: 'Feeling that diabetes is taking up too much of my mental and physical energy every day' },
      { id: '2', text: "Feeling that my doctor doesn't know enough about diabetes and diabetes care" },
      { id: '3', text: 'Not feeling confident in my day-to-day ability to manage diabetes' },
      { id: '4', text: 'Feeling angry, scared and/or depressed when I think about living with diabetes' },
      { id: '5', text: "Feeling that my doctor doesn't give me clear enough directions on how to manage my diabetes" },
      { id: '6', text: 'Feeling that I am not testing my blood sugars frequently enough' },
      { id: '7', text: 'Feeling that I will end up with serious long-term complications, no matter what I do' },
      { id: '8', text: 'Feeling that I am often failing with my diabetes routine' },
      { id: '9', text: 'Feeling that friends or family are not supportive enough of self-care efforts' },
      { id: '10', text: 'Feeling that diabetes controls my life' },
      { id: '11', text: "Feeling that my doctor doesn't take my concerns seriously enough" },
      { id: '12', text: 'Feeling that I am not sticking closely enough to a good meal plan' },
      { id: '13', text: "Feeling that friends or family don't appreciate how difficult living with diabetes can be" },
      { id: '14', text: 'Feeling overwhelmed by the demands of living with diabetes' },
      { id: '15', text: "Feeling that I don't have a doctor who I can see regularly enough about my diabetes" },
      { id: '16', text: 'Not feeling motivated to keep up my diabetes self-management' },
      { id: '17', text: "Feeling that friends or family don't give me the emotional support that I would like" },
    ],
    scoring: {
      method: 'mean',
      // ref §3: the four DDS-17 subscales, each a mean.
      subscales: [
        { id: 'emotional-burden', title: 'Emotional burden', items: ['1', '4', '7', '10', '14'], method: 'mean' },
        { id: 'physician', title: 'Physician-related distress', items: ['2', '5', '11', '15'], method: 'mean' },
        { id: 'regimen', title: 'Regimen-related distress', items: ['3', '6', '8', '12', '16'], method: 'mean' },
        { id: 'interpersonal', title: 'Interpersonal distress', items: ['9', '13', '17'], method: 'mean' },
      ],
    },
    totalRange: { min: 1, max: 6 },
    severityBands: {
      // ref §3: mean < 2.0 little or none; 2.0–2.9 moderate; ≥ 3.0 high.
      bands: [
        { min: 1, max: 1.99, label: 'Little or no distress' },
        { min: 2, max: 2.99, label: 'Moderate distress' },
        { min: 3, max: 6, label: 'High distress' },
      ],
      verified: true,
      source: `${REF} §3 (diabetesdistress.org)`,
    },
    licence: 'Free for clinical and research use (Behavioral Diabetes Institute) (ref §3) [U]',
    source: `${REF} §3 (Polonsky 2005)`,
  },
  ...(['copd', 'cardiac'] as const).map(
    (condition): InstrumentInput => ({
      id: `${condition}-screen`,
      version: '1',
      title: condition === 'copd' ? 'Talking Health COPD screen (local, unvalidated)' : 'Talking Health cardiac screen (local, unvalidated)',
      kind: 'local-screen',
      // ref §3, §7: no published scale or cut-off; the service sets both. Until it does, no screen result is given.
      responseOptions: PHQ_OPTIONS,
      items:
        condition === 'copd'
          ? [
              { id: '1', text: 'Feeling frustrated or upset that I cannot do things I used to be able to do' },
              { id: '2', text: 'Feeling breathless and worried or panicked that I can’t breathe or may be having a flare up' },
            ]
          : [
              { id: '1', text: 'Feeling worried about my heart and living with a heart condition' },
              { id: '2', text: 'Feeling that stress or low mood may further affect my heart or health' },
            ],
      scoring: { method: 'sum' },
      screen: { basis: 'total', threshold: null, label: 'positive screen (service cut-off)', verified: false, source: `${REF} §3, §7; seed 001 [U]` },
      licence: 'Local items from the commissioning seed (seed 001, CNWL Talking Health)',
      source: 'seed 001 (Talking Health Screening programme)',
    }),
  ),
  scoreEntry('spin', 'Social Phobia Inventory (SPIN)', { min: 0, max: 68, integer: true }, guide(19), guide(10), '© Connor/Davidson; permission needed for item wording (ref §2.2) [U]', `${REF} §2.1, §2.2`),
  // ref §2.2: the guide prints "> 5" for PDSS, so a fall of exactly 5 is not reliable.
  scoreEntry('pdss', 'Panic Disorder Severity Scale (PDSS, self-report)', { min: 0, max: 28, integer: true }, guide(8), guide(5, '>'), '© Shear; licence needed for item wording (ref §2.2)', `${REF} §2.1, §2.2`),
  // ref §2.2: the Mobility Inventory "alone" is a mean of 1–5 items, so its total may be fractional; caseness is strictly above 2.3.
  scoreEntry('mi-alone', 'Mobility Inventory – alone (mean)', { min: 1, max: 5, integer: false }, guide(2.3, '>'), guide(0.73), '© Chambless; permission needed (ref §2.2) [U]', `${REF} §2.1, §2.2`),
  // ref §2.2: the guide names the original 42-item OCI (0–168), the default OCD measure.
  scoreEntry('oci', 'Obsessive Compulsive Inventory (OCI)', { min: 0, max: 168, integer: true }, guide(40), guide(32), '© Foa; permission needed for item wording (ref §2.2) [U]', `${REF} §2.1, §2.2`),
  // ref §2.2 notes: the OCI-R is a service's configured alternative with its own cut-offs (Foa 2002 ≥ 21); the guide gives none.
  scoreEntry('oci-r', 'Obsessive Compulsive Inventory – Revised (OCI-R)', { min: 0, max: 72, integer: true }, unverified(21, `${REF} §2.2 notes (Foa 2002) [U]`), unverified(14, `${REF} §2.2 [U]`), '© Foa; free for clinical and research use (ref §2.2) [U]', `${REF} §2.1, §2.2`),
  scoreEntry('pcl5', 'PTSD Checklist for DSM-5 (PCL-5)', { min: 0, max: 80, integer: true }, guide(32), guide(10), 'Public domain, US VA NCPTSD (ref §2.2) [U]', `${REF} §2.1, §2.2`),
  // ref §2.2 notes: IES-R belongs to earlier data-set versions; kept as a configured legacy option with unverified values.
  scoreEntry('ies-r', 'Impact of Event Scale – Revised (IES-R)', { min: 0, max: 88, integer: true }, unverified(33, `${REF} §2.2 [U]`), unverified(9, `${REF} §2.2 [U]`), 'Free for research and clinical use (ref §2.2) [U]', `${REF} §2.1, §2.2`),
  scoreEntry('hai-short', 'Health Anxiety Inventory – short week', { min: 0, max: 54, integer: true }, guide(18), guide(4), '© Salkovskis; permission needed (ref §2.2) [U]', `${REF} §2.1, §2.2`),
  // ref §2.2 notes: an MUS/LTC measure, supplementary to PHQ-9 and the anxiety measure; the guide gives no reliable change.
  scoreEntry('ibs-sss', 'Francis IBS Symptom Severity Scale (IBS-SSS)', { min: 0, max: 500, integer: true }, guide(75), null, '© Francis et al. 1997; licence not in the reference, so score entry only [U]', `${REF} §2.2 notes, §3`),
  {
    id: 'peq-assessment',
    version: '1',
    title: 'Patient Experience Questionnaire – assessment',
    kind: 'categorical',
    items: [
      { id: 'q1', text: 'Were you given information about options for choosing a treatment that is appropriate for your problem?', options: YES_NO, notApplicableAllowed: true },
      { id: 'q2', text: 'Do you prefer any of the treatments among the options available?', options: YES_NO, notApplicableAllowed: true },
      { id: 'q3', text: 'Have you been offered your preference?', options: YES_NO, notApplicableAllowed: true },
      { id: 'q4', text: 'Did your assessment cover your employment needs?', options: YES_NO, notApplicableAllowed: true },
      {
        id: 'satisfaction',
        text: 'Overall, how satisfied were you with your assessment?',
        options: [
          { value: 0, label: 'Not satisfied at all' },
          { value: 1, label: 'Slightly satisfied' },
          { value: 2, label: 'Moderately satisfied' },
          { value: 3, label: 'Very satisfied' },
          { value: 4, label: 'Completely satisfied' },
        ],
        notApplicableAllowed: true,
      },
    ],
    scoring: { method: 'none' },
    licence: 'NHS, free (ref §1)',
    source: `${REF} §1 (PEQ labels from NHSE SQL)`,
  },
  {
    id: 'peq-treatment',
    version: '1',
    title: 'Patient Experience Questionnaire – treatment',
    kind: 'categorical',
    responseOptions: PEQ_FREQUENCY,
    items: [
      { id: 'q1', text: 'Did staff listen to you and treat your concerns seriously?', notApplicableAllowed: true },
      { id: 'q2', text: 'Do you feel that the service has helped you to better understand and address your difficulties?', notApplicableAllowed: true },
      { id: 'q3', text: 'Did you feel involved in making choices about your treatment and care?', notApplicableAllowed: true },
      { id: 'q4', text: 'On reflection, did you get the help that mattered to you?', notApplicableAllowed: true },
      { id: 'q5', text: 'Did you have confidence in your therapist and their skills and techniques?', notApplicableAllowed: true },
      { id: 'q6', text: 'Did you receive the employment help you required?', notApplicableAllowed: true },
    ],
    scoring: { method: 'none' },
    licence: 'NHS, free (ref §1)',
    source: `${REF} §1 (PEQ labels from NHSE SQL)`,
  },
  {
    id: 'employment',
    version: '2.1',
    title: 'Employment status and benefits (IDS004)',
    kind: 'categorical',
    items: [
      {
        id: 'status',
        text: 'Employment status',
        // ref §5.6 EmployStatus codes; the answer value is the code's position, the code itself is carried.
        options: [
          { value: 1, code: '01', label: 'Employed' },
          { value: 2, code: '02', label: 'Unemployed and seeking work' },
          { value: 3, code: '03', label: 'Student' },
          { value: 4, code: '04', label: 'Long-term sick or disabled (receiving sickness or disability benefits)' },
          { value: 5, code: '05', label: 'Homemaker' },
          { value: 6, code: '06', label: 'Not working, not seeking work, no benefits' },
          { value: 7, code: '07', label: 'Unpaid voluntary work' },
          { value: 8, code: '08', label: 'Retired' },
          { value: 99, code: 'ZZ', label: 'Not stated' },
        ],
      },
      { id: 'hours', text: 'Hours worked per week', range: { min: 0, max: 168, integer: true }, notApplicableAllowed: true },
      { id: 'sickness-absence', text: 'Currently on sickness absence from work', options: YES_NO, notApplicableAllowed: true },
      { id: 'statutory-sick-pay', text: 'Receiving Statutory Sick Pay', options: YES_NO, notApplicableAllowed: true },
      { id: 'universal-credit', text: 'Receiving Universal Credit', options: YES_NO, notApplicableAllowed: true },
      { id: 'pip', text: 'Receiving Personal Independence Payment', options: YES_NO, notApplicableAllowed: true },
      { id: 'esa', text: 'Receiving Employment and Support Allowance', options: YES_NO, notApplicableAllowed: true },
    ],
    scoring: { method: 'none' },
    licence: 'Data standard, free (ref §1)',
    source: `${REF} §1, §5.1, §5.6`,
  },
  {
    id: 'hba1c',
    version: '1',
    title: 'HbA1c (mmol/mol)',
    kind: 'lab-value',
    // ref §3: UK unit is mmol/mol (IFCC). The range is a plausibility check on entry, not a clinical band.
    items: [{ id: 'mmol-mol', text: 'HbA1c in mmol/mol', range: { min: 9, max: 195, integer: true } }],
    scoring: { method: 'value', decimals: 0 },
    totalRange: { min: 9, max: 195 },
    licence: 'Not a PROM (ref §3)',
    source: `${REF} §3`,
  },
  {
    id: 'service-use',
    version: '1',
    title: 'Healthcare use (CSRI-style counts)',
    kind: 'service-use',
    // ref §3: CSRI is locally adapted; the recall period is set by the service (default 3 months).
    items: [
      { id: 'gp-appointments', text: 'GP appointments', range: { min: 0, max: 500, integer: true } },
      { id: 'ae-attendances', text: 'A&E attendances', range: { min: 0, max: 500, integer: true } },
      { id: 'emergency-admissions', text: 'Emergency hospital admissions', range: { min: 0, max: 500, integer: true } },
      { id: 'outpatient-appointments', text: 'Hospital outpatient appointments', range: { min: 0, max: 500, integer: true } },
      { id: 'ambulance-conveyances', text: 'Ambulance conveyances', range: { min: 0, max: 500, integer: true } },
      { id: 'specialist-nurse-contacts', text: 'Specialist nurse contacts', range: { min: 0, max: 500, integer: true } },
    ],
    scoring: { method: 'none' },
    licence: 'CSRI: freely adaptable with citation (ref §3) [U]',
    source: `${REF} §3; seed 001 (healthcare utilisation)`,
  },
];
