import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyEpisode, measuresDue, type EpisodeInput } from '../../../shared/outcomes';
import { removeDir } from '../../helpers/tempStore';
import { contactInput, gad7Answers, harness, patientInput, phq9Answers, referralInput, type Harness } from './episodeHarness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.engine.close();
  removeDir(h.dir);
});

/** Six sessions from caseness to recovery: PHQ-9 18 → 6, GAD-7 15 → 5 (a fall well past both reliable-change values). */
const COURSE = [
  { date: '2026-02-02', phq9: 18, gad7: 15 },
  { date: '2026-02-09', phq9: 16, gad7: 13 },
  { date: '2026-02-16', phq9: 13, gad7: 11 },
  { date: '2026-02-23', phq9: 10, gad7: 9 },
  { date: '2026-03-02', phq9: 8, gad7: 7 },
  { date: '2026-03-09', phq9: 6, gad7: 5 },
];

describe('a diabetes-clinic episode from referral to discharge', () => {
  it('captures the referral in clinic with the source code from the referrer table and the status "awaiting single point of access"', async () => {
    const p = await h.call('patients.create', patientInput());
    const r = await h.call('referrals.create', referralInput(p.id));
    expect(r).toMatchObject({ status: 'awaiting-spa', sourceCode: 'H2', referrerRole: 'diabetes-specialist-nurse', caseholderId: h.engine.status().owner!.id, version: 1 });
    expect(r.ltcCodes).toEqual(['44054006']);
    const listed = await h.call('referrals.listForPatient', { patientId: p.id });
    expect(listed.referrals.map((x) => x.id)).toEqual([r.id]);
  });

  it('records six sessions of PHQ-9 and GAD-7 and a discharge; the stored episode classifies exactly as classifyEpisode does', async () => {
    const p = await h.call('patients.create', patientInput());
    let r = await h.call('referrals.create', referralInput(p.id));
    r = await h.call('referrals.update', { id: r.id, version: r.version, changes: { status: 'in-treatment', problemDescriptor: 'F41.1', step: 3, optedIn: true } });
    expect(r).toMatchObject({ version: 2, problemDescriptor: 'F41.1', step: 3, optedIn: true });

    const assessment = await h.call('contacts.create', contactInput(r.id, '2026-01-20', { type: 'assessment' }));
    const contactIds: string[] = [];
    for (const s of COURSE) {
      const c = await h.call('contacts.create', contactInput(r.id, s.date));
      contactIds.push(c.id);
      const phq = await h.call('measures.record', { referralId: r.id, contactId: c.id, date: s.date, instrumentId: 'phq9', answers: phq9Answers(s.phq9), completedBy: 'patient' });
      const gad = await h.call('measures.record', { referralId: r.id, contactId: c.id, date: s.date, instrumentId: 'gad7', answers: gad7Answers(s.gad7), completedBy: 'patient' });
      expect([phq.total, gad.total]).toEqual([s.phq9, s.gad7]);
    }
    // A booked-ahead contact has not happened: it must not count as treatment.
    await h.call('contacts.create', contactInput(r.id, '2026-03-09', { startTime: '16:00', attendance: null, type: 'review-and-treatment' }));
    const before = await h.call('referrals.get', { id: r.id });
    expect(before.classification.finishedCourse).toBe(false);
    expect(before.classification.treatmentContacts).toBe(6);

    // The outcome is shown before confirming, and previewing writes nothing but its audit event.
    const changesBefore = await h.changes();
    const auditBefore = await h.auditCount();
    const preview = await h.call('referrals.previewDischarge', { id: r.id, endCode: '46', dischargeDate: '2026-03-09' });
    expect(preview).toMatchObject({ finishedCourse: true, recovered: true, reliablyImproved: true });
    expect(await h.auditCount()).toBe(auditBefore + 1);
    expect(await h.changes()).toBe(changesBefore + 2); // the audit row and its chain head
    expect((await h.call('referrals.get', { id: r.id })).referral.status).toBe('in-treatment');

    // The booked contact is on the discharge date, so discharge on that day is allowed.
    r = await h.call('referrals.discharge', { id: r.id, version: r.version, endCode: '46', dischargeDate: '2026-03-09' });
    expect(r).toMatchObject({ status: 'discharged', endCode: '46', dischargeDate: '2026-03-09' });

    const detail = await h.call('referrals.get', { id: r.id });
    expect(detail.patient.id).toBe(p.id);
    expect(detail.contacts).toHaveLength(8);
    expect(detail.measures).toHaveLength(12);
    const expected: EpisodeInput = {
      referralReceived: '2026-01-05',
      problemDescriptor: 'F41.1',
      pathway: 'integrated-ltc',
      ltcCodes: ['44054006'],
      contacts: [{ id: assessment.id, date: '2026-01-20', type: 'assessment', attendance: 5 }, ...COURSE.map((s, i) => ({ id: contactIds[i]!, date: s.date, type: 'treatment' as const, attendance: 5 }))],
      measures: COURSE.flatMap((s, i) => [
        { date: s.date, instrumentId: 'phq9', total: s.phq9, contactId: contactIds[i]! },
        { date: s.date, instrumentId: 'gad7', total: s.gad7, contactId: contactIds[i]! },
      ]),
      dischargeDate: '2026-03-09',
      endCode: '46',
    };
    const direct = classifyEpisode(expected);
    expect(detail.classification).toEqual({ ...direct, reasons: { ...direct.reasons } });
    expect(preview).toEqual(detail.classification);
    expect(detail.classification).toMatchObject({ finishedCourse: true, casenessAtStart: true, recovered: true, reliablyImproved: true, reliablyRecovered: true, waitDays: 28 });
  });

  it('proposes the measures measuresDue gives for the stored episode, with titles and reasons (PDSS for panic)', async () => {
    const p = await h.call('patients.create', patientInput());
    let r = await h.call('referrals.create', referralInput(p.id, { pathway: 'core', ltcCodes: [], referrerRole: 'gp' }));
    expect(r.sourceCode).toBe('A1');
    r = await h.call('referrals.update', { id: r.id, version: r.version, changes: { problemDescriptor: 'F41.0', step: 2 } });
    const due = await h.call('measures.due', { referralId: r.id, date: '2026-02-01', type: 'treatment' });
    const direct = measuresDue({ referralReceived: '2026-01-05', problemDescriptor: 'F41.0', pathway: 'core', contacts: [], measures: [] }, { date: '2026-02-01', type: 'treatment' });
    expect(due.due.map((d) => d.instrumentId)).toEqual(direct.map((d) => d.instrumentId));
    expect(due.due.map((d) => d.reason)).toEqual(direct.map((d) => d.reason));
    expect(due.due.find((d) => d.instrumentId === 'pdss')?.title).toMatch(/PDSS/);
  });

  it('a DNA creates a follow-up action in the same call, and completing it is versioned', async () => {
    const p = await h.call('patients.create', patientInput());
    const r = await h.call('referrals.create', referralInput(p.id));
    const auditBefore = await h.auditCount();
    const c = await h.call('contacts.create', contactInput(r.id, '2026-02-02', { attendance: 3 }));
    expect(await h.auditCount()).toBe(auditBefore + 1);
    const detail = await h.call('referrals.get', { id: r.id });
    expect(detail.actions).toHaveLength(1);
    expect(detail.actions[0]).toMatchObject({ contactId: c.id, kind: 'dna-follow-up', dueDate: '2026-02-04', doneAt: null });
    const done = await h.call('actions.complete', { id: detail.actions[0]!.id, version: 1 });
    expect(done.doneAt).not.toBeNull();
    const again = await h.refusal('actions.complete', { id: done.id, version: done.version });
    expect(again.fields?.[0]?.path).toBe('id');
  });

  it('a booked contact gets its attendance later; a DNA recorded then also prompts the follow-up', async () => {
    const p = await h.call('patients.create', patientInput());
    const r = await h.call('referrals.create', referralInput(p.id));
    const booked = await h.call('contacts.create', contactInput(r.id, '2026-03-01', { attendance: null }));
    const missed = await h.call('contacts.recordAttendance', { id: booked.id, version: booked.version, attendance: 3 });
    expect(missed).toMatchObject({ attendance: 3, version: 2 });
    expect((await h.call('referrals.get', { id: r.id })).actions).toHaveLength(1);
    const stale = await h.refusal('contacts.recordAttendance', { id: booked.id, version: 1, attendance: 5 });
    expect(stale.code).toBe('STALE_VERSION');
  });

  it('records contact attempts for triage', async () => {
    const p = await h.call('patients.create', patientInput());
    const r = await h.call('referrals.create', referralInput(p.id));
    await h.call('contactAttempts.record', { referralId: r.id, date: '2026-01-06', method: 'telephone', outcome: 'no-answer' });
    await h.call('contactAttempts.record', { referralId: r.id, date: '2026-01-07', method: 'telephone', outcome: 'reached', note: 'Opted in' });
    const detail = await h.call('referrals.get', { id: r.id });
    expect(detail.contactAttempts.map((a) => a.outcome)).toEqual(['no-answer', 'reached']);
  });
});

