import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineDispatcher } from '../../electron/services/dispatch';
import type { CaseloadEngine } from '../../electron/services/engine';
import { toEpisode } from '../../electron/services/caseload/episodeAdapter';
import type { ReportFilters, ServiceReport } from '../../shared/contract/reports';
import type { MethodInput } from '../../shared/contract/contract';
import { SERVICE_USE_ITEMS } from '../../shared/contract/reports';
import { classifyEpisode, effectSizes, hba1cChange, healthcareUseChange, programmeFigures, programmeRates, programmeRatesBy, type Dimension, type EpisodeInput, type FinishedCourse, type ProgrammeFigure, type ServiceUseRecord } from '../../shared/outcomes';
import { loadSynthetic } from '../../resources/synthetic/load';
import { syntheticService, syntheticTeam, w1Spec, type SyntheticPatientRecord } from '../../resources/synthetic/service';
import type { ReferralsTable } from '../../electron/services/store/schema';
import { handwrittenFigures } from '../../bench/reportsSql';
import type { Sqlite } from '../../electron/services/store/database';
import { newEngine, PASSPHRASE, removeDir, tempDir } from '../helpers/tempStore';

/**
 * Issue #11 item 6: every figure the reports' own query path computes from the store (SQL filtering, the one
 * adapter, the engine) equals the outcome engine's figure on the same episodes built independently from the
 * generator's output — every referral, filtered in plain TypeScript, with no pruning by period.
 */
const AS_OF = '2026-06-30';
const RUNS = 40;
/** Illustrative unit costs (£): the service enters its own; none ship. */
const UNIT_COSTS = { 'gp-appointments': 39, 'ae-attendances': 242, 'emergency-admissions': 1_850 };

/** Floating sums may be taken in another order: equal to 1e-9. */
const round = (v: number | null) => (v === null ? null : Math.round(v * 1e9) / 1e9);
const normal = (figures: readonly ProgrammeFigure[]) => figures.map((f) => ({ ...f, value: round(f.value) }));

function matches(r: ReferralsTable, f: ReportFilters): boolean {
  if (f.pathway !== undefined && r.pathway !== f.pathway) return false;
  if (f.ltcCode !== undefined && !(JSON.parse(r.ltc_codes) as string[]).includes(f.ltcCode)) return false;
  if (f.clinicianId !== undefined && r.caseholder_id !== f.clinicianId) return false;
  if (f.team !== undefined && r.team !== f.team) return false;
  if (f.step !== undefined && r.step !== f.step) return false;
  if (f.referralSource !== undefined && r.source_code !== f.referralSource) return false;
  return true;
}

