import type { z } from 'zod';
import { fieldProblems } from '../contract/errors';
import type { FieldProblem } from '../contract/errors';
import { adsmForDescriptor, isMusDescriptor } from './adsm';
import { CATALOGUE } from './catalogue';
import { OutcomeOverrides, type OutcomeConfig } from './config';
import { classify, type EpisodeClassification } from './episode';
import { ContactPlan, Episode, parseEpisodeFast, Period, type EpisodeInput } from './episodeSchema';
import { invalid, OutcomeError } from './errors';
import { InstrumentDefinition } from './instrumentSchema';
import { dueAt, type DueMeasure } from './measuresDue';
import {
  DIMENSIONS,
  episodeFacts,
  programmeRatesOf,
  programmeRatesSplit,
  reportEpisodeOf,
  reportResultOf,
  type Dimension,
  type EpisodeFacts,
  type ExcludedEpisode,
  type ProgrammeRates,
  type ProgrammeRatesSplit,
  type ReportEpisode,
  type ReportItem,
  type ReportResult,
} from './programme';
import { reliableChangeWith, scoreWith, type MeasureScore, type ReliableChange } from './scoring';

/** What scoring may know about the referral: PHQ-15 caseness needs its problem descriptor (ref §2.2 notes). */
export interface ScoreContext {
  problemDescriptor?: string | null;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, path: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw invalid('INVALID_INPUT', fieldProblems(r.error.issues).map((f) => ({ ...f, path: f.path === '(input)' ? path : `${path}.${f.path}` })));
  }
  return r.data;
}

const integral = new WeakMap<InstrumentDefinition, boolean>();
/** `wholeTotals`, once per definition: a report checks hundreds of thousands of stored totals. */
function integralTotal(def: InstrumentDefinition): boolean {
  let known = integral.get(def);
  if (known === undefined) integral.set(def, (known = wholeTotals(def)));
  return known;
}

/** True when every possible total of the instrument is a whole number (sums of whole answers, whole score entries). */
function wholeTotals(def: InstrumentDefinition): boolean {
  if (def.scoring.method === 'value') return def.items[0]?.range?.integer === true;
  if (def.scoring.method !== 'sum') return false;
  return def.items.every((item) => (item.range ? item.range.integer : (item.options ?? def.responseOptions).every((o) => Number.isInteger(o.value))));
}

/** The catalogue with a service's overrides applied; an overridden value becomes the service's (verified) choice. */
function buildCatalogue(config: OutcomeConfig): Map<string, InstrumentDefinition> {
  const byId = new Map<string, InstrumentDefinition>();
  for (const raw of CATALOGUE) {
    const r = InstrumentDefinition.safeParse(raw);
    if (!r.success) throw invalid('INVALID_CATALOGUE', fieldProblems(r.error.issues).map((f) => ({ ...f, path: `${String(raw.id)}.${f.path}` })));
    byId.set(r.data.id, r.data);
  }
  for (const extra of config.extraInstruments) {
    if (byId.has(extra.id)) throw invalid('INVALID_INPUT', [{ path: `extraInstruments.${extra.id}`, message: 'duplicates a catalogue instrument' }]);
    byId.set(extra.id, extra);
  }
  const dds2 = byId.get('dds2')!;
  if (config.dds2Rule === 'dds-guidance-mean-2') {
    // ref §7: the newer DDS guidance treats mean ≥ 2.0 as clinically significant.
    byId.set('dds2', {
      ...dds2,
      screen: { ...dds2.screen!, threshold: 2, label: 'moderate distress or more (DDS mean ≥ 2.0, newer DDS guidance)', source: 'ref §7 (service chose the newer DDS guidance)' },
      severityBands: { bands: [{ min: 1, max: 1.99, label: 'Little or no distress' }, { min: 2, max: 6, label: 'Moderate distress or more' }], verified: true, source: 'ref §7 (service choice)' },
    });
  }
  const service = 'service configuration';
  for (const [id, o] of Object.entries(config.instruments)) {
    const def = byId.get(id);
    if (!def) throw invalid('INVALID_INPUT', [{ path: `instruments.${id}`, message: 'is not an instrument in the catalogue' }]);
    const next: InstrumentDefinition = { ...def };
    if (o.caseness !== undefined) {
      if (!def.caseness) throw invalid('INVALID_INPUT', [{ path: `instruments.${id}.caseness`, message: `${def.title} has no caseness rule` }]);
      next.caseness = { ...def.caseness, threshold: o.caseness, verified: true, source: service };
    }
    // ref §2.2: a service changes the value, never the instrument's operator (PDSS stays "> value").
    if (o.reliableChange !== undefined) next.reliableChange = { operator: def.reliableChange?.operator ?? '>=', value: o.reliableChange, verified: true, source: service };
    if (o.severityBands) next.severityBands = { bands: o.severityBands, verified: true, source: service };
    if (o.screenThreshold !== undefined) {
      if (!def.screen) throw invalid('INVALID_INPUT', [{ path: `instruments.${id}.screenThreshold`, message: `${def.title} is not a screen` }]);
      next.screen = { ...def.screen, threshold: o.screenThreshold, verified: true, source: service };
    }
    if (o.responseOptions) {
      if (def.kind !== 'local-screen') throw invalid('INVALID_INPUT', [{ path: `instruments.${id}.responseOptions`, message: 'only a local screen’s scale is set by the service' }]);
      next.responseOptions = o.responseOptions;
    }
    byId.set(id, next);
  }
  return byId;
}