describe('PHQ-9 item 9, the risk review and the signed note', () => {
  it('blocks signing until a risk review is saved; then signs, refuses a second signing and edits, keeps every version and takes addenda', async () => {
    const p = await h.call('patients.create', patientInput());
    const r = await h.call('referrals.create', referralInput(p.id));
    const c = await h.call('contacts.create', contactInput(r.id, '2026-02-02'));
    const phq = await h.call('measures.record', { referralId: r.id, contactId: c.id, date: '2026-02-02', instrumentId: 'phq9', answers: phq9Answers(14, 1), completedBy: 'patient' });
    expect(phq.riskFlags).toEqual(['phq9-item9']);
    expect(phq.total).toBe(14); // the flag never changes the total

    let note = await h.call('notes.create', { referralId: r.id, contactId: c.id, body: 'Session 1. Behavioural activation introduced.' });
    note = await h.call('notes.update', { id: note.id, version: note.version, body: 'Session 1. Behavioural activation introduced; item 9 discussed.' });
    expect(note.versions.map((v) => [v.noteVersion, v.status])).toEqual([[1, 'draft'], [2, 'draft']]);

    expect((await h.call('referrals.get', { id: r.id })).openRiskAlerts).toEqual([{ measureId: phq.id, date: '2026-02-02', flags: ['phq9-item9'] }]);
    const before = await h.changes();
    const blocked = await h.refusal('notes.sign', { id: note.id, version: note.version });
    expect(blocked.fields?.[0]?.path).toBe('riskReview');
    expect(await h.changes()).toBe(before);

    const review = await h.call('risk.record', {
      referralId: r.id,
      contactId: c.id,
      date: '2026-02-02',
      thoughts: true,
      plans: false,
      intent: false,
      protectiveFactors: 'Children; faith',
      level: 'low',
      plan: 'Safety plan agreed; crisis numbers given',
      nextReviewDate: '2026-02-09',
    });
    expect(review.alertsAnswered).toBe(1);
    const after = await h.call('referrals.get', { id: r.id });
    expect(after.openRiskAlerts).toEqual([]);
    expect(after.measures.find((m) => m.id === phq.id)).toMatchObject({ riskReviewId: review.assessment.id, version: 2 });

    const signed = await h.call('notes.sign', { id: note.id, version: note.version });
    expect(signed).toMatchObject({ status: 'signed', signedBy: h.engine.status().owner!.id });
    expect(signed.versions.map((v) => v.status)).toEqual(['draft', 'draft', 'signed']);

    const changesBefore = await h.changes();
    const second = await h.refusal('notes.sign', { id: note.id, version: signed.version });
    expect(second.fields?.[0]).toMatchObject({ path: 'id' });
    expect(second.fields?.[0]?.message).toMatch(/already signed/);
    const edit = await h.refusal('notes.update', { id: note.id, version: signed.version, body: 'Rewritten' });
    expect(edit.fields?.[0]?.path).toBe('body');
    expect(await h.changes()).toBe(changesBefore);

    const withAddendum = await h.call('notes.addendum', { id: note.id, body: 'GP informed of item 9 by phone.' });
    expect(withAddendum.body).toBe('Session 1. Behavioural activation introduced; item 9 discussed.');
    expect(withAddendum.addenda.map((a) => a.body)).toEqual(['GP informed of item 9 by phone.']);
    const listed = await h.call('referrals.get', { id: r.id });
    expect(listed.notes).toHaveLength(1); // the addendum sits under its note, not beside it
  });
});

