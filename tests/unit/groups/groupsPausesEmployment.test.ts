import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName } from '../../../shared/contract/contract';
import { classifyEpisode } from '../../../shared/outcomes';
import { removeDir } from '../../helpers/tempStore';
import { contactInput, gad7Answers, harness, patientInput, phq9Answers, referralInput, TODAY, type Harness } from '../episode/episodeHarness';

/**
 * Issue #10 stage 7 on the real dispatcher and an encrypted store (today fixed at 30/06/2026): group courses whose
 * sessions count in each member's episode, patient-initiated waiting pauses (IDS108) shown beside the wait and never
 * subtracted, and employment support with its dates.
 */
let h: Harness;
const members: { referralId: string; name: string }[] = [];

/** A refused call names its field, says why, and writes nothing at all (not even an audit event). */
async function refusedWithNothingWritten<M extends MethodName>(method: M, input: MethodInput<M>, path: string, message: RegExp): Promise<void> {
  const before = await h.changes();
  const audit = await h.auditCount();
  const error = await h.refusal(method, input);
  expect(error.code).toBe('VALIDATION');
  expect(error.fields?.map((f) => f.path)).toContain(path);
  expect(error.message).toMatch(message);
  expect(await h.changes()).toBe(before);
  expect(await h.auditCount()).toBe(audit);
}

beforeAll(async () => {
  h = await harness();
  for (const [given, family] of [['Eleanor', 'Patel'], ['Tomasz', 'Nowak'], ['Grace', 'Okafor'], ['Sam', 'Reid']] as const) {
    const p = await h.call('patients.create', patientInput({ givenName: given, familyName: family }));
    const r = await h.call('referrals.create', referralInput(p.id, { status: 'in-treatment' }));
    members.push({ referralId: r.id, name: `${given} ${family}` });
  }
});
afterAll(async () => {
  await h.engine.close();
  removeDir(h.dir);
});

const course = (overrides: Partial<MethodInput<'groups.create'>> = {}): MethodInput<'groups.create'> => ({
  title: 'Living well with diabetes',
  condition: 'diabetes',
  coFacilitatorName: 'Priya Shah',
  coFacilitatorRole: 'Diabetes specialist nurse',
  location: 'Lister Hospital, education room',
  startsOn: '2026-05-05',
  plannedSessions: 6,
  ...overrides,
});

