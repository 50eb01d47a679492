import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir } from '../../helpers/tempStore';
import { contactInput, gad7Answers, harness, patientInput, phq9Answers, referralInput, TODAY, type Harness } from './episodeHarness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.engine.close();
  removeDir(h.dir);
});

describe('caseload.list', () => {
  it('shows each patient with the current episode: waiting days, sessions, next appointment, last scores with the previous one, and the risk flag', async () => {
    const waiting = await h.call('patients.create', patientInput({ givenName: 'Margaret', familyName: 'Ní Bhriain', dateOfBirth: '1962-09-19' }));
    await h.call('referrals.create', referralInput(waiting.id, { receivedDate: '2026-06-10' }));
    const treated = await h.call('patients.create', patientInput({ givenName: 'Eleanor', familyName: 'Patel' }));
    const r = await h.call('referrals.create', referralInput(treated.id, { status: 'in-treatment' }));
    for (const [date, phq, item9] of [['2026-06-01', 15, 0], ['2026-06-08', 11, 1]] as const) {
      const c = await h.call('contacts.create', contactInput(r.id, date));
      await h.call('measures.record', { referralId: r.id, contactId: c.id, date, instrumentId: 'phq9', answers: phq9Answers(phq, item9), completedBy: 'patient' });
      await h.call('measures.record', { referralId: r.id, contactId: c.id, date, instrumentId: 'gad7', answers: gad7Answers(phq - 3), completedBy: 'patient' });
    }
    await h.call('contacts.create', contactInput(r.id, '2026-07-06', { attendance: null }));
    const never = await h.call('patients.create', patientInput({ givenName: 'Tomasz', familyName: 'Nowak' }));

    const { rows } = await h.call('caseload.list', {});
    const byId = new Map(rows.map((row) => [row.patientId, row]));
    expect(byId.get(never.id)!.episode).toBeNull();
    expect(byId.get(waiting.id)!.episode).toMatchObject({ status: 'awaiting-spa', daysWaiting: 20, sessions: 0, nextAppointment: null, riskFlag: false });
    expect(byId.get(treated.id)!.episode).toMatchObject({
      status: 'in-treatment',
      daysWaiting: null,
      sessions: 2,
      nextAppointment: '2026-07-06',
      lastPhq9: { total: 11, previous: 15, date: '2026-06-08' },
      lastAnxiety: { instrumentId: 'gad7', total: 8, previous: 12 },
      riskFlag: true,
    });
    expect(TODAY).toBe('2026-06-30');

    // The flag clears once the risk review is saved.
    await h.call('risk.record', { referralId: r.id, date: '2026-06-08', thoughts: true, plans: false, intent: false, protectiveFactors: 'Family', level: 'low', plan: 'Safety plan', nextReviewDate: '2026-06-15' });
    expect((await h.call('caseload.list', { riskOnly: true })).rows).toEqual([]);
  });

  it('searches surname first, without accents, by the last four NHS digits and by date of birth; filters by status and pathway', async () => {
    const names = (rows: { familyName: string }[]) => rows.map((r) => r.familyName);
    expect(names((await h.call('caseload.list', { query: 'ni bhriain' })).rows)).toEqual(['Ní Bhriain']);
    expect(names((await h.call('caseload.list', { query: 'patel eleanor' })).rows)).toContain('Patel');
    expect(names((await h.call('caseload.list', { query: '19/09/1962' })).rows)).toEqual(['Ní Bhriain']);
    const margaret = (await h.call('caseload.list', { query: 'margaret' })).rows[0]!;
    expect(names((await h.call('caseload.list', { query: margaret.nhsNumber.slice(-4) })).rows)).toContain('Ní Bhriain');
    expect(names((await h.call('caseload.list', { status: 'awaiting-spa' })).rows)).toEqual(['Ní Bhriain']);
    expect((await h.call('caseload.list', { pathway: 'core' })).rows).toEqual([]);
  });

  it('lists the open caseload unless discharged patients are asked for; a patient with an open referral stays, whatever their past ones', async () => {
    const ended = await h.call('patients.create', patientInput({ givenName: 'Agnes', familyName: 'Ended' }));
    const endedReferral = await h.call('referrals.create', referralInput(ended.id, { receivedDate: '2026-01-05' }));
    await h.call('referrals.discharge', { id: endedReferral.id, version: endedReferral.version, endCode: '46', dischargeDate: '2026-02-16' });
    const back = await h.call('patients.create', patientInput({ givenName: 'Bernard', familyName: 'Returned' }));
    const first = await h.call('referrals.create', referralInput(back.id, { receivedDate: '2026-01-05' }));
    await h.call('referrals.discharge', { id: first.id, version: first.version, endCode: '46', dischargeDate: '2026-02-16' });
    const again = await h.call('referrals.create', referralInput(back.id, { receivedDate: '2026-05-01' }));

    const open = (await h.call('caseload.list', {})).rows;
    expect(open.map((r) => r.patientId)).not.toContain(ended.id);
    expect(open.find((r) => r.patientId === back.id)!.episode!.referralId).toBe(again.id);
    expect(open.every((r) => r.episode === null || r.episode.status !== 'discharged')).toBe(true);

    const everyone = (await h.call('caseload.list', { discharged: true })).rows;
    expect(everyone.find((r) => r.patientId === ended.id)!.episode).toMatchObject({ referralId: endedReferral.id, status: 'discharged' });
    expect(everyone.length).toBe(open.length + 1);
    // Asking for the discharged status lists them without the switch.
    expect((await h.call('caseload.list', { status: 'discharged' })).rows.map((r) => r.patientId)).toEqual([ended.id]);
    // The view's audit names exactly the rows shown.
    const audit = await h.engine.context().db.selectFrom('audit_event').select(['entity_ids']).where('entity', '=', 'caseload').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.entity_ids)).toEqual([ended.id, endedReferral.id]);
  });

  it('names the patient who already has an NHS number', async () => {
    const first = await h.call('patients.create', patientInput({ givenName: 'Grace', familyName: 'Okafor' }));
    const err = await h.refusal('patients.create', patientInput({ nhsNumber: first.nhsNumber, givenName: 'Someone', familyName: 'Else' }));
    expect(err).toMatchObject({ code: 'DUPLICATE', fields: [{ path: 'nhsNumber', message: 'is already on the caseload: OKAFOR, Grace' }] });
  });
});