describe('bad input is refused naming the field, and nothing changes', () => {
  async function expectRefusedUnchanged(run: () => Promise<{ code: string; fields?: { path: string; message: string }[] }>, path: string) {
    const changes = await h.changes();
    const counts = await h.tableCounts();
    const audit = await h.auditCount();
    const err = await run();
    expect(err.code).toBe('VALIDATION');
    expect(err.fields?.map((f) => f.path)).toContain(path);
    expect(await h.changes()).toBe(changes);
    expect(await h.tableCounts()).toEqual(counts);
    expect(await h.auditCount()).toBe(audit);
  }

  it('a contact dated before its referral', async () => {
    const p = await h.call('patients.create', patientInput());
    const r = await h.call('referrals.create', referralInput(p.id));
    await expectRefusedUnchanged(() => h.refusal('contacts.create', contactInput(r.id, '2026-01-04')), 'date');
  });

  it('a discharge before the last contact, and before the referral', async () => {
    const p = await h.call('patients.create', patientInput());
    const r = await h.call('referrals.create', referralInput(p.id));
    await h.call('contacts.create', contactInput(r.id, '2026-02-10'));
    await expectRefusedUnchanged(() => h.refusal('referrals.discharge', { id: r.id, version: r.version, endCode: '46', dischargeDate: '2026-02-09' }), 'dischargeDate');
    await expectRefusedUnchanged(() => h.refusal('referrals.discharge', { id: r.id, version: r.version, endCode: '46', dischargeDate: '2025-12-31' }), 'dischargeDate');
  });

  it('a score outside its range, on a questionnaire item and on a score-entry total', async () => {
    const p = await h.call('patients.create', patientInput());
    const r = await h.call('referrals.create', referralInput(p.id));
    const c = await h.call('contacts.create', contactInput(r.id, '2026-02-10'));
    await expectRefusedUnchanged(
      () => h.refusal('measures.record', { referralId: r.id, contactId: c.id, date: '2026-02-10', instrumentId: 'phq9', answers: [4, 0, 0, 0, 0, 0, 0, 0, 0], completedBy: 'patient' }),
      'answers.0',
    );
    await expectRefusedUnchanged(() => h.refusal('measures.record', { referralId: r.id, contactId: c.id, date: '2026-02-10', instrumentId: 'pdss', answers: [29], completedBy: 'clinician' }), 'answers.0');
    await expectRefusedUnchanged(() => h.refusal('measures.record', { referralId: r.id, date: '2026-02-10', instrumentId: 'no-such-thing', answers: [1], completedBy: 'clinician' }), 'instrumentId');
  });

  it('a measure at a contact of another referral, or on another date than its contact', async () => {
    const p = await h.call('patients.create', patientInput());
    const r1 = await h.call('referrals.create', referralInput(p.id));
    const r2 = await h.call('referrals.create', referralInput(p.id));
    const c = await h.call('contacts.create', contactInput(r1.id, '2026-02-10'));
    await expectRefusedUnchanged(() => h.refusal('measures.record', { referralId: r2.id, contactId: c.id, date: '2026-02-10', instrumentId: 'gad7', answers: gad7Answers(3), completedBy: 'patient' }), 'contactId');
    await expectRefusedUnchanged(() => h.refusal('measures.record', { referralId: r1.id, contactId: c.id, date: '2026-02-11', instrumentId: 'gad7', answers: gad7Answers(3), completedBy: 'patient' }), 'date');
  });

  it('attendance recorded for a contact in the future', async () => {
    const p = await h.call('patients.create', patientInput());
    const r = await h.call('referrals.create', referralInput(p.id));
    await expectRefusedUnchanged(() => h.refusal('contacts.create', contactInput(r.id, '2026-07-01')), 'attendance');
  });

  it('a skipped item stores the measure with no total (no prorating)', async () => {
    const p = await h.call('patients.create', patientInput());
    const r = await h.call('referrals.create', referralInput(p.id));
    const c = await h.call('contacts.create', contactInput(r.id, '2026-02-10'));
    const m = await h.call('measures.record', { referralId: r.id, contactId: c.id, date: '2026-02-10', instrumentId: 'gad7', answers: [1, 1, null, 1, 1, 1, 1], completedBy: 'patient' });
    expect(m.total).toBeNull();
  });

  it('a stale version and a change to a discharged referral', async () => {
    const p = await h.call('patients.create', patientInput());
    const r = await h.call('referrals.create', referralInput(p.id));
    const r2 = await h.call('referrals.update', { id: r.id, version: 1, changes: { discussInSupervision: true } });
    expect(r2.discussInSupervision).toBe(true);
    expect((await h.refusal('referrals.update', { id: r.id, version: 1, changes: { step: 2 } })).code).toBe('STALE_VERSION');
    const ended = await h.call('referrals.discharge', { id: r.id, version: 2, endCode: '10', dischargeDate: '2026-01-10' });
    await expectRefusedUnchanged(() => h.refusal('referrals.update', { id: r.id, version: ended.version, changes: { step: 2 } }), 'id');
    await expectRefusedUnchanged(() => h.refusal('contacts.create', contactInput(r.id, '2026-02-10')), 'date');
    // A follow-up after discharge is what the window allows (ref §4, AppType 06).
    const followUp = await h.call('contacts.create', contactInput(r.id, '2026-04-10', { type: 'follow-up' }));
    expect(followUp.type).toBe('follow-up');
  });
});