describe('group courses (issue #10 §7)', () => {
  let groupId: string;

  it('creates a co-facilitated course and adds members, refusing a second joining and a referral out of range', async () => {
    const created = await h.call('groups.create', course());
    groupId = created.group.id;
    expect(created.group).toMatchObject({ title: 'Living well with diabetes', coFacilitatorName: 'Priya Shah', coFacilitatorRole: 'Diabetes specialist nurse', plannedSessions: 6 });
    for (const m of members) await h.call('groups.addMember', { groupId, referralId: m.referralId, joinedOn: '2026-05-05' });
    const view = await h.call('groups.get', { id: groupId });
    expect(view.members.map((m) => m.name).sort()).toEqual(members.map((m) => m.name).sort());
    await refusedWithNothingWritten('groups.addMember', { groupId, referralId: members[0]!.referralId, joinedOn: '2026-05-05' }, 'referralId', /already a member/);
    await refusedWithNothingWritten('groups.addMember', { groupId, referralId: members[0]!.referralId, joinedOn: '2025-01-01' }, 'joinedOn', /before the referral was received/);
    expect((await h.call('groups.list', {})).groups.find((g) => g.id === groupId)).toMatchObject({ memberCount: 4, sessionsHeld: 0 });
  });

  it('refuses a session that leaves out a member, names a stranger, is in the future or before the course, and writes nothing', async () => {
    const all = members.map((m) => ({ referralId: m.referralId, attendance: 5 }));
    const session = (overrides: Partial<MethodInput<'groups.recordSession'>> = {}): MethodInput<'groups.recordSession'> => ({ groupId, date: '2026-05-12', startTime: '14:00', durationMinutes: 90, mechanism: '01', attendance: all, ...overrides });
    await refusedWithNothingWritten('groups.recordSession', session({ attendance: all.slice(1) }), 'attendance', /every member: Eleanor Patel is missing/);
    const stranger = await h.call('referrals.create', referralInput((await h.call('patients.create', patientInput())).id, { status: 'in-treatment' }));
    await refusedWithNothingWritten('groups.recordSession', session({ attendance: [...all, { referralId: stranger.id, attendance: 5 }] }), 'attendance.4.referralId', /not an active member/);
    await refusedWithNothingWritten('groups.recordSession', session({ date: '2026-07-01' }), 'date', /future/);
    await refusedWithNothingWritten('groups.recordSession', session({ date: '2026-05-01' }), 'date', /before the group starts/);
    // The facilitator cannot run the group while booked with someone else.
    await h.call('contacts.create', contactInput(stranger.id, '2026-05-12', { startTime: '14:30', attendance: null }));
    await refusedWithNothingWritten('groups.recordSession', session(), 'startTime', /overlaps the clinician's appointment/);
  });

  it('records attendance for every member as a contact of their own episode, with a DNA follow-up', async () => {
    const codes = [5, 6, 5, 3];
    const view = await h.call('groups.recordSession', {
      groupId,
      date: '2026-05-19',
      startTime: '14:00',
      durationMinutes: 90,
      mechanism: '01',
      attendance: members.map((m, i) => ({ referralId: m.referralId, attendance: codes[i]! })),
    });
    expect(view.sessions).toHaveLength(1);
    expect(view.sessions[0]!.attendance.map((a) => a.attendance).sort()).toEqual([3, 5, 5, 6]);
    for (const [i, m] of members.entries()) {
      const detail = await h.call('referrals.get', { id: m.referralId });
      const contact = detail.contacts.find((c) => c.groupSessionId === view.sessions[0]!.id)!;
      expect(contact).toMatchObject({ date: '2026-05-19', startTime: '14:00', type: 'treatment', attendance: codes[i], location: 'Lister Hospital, education room' });
      expect(detail.actions.some((a) => a.contactId === contact.id)).toBe(codes[i] === 3);
    }
    // A session recorded later for an earlier date takes its place by date.
    const earlier = await h.call('groups.recordSession', { groupId, date: '2026-05-05', startTime: '14:00', durationMinutes: 90, mechanism: '01', attendance: members.map((m) => ({ referralId: m.referralId, attendance: 5 })) });
    expect(earlier.sessions.map((s) => [s.sessionNumber, s.date])).toEqual([[1, '2026-05-05'], [2, '2026-05-19']]);
  });

  it('measures taken at a member’s group contact count in their episode and in classifyEpisode', async () => {
    const eleanor = members[0]!.referralId;
    const before = await h.call('groups.get', { id: groupId });
    for (const [i, s] of before.sessions.entries()) {
      const contactId = s.attendance.find((a) => a.referralId === eleanor)!.contactId;
      await h.call('measures.record', { referralId: eleanor, contactId, date: s.date, instrumentId: 'phq9', answers: phq9Answers(i === 0 ? 18 : 8), completedBy: 'patient' });
      await h.call('measures.record', { referralId: eleanor, contactId, date: s.date, instrumentId: 'gad7', answers: gad7Answers(i === 0 ? 14 : 5), completedBy: 'patient' });
    }
    const after = await h.call('groups.get', { id: groupId });
    expect(after.sessions.map((s) => s.attendance.find((a) => a.referralId === eleanor)!.measures.find((m) => m.instrumentId === 'phq9')!.total)).toEqual([18, 8]);
    const detail = await h.call('referrals.get', { id: eleanor });
    expect(detail.classification.treatmentContacts).toBe(2);
    expect(detail.classification.phq9).toMatchObject({ first: { date: '2026-05-05', total: 18 }, last: { date: '2026-05-19', total: 8 } });
    // The engine on the stored rows, independently of the service's own classification.
    const independent = classifyEpisode({
      referralReceived: detail.referral.receivedDate,
      problemDescriptor: detail.referral.problemDescriptor,
      pathway: detail.referral.pathway,
      contacts: detail.contacts.map((c) => ({ id: c.id, date: c.date, time: c.startTime, type: c.type, attendance: c.attendance! })),
      measures: detail.measures.filter((m) => m.total !== null).map((m) => ({ instrumentId: m.instrumentId, date: m.date, ...(m.contactId ? { contactId: m.contactId } : {}), total: m.total! })),
    });
    expect(independent.treatmentContacts).toBe(2);
    expect(independent.reliablyImproved).toBe(detail.classification.reliablyImproved);
    expect(independent.recovered).toBe(true);
  });

  it('shows a member’s group booking on the clinic day with its course and session', async () => {
    const day = await h.call('clinicDay.day', { date: '2026-05-19' });
    const names = day.appointments.filter((a) => a.appointment.groupSessionId !== null).map((a) => a.groupName);
    expect(names).toEqual(Array(4).fill('Living well with diabetes, session 2'));
  });

  it('a discharged member keeps their past attendance and is not asked for again', async () => {
    const sam = members[3]!;
    const detail = await h.call('referrals.get', { id: sam.referralId });
    for (const a of detail.actions.filter((x) => x.doneAt === null)) await h.call('actions.complete', { id: a.id, version: a.version });
    const r = (await h.call('referrals.get', { id: sam.referralId })).referral;
    await h.call('referrals.discharge', { id: r.id, version: r.version, endCode: '46', dischargeDate: '2026-05-26' });
    const view = await h.call('groups.get', { id: groupId });
    expect(view.members.find((m) => m.referralId === sam.referralId)!.active).toBe(false);
    const next = await h.call('groups.recordSession', { groupId, date: '2026-06-02', startTime: '14:00', durationMinutes: 90, mechanism: '01', attendance: members.slice(0, 3).map((m) => ({ referralId: m.referralId, attendance: 5 })) });
    expect(next.sessions[2]!.attendance).toHaveLength(3);
  });
});

describe('waiting-time pauses (issue #10 §8, IDS108)', () => {
  let referralId: string;

  beforeAll(async () => {
    const p = await h.call('patients.create', patientInput({ givenName: 'Wendy', familyName: 'Waite' }));
    referralId = (await h.call('referrals.create', referralInput(p.id, { receivedDate: '2026-04-01', status: 'waiting-treatment' }))).id;
  });

  it('shows pause days beside the wait and never takes them off it', async () => {
    const view = await h.call('waiting.addPause', { referralId, startDate: '2026-04-10', endDate: '2026-04-24', reason: 'Abroad for a family wedding' });
    expect(view).toMatchObject({ waiting: true, waitedDays: 90, pausedDays: 14, sixWeeksOn: '2026-05-13', eighteenWeeksOn: '2026-08-05' });
    const open = await h.call('waiting.addPause', { referralId, startDate: '2026-06-20', reason: 'In hospital for surgery' });
    expect(open.pausedDays).toBe(24); // 14 + 10 days of the open pause to today
    expect(open.waitedDays).toBe(90);
    expect(open.pauses.map((p) => [p.startDate, p.endDate])).toEqual([['2026-04-10', '2026-04-24'], ['2026-06-20', null]]);
  });

  it('refuses a pause before the referral, one overlapping another, and a bad end, writing nothing', async () => {
    await refusedWithNothingWritten('waiting.addPause', { referralId, startDate: '2026-03-01', endDate: '2026-03-05', reason: 'Away' }, 'startDate', /before the referral was received/);
    await refusedWithNothingWritten('waiting.addPause', { referralId, startDate: '2026-04-20', endDate: '2026-05-01', reason: 'Away' }, 'startDate', /overlaps the pause from 10\/04\/2026 to 24\/04\/2026/);
    await refusedWithNothingWritten('waiting.addPause', { referralId, startDate: '2026-06-25', reason: 'Away' }, 'startDate', /still open/);
    const open = (await h.call('waiting.get', { referralId })).pauses.find((p) => p.endDate === null)!;
    await refusedWithNothingWritten('waiting.endPause', { id: open.id, version: open.version, endDate: '2026-06-20' }, 'endDate', /after the pause started/);
    const ended = await h.call('waiting.endPause', { id: open.id, version: open.version, endDate: '2026-06-27' });
    expect(ended.pausedDays).toBe(21);
    const again = ended.pauses.find((p) => p.id === open.id)!;
    await refusedWithNothingWritten('waiting.endPause', { id: again.id, version: again.version, endDate: '2026-06-29' }, 'id', /already ended on 27\/06\/2026/);
  });

  it('ends with the first treatment: no pause may start after it', async () => {
    await h.call('contacts.create', contactInput(referralId, '2026-06-29', { startTime: '11:00' }));
    const view = await h.call('waiting.get', { referralId });
    expect(view).toMatchObject({ waiting: false, firstTreatmentDate: '2026-06-29', waitedDays: 89, pausedDays: 21 });
    await refusedWithNothingWritten('waiting.addPause', { referralId, startDate: '2026-06-29', reason: 'Away' }, 'startDate', /first treatment was on 29\/06\/2026/);
  });

  it('the service report counts the pauses of the referrals entering treatment, beside waits it leaves whole', async () => {
    const report = await h.call('reports.service', { period: { start: '2026-06-01', end: '2026-06-30' } });
    const entered = (id: string) => report.figures.find((f) => f.id === id)!;
    // Entering treatment in June: this referral alone (29/06, after 89 days; the group's members entered in May).
    expect(report.waitingPauses).toEqual({ enteredTreatment: 1, withPause: 1, pausedDays: 21, medianPausedDays: 21 });
    // Its wait is counted whole: 89 days is past 6 weeks even though 21 of them were paused.
    expect(entered('enteredWithin126Days')).toMatchObject({ count: 1, denominator: 1 });
    expect(entered('enteredWithin42Days')).toMatchObject({ count: 0, denominator: 1 });
  });
});

describe('employment (issue #10 §6)', () => {
  let referralId: string;

  beforeAll(async () => {
    const p = await h.call('patients.create', patientInput({ givenName: 'Ezra', familyName: 'Work' }));
    referralId = (await h.call('referrals.create', referralInput(p.id, { receivedDate: '2026-03-02', status: 'in-treatment' }))).id;
  });

  it('shows the employment status recorded at the first and latest contacts', async () => {
    const first = await h.call('contacts.create', contactInput(referralId, '2026-03-09', { type: 'assessment' }));
    const later = await h.call('contacts.create', contactInput(referralId, '2026-06-01', { startTime: '15:00' }));
    // Long-term sick, on sickness absence; then employed.
    await h.call('measures.record', { referralId, contactId: first.id, date: '2026-03-09', instrumentId: 'employment', answers: [4, 'na', 1, 1, 0, 0, 1], completedBy: 'clinician' });
    await h.call('measures.record', { referralId, contactId: later.id, date: '2026-06-01', instrumentId: 'employment', answers: [1, 30, 0, 0, 0, 0, 0], completedBy: 'clinician' });
    const view = await h.call('employment.get', { referralId });
    expect(view.atStart).toMatchObject({ date: '2026-03-09', status: 'Long-term sick or disabled (receiving sickness or disability benefits)', sicknessAbsence: true });
    expect(view.latest).toMatchObject({ date: '2026-06-01', status: 'Employed', sicknessAbsence: false });
  });

  it('records a referral to employment support and its dates, refusing impossible ones without writing', async () => {
    const referred = await h.call('employment.refer', { referralId, referredOn: '2026-03-16', provider: 'IPS employment adviser' });
    const support = referred.support[0]!;
    expect(support).toMatchObject({ referredOn: '2026-03-16', provider: 'IPS employment adviser', startedOn: null, endedOn: null });
    await refusedWithNothingWritten('employment.refer', { referralId, referredOn: '2026-02-01', provider: 'Too early' }, 'referredOn', /before the referral was received/);
    await refusedWithNothingWritten('employment.refer', { referralId, referredOn: '2026-07-01', provider: 'Too late' }, 'referredOn', /future/);
    await refusedWithNothingWritten('employment.setDates', { id: support.id, version: support.version, startedOn: '2026-03-10', endedOn: null }, 'startedOn', /before the referral to support/);
    const started = await h.call('employment.setDates', { id: support.id, version: support.version, startedOn: '2026-03-23', endedOn: '2026-06-15' });
    expect(started.support[0]).toMatchObject({ startedOn: '2026-03-23', endedOn: '2026-06-15', version: 2 });
    const stale = await h.refusal('employment.setDates', { id: support.id, version: support.version, startedOn: '2026-03-24', endedOn: null });
    expect(stale.code).toBe('STALE_VERSION');
    const shape = await h.refusal('employment.setDates', { id: support.id, version: 2, startedOn: null, endedOn: '2026-06-15' });
    expect(shape.fields?.map((f) => f.path)).toContain('endedOn');
    expect(TODAY).toBe('2026-06-30');
  });
});
