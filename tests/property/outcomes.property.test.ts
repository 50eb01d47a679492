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

/**
 * Random episodes: contacts of every type and attendance code (some on one date, some with a start time), and
 * PHQ-9 with GAD-7 or an ADSM, each instrument on a date of its own (the same day or up to three days later).
 */
const DAY0 = Date.UTC(2026, 0, 5);
const day = (n: number) => new Date(DAY0 + n * 86_400_000).toISOString().slice(0, 10);
const TYPES = ['assessment', 'treatment', 'assessment-and-treatment', 'review-and-treatment', 'follow-up', 'other', 'employment-support'] as const;
const episodeArb: fc.Arbitrary<EpisodeInput> = fc
  .record({
    descriptor: fc.constantFrom(null, 'F41.1', 'F40.0', 'F40.1', 'F41.0', 'F42', 'F43.1', 'F45.2', 'F32.1'),
    contacts: fc.array(
      fc.record({
        day: fc.integer({ min: -3, max: 200 }),
        time: fc.option(fc.constantFrom('09:00', '11:30', '16:00')),
        type: fc.constantFrom(...TYPES),
        attendance: fc.integer({ min: 2, max: 7 }),
      }),
      { maxLength: 10 },
    ),
    scores: fc.array(
      fc.record({
        day: fc.integer({ min: -2, max: 220 }),
        phq9: fc.option(fc.integer({ min: 0, max: 27 }), { freq: 5 }),
        gad7: fc.option(fc.record({ shift: fc.integer({ min: 0, max: 3 }), total: fc.integer({ min: 0, max: 21 }) })),
        adsm: fc.option(fc.record({ shift: fc.integer({ min: 0, max: 3 }), total: fc.integer({ min: 0, max: 28 }) })),
        atContact: fc.option(fc.nat()),
      }),
      { maxLength: 8 },
    ),
    discharge: fc.option(fc.integer({ min: 0, max: 210 })),
  })
  .map(({ descriptor, contacts, scores, discharge }) => {
    const adsm = outcomes.adsmFor(descriptor);
    const withIds = contacts.map((c, i) => ({ id: `c${i}`, date: day(c.day), ...(c.time !== null ? { time: c.time } : {}), type: c.type, attendance: c.attendance }));
    const adsmTotal = (t: number) => (adsm === 'mi-alone' ? 1 + (t % 5) * 0.9 : t);
    return {
      referralReceived: day(0),
      problemDescriptor: descriptor,
      pathway: 'core',
      contacts: withIds,
      measures: scores.flatMap((s) => {
        // A score taken at a contact carries that contact's date, so same-date duplicates are ordered by contact.
        const at = s.atContact !== null && withIds.length > 0 ? withIds[s.atContact % withIds.length]! : null;
        const link = (shift: number) => (at && shift === 0 ? { date: at.date, contactId: at.id } : { date: day(s.day + shift) });
        return [
          ...(s.phq9 !== null ? [{ ...link(0), instrumentId: 'phq9', total: s.phq9 }] : []),
          ...(s.gad7 !== null ? [{ ...link(s.gad7.shift), instrumentId: 'gad7', total: s.gad7.total }] : []),
          ...(s.adsm !== null && adsm ? [{ ...link(s.adsm.shift), instrumentId: adsm, total: adsmTotal(s.adsm.total) }] : []),
        ];
      }),
      ...(discharge !== null ? { dischargeDate: day(discharge), endCode: '46' } : {}),
    } satisfies EpisodeInput;
  });

describe('episode classification properties', () => {
  it('the generator reaches the cases the laws are about (else they would hold vacuously)', () => {
    const rs = fc.sample(episodeArb, { numRuns: 3000, seed: 7 }).map((e) => classifyEpisode(e));
    const n = (pred: (r: ReturnType<typeof classifyEpisode>) => boolean) => rs.filter(pred).length;
    expect(n((r) => r.pairedScores)).toBeGreaterThan(300);
    expect(n((r) => r.pairedScores && (r.phq9.first!.date !== r.anxiety.first!.date || r.phq9.last!.date !== r.anxiety.last!.date))).toBeGreaterThan(100);
    expect(n((r) => r.recovered)).toBeGreaterThan(20);
    expect(n((r) => r.reliablyImproved)).toBeGreaterThan(50);
    expect(n((r) => r.reliablyDeteriorated)).toBeGreaterThan(50);
    expect(n((r) => r.anxietyMeasure !== 'gad7')).toBeGreaterThan(30);
    expect(n((r) => r.finishedCourse)).toBeGreaterThan(100);
  });

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
        // Paired scores ⇔ two or more dated scores of PHQ-9 and of the anxiety measure; caseness only with them.
        expect(r.pairedScores).toBe(r.phq9.count >= 2 && r.anxiety.count >= 2);
        expect(r.casenessAtStart === null).toBe(!r.pairedScores);
        if (!r.pairedScores) expect(r.noReliableChange).toBe(true);
        for (const s of [r.phq9, r.anxiety]) {
          if (s.last) expect(s.last.date > s.first!.date).toBe(true);
          if (s.last && episode.dischargeDate) expect(s.last.date <= episode.dischargeDate).toBe(true);
          if (s.first) expect(s.first.date >= episode.referralReceived).toBe(true);
        }
        // ref §2.1: the ADSM is used only with two or more scores; otherwise GAD-7, and the reason says so.
        const adsm = outcomes.adsmFor(episode.problemDescriptor);
        if (adsm && r.anxietyMeasure === adsm) expect(r.anxiety.count).toBeGreaterThanOrEqual(2);
        if (adsm && r.anxietyMeasure === 'gad7') expect(r.reasons.anxietyMeasure).toMatch(/fallback/);
        if (!adsm) expect(r.anxietyMeasure).toBe('gad7');
        expect([adsm, 'gad7']).toContain(r.anxietyMeasure);
      }),
      { numRuns: 3000 },
    );
  });

  it('monotonicity: a lower last score never undoes a recovery or a reliable improvement', () => {
    fc.assert(
      fc.property(episodeArb, fc.integer({ min: 1, max: 10 }), fc.boolean(), (episode, drop, onAnxiety) => {
        const r = classifyEpisode(episode);
        if (!r.pairedScores) return;
        const target = onAnxiety ? r.anxiety : r.phq9;
        const min = outcomes.instrument(target.instrumentId).totalRange!.min;
        const lowered = {
          ...episode,
          measures: (episode.measures ?? []).map((m) => (m.instrumentId === target.instrumentId && m.date === target.last!.date ? { ...m, total: Math.max(min, m.total - drop) } : m)),
        };
        const r2 = classifyEpisode(lowered);
        expect(r2.anxietyMeasure).toBe(r.anxietyMeasure);
        expect(r2[onAnxiety ? 'anxiety' : 'phq9'].last!.total).toBeLessThanOrEqual(target.last!.total);
        if (r.recovered) expect(r2.recovered).toBe(true);
        if (r.reliablyImproved) expect(r2.reliablyImproved).toBe(true);
        if (!r.reliablyDeteriorated) expect(r2.reliablyDeteriorated).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
