import { sql } from 'kysely';
import type { z } from 'zod';
import type { ReferralSupervision, SuperviseeReview, SupervisionRecord, WeeklyLists } from '../../../shared/contract/supervision';
import type { Action } from '../../../shared/contract/followUp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineDispatcher } from '../../../electron/services/dispatch';
import type { CaseloadEngine } from '../../../electron/services/engine';
import { PASSPHRASE, removeDir, tempDir } from '../../helpers/tempStore';
import { newEngine } from '../../helpers/tempStore';
import { SUPERVISEE_ID, seedSupervisee } from '../../helpers/supervisionSeed';

/** Issue #11 §1 on a real encrypted store: a supervisor's device holding a supervisee's caseload, no network. */
describe('supervision on the supervisor’s own store', () => {
  let dir: string;
  let engine: CaseloadEngine;
  let call: ReturnType<typeof createEngineDispatcher>;
  let seeded: Awaited<ReturnType<typeof seedSupervisee>>;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    dir = tempDir();
    engine = newEngine(dir);
    await engine.setup({ passphrase: PASSPHRASE, displayName: 'Sam Okoye', role: 'supervisor' });
    seeded = await seedSupervisee(engine.handlers(), engine.context().db, engine.context().actorId);
    call = createEngineDispatcher(engine);
  });
  afterAll(async () => {
    await engine.close();
    removeDir(dir);
  });

  const written = async () => {
    const db = engine.context().db;
    return { changes: (await sql<{ n: number }>`select total_changes() as n`.execute(db)).rows[0]!.n, audit: (await db.selectFrom('audit_head').select('count').executeTakeFirst())?.count ?? 0 };
  };

  it('reviews each supervisee’s flagged cases by priority, each flag with its reason, and audits the view', async () => {
    const before = await written();
    const result = await call('supervision.review', {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [ada] = (result.value as { supervisees: SuperviseeReview[] }).supervisees;
    expect(ada).toMatchObject({ id: SUPERVISEE_ID, name: 'Ada Mensah', openCases: 3 });
    const names = ada!.cases.map((c) => c.patientName);
    expect(names[0]).toBe('Rhys Risk'); // risk first
    expect(names).toContain('Dana Absent');
    const risk = ada!.cases[0]!.flags.find((f) => f.kind === 'risk');
    expect(risk?.reason).toMatch(/item 9 answered 2/);
    expect(ada!.cases.find((c) => c.patientName === 'Dana Absent')!.flags.map((f) => f.kind)).toContain('repeated-dna');
    expect(ada!.cases[0]!.phq9.points.map((p) => p.total)).toEqual([16, 18]);
    expect(ada!.cases[0]!.anxiety).toMatchObject({ instrumentId: 'gad7', points: [{ total: 16 }, { total: 14 }] });
    expect((await written()).audit).toBe(before.audit + 1);
  });

  it('refuses someone who is not a supervisee, naming the entry, and writes nothing', async () => {
    const before = await written();
    const result = await call('supervision.review', { superviseeIds: [engine.context().actorId] });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: [{ path: 'superviseeIds.0' }] } });
    expect(await written()).toEqual(before);
  });

  it('records the supervision with its decision and an owned action that reaches the episode screen', async () => {
    const record = await call('supervision.record', {
      heldOn: today,
      mode: 'individual',
      superviseeIds: [SUPERVISEE_ID],
      cases: [{ referralId: seeded.riskReferralId, discussion: 'Item 9 raised twice', decision: 'Review risk at next session', actions: [{ description: 'Complete a risk review', ownerId: SUPERVISEE_ID, dueDate: today }] }],
    });
    expect(record.ok).toBe(true);
    if (!record.ok) return;
    const saved = record.value as SupervisionRecord;
    expect(saved.synced).toBe(false); // not enrolled: recorded offline
    expect(saved.cases[0]!.flags.map((f) => f.kind)).toContain('risk');
    const episode = await call('referrals.get', { id: seeded.riskReferralId });
    if (!episode.ok) throw new Error(episode.error.message);
    const action = (episode.value as { actions: Action[] }).actions.find((a) => a.kind === 'supervision');
    expect(action).toMatchObject({ description: 'Complete a risk review', ownerId: SUPERVISEE_ID, dueDate: today, doneAt: null });
    const said = await call('supervision.forReferral', { referralId: seeded.riskReferralId });
    expect(said.ok && (said.value as z.output<typeof ReferralSupervision>).discussions).toMatchObject([{ decision: 'Review risk at next session', heldOn: today }]);
    // Both new tables and the action wait in the outbox for the next sync round.
    const outbox = await engine.context().db.selectFrom('sync_outbox').select('table_name').where('state', '=', 'pending').execute();
    expect(outbox.map((o) => o.table_name)).toEqual(expect.arrayContaining(['supervision_sessions', 'supervision_cases', 'actions']));
  });

  it('a bad case anywhere in the record writes nothing at all (no partial record)', async () => {
    const before = await written();
    const result = await call('supervision.record', {
      heldOn: today,
      mode: 'individual',
      superviseeIds: [SUPERVISEE_ID],
      cases: [
        { referralId: seeded.dnaReferralId, discussion: '', decision: 'Offer another appointment', actions: [] },
        { referralId: seeded.wellReferralId, discussion: '', decision: 'Continue', actions: [{ description: 'x', ownerId: SUPERVISEE_ID, dueDate: '2000-01-01' }] },
      ],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: [{ path: 'cases.1.actions.0.dueDate' }] } });
    expect(await written()).toEqual(before);
  });

  it('lists the week’s contacts with due measures not recorded', async () => {
    const result = await call('supervision.weeklyLists', { weekEnding: today });
    if (!result.ok) throw new Error(result.error.message);
    const lists = result.value as WeeklyLists;
    expect(lists.missingMeasures.map((r) => r.patientName)).toContain('Dana Absent');
    expect(lists.missingMeasures.every((r) => r.reason.startsWith('Not recorded:'))).toBe(true);
  });

  it('is refused to a clinician (the role policy): a HIT has no supervision workspace', async () => {
    await sql`update users set role = 'hit' where id = (select value from settings where key = 'owner_user_id')`.execute(engine.context().db);
    await engine.lock();
    await engine.unlock(PASSPHRASE);
    const result = await call('supervision.review', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
