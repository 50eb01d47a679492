/**
 * Outcome measures engine — the clinical core, pure TypeScript with no I/O.
 *
 * Used live by the renderer while a clinician types, by the services for storage and reports, and by the sync
 * server for validation. Rules follow `../shared/domain/talking-therapies-reference.md` ("ref §n" in comments);
 * thresholds and outcome definitions follow NHS Digital's *A guide to IAPT data and publications v2.1* as the
 * reference quotes it (ref §2.2, §4).
 *
 * Configuration: `createOutcomes(overrides)` takes a service's choices — any instrument's cut-off or
 * reliable-change value (the instrument's operator stays: MI caseness is "> value", PDSS reliable change
 * "> value"), WSAS bands, the local COPD/cardiac screens' scale and cut-off, the DDS2 rule, the PTSD measure
 * (`ptsdMeasure`: 'pcl5' default, 'ies-r' legacy), the OCD measure (`ocdMeasure`: 'oci' default, 'oci-r'), the
 * MUS descriptors for PHQ-15 caseness (`musDescriptors`), the service-use recall period. The services load
 * these; `shared/` never reads files. When an unverified default decides a result (OCI-R, IES-R, WSAS bands …)
 * the result says so: in `warnings` of a score, in `reasons` of an episode.
 *
 * API (each also on a configured instance from `createOutcomes`):
 * - `scoreMeasure(instrumentId, answers, context?)` → `{ total, subscales, severity, caseness, screen, complete,
 *   missing, notApplicable, warnings, riskFlags }`. Answers are numbers, `null` (missing: `complete: false`,
 *   `total: null`, no prorating) or `'na'` where allowed. Score-entry shells take `[total]`. PHQ-15 caseness
 *   (≥ 10) is given only with `context.problemDescriptor` an MUS descriptor; otherwise `caseness: null`.
 * - `measureTotalProblems(instrumentId, total)` → `FieldProblem[]` (paths `instrumentId`, `total`) for a stored
 *   total, e.g. the OCI accepts 0–168, a PHQ-9 must be whole; empty when it may be saved.
 * - `contactEntryProblems(contact, { referralReceived, dischargeDate? })` → `FieldProblem[]` for a contact being
 *   entered: its shape, and `date` before the referral or after discharge (a follow-up may be after discharge).
 * - `reliableChange(instrumentId, first, last)` → `'improved' | 'deteriorated' | 'none'`.
 * - `adsmFor(problemDescriptor)` → the ADSM instrument id (subcodes follow their category: F40.01 → MI), or null for GAD-7.
 * - `classifyEpisode(episode)` → `EpisodeClassification`: finishedCourse, treatmentContacts,
 *   firstTreatmentDate, secondTreatmentDate, waitDays, within6Weeks, within18Weeks, anxietyMeasure,
 *   `phq9` and `anxiety` (each `{ instrumentId, count, first, last }`, first/last `{ date, total } | null`, taken
 *   per instrument — the two need not share a date), pairedScores, casenessAtStart (null without paired scores),
 *   recovered, reliablyImproved, reliablyRecovered, reliablyDeteriorated, noReliableChange, `supplementary`
 *   (WSAS, PHQ-15, DDS-17, IBS-SSS first/last and caseness, never part of recovery), a plain-English reason per
 *   flag, and `dataQuality` warnings (e.g. a contact outside the referral window, which is not counted).
 * - `programmeRates(episodes, { start, end })` → `ProgrammeRates`: the figures NHS England publishes, each
 *   citing its ref §4 row — referralsReceived, enteredTreatment, ended, endedBeforeTreatment, endedTreatedOnce,
 *   finished, notAtCaseness, recovery, reliableRecovery, reliableImprovement, reliableDeterioration,
 *   noReliableChange, startedWithin6Weeks / startedWithin18Weeks (finished cohort), enteredTreatmentWaits
 *   (≤ 14*, ≤ 42, ≤ 84*, ≤ 126 days, meanDays, medianDays), firstToSecondOver90Days, firstToSecondWaits (≤ 28,
 *   29–56, 57–90, > 90), dnaRate, meanTreatmentContacts, openNoContactOver90Days, repeatReferrals, endCodes
 *   (byCode, byGroup, invalid), adsmCompleteness (ref §2.1), supplementaryMeans* (WSAS, DDS-17, PHQ-15 first and
 *   last) and dataQuality (excluded episodes with reasons; warnings). * = local figures, not NHS England's.
 *   Rates are `{ count, denominator, rate }`; with a zero denominator `rate` is null and `reason` says why.
 *   A malformed episode never fails the report: it is listed in `dataQuality.excluded` with its reasons.
 * - `programmeRatesBy(episodes, period, dimension)` → `{ dimension, groups: [{ key, label, rates }], dataQuality }`
 *   split by 'pathway' | 'ltc' | 'referralSource' | 'clinician' | 'step'; a missing value is "not recorded"; with
 *   'ltc' a referral with several conditions is in each group. Repeat referrals look across all groups.
 * - `programmeFigures(rates, { suppressBelow: 5 })` → flat `ProgrammeFigure[]` for export, each with its
 *   `source` row and `local` flag; figures from 1–4 referrals or with a count of 1–4 lose their values
 *   (`suppressed: true`).
 * - `measuresDue(episode, { date, type, final })` → which measures to take at a contact, and why.
 * - `hba1cFromPercent(percent)` / `hba1cToPercent(mmolPerMol)` → unit conversion (ref §3).
 *
 * Episode input (`EpisodeInput`): referralReceived, pathway, optional id, patientId, referralSource (ref §5.2
 * code), clinicianId, step (2 | 3 | 4), problemDescriptor, ltcCodes, contacts `{ id?, date, time?, type,
 * attendance }` (`time` "HH:MM" gives contact order within a date; two scores of one instrument on one date: the
 * later contact wins, by time then contact id), measures `{ date, instrumentId, total, contactId? }`,
 * dischargeDate and endCode together.
 *
 * Code lists for screens: `CONTACT_TYPES`, `REFERRAL_SOURCES` (ref §5.2), `END_CODES` with `END_CODE_GROUPS`
 * (ref §4, §5.6), `STEPS`.
 * Every function throws `OutcomeError` (with `code` and `fields`) on malformed input; never a partial result.
 */