/** One referral as a report keeps it (see `reportEntry`). */
export type ReportEntry =
  | { ok: true; episode: ReportEpisode; result: ReportResult; adsm: string | null; facts: EpisodeFacts }
  | { ok: false; id?: string; reasons: string[] };

export interface ProgrammeReport {
  rates: ProgrammeRates;
  split: ProgrammeRatesSplit | null;
  /** Every valid episode with its classification (`classifyEpisode`'s result), in input order. */
  items: readonly ReportItem[];
}

export interface Outcomes {
  readonly config: OutcomeConfig;
  instrument(id: string): InstrumentDefinition;
  instruments(): InstrumentDefinition[];
  scoreMeasure(instrumentId: string, answers: readonly unknown[], context?: ScoreContext): MeasureScore;
  /** Entry check for a stored total: fields `instrumentId` and `total`; empty when it may be saved. */
  measureTotalProblems(instrumentId: string, total: unknown): FieldProblem[];
  isMusDescriptor(problemDescriptor: string | null | undefined): boolean;
  reliableChange(instrumentId: string, first: number, last: number): ReliableChange;
  adsmFor(problemDescriptor: string | null | undefined): string | null;
  classifyEpisode(episode: EpisodeInput): EpisodeClassification;
  programmeRates(episodes: readonly EpisodeInput[], period: Period): ProgrammeRates;
  /** The same figures per pathway, LTC, referral source, clinician or step; a missing value is "not recorded". */
  programmeRatesBy(episodes: readonly EpisodeInput[], period: Period, dimension: Dimension): ProgrammeRatesSplit;
  /**
   * `programmeRates` and, with a dimension, `programmeRatesBy`, from one validation and classification of each
   * episode, with the classified episodes themselves (the malformed left out, as from the figures): what a
   * report that also takes figures over the finished courses needs, without classifying anything twice.
   */
  programmeReport(episodes: readonly EpisodeInput[], period: Period, dimension?: Dimension): ProgrammeReport;
  /**
   * One episode checked and classified for reports, as plain data a store can keep (JSON round-trips it): the
   * classification without its worded reasons, and the facts of its contacts the period figures read
   * (EpisodeFacts); or, for a malformed episode, why it is left out of every figure.
   */
  reportEntry(episode: EpisodeInput): ReportEntry;
  /** `programmeReport` over entries made by `reportEntry`, kept or fresh: the same figures either way. */
  programmeReportOf(entries: readonly ReportEntry[], period: Period, dimension?: Dimension): ProgrammeReport;
  measuresDue(episode: EpisodeInput, contact: ContactPlan): DueMeasure[];
}

/**
 * The configured outcomes engine. `createOutcomes()` uses the reference's defaults; a service passes its
 * overrides (validated here) for the values the reference marks [U].
 */
