import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineDispatcher } from '../../electron/services/dispatch';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract/contract';
import type { CaseloadEngine } from '../../electron/services/engine';
import { toEpisode } from '../../electron/services/caseload/episodeAdapter';
import { SERVICE_USE_ITEMS } from '../../shared/contract/reports';
import { classifyEpisode, hba1cChange, healthcareUseChange, type FinishedCourse, type ServiceUseRecord } from '../../shared/outcomes';
import { LOAD_ORDER, addRows, emptyRows, episodeRows, rowCount } from '../../resources/synthetic/rows';
import { loadSynthetic } from '../../resources/synthetic/load';
import { syntheticService, syntheticTeam, w1Spec, w2Spec, type SyntheticPatientRecord } from '../../resources/synthetic/service';
import { dayOf } from '../../resources/synthetic/calendar';
import { PASSPHRASE, removeDir, setUpEngine, tempDir } from '../helpers/tempStore';

const AS_OF = '2026-06-30';
const team = syntheticTeam(7, { pwps: 4, hits: 3, supervisors: 1 });
const take = <T>(it: Iterable<T>, n: number): T[] => {
  const out: T[] = [];
  for (const x of it) {
    if (out.length >= n) break;
    out.push(x);
  }
  return out;
};
/** Calls a contract method through the real dispatcher (input and output schemas), failing on a refusal. */
async function call<M extends MethodName>(engine: CaseloadEngine, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const r = await createEngineDispatcher(engine)(method, input);
  if (!r.ok) throw new Error(`${method} refused: ${r.error.code} ${r.error.message}`);
  return r.value as MethodOutput<M>;
}
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('synthetic service generator', () => {
  it('gives the same rows, ids included, for the same seed, and different rows for another seed', () => {
    const spec = w1Spec(team, { seed: 11, asOf: AS_OF });
    const a = JSON.stringify(take(syntheticService(spec), 150));
    const b = JSON.stringify(take(syntheticService(spec), 150));
    const c = JSON.stringify(take(syntheticService({ ...spec, seed: 12 }), 150));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('splits a patient into its referrals, each written by the clinician holding it, with nothing lost or doubled', () => {
    const records = take(syntheticService(w1Spec(team, { seed: 3, asOf: AS_OF })), 400).filter((r) => r.episodes.length > 1);
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      const whole = addRows(emptyRows(), record);
      const parts = record.episodes.map((_, k) => episodeRows(record, k));
      for (const table of LOAD_ORDER) expect(parts.flatMap((p) => p[table].map((r) => r.id)).sort(), table).toEqual(whole[table].map((r) => r.id).sort());
      parts.forEach((p, k) => {
        const holder = record.episodes[k]!.rows.referral.caseholder_id;
        for (const table of LOAD_ORDER) for (const row of p[table]) if (table !== 'patients') expect(row.updated_by).toBe(holder);
      });
    }
  });

  it('streams exactly the referrals asked for, spread evenly over the period (W2 is 125,000 over five years)', () => {
    const w2 = w2Spec(team, { asOf: AS_OF });
    expect(w2.referrals).toBe(125_000);
    expect(dayOf(w2.asOf) - dayOf(w2.from)).toBe(5 * 365);
    // The same mechanism at a fiftieth of the size, so the unit suite stays quick.
    const small = { ...w2, referrals: 2_500 };
    const received = [...syntheticService(small)].flatMap((r) => r.episodes.map((e) => e.rows.referral.received_date));
    expect(received).toHaveLength(2_500);
    const perYear = new Map<string, number>();
    for (const d of received) perYear.set(d.slice(0, 4), (perYear.get(d.slice(0, 4)) ?? 0) + 1);
    const fullYears = [...perYear].filter(([y]) => y > w2.from.slice(0, 4) && y < AS_OF.slice(0, 4));
    expect(fullYears.length).toBe(4);
    // 500 a year, give or take the repeat referrals that arrive later than their slot.
    for (const [, n] of fullYears) expect(Math.abs(n - 500)).toBeLessThan(60);
  });

  it('gives national-like rates through the outcomes engine: recovery 40–60 %, DNAs 10–15 %', () => {
    let finished = 0;
    let atCaseness = 0;
    let recovered = 0;
    let improved = 0;
    let episodes = 0;
    let contacts = 0;
    let dnas = 0;
    for (const record of syntheticService({ ...w1Spec(team, { seed: 99, asOf: AS_OF }), patients: 3_000 })) {
      for (const { rows } of record.episodes) {
        episodes += 1;
        // Through the app's one adapter from stored rows to the engine's episode.
        const c = classifyEpisode(toEpisode(rows.referral, rows.contacts, rows.measures));
        for (const k of rows.contacts) {
          if (k.attendance === null) continue;
          contacts += 1;
          if (k.attendance === 3) dnas += 1;
        }
        if (!c.finishedCourse) continue;
        finished += 1;
        if (c.reliablyImproved) improved += 1;
        if (c.casenessAtStart) {
          atCaseness += 1;
          if (c.recovered) recovered += 1;
        }
      }
    }
    expect(episodes).toBeGreaterThan(3_000);
    expect(finished).toBeGreaterThan(1_000);
    expect(recovered / atCaseness).toBeGreaterThanOrEqual(0.4);
    expect(recovered / atCaseness).toBeLessThanOrEqual(0.6);
    expect(improved / finished).toBeGreaterThanOrEqual(0.57);
    expect(improved / finished).toBeLessThanOrEqual(0.77);
    expect(dnas / contacts).toBeGreaterThanOrEqual(0.1);
    expect(dnas / contacts).toBeLessThanOrEqual(0.15);
  });

  it('records the LTC pathway measures when the schedule has them due, and finished courses show fewer GP and A&E visits and a lower HbA1c', () => {
    const courses: FinishedCourse[] = [];
    const serviceUse = new Map<string, ServiceUseRecord[]>();
    let assessedLtc = 0;
    let withServiceUseAtAssessment = 0;
    for (const record of syntheticService({ ...w1Spec(team, { seed: 7, asOf: AS_OF }), patients: 3_000 })) {
      for (const { rows } of record.episodes) {
        const episode = toEpisode(rows.referral, rows.contacts, rows.measures);
        const assessment = rows.contacts.find((c) => c.type === 'assessment' && (c.attendance === 5 || c.attendance === 6));
        const ltcInstruments = new Set(rows.measures.filter((m) => ['service-use', 'dds17', 'hba1c'].includes(m.instrument_id)).map((m) => m.instrument_id));
        // Never off the schedule: none on the core pathway, and HbA1c and DDS-17 with diabetes only.
        if (rows.referral.pathway !== 'integrated-ltc') expect(ltcInstruments.size).toBe(0);
        if (!(episode.ltcCodes ?? []).some((code) => ['73211009', '46635009', '44054006'].includes(code))) {
          expect(ltcInstruments.has('hba1c') || ltcInstruments.has('dds17')).toBe(false);
        }
        if (rows.referral.pathway === 'integrated-ltc' && assessment) {
          assessedLtc += 1;
          if (rows.measures.some((m) => m.instrument_id === 'service-use' && m.contact_id === assessment.id)) withServiceUseAtAssessment += 1;
        }
        serviceUse.set(
          rows.referral.id,
          rows.measures.filter((m) => m.instrument_id === 'service-use').map((m) => ({ date: m.date, counts: Object.fromEntries(SERVICE_USE_ITEMS.map((id, i) => [id, (JSON.parse(m.answers) as number[])[i]!])) })),
        );
        const result = classifyEpisode(episode);
        if (result.finishedCourse) courses.push({ episode, result });
      }
    }
    // Recorded about as often as ltcMeasures.ts says (85 % when due at assessment).
    expect(withServiceUseAtAssessment / assessedLtc).toBeGreaterThan(0.8);
    expect(withServiceUseAtAssessment / assessedLtc).toBeLessThan(0.9);
    const use = healthcareUseChange(courses, serviceUse, SERVICE_USE_ITEMS, {});
    const item = (id: string) => use.items.find((i) => i.itemId === id)!;
    expect(use.n).toBeGreaterThan(200);
    // Seed 001's early implementer: 49 % fewer GP appointments, 52 % fewer A&E attendances, more nurse contacts.
    for (const id of ['gp-appointments', 'ae-attendances']) {
      expect(item(id).after / item(id).before).toBeGreaterThan(0.5);
      expect(item(id).after / item(id).before).toBeLessThan(0.85);
    }
    expect(item('specialist-nurse-contacts').after).toBeGreaterThan(item('specialist-nurse-contacts').before);
    const hba1c = hba1cChange(courses);
    expect(hba1c.n).toBeGreaterThan(50);
    expect(hba1c.meanChange!).toBeLessThan(-1);
    expect(hba1c.meanChange!).toBeGreaterThan(-8);
  });
});

describe('a W1 team slice loaded into a real encrypted store', () => {
  let engine: CaseloadEngine;
  let dir: string;
  let generated: SyntheticPatientRecord[];
  beforeAll(async () => {
    dir = tempDir();
    engine = await setUpEngine(dir, { now: () => new Date(`${AS_OF}T18:00:00Z`) });
    generated = [...syntheticService(w1Spec(team, { seed: 5, asOf: AS_OF }))];
  });
  afterAll(async () => {
    await engine.close();
    removeDir(dir);
  });

  it('is about 60,000 rows, every one with the sync columns, and none stamped after the day it is as of', () => {
    const rows = addRows(emptyRows(), generated[0]!);
    for (const r of generated.slice(1)) addRows(rows, r);
    expect(rows.patients).toHaveLength(2_000);
    expect(rowCount(rows)).toBeGreaterThan(55_000);
    expect(rowCount(rows)).toBeLessThan(70_000);
    const limit = `${AS_OF}T00:00:00.000Z`;
    for (const table of LOAD_ORDER) {
      for (const row of rows[table]) {
        expect(row.id).toMatch(UUID_V7);
        expect(row.version).toBeGreaterThanOrEqual(1);
        expect(row.created_at <= row.updated_at).toBe(true);
        expect(row.updated_at < limit).toBe(true);
        expect(row.deleted_at).toBeNull();
      }
    }
    const ids = LOAD_ORDER.flatMap((t) => rows[t].map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('passes every constraint of the store (foreign keys, checks, unique NHS numbers) and is audited', async () => {
    const { db, actorId } = engine.context();
    const counts = await loadSynthetic(db, generated, { actorId, team, rowsPerTransaction: 20_000 });
    for (const table of LOAD_ORDER) {
      const stored = (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]!.n;
      expect(stored, table).toBe(counts[table]);
      expect(stored, table).toBeGreaterThan(0);
    }
    const fk = await sql`pragma foreign_key_check`.execute(db);
    expect(fk.rows).toEqual([]);
    const verify = await call(engine, 'audit.verify', {});
    expect(verify.ok).toBe(true);
    // Every loaded row is named by some audit event.
    const named = new Set(
      (await db.selectFrom('audit_event').select('entity_ids').where('action', '=', 'create').execute()).flatMap((e) => JSON.parse(e.entity_ids) as string[]),
    );
    expect(named.has(generated[1999]!.patient.id)).toBe(true);
    expect(named.has(generated[1999]!.episodes[0]!.rows.referral.id)).toBe(true);
  });

  it('reads back through the services, their output schemas included', async () => {
    // Caseload reads are scoped to the person (issue #10 §9): the store's owner supervises the whole slice.
    const db = engine.context().db;
    const owner = sql`(select value from settings where key = 'owner_user_id')`;
    await sql`update users set role = 'supervisor' where id = ${owner}`.execute(db);
    await sql`update users set supervisor_id = ${owner} where role in ('pwp', 'hit')`.execute(db);
    await engine.lock();
    await engine.unlock(PASSPHRASE);
    const list = await call(engine, 'caseload.list', { discharged: true });
    // The whole slice, each row through the output schema: the screen's list is virtualised (up to 5,000 rows).
    expect(list.rows.length).toBe(Math.min(5000, generated.length));
    const withHistory = generated.filter((r) => r.episodes.some((e) => e.rows.measures.length > 4)).slice(0, 25);
    for (const record of withHistory) {
      for (const { rows } of record.episodes) {
        const detail = await call(engine, 'referrals.get', { id: rows.referral.id });
        expect(detail.referral.id).toBe(rows.referral.id);
        expect(detail.contacts).toHaveLength(rows.contacts.length);
        expect(detail.measures).toHaveLength(rows.measures.length);
        // The stored episode classifies as the generator's own rows do: nothing was lost or reshaped on the way.
        expect(detail.classification.finishedCourse).toBe(classifyEpisode(toEpisode(rows.referral, rows.contacts, rows.measures)).finishedCourse);
        // Risk alerts were all answered by a risk review, as the session flow requires before signing.
        expect(detail.openRiskAlerts).toEqual([]);
      }
    }
  });
});