describe('triage: not suitable', () => {
  it('ends the referral with end code 11 only with where the patient was signposted, and keeps the LTC impact', async () => {
    const p = await h.call('patients.create', patientInput());
    let r = await h.call('referrals.create', referralInput(p.id));
    r = await h.call('referrals.update', { id: r.id, version: r.version, changes: { ltcImpact: 'Avoids injections when low' } });
    expect(r.ltcImpact).toBe('Avoids injections when low');
    const changes = await h.changes();
    const missing = await h.refusal('referrals.discharge', { id: r.id, version: r.version, endCode: '11', dischargeDate: '2026-01-06' });
    expect(missing.fields?.map((f) => f.path)).toEqual(['signposting']);
    expect(await h.changes()).toBe(changes);
    const ended = await h.call('referrals.discharge', { id: r.id, version: r.version, endCode: '11', dischargeDate: '2026-01-06', signposting: 'Secondary care: community mental health team' });
    expect(ended).toMatchObject({ status: 'discharged', endCode: '11', signposting: 'Secondary care: community mental health team' });
  });
});

describe('service settings and screening', () => {
  it('a local COPD screen gives no result until the service sets its cut-off; DDS2 uses the published rule', async () => {
    const p = await h.call('patients.create', patientInput());
    const none = await h.call('screenings.record', { patientId: p.id, instrumentId: 'copd-screen', answers: [2, 3], date: '2026-01-05' });
    expect(none).toMatchObject({ total: 5, positive: null, resultLabel: null });
    const settings = await h.call('serviceSettings.get', {});
    expect(settings.version).toBeNull();
    const saved = await h.call('serviceSettings.update', { version: null, outcomes: { instruments: { 'copd-screen': { screenThreshold: 3 } } }, sourceCodes: { dietician: 'H2' } });
    expect(saved.version).toBe(1);
    const positive = await h.call('screenings.record', { patientId: p.id, instrumentId: 'copd-screen', answers: [2, 3], date: '2026-01-06', referralOffered: true });
    expect(positive).toMatchObject({ positive: true, referralOffered: true });
    expect(positive.resultLabel).toMatch(/positive screen/);
    const dds2 = await h.call('screenings.record', { patientId: p.id, instrumentId: 'dds2', answers: [4, 3], date: '2026-01-06' });
    expect(dds2).toMatchObject({ total: 3.5, positive: true });
    const listed = await h.call('screenings.list', { patientId: p.id });
    expect(listed.screenings).toHaveLength(3);
    // The referrer table the service edited applies to the next referral.
    const r = await h.call('referrals.create', referralInput(p.id, { referrerRole: 'dietician' }));
    expect(r.sourceCode).toBe('H2');
  });

  it('refuses overrides the outcomes engine rejects, naming the field, and a stale settings version', async () => {
    const current = await h.call('serviceSettings.get', {});
    const changes = await h.changes();
    const bad = await h.refusal('serviceSettings.update', { version: current.version, outcomes: { instruments: { phq9: { screenThreshold: 3 } } } });
    expect(bad.fields?.[0]?.path).toBe('outcomes.instruments.phq9.screenThreshold');
    const stale = await h.refusal('serviceSettings.update', { version: null, outcomes: {} });
    expect(stale.code).toBe('STALE_VERSION');
    expect(await h.changes()).toBe(changes);
  });
});