import { createOutcomes } from './outcomes';

export { createOutcomes, OutcomeError, type Outcomes, type ProgrammeReport, type ReportEntry, type ScoreContext } from './outcomes';
export type { OutcomeOverrides } from './config';
export type { MeasureScore, RiskFlag, ReliableChange, Answer, ScreenResult } from './scoring';
export { SUPPLEMENTARY_MEASURES, type EpisodeClassification, type EpisodeReasons, type InstrumentScores, type ScoreAt, type SupplementaryScores } from './episode';
export {
  DIMENSIONS,
  NOT_RECORDED,
  REPORT_ENTRY_VERSION,
  type ProgrammeRates,
  type ProgrammeRatesSplit,
  type ProgrammeRatesGroup,
  type Dimension,
  type Rate,
  type Average,
  type FirstLastMeans,
  type EnteredTreatmentWaits,
  type FirstToSecondWaits,
  type EndCodeBreakdown,
  type ExcludedEpisode,
  type DataQuality,
  type EpisodeFacts,
  type ReportEpisode,
  type ReportItem,
  type ReportResult,
} from './programme';
export { programmeFigures, type ProgrammeFigure } from './figures';
export type { DueMeasure } from './measuresDue';
export {
  CONTACT_TYPES,
  TREATMENT_TYPES,
  ATTENDED_CODES,
  Contact as ContactEntry,
  contactEntryProblems,
  type ContactType,
  type ContactInput,
  type EpisodeInput,
  type Period,
  type ContactPlan,
} from './episodeSchema';
export {
  REFERRAL_SOURCES,
  END_CODES,
  END_CODE_GROUPS,
  END_CODE_GROUP_LABELS,
  STEPS,
  THERAPY_TYPES,
  THERAPY_TYPE_CODES,
  endCodeGroup,
  intensityOfStep,
  type ReferralSourceCode,
  type EndCode,
  type EndCodeGroup,
  type Step,
  type TherapyIntensity,
  type TherapyTypeCode,
} from './codes';
export type { InstrumentDefinition } from './instrumentSchema';
export { hba1cFromPercent, hba1cToPercent } from './hba1c';

/** The engine with the reference's defaults. */
export const defaultOutcomes = createOutcomes();
export const scoreMeasure = defaultOutcomes.scoreMeasure;
export const measureTotalProblems = defaultOutcomes.measureTotalProblems;
export const reliableChange = defaultOutcomes.reliableChange;
export const adsmFor = defaultOutcomes.adsmFor;
export const classifyEpisode = defaultOutcomes.classifyEpisode;
export const programmeRates = defaultOutcomes.programmeRates;
export const programmeRatesBy = defaultOutcomes.programmeRatesBy;
export const measuresDue = defaultOutcomes.measuresDue;
export {
  effectSize,
  effectSizes,
  hba1cChange,
  healthcareUseChange,
  type EffectSize,
  type FinishedCourse,
  type HbA1cChange,
  type HealthcareUseChange,
  type HealthcareUseItem,
  type ServiceUseRecord,
} from './ltcOutcomes';
export { figureDefinition, LTC_DEFINITIONS } from './figureDefinitions';