describe('service reports from the store agree with the outcome engine on the generator’s own episodes', () => {
  let dir: string;
  let engine: CaseloadEngine;
  let generated: SyntheticPatientRecord[];
  let referrals: { referral: ReferralsTable; episode: EpisodeInput }[];
  const serviceUse = new Map<string, ServiceUseRecord[]>();
  const call = async (input: MethodInput<'reports.service'>): Promise<ServiceReport> => {
    const r = await createEngineDispatcher(engine)('reports.service', input);
    if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
    return r.value as ServiceReport;
  };

  beforeAll(async () => {
    dir = tempDir();
    engine = newEngine(dir, { now: () => new Date(`${AS_OF}T18:00:00Z`) });
    // A supervisor whose supervisees hold every generated referral: the report's scope is the whole service.
    await engine.setup({ passphrase: PASSPHRASE, displayName: 'Sam Supervisor', role: 'supervisor' });
    const { db, actorId } = engine.context();
    const team = syntheticTeam(21, { pwps: 3, hits: 3, supervisors: 1 }).map((m) => ({ ...m, supervisorId: m.role === 'supervisor' ? null : actorId }));
    generated = [...syntheticService({ ...w1Spec(team, { seed: 17, asOf: AS_OF }), patients: 700 })];
    await loadSynthetic(db, generated, { actorId, team });
    referrals = generated.flatMap((p) => p.episodes.map((e) => ({ referral: e.rows.referral, episode: toEpisode(e.rows.referral, e.rows.contacts, e.rows.measures) })));
    // Healthcare use straight from the generator's rows: answers in item order, a date's records as generated.
    for (const p of generated) {
      for (const { rows } of p.episodes) {
        const records = rows.measures
          .filter((m) => m.instrument_id === 'service-use')
          .map((m) => ({ date: m.date, counts: Object.fromEntries(SERVICE_USE_ITEMS.map((id, i) => [id, (JSON.parse(m.answers) as number[])[i] ?? 0])) }));
        if (records.length > 0) serviceUse.set(rows.referral.id, records);
      }
    }
  }, 120_000);
  afterAll(async () => {
    await engine.close();
    removeDir(dir);
  });

  it('for any period, filter and split', async () => {
    const teams = [...new Set(referrals.map((r) => r.referral.team))];
    const clinicians = [...new Set(referrals.map((r) => r.referral.caseholder_id))];
    const ltcs = [...new Set(referrals.flatMap((r) => JSON.parse(r.referral.ltc_codes) as string[]))].filter((c) => /^\d{6,18}$/.test(c));
    const sources = [...new Set(referrals.map((r) => r.referral.source_code))];
    const day = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
    // None, one or two filters: more than that leaves a 700-patient service with nothing to count.
    const one = fc.oneof(
      fc.record({ pathway: fc.constantFrom('integrated-ltc' as const, 'core' as const) }),
      fc.record({ ltcCode: fc.constantFrom(...ltcs) }),
      fc.record({ clinicianId: fc.constantFrom(...clinicians) }),
      fc.record({ team: fc.constantFrom(...teams) }),
      fc.record({ step: fc.constantFrom(2 as const, 3 as const, 4 as const) }),
      fc.record({ referralSource: fc.constantFrom(...sources) as fc.Arbitrary<NonNullable<ReportFilters['referralSource']>> }),
    );
    const filters: fc.Arbitrary<ReportFilters> = fc.oneof(fc.constant({}), one, fc.tuple(one, one).map(([a, b]) => ({ ...a, ...b })));
    const request = fc.record({
      start: fc.integer({ min: 0, max: 900 }),
      length: fc.integer({ min: 0, max: 500 }),
      filters,
      splitBy: fc.option(fc.constantFrom<Dimension>('pathway', 'ltc', 'referralSource', 'clinician', 'step'), { nil: undefined }),
    });
    let nonEmpty = 0;
    let handChecked = 0;
    let ltcChecked = 0;
    await fc.assert(
      fc.asyncProperty(request, async ({ start, length, filters, splitBy }) => {
        const period = { start: day(start), end: day(start + length) };
        const report = await call({ period, filters, unitCosts: UNIT_COSTS, ...(splitBy ? { splitBy } : {}) });
        const episodes = referrals.filter((r) => matches(r.referral, filters)).map((r) => r.episode);
        const rates = programmeRates(episodes, period);
        if (rates.referralsReceived > 0) nonEmpty += 1;
        expect(normal(report.figures)).toEqual(normal(programmeFigures(rates)));
        expect(report.dataQuality.excludedCount).toBe(rates.dataQuality.excludedCount);
        if (splitBy) {
          const split = programmeRatesBy(episodes, period, splitBy);
          // The report splits the referrals relevant to the period; a group with none of them has nothing to show,
          // and the engine's figures for it (over every referral) must then all be empty.
          const shown = new Map(report.split!.groups.map((g) => [g.key, g]));
          expect([...shown.keys()].every((k) => split.groups.some((g) => g.key === k))).toBe(true);
          for (const g of split.groups) {
            const expectedFigures = normal(programmeFigures(g.rates));
            const got = shown.get(g.key);
            if (got) expect(normal(got.figures)).toEqual(expectedFigures);
            else expect(expectedFigures.every((f) => f.value === null || f.value === 0)).toBe(true);
          }
        } else {
          expect(report.split).toBeNull();
        }
        // The bench's hand-written SQL (better-sqlite3, no adapter, no engine) agrees with both, on what it states.
        if (Object.keys(filters).every((k) => k === 'pathway')) {
          const sqlite = (engine as unknown as { store: { sqlite: Sqlite } }).store.sqlite;
          const hand = handwrittenFigures(sqlite, period, filters.pathway ?? null);
          const fig = (id: string) => report.figures.find((f) => f.id === id)!;
          expect({
            referralsReceived: fig('referralsReceived').value,
            ended: fig('ended').value,
            endedBeforeTreatment: fig('endedBeforeTreatment').count,
            endedTreatedOnce: fig('endedTreatedOnce').count,
            finished: fig('finished').value,
            enteredTreatment: fig('enteredTreatment').value,
            dnaCount: fig('dnaRate').count,
            contactsInPeriod: fig('dnaRate').denominator,
          }).toEqual(hand);
          handChecked += 1;
        }
        const courses: FinishedCourse[] = episodes
          .filter((e) => e.dischargeDate !== undefined && e.dischargeDate >= period.start && e.dischargeDate <= period.end)
          .map((episode) => ({ episode, result: classifyEpisode(episode) }))
          .filter((c) => c.result.finishedCourse);
        const expected = effectSizes(courses).map((e) => ({ ...e, meanFirst: round(e.meanFirst), meanLast: round(e.meanLast), sdFirst: round(e.sdFirst), effectSize: round(e.effectSize) }));
        expect(report.effectSizes.map((e) => ({ ...e, meanFirst: round(e.meanFirst), meanLast: round(e.meanLast), sdFirst: round(e.sdFirst), effectSize: round(e.effectSize) }))).toEqual(expected);
        // The LTC figures (ref §3) over the same finished courses: HbA1c first → last, healthcare use and its cost.
        expect(report.hba1c).toEqual(hba1cChange(courses));
        const use = healthcareUseChange(courses, serviceUse, SERVICE_USE_ITEMS, UNIT_COSTS);
        expect({ ...report.healthcareUse, items: report.healthcareUse.items.map(({ label: _label, ...i }) => i) }).toEqual(use);
        if (use.n > 0) ltcChecked += 1;
      }),
      { numRuns: RUNS, seed: 11 },
    );
    // The property must have looked at real figures, not only empty periods.
    expect(nonEmpty).toBeGreaterThan(RUNS / 4);
    expect(ltcChecked).toBeGreaterThan(RUNS / 10);
    expect(handChecked).toBeGreaterThan(RUNS / 5);
  }, 300_000);

  it('refuses a bad request, naming the field, and writes nothing', async () => {
    const db = engine.context().db;
    const head = async () => (await db.selectFrom('audit_head').select('count').executeTakeFirst())?.count;
    const before = await head();
    const r = await createEngineDispatcher(engine)('reports.service', { period: { start: '2025-12-31', end: '2025-01-01' }, filters: { step: 5 } } as never);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VALIDATION');
    expect(JSON.stringify(r.error.fields)).toContain('period.end');
    expect(JSON.stringify(r.error.fields)).toContain('filters.step');
    expect(await head()).toBe(before);
  });
});
