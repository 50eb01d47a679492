/**
 * Outcome measures engine — the clinical core, pure TypeScript with no I/O.
 *
 * Used live by the renderer while a clinician types, by the services for storage and reports, and by the sync
 * server for validation. Rules follow `../shared/domain/talking-therapies-reference.md` ("ref §n" in comments).
 *
 * Configuration: values the reference marks [U] (ADSM cut-offs and reliable-change values, WSAS bands, the
 * local COPD/cardiac screens' scale and cut-off, the DDS2 rule, the PTSD measure, the service-use recall
 * period) are defaults a service can override with `createOutcomes(overrides)`. The services load a
 * service's overrides; `shared/` never reads files. When an unverified default decides a result, the result
 * says so: in `warnings` of a score, in `reasons` of an episode.
 *
 * API (each also on a configured instance from `createOutcomes`):
 * - `scoreMeasure(instrumentId, answers)` → `{ total, subscales, severity, caseness, screen, complete, missing,
 *   notApplicable, warnings, riskFlags }`. Answers are numbers, `null` (missing: `complete: false`, `total: null`,
 *   no prorating) or `'na'` where allowed. Score-entry shells take `[total]`.
 * - `reliableChange(instrumentId, first, last)` → `'improved' | 'deteriorated' | 'none'`.
 * - `adsmFor(problemDescriptor)` → the ADSM instrument id, or null for GAD-7.
 * - `classifyEpisode(episode)` → flags, waits, first/last paired scores and a plain-English reason per flag.
 * - `programmeRates(episodes, { start, end })` → counts and rates with NHSE's denominators.
 * - `measuresDue(episode, { date, type, final })` → which measures to take at a contact, and why.
 * - `hba1cFromPercent(percent)` / `hba1cToPercent(mmolPerMol)` → unit conversion (ref §3).
 * Every function throws `OutcomeError` (with `code` and `fields`) on malformed input; never a partial result.
 */
import { createOutcomes } from './outcomes';

export { createOutcomes, OutcomeError, type Outcomes } from './outcomes';
export type { OutcomeOverrides } from './config';
export type { MeasureScore, RiskFlag, ReliableChange, Answer, ScreenResult } from './scoring';
export type { EpisodeClassification, PairedScore, EpisodeReasons } from './episode';
export type { ProgrammeRates, Rate } from './programme';
export type { DueMeasure } from './measuresDue';
export { CONTACT_TYPES, type ContactType, type EpisodeInput, type Period, type ContactPlan } from './episodeSchema';
export type { InstrumentDefinition } from './instrumentSchema';
export { hba1cFromPercent, hba1cToPercent } from './hba1c';

/** The engine with the reference's defaults. */
export const defaultOutcomes = createOutcomes();
export const scoreMeasure = defaultOutcomes.scoreMeasure;
export const reliableChange = defaultOutcomes.reliableChange;
export const adsmFor = defaultOutcomes.adsmFor;
export const classifyEpisode = defaultOutcomes.classifyEpisode;
export const programmeRates = defaultOutcomes.programmeRates;
export const measuresDue = defaultOutcomes.measuresDue;