describe('service-editable scale and long-term condition codes', () => {
  it('saves a local screen\'s answer scale; the configured engine scores with it and refuses an answer off it', async () => {
    const p = await h.call('patients.create', patientInput());
    const current = await h.call('serviceSettings.get', {});
    const scale = [
      { value: 0, label: 'Never' },
      { value: 1, label: 'Sometimes' },
      { value: 2, label: 'Often' },
    ];
    const saved = await h.call('serviceSettings.update', { version: current.version, outcomes: { ...current.outcomes, instruments: { 'copd-screen': { screenThreshold: 3, responseOptions: scale } } } });
    expect(saved.outcomes.instruments['copd-screen']?.responseOptions).toEqual(scale);
    // Round trip: what is read back is what was saved.
    expect(await h.call('serviceSettings.get', {})).toEqual(saved);
    const positive = await h.call('screenings.record', { patientId: p.id, instrumentId: 'copd-screen', answers: [2, 1], date: '2026-01-07' });
    expect(positive).toMatchObject({ total: 3, positive: true });
    // 3 was an answer on the default scale (0–3), not on the service's.
    const changes = await h.changes();
    const off = await h.refusal('screenings.record', { patientId: p.id, instrumentId: 'copd-screen', answers: [3, 0], date: '2026-01-07' });
    expect(off.code).toBe('VALIDATION');
    expect(await h.changes()).toBe(changes);
  });

  it('refuses a scale for an instrument that is not a local screen, and a one-answer scale, naming the field', async () => {
    const current = await h.call('serviceSettings.get', {});
    const changes = await h.changes();
    const phq9 = await h.refusal('serviceSettings.update', { version: current.version, outcomes: { instruments: { phq9: { responseOptions: [{ value: 0, label: 'No' }, { value: 1, label: 'Yes' }] } } } });
    expect(phq9.fields?.[0]?.path).toBe('outcomes.instruments.phq9.responseOptions');
    const one = await h.refusal('serviceSettings.update', { version: current.version, outcomes: { instruments: { 'copd-screen': { responseOptions: [{ value: 0, label: 'Only' }] } } } });
    expect(one.fields?.[0]?.path).toBe('outcomes.instruments.copd-screen.responseOptions');
    expect(await h.changes()).toBe(changes);
  });

  it('a service corrects an unverified LTC code: the new code is accepted, the old one refused naming ltcCodes.N, and nothing is written', async () => {
    const p = await h.call('patients.create', patientInput());
    const old = await h.call('referrals.create', referralInput(p.id, { ltcCodes: ['44054006', '13645005'] }));
    const current = await h.call('serviceSettings.get', {});
    const saved = await h.call('serviceSettings.update', { version: current.version, outcomes: current.outcomes, sourceCodes: current.sourceCodes as never, ltcCodes: { copd: '185086009' } });
    expect(saved.ltcCodes).toEqual({ copd: '185086009' });
    expect((await h.call('serviceSettings.get', {})).ltcCodes).toEqual({ copd: '185086009' });

    const r = await h.call('referrals.create', referralInput(p.id, { ltcCodes: ['44054006', '185086009'] }));
    expect(r.ltcCodes).toEqual(['44054006', '185086009']);

    const changes = await h.changes();
    const counts = await h.tableCounts();
    const refused = await h.refusal('referrals.create', referralInput(p.id, { ltcCodes: ['44054006', '13645005'] }));
    expect(refused.code).toBe('VALIDATION');
    expect(refused.fields).toEqual([{ path: 'ltcCodes.1', message: expect.stringMatching(/not a long-term condition on this service's list/) }]);
    const unknown = await h.refusal('referrals.create', referralInput(p.id, { ltcCodes: ['999999999'] }));
    expect(unknown.fields?.map((f) => f.path)).toEqual(['ltcCodes.0']);
    const added = await h.refusal('referrals.update', { id: r.id, version: r.version, changes: { ltcCodes: ['185086009', '999999999'] } });
    expect(added.fields?.map((f) => f.path)).toEqual(['changes.ltcCodes.1']);
    expect(await h.changes()).toBe(changes);
    expect(await h.tableCounts()).toEqual(counts);

    // A referral stored with the old code stays readable and may be changed without losing it.
    const detail = await h.call('referrals.get', { id: old.id });
    expect(detail.referral.ltcCodes).toEqual(['44054006', '13645005']);
    const kept = await h.call('referrals.update', { id: old.id, version: old.version, changes: { ltcCodes: ['13645005', '185086009'], reason: 'Breathless and low' } });
    expect(kept.ltcCodes).toEqual(['13645005', '185086009']);
    // Diabetes keeps the reference's code, so measuresDue still proposes the diabetes measures; the service's COPD code does not.
    const withDiabetes = await h.call('measures.due', { referralId: r.id, date: '2026-07-01', type: 'assessment' });
    expect(withDiabetes.due.map((d) => d.instrumentId)).toEqual(expect.arrayContaining(['dds17', 'hba1c']));
    const copdOnly = await h.call('referrals.create', referralInput(p.id, { ltcCodes: ['185086009'] }));
    const copdDue = await h.call('measures.due', { referralId: copdOnly.id, date: '2026-07-01', type: 'assessment' });
    expect(copdDue.due.map((d) => d.instrumentId)).not.toContain('dds17');
    expect(copdDue.due.map((d) => d.instrumentId)).toContain('service-use');
  });

  it('refuses a code for a verified condition, a diabetes code, a duplicate and a malformed code, each on its condition', async () => {
    const current = await h.call('serviceSettings.get', {});
    const changes = await h.changes();
    const update = (ltcCodes: Record<string, string>) => h.refusal('serviceSettings.update', { version: current.version, outcomes: current.outcomes, ltcCodes: ltcCodes as never });
    expect((await update({ 'diabetes-type-2': '123456789' })).fields?.[0]?.path).toBe('ltcCodes.diabetes-type-2');
    expect((await update({ asthma: '73211009' })).fields?.[0]).toEqual({ path: 'ltcCodes.asthma', message: 'is a diabetes code, which the reference fixes' });
    expect((await update({ asthma: '230690007' })).fields?.[0]).toEqual({ path: 'ltcCodes.asthma', message: 'is already the code for Stroke' });
    expect((await update({ asthma: '12345' })).fields?.[0]?.path).toBe('ltcCodes.asthma');
    expect(await h.changes()).toBe(changes);
  });
});

describe('audit', () => {
  it('every write and view above appended to a chain that still verifies', async () => {
    const v = await h.call('audit.verify', {});
    expect(v.problems).toEqual([]);
    const rows = await h.engine.context().db.selectFrom('audit_event').select(['action', 'entity']).execute();
    const seen = new Set(rows.map((r) => `${r.action}:${r.entity}`));
    for (const e of ['create:referral', 'view:referral', 'update:referral', 'discharge:referral', 'create:contact', 'create:measure', 'create:risk-assessment', 'sign:note', 'addendum:note', 'update:service-settings', 'list:screening']) {
      expect(seen, e).toContain(e);
    }
  });
});