export function createOutcomes(overrides: OutcomeOverrides = {}): Outcomes {
  const config = parse(OutcomeOverrides, overrides, 'config');
  const catalogue = buildCatalogue(config);

  const instrument = (id: string): InstrumentDefinition => {
    const def = typeof id === 'string' ? catalogue.get(id) : undefined;
    if (!def) throw invalid('UNKNOWN_INSTRUMENT', [{ path: 'instrumentId', message: `"${String(id).slice(0, 40)}" is not in the instrument catalogue` }]);
    return def;
  };
  const adsmFor = (descriptor: string | null | undefined) => adsmForDescriptor(descriptor, config);
  const isMus = (descriptor: string | null | undefined) => isMusDescriptor(descriptor, config.musDescriptors);
  const measureTotalProblems = (instrumentId: unknown, total: unknown): FieldProblem[] => {
    const def = typeof instrumentId === 'string' ? catalogue.get(instrumentId) : undefined;
    if (!def) return [{ path: 'instrumentId', message: `"${String(instrumentId).slice(0, 40)}" is not in the instrument catalogue` }];
    if (typeof total !== 'number' || !Number.isFinite(total)) return [{ path: 'total', message: 'must be a number' }];
    if (def.scoring.method === 'none') return [{ path: 'total', message: `${def.title} has no total` }];
    const range = def.totalRange;
    if (range && (total < range.min || total > range.max)) return [{ path: 'total', message: `must be between ${range.min} and ${range.max} for ${def.title}` }];
    // A sum of whole-number answers (PHQ-9, GAD-7 …) or a whole-number score entry (PDSS, OCI …) is whole: a stored
    // PHQ-9 of 9.5 is a data error, and counting it would decide caseness (≥ 10, ref §2.2) on a value that cannot exist.
    return integralTotal(def) && !Number.isInteger(total) ? [{ path: 'total', message: `must be a whole number for ${def.title}` }] : [];
  };
  const reliableChange = (id: string, first: number, last: number) => reliableChangeWith(instrument(id), first, last);

  const checkedEpisode = (raw: unknown, path: string): Episode => {
    // The hand-written check takes the plainly valid (nearly every episode of a report); the schema the rest.
    const episode = parseEpisodeFast(raw) ?? parse(Episode, raw, path);
    try {
      adsmFor(episode.problemDescriptor ?? null);
    } catch (err) {
      if (err instanceof OutcomeError) throw invalid('INVALID_INPUT', err.fields.map((f) => ({ ...f, path: `${path}.${f.path}` })));
      throw err;
    }
    const problems = episode.measures.flatMap((m, i) => measureTotalProblems(m.instrumentId, m.total).map((f) => ({ ...f, path: `${path}.measures.${i}.${f.path}` })));
    if (problems.length > 0) throw invalid('INVALID_INPUT', problems);
    return episode;
  };
  const rules = { instrument, adsmFor, isMus, reliableChange };

  /** One malformed episode never fails the report: it is excluded, with its reasons (issue #7). */
  const entryAt = (e: unknown, path: string): ReportEntry => {
    try {
      const episode = checkedEpisode(e, path);
      return { ok: true, episode: reportEpisodeOf(episode), result: reportResultOf(classify(episode, rules)), adsm: adsmFor(episode.problemDescriptor), facts: episodeFacts(episode) };
    } catch (err) {
      if (!(err instanceof OutcomeError)) throw err;
      const id = typeof e === 'object' && e !== null && typeof (e as { id?: unknown }).id === 'string' ? (e as { id: string }).id : undefined;
      return { ok: false, ...(id !== undefined ? { id } : {}), reasons: err.fields.map((f) => `${f.path}: ${f.message}`) };
    }
  };
  const itemsOf = (entries: readonly ReportEntry[]) => {
    const items: ReportItem[] = [];
    const excluded: ExcludedEpisode[] = [];
    entries.forEach((entry, index) => {
      if (entry.ok) items.push({ index, episode: entry.episode, result: entry.result, adsm: entry.adsm, facts: entry.facts });
      else excluded.push({ index, ...(entry.id !== undefined ? { id: entry.id } : {}), reasons: entry.reasons });
    });
    return { items, excluded };
  };
  const report = (episodes: unknown, period: unknown) => {
    if (!Array.isArray(episodes)) throw invalid('INVALID_INPUT', [{ path: 'episodes', message: 'must be an array' }]);
    const p = parse(Period, period, 'period');
    return { ...itemsOf(episodes.map((e: unknown, index) => entryAt(e, `episodes.${index}`))), p };
  };
  const checkedDimension = (dimension: unknown) => {
    if (dimension !== undefined && !(DIMENSIONS as readonly unknown[]).includes(dimension)) throw invalid('INVALID_INPUT', [{ path: 'dimension', message: `must be one of ${DIMENSIONS.join(', ')}` }]);
  };

  return {
    config,
    instrument,
    instruments: () => [...catalogue.values()],
    scoreMeasure: (instrumentId, answers, context) => scoreWith(instrument(instrumentId), answers, { mus: isMus(context?.problemDescriptor) }),
    measureTotalProblems,
    isMusDescriptor: isMus,
    reliableChange,
    adsmFor,
    classifyEpisode: (episode) => classify(checkedEpisode(episode, 'episode'), rules),
    programmeRates: (episodes, period) => {
      const { items, excluded, p } = report(episodes, period);
      return programmeRatesOf(items, excluded, p);
    },
    programmeRatesBy: (episodes, period, dimension) => {
      if (!(DIMENSIONS as readonly unknown[]).includes(dimension)) throw invalid('INVALID_INPUT', [{ path: 'dimension', message: `must be one of ${DIMENSIONS.join(', ')}` }]);
      const { items, excluded, p } = report(episodes, period);
      return programmeRatesSplit(items, excluded, p, dimension);
    },
    programmeReport: (episodes, period, dimension) => {
      checkedDimension(dimension);
      const { items, excluded, p } = report(episodes, period);
      return { rates: programmeRatesOf(items, excluded, p), split: dimension === undefined ? null : programmeRatesSplit(items, excluded, p, dimension), items };
    },
    reportEntry: (episode) => entryAt(episode, 'episode'),
    programmeReportOf: (entries, period, dimension) => {
      checkedDimension(dimension);
      const p = parse(Period, period, 'period');
      const { items, excluded } = itemsOf(entries);
      return { rates: programmeRatesOf(items, excluded, p), split: dimension === undefined ? null : programmeRatesSplit(items, excluded, p, dimension), items };
    },
    measuresDue: (episode, contact) => {
      const e = checkedEpisode(episode, 'episode');
      const c = parse(ContactPlan, contact, 'contact');
      return dueAt(e, c, { adsmFor, diabetesCodes: config.diabetesCodes, serviceUseRecallMonths: config.serviceUseRecallMonths });
    },
  };
}

export { OutcomeError };
