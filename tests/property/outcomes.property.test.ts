import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyEpisode, createOutcomes, scoreMeasure, type EpisodeInput } from '../../shared/outcomes';

const outcomes = createOutcomes();
/** Instruments whose items are all answered from response options and that produce a total. */
const SCORED = outcomes
  .instruments()
  .filter((d) => (d.scoring.method === 'sum' || d.scoring.method === 'mean') && d.items.every((i) => !i.range))
  .map((d) => d.id);

const optionValues = (id: string) => outcomes.instrument(id).items.map((item) => (item.options ?? outcomes.instrument(id).responseOptions).map((o) => o.value).sort((a, b) => a - b));

describe('scoring properties', () => {
  it('covers the questionnaires', () => expect(SCORED).toEqual(expect.arrayContaining(['phq9', 'gad7', 'phq4', 'wsas', 'phobia', 'phq15', 'dds2', 'dds17'])));

  it('totals stay within range and are monotone in each answer', () => {
    const arb = fc.constantFrom(...SCORED).chain((id) => {
      const values = optionValues(id);
      return fc.tuple(fc.constant(id), fc.tuple(...values.map((v) => fc.integer({ min: 0, max: v.length - 1 }))), fc.nat({ max: values.length - 1 }));
    });
    fc.assert(
      fc.property(arb, ([id, picks, which]) => {
        const values = optionValues(id);
        const answers = picks.map((p, i) => values[i]![p]!);
        const def = outcomes.instrument(id);
        const r = scoreMeasure(id, answers);
        expect(r.complete).toBe(true);
        expect(r.total).not.toBeNull();
        if (def.totalRange) {
          expect(r.total!).toBeGreaterThanOrEqual(def.totalRange.min);
          expect(r.total!).toBeLessThanOrEqual(def.totalRange.max);
        }
        const options = values[which]!;
        const at = options.indexOf(answers[which]!);
        if (at < options.length - 1) {
          const higher = [...answers];
          higher[which] = options[at + 1]!;
          const r2 = scoreMeasure(id, higher);
          expect(r2.total!).toBeGreaterThanOrEqual(r.total!);
          if (r.caseness === true) expect(r2.caseness).toBe(true);
          if (r.screen?.positive) expect(r2.screen?.positive).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('a missing answer never yields a total (no prorating)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SCORED), fc.nat(), (id, k) => {
        const values = optionValues(id);
        const answers: (number | null)[] = values.map((v) => v[0]!);
        answers[k % answers.length] = null;
        const r = scoreMeasure(id, answers);
        expect(r).toMatchObject({ complete: false, total: null, severity: null });
        expect(r.missing).toHaveLength(1);
      }),
    );
  });
});

/** Random episodes: contacts of every type and attendance code, PHQ-9 with GAD-7 or an ADSM on some dates. */
const DAY0 = Date.UTC(2026, 0, 5);
const day = (n: number) => new Date(DAY0 + n * 86_400_000).toISOString().slice(0, 10);
const episodeArb: fc.Arbitrary<EpisodeInput> = fc
  .record({
    descriptor: fc.constantFrom(null, 'F41.1', 'F40.1', 'F41.0', 'F42', 'F43.1', 'F45.2', 'F32.1'),
    contacts: fc.array(
      fc.record({
        day: fc.integer({ min: 0, max: 200 }),
        type: fc.constantFrom('assessment', 'treatment', 'assessment-and-treatment', 'review-and-treatment', 'follow-up', 'other') as fc.Arbitrary<'treatment'>,
        attendance: fc.integer({ min: 2, max: 7 }),
      }),
      { maxLength: 10 },
    ),
    scores: fc.array(
      fc.record({ day: fc.integer({ min: 0, max: 220 }), phq9: fc.integer({ min: 0, max: 27 }), gad7: fc.option(fc.integer({ min: 0, max: 21 })), adsm: fc.option(fc.integer({ min: 0, max: 28 })) }),
      { maxLength: 8 },
    ),
    discharge: fc.option(fc.integer({ min: 0, max: 210 })),
  })
  .map(({ descriptor, contacts, scores, discharge }) => {
    const adsm = outcomes.adsmFor(descriptor);
    return {
      referralReceived: day(0),
      problemDescriptor: descriptor,
      pathway: 'core',
      contacts: contacts.map((c) => ({ date: day(c.day), type: c.type, attendance: c.attendance })),
      measures: scores.flatMap((s) => [
        { date: day(s.day), instrumentId: 'phq9', total: s.phq9 },
        ...(s.gad7 !== null ? [{ date: day(s.day), instrumentId: 'gad7', total: s.gad7 }] : []),
        ...(s.adsm !== null && adsm ? [{ date: day(s.day), instrumentId: adsm, total: adsm === 'mi-alone' ? 1 + (s.adsm % 5) : s.adsm }] : []),
      ]),
      ...(discharge !== null ? { dischargeDate: day(discharge), endCode: '46' } : {}),
    } satisfies EpisodeInput;
  });

describe('episode classification properties', () => {
  it('does not depend on the order contacts (or measures) are listed in', () => {
    fc.assert(
      fc.property(episodeArb, fc.infiniteStream(fc.nat()), (episode, randoms) => {
        const shuffle = <T,>(xs: T[]) => xs.map((x) => [randoms.next().value as number, x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
        const shuffled = { ...episode, contacts: shuffle([...(episode.contacts ?? [])]), measures: shuffle([...(episode.measures ?? [])]) };
        expect(classifyEpisode(shuffled)).toEqual(classifyEpisode(episode));
      }),
      { numRuns: 1500 },
    );
  });

  it('flag laws: recovered ⇒ caseness at start; reliably recovered ⇔ recovered ∧ reliably improved; no reliable change ⇔ neither', () => {
    fc.assert(
      fc.property(episodeArb, (episode) => {
        const r = classifyEpisode(episode);
        if (r.recovered) expect(r.casenessAtStart).toBe(true);
        expect(r.reliablyRecovered).toBe(r.recovered && r.reliablyImproved);
        expect(r.noReliableChange).toBe(!r.reliablyImproved && !r.reliablyDeteriorated);
        expect(r.reliablyImproved && r.reliablyDeteriorated).toBe(false);
        if (r.finishedCourse) expect(r.treatmentContacts).toBeGreaterThanOrEqual(2);
        if (r.last) expect(r.last.date > r.first!.date).toBe(true);
        if (episode.dischargeDate && r.last) expect(r.last.date <= episode.dischargeDate).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
