import type { ReportResult } from './programme';
import type { EpisodeInput } from './episodeSchema';

/**
 * Figures a service adds for its integrated LTC pathway (issue #11 item 2; ref §3 and seed 001's evaluation
 * slides: "pre-post effect sizes", "healthcare utilisation before and after", "HbA1c change"). They are local
 * figures, not NHS England's: each says so with `local: true` where it is exported.
 */

/** The finished course the figures are taken over: ended in the period having finished treatment (ref §4). */
export interface FinishedCourse {
  episode: Pick<EpisodeInput, 'id' | 'pathway' | 'measures'>;
  result: ReportResult;
}

/** One service-use record (the CSRI-style counts, ref §3): item id → count over the recall period. */
export interface ServiceUseRecord {
  date: string;
  counts: Readonly<Record<string, number>>;
}

export interface EffectSize {
  instrumentId: string;
  /** Finished courses with a first and a last score of the instrument. */
  pairs: number;
  meanFirst: number | null;
  meanLast: number | null;
  /** Sample standard deviation (n − 1) of the first scores. */
  sdFirst: number | null;
  /** (mean first − mean last) ÷ SD of the first scores; null with fewer than 2 pairs or an SD of 0 (`reason`). */
  effectSize: number | null;
  reason?: string;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
function sampleSd(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/**
 * Pre-post effect size for one instrument: mean first minus mean last, divided by the standard deviation of the
 * first scores (issue #11 item 2; the pre-post "d" of seed 001's evaluation, as in Clark et al.'s IAPT reports).
 * Pairs are the instrument's own first and last scores (ref §4 "Paired scores": per instrument).
 */
export function effectSize(instrumentId: string, pairs: readonly { first: number; last: number }[]): EffectSize {
  if (pairs.length < 2) return { instrumentId, pairs: pairs.length, meanFirst: pairs[0]?.first ?? null, meanLast: pairs[0]?.last ?? null, sdFirst: null, effectSize: null, reason: 'fewer than 2 finished courses with a first and last score' };
  const firsts = pairs.map((p) => p.first);
  const meanFirst = mean(firsts);
  const meanLast = mean(pairs.map((p) => p.last));
  const sdFirst = sampleSd(firsts);
  if (sdFirst === 0) return { instrumentId, pairs: pairs.length, meanFirst, meanLast, sdFirst, effectSize: null, reason: 'every first score is the same, so the spread is 0' };
  return { instrumentId, pairs: pairs.length, meanFirst, meanLast, sdFirst, effectSize: (meanFirst - meanLast) / sdFirst };
}

/** Each instrument's first/last pairs across the courses: PHQ-9, the anxiety measure used, the supplementary ones. */
export function effectSizes(courses: readonly FinishedCourse[]): EffectSize[] {
  const pairs = new Map<string, { first: number; last: number }[]>();
  for (const { result } of courses) {
    for (const s of [result.phq9, result.anxiety, ...result.supplementary]) {
      if (s.first === null || s.last === null) continue;
      // Appended in place: copying the list on each pair is quadratic in the finished courses.
      const list = pairs.get(s.instrumentId);
      if (list) list.push({ first: s.first.total, last: s.last.total });
      else pairs.set(s.instrumentId, [{ first: s.first.total, last: s.last.total }]);
    }
  }
  return [...pairs.keys()].sort().map((id) => effectSize(id, pairs.get(id)!));
}

export interface HbA1cChange {
  /** Finished LTC-pathway courses with two or more HbA1c values (mmol/mol, ref §3). */
  n: number;
  meanFirst: number | null;
  meanLast: number | null;
  /** Mean of (last − first); negative is a fall. */
  meanChange: number | null;
  reason?: string;
}

/** HbA1c first and last (by date, within the referral) for finished courses on the integrated LTC pathway (ref §3). */
export function hba1cChange(courses: readonly FinishedCourse[]): HbA1cChange {
  const pairs: { first: number; last: number }[] = [];
  for (const { episode } of courses) {
    if (episode.pathway !== 'integrated-ltc') continue;
    const values = (episode.measures ?? []).filter((m) => m.instrumentId === 'hba1c').sort((a, b) => a.date.localeCompare(b.date));
    if (values.length < 2 || values[0]!.date === values[values.length - 1]!.date) continue;
    pairs.push({ first: values[0]!.total, last: values[values.length - 1]!.total });
  }
  if (pairs.length === 0) return { n: 0, meanFirst: null, meanLast: null, meanChange: null, reason: 'no finished LTC-pathway course with two HbA1c values on different dates' };
  return { n: pairs.length, meanFirst: mean(pairs.map((p) => p.first)), meanLast: mean(pairs.map((p) => p.last)), meanChange: mean(pairs.map((p) => p.last - p.first)) };
}

export interface HealthcareUseItem {
  itemId: string;
  before: number;
  after: number;
  /** The service's unit cost for one of these (£), or null when it has entered none (none are shipped). */
  unitCost: number | null;
  /** (before − after) × unit cost; null without a unit cost. */
  saving: number | null;
}

export interface HealthcareUseChange {
  /** Finished LTC-pathway courses with a service-use record at the start and another, later, at the end. */
  n: number;
  items: HealthcareUseItem[];
  totalBefore: number;
  totalAfter: number;
  /** Sum of the items' savings over those with a unit cost; null when no item has one. */
  totalSaving: number | null;
  reason?: string;
}

/**
 * Healthcare use before and after (ref §3: CSRI-style counts over the service's recall period): the first and
 * the last service-use record of each finished LTC-pathway course, summed per item. Savings need the unit costs
 * the service enters; a count without a cost is shown but costs nothing.
 */
export function healthcareUseChange(
  courses: readonly FinishedCourse[],
  serviceUse: ReadonlyMap<string, readonly ServiceUseRecord[]>,
  itemIds: readonly string[],
  unitCosts: Readonly<Record<string, number>>,
): HealthcareUseChange {
  const before = new Map<string, number>(itemIds.map((id) => [id, 0]));
  const after = new Map<string, number>(itemIds.map((id) => [id, 0]));
  let n = 0;
  for (const { episode } of courses) {
    if (episode.pathway !== 'integrated-ltc' || episode.id === undefined) continue;
    const records = [...(serviceUse.get(episode.id) ?? [])].sort((a, b) => a.date.localeCompare(b.date));
    if (records.length < 2 || records[0]!.date === records[records.length - 1]!.date) continue;
    n += 1;
    const first = records[0]!;
    const last = records[records.length - 1]!;
    for (const id of itemIds) {
      before.set(id, before.get(id)! + (first.counts[id] ?? 0));
      after.set(id, after.get(id)! + (last.counts[id] ?? 0));
    }
  }
  const items = itemIds.map((itemId): HealthcareUseItem => {
    const cost = unitCosts[itemId];
    const b = before.get(itemId)!;
    const a = after.get(itemId)!;
    return { itemId, before: b, after: a, unitCost: cost ?? null, saving: cost === undefined ? null : (b - a) * cost };
  });
  const costed = items.filter((i) => i.saving !== null);
  return {
    n,
    items,
    totalBefore: items.reduce((s, i) => s + i.before, 0),
    totalAfter: items.reduce((s, i) => s + i.after, 0),
    totalSaving: costed.length === 0 ? null : costed.reduce((s, i) => s + i.saving!, 0),
    ...(n === 0 ? { reason: 'no finished LTC-pathway course with service-use records at the start and the end' } : {}),
  };
}
