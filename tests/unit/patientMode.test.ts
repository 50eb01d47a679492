import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METHOD_NAMES, type MethodName } from '../../shared/contract/contract';
import { PATIENT_MODE_METHODS } from '../../shared/contract/patientMode';
import { createEngineDispatcher } from '../../electron/services/dispatch';
import { contactInput, harness, patientInput, referralInput, type Harness } from './episode/episodeHarness';
import { PASSPHRASE, removeDir } from '../helpers/tempStore';

/** Locked patient mode (issue #10 item 5) through the real dispatcher on a real encrypted store. */
describe('locked patient mode', () => {
  let h: Harness;
  let referralId: string;
  let contactId: string;

  beforeEach(async () => {
    h = await harness();
    const patient = await h.call('patients.create', patientInput());
    referralId = (await h.call('referrals.create', { ...referralInput(patient.id), status: 'in-treatment' })).id;
    contactId = (await h.call('contacts.create', contactInput(referralId, '2026-06-30'))).id;
  });
  afterEach(async () => {
    await h.engine.close();
    removeDir(h.dir);
  });

  async function answerAll(values: (number | 'na')[]) {
    let view = await h.call('patientMode.current', {});
    for (const value of values) {
      if (view.stage !== 'question') throw new Error('ran out of questions');
      view = await h.call('patientMode.answer', { questionnaireNumber: view.questionnaireNumber, itemNumber: view.itemNumber, value });
    }
    return view;
  }

  it('shows one item at a time with no patient identifiers, and saves each complete questionnaire as patient-completed', async () => {
    const first = await h.call('patientMode.start', { contactId, instrumentIds: ['phq9', 'gad7'] });
    expect(first).toMatchObject({ stage: 'question', questionnaireNumber: 1, questionnaireCount: 2, title: expect.stringContaining('PHQ-9'), itemNumber: 1, itemCount: 9, answer: null });
    const shown = JSON.stringify(first);
    for (const identifier of ['Eleanor', 'Patel', referralId, contactId, 'Riverside']) expect(shown).not.toContain(identifier);
    expect((await h.call('session.status', {})).patientMode).toBe(true);

    const afterPhq9 = await answerAll([1, 1, 2, 0, 1, 1, 0, 2, 0]);
    expect(afterPhq9).toMatchObject({ stage: 'question', questionnaireNumber: 2, itemNumber: 1, itemCount: 7 });
    // PHQ-9 is saved the moment it is complete, before GAD-7 is done.
    const measuresNow = await h.engine.context().db.selectFrom('measures').selectAll().execute();
    expect(measuresNow.map((m) => [m.instrument_id, m.completed_by, m.contact_id, m.total])).toEqual([['phq9', 'patient', contactId, 8]]);

    expect(await answerAll([3, 2, 2, 1, 0, 1, 2])).toEqual({ stage: 'finished', questionnaireCount: 2 });
    const exit = await h.call('patientMode.exit', { passphrase: PASSPHRASE });
    expect(exit.saved.map((s) => [s.instrumentId, s.riskFlags])).toEqual([
      ['phq9', []],
      ['gad7', []],
    ]);
    expect(exit.unfinished).toEqual([]);
    expect((await h.call('session.status', {})).patientMode).toBe(false);

    const detail = await h.call('referrals.get', { id: referralId });
    expect(detail.measures.filter((m) => m.contactId === contactId).map((m) => [m.instrumentId, m.completedBy, m.total])).toEqual([
      ['phq9', 'patient', 8],
      ['gad7', 'patient', 11],
    ]);
    const actions = (await h.engine.context().db.selectFrom('audit_event').select(['action', 'entity']).orderBy('seq').execute()).map((a) => `${a.action} ${a.entity}`);
    expect(actions).toEqual(expect.arrayContaining(['patient-mode-start contact', 'create measure', 'patient-mode-exit contact']));
    expect((await h.call('audit.verify', {})).ok).toBe(true);
  });

  it('refuses every other contract method while the mode is on, and lets the same calls through after it', async () => {
    await h.call('patientMode.start', { contactId, instrumentIds: ['phq9'] });
    const dispatch = createEngineDispatcher(h.engine);
    const before = await h.changes();
    const allowed = new Set<string>([...PATIENT_MODE_METHODS, 'session.status', 'session.lock']);
    const others = METHOD_NAMES.filter((m) => !allowed.has(m));
    expect(others.length).toBeGreaterThan(30);
    for (const method of others) {
      // Inputs that would be valid are refused as firmly as nonsense: the gate answers before the contract is read.
      const input = method === 'referrals.get' ? { id: referralId } : method === 'session.changePassphrase' ? { current: PASSPHRASE, next: 'a new long passphrase' } : {};
      const result = await dispatch(method, input);
      expect(result, method).toMatchObject({ ok: false, error: { code: 'PATIENT_MODE' } });
    }
    expect(await h.changes()).toBe(before); // nothing written by any refused call
    expect(await dispatch('no.such.method', {})).toMatchObject({ ok: false, error: { code: 'PATIENT_MODE' } });

    await h.call('patientMode.exit', { passphrase: PASSPHRASE });
    expect((await h.call('referrals.get', { id: referralId })).referral.id).toBe(referralId);
  });

  it('leaves only with the clinician’s passphrase; wrong ones are throttled, persisted and audited as at unlock', async () => {
    await h.call('patientMode.start', { contactId, instrumentIds: ['gad7'] });
    await answerAll([1, 1, 1]);

    const wrong = await h.refusal('patientMode.exit', { passphrase: 'not the passphrase' });
    expect(wrong).toMatchObject({ code: 'WRONG_PASSPHRASE', fields: [{ path: 'passphrase', message: 'is not right' }] });
    expect(wrong.retryAfterMs).toBeTypeOf('number');
    expect((await h.call('session.status', {})).patientMode).toBe(true);
    expect((await h.refusal('patients.list', {})).code).toBe('PATIENT_MODE');

    const exit = await h.call('patientMode.exit', { passphrase: PASSPHRASE });
    expect(exit.notices).toEqual([expect.stringContaining('1 wrong passphrase attempt')]);
    expect(exit.unfinished).toEqual([expect.stringContaining('GAD-7')]);
    expect(exit.saved).toEqual([]);
    // The unfinished questionnaire's answers were never written.
    expect(await h.engine.context().db.selectFrom('measures').selectAll().execute()).toEqual([]);
    const actions = (await h.engine.context().db.selectFrom('audit_event').select('action').orderBy('seq').execute()).map((a) => a.action);
    expect(actions.slice(-2)).toEqual(['unlock-failed', 'patient-mode-exit']);
  });

  it('a wrong passphrase waits out the same persisted delay as unlock', async () => {
    const { setUpEngine, tempDir } = await import('../helpers/tempStore');
    const dir = tempDir();
    let now = Date.parse('2026-06-30T10:00:00Z');
    const engine = await setUpEngine(dir, { unlockBackoffBaseMs: 4000, now: () => new Date(now) });
    const call = createEngineDispatcher(engine);
    try {
      const p = await call('patients.create', patientInput());
      const r = await call('referrals.create', { ...referralInput((p as { value: { id: string } }).value.id), status: 'in-treatment' });
      const c = await call('contacts.create', contactInput((r as { value: { id: string } }).value.id, '2026-06-30'));
      await call('patientMode.start', { contactId: (c as { value: { id: string } }).value.id, instrumentIds: ['phq9'] });
      expect(await call('patientMode.exit', { passphrase: 'wrong one' })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE', retryAfterMs: 4000 } });
      // Even the right passphrase waits: the delay is the unlock throttle's, kept in its file.
      expect(await call('patientMode.exit', { passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'RETRY_AFTER' } });
      await call('session.lock', {});
      expect(await call('session.unlock', { passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'RETRY_AFTER' } });
      now += 4001;
      expect(await call('session.unlock', { passphrase: PASSPHRASE })).toMatchObject({ ok: true });
    } finally {
      await engine.close();
      removeDir(dir);
    }
  });

  it('a PHQ-9 item 9 above 0 is saved with its risk flag, told at exit, and opens the session’s risk alert', async () => {
    await h.call('patientMode.start', { contactId, instrumentIds: ['phq9'] });
    await answerAll([0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const exit = await h.call('patientMode.exit', { passphrase: PASSPHRASE });
    expect(exit.saved).toEqual([expect.objectContaining({ instrumentId: 'phq9', riskFlags: ['phq9-item9'] })]);
    expect((await h.call('referrals.get', { id: referralId })).openRiskAlerts).toEqual([expect.objectContaining({ measureId: exit.saved[0]!.measureId })]);
  });

  it('the idle lock ends the mode too; the mode’s own calls count as activity', async () => {
    const { setUpEngine, tempDir } = await import('../helpers/tempStore');
    const dir = tempDir();
    let now = Date.parse('2026-06-30T10:00:00Z');
    const engine = await setUpEngine(dir, { idleLockMinutes: 15, now: () => new Date(now) });
    const call = createEngineDispatcher(engine);
    const id = async (method: MethodName, input: unknown) => ((await call(method, input)) as { value: { id: string } }).value.id;
    try {
      const p = await id('patients.create', patientInput());
      const r = await id('referrals.create', { ...referralInput(p), status: 'in-treatment' });
      const c = await id('contacts.create', contactInput(r, '2026-06-30'));
      await call('patientMode.start', { contactId: c, instrumentIds: ['phq9'] });
      now += 10 * 60_000;
      expect(await call('patientMode.answer', { questionnaireNumber: 1, itemNumber: 1, value: 1 })).toMatchObject({ ok: true });
      now += 10 * 60_000; // 20 minutes since the start, 10 since the last answer
      expect(await engine.lockIfIdle()).toBe(false);
      now += 6 * 60_000;
      expect(await engine.lockIfIdle()).toBe(true);
      expect(await call('session.unlock', { passphrase: PASSPHRASE })).toMatchObject({ ok: true, value: { state: 'unlocked', patientMode: false } });
      expect(await call('patients.list', {})).toMatchObject({ ok: true });
    } finally {
      await engine.close();
      removeDir(dir);
    }
  });

  it('any lock ends the mode: unlocking opens the ordinary workspace and the unfinished answers are gone', async () => {
    await h.call('patientMode.start', { contactId, instrumentIds: ['phq9', 'gad7'] });
    await answerAll([2, 2, 2, 2, 2, 2, 2, 2, 0]);
    await answerAll([1, 1]);
    expect((await h.call('session.lock', {})).state).toBe('locked');
    const reopened = await h.call('session.unlock', { passphrase: PASSPHRASE });
    expect(reopened).toMatchObject({ state: 'unlocked', patientMode: false });
    expect((await h.refusal('patientMode.current', {})).code).toBe('NOT_FOUND');
    const measures = (await h.call('referrals.get', { id: referralId })).measures;
    expect(measures.map((m) => m.instrumentId)).toEqual(['phq9']); // the complete one stays saved
  });

  it('refuses a bad hand-over whole, holding and writing nothing', async () => {
    const before = { changes: await h.changes(), audit: await h.auditCount() };
    const expectRefused = async (input: Parameters<typeof h.refusal<'patientMode.start'>>[1], path: string, code = 'VALIDATION') => {
      const error = await h.refusal('patientMode.start', input);
      expect(error.code).toBe(code);
      if (code === 'VALIDATION') expect(error.fields?.map((f) => f.path)).toContain(path);
    };
    await expectRefused({ contactId, instrumentIds: [] }, 'instrumentIds');
    await expectRefused({ contactId, instrumentIds: ['phq9', 'phq9'] }, 'instrumentIds');
    await expectRefused({ contactId, instrumentIds: ['phq9', 'nope'] }, 'instrumentIds.1.instrumentId');
    await expectRefused({ contactId, instrumentIds: ['phq9', 'pdss'] }, 'instrumentIds.1'); // a score-entry shell: wording not shipped
    await expectRefused({ contactId, instrumentIds: ['phq4'] }, 'instrumentIds.0'); // a screen, taken in clinic
    await expectRefused({ contactId: '0190a5c2-7f3b-7cc3-9a43-1a2b3c4d5e6f', instrumentIds: ['phq9'] }, '', 'NOT_FOUND');
    const booked = await h.call('contacts.create', contactInput(referralId, '2026-07-07', { attendance: null }));
    await expectRefused({ contactId: booked.id, instrumentIds: ['phq9'] }, 'contactId');
    await h.call('measures.record', { referralId, contactId, date: '2026-06-30', instrumentId: 'gad7', answers: [0, 0, 0, 0, 0, 0, 0], completedBy: 'clinician' });
    await expectRefused({ contactId, instrumentIds: ['phq9', 'gad7'] }, 'instrumentIds.1');
    expect((await h.call('session.status', {})).patientMode).toBe(false);
    expect(await h.auditCount()).toBe(before.audit + 2); // the booked contact and the clinician's GAD-7: no refused hand-over wrote
  });

  it('answers only the question on screen, with one of its options; back stays inside the open questionnaire', async () => {
    await h.call('patientMode.start', { contactId, instrumentIds: ['wsas'] });
    expect((await h.refusal('patientMode.answer', { questionnaireNumber: 1, itemNumber: 2, value: 1 })).fields?.[0]?.path).toBe('itemNumber');
    expect((await h.refusal('patientMode.answer', { questionnaireNumber: 1, itemNumber: 1, value: 99 })).fields?.[0]?.path).toBe('value');
    const first = await h.call('patientMode.current', {});
    if (first.stage !== 'question') throw new Error('expected a question');
    expect(first.options.at(-1)).toEqual({ value: 'na', label: 'Does not apply to me' }); // WSAS work item allows not applicable
    const second = await h.call('patientMode.answer', { questionnaireNumber: 1, itemNumber: 1, value: 'na' });
    expect(second).toMatchObject({ itemNumber: 2, answer: null });
    expect(await h.call('patientMode.back', {})).toMatchObject({ itemNumber: 1, answer: 'na' });
    expect(await h.call('patientMode.back', {})).toMatchObject({ itemNumber: 1 });
    expect((await h.refusal('patientMode.start', { contactId, instrumentIds: ['phq9'] })).code).toBe('PATIENT_MODE');
  });

  it('every contract method is either refused in the mode or named as allowed', () => {
    const allowed: MethodName[] = [...PATIENT_MODE_METHODS, 'session.status', 'session.lock'];
    for (const m of allowed) expect(METHOD_NAMES).toContain(m);
  });
});
