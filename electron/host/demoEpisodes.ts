import type { Handlers } from '../services/handlers';
import { todayIso } from '../../shared/domain/dates';
import { SYNTHETIC_EPISODES, type SyntheticEpisode } from '../../resources/demo/syntheticEpisodes';

function day(offset: number, now: Date): string {
  const d = new Date(now);
  d.setDate(d.getDate() + offset);
  return todayIso(d);
}

/** Item answers that add up to a total (3 per item at most), item 9 as given: what a patient might have ticked. */
function spread(total: number, items: number, last = 0): number[] {
  const out = Array<number>(items).fill(0);
  out[items - 1] = last;
  let left = total - last;
  for (let i = 0; i < items - 1 && left > 0; i++) {
    out[i] = Math.min(3, left);
    left -= out[i]!;
  }
  return out;
}

/** Writes one synthetic episode through the same services the screens use, so it is audited and valid. */
async function seedEpisode(h: Handlers, patientId: string, e: SyntheticEpisode, now: Date, diary: Map<string, number>): Promise<string> {
  const at = (daysAgo: number) => day(-daysAgo, now);
  let r = await h['referrals.create']({
    patientId,
    receivedDate: at(e.receivedDaysAgo),
    referrerRole: e.referrerRole,
    ltcCodes: e.ltcCodes,
    reason: e.reason,
    riskKnown: e.label.includes('item 9'),
    consent: true,
    urgency: 'routine',
    pathway: e.pathway,
    team: e.team,
    status: e.status,
  });
  if (e.descriptor || e.step) r = await h['referrals.update']({ id: r.id, version: r.version, changes: { problemDescriptor: e.descriptor ?? null, step: e.step ?? null, optedIn: true } });
  for (const a of e.attempts ?? []) await h['contactAttempts.record']({ referralId: r.id, date: at(a.daysAgo), method: 'telephone', outcome: a.outcome });
  if (e.dds2) await h['screenings.record']({ patientId, instrumentId: 'dds2', answers: e.dds2, date: at(e.receivedDaysAgo), referralOffered: true });
  const adsm = e.descriptor === 'F41.0' ? 'pdss' : null;
  for (const [i, s] of e.sessions.entries()) {
    const type = i === 0 && e.status !== 'in-treatment' ? 'assessment' : 'treatment';
    const c = await h['contacts.create']({ referralId: r.id, date: at(s.daysAgo), startTime: '10:00', durationMinutes: e.step === 2 ? 30 : 50, type, mechanism: i % 3 === 2 ? '02' : '01', location: e.team, attendance: s.attendance ?? 5 });
    if ((s.attendance ?? 5) !== 5) continue;
    await h['measures.record']({ referralId: r.id, contactId: c.id, date: c.date, instrumentId: 'phq9', answers: spread(s.phq9, 9, s.item9 ?? 0), completedBy: 'patient' });
    await h['measures.record']({ referralId: r.id, contactId: c.id, date: c.date, instrumentId: 'gad7', answers: spread(adsm ? Math.round(s.anxiety / 2) : s.anxiety, 7), completedBy: 'patient' });
    if (adsm) await h['measures.record']({ referralId: r.id, contactId: c.id, date: c.date, instrumentId: adsm, answers: [s.anxiety], completedBy: 'clinician' });
    if (i === 0 && e.hba1c) await h['measures.record']({ referralId: r.id, contactId: c.id, date: c.date, instrumentId: 'hba1c', answers: [e.hba1c], completedBy: 'clinician' });
    const note = await h['notes.create']({ referralId: r.id, contactId: c.id, body: `Session ${i + 1}: reviewed scores and homework; plan agreed for next week.` });
    if (!s.item9) await h['notes.sign']({ id: note.id, version: note.version });
  }
  if (e.bookedDaysAhead) {
    // One clinician's diary: each booking on a day takes the next free hour from 09:00.
    const date = day(e.bookedDaysAhead, now);
    const booked = diary.get(date) ?? 0;
    diary.set(date, booked + 1);
    const startTime = `${String(9 + (booked % 9)).padStart(2, '0')}:00`;
    await h['contacts.create']({ referralId: r.id, date, startTime, durationMinutes: 50, type: e.status === 'waiting-assessment' ? 'assessment' : 'treatment', mechanism: '01', location: e.team, attendance: null });
  }
  if (e.discharge) await h['referrals.discharge']({ id: r.id, version: r.version, endCode: e.discharge.endCode, dischargeDate: at(e.discharge.daysAgo) });
  for (const p of e.pauses ?? []) await h['waiting.addPause']({ referralId: r.id, startDate: at(p.fromDaysAgo), endDate: at(p.untilDaysAgo), reason: p.reason });
  return r.id;
}

/**
 * A diabetes course (issue #10 §7) with the demo's diabetes patients in treatment, and its first session a week
 * ago, so the groups screens open on real content. Measures are left to enter, as after a real session.
 */
async function seedDemoGroup(h: Handlers, memberIds: readonly string[], now: Date): Promise<void> {
  if (memberIds.length === 0) return;
  const group = await h['groups.create']({
    title: 'Living well with diabetes',
    condition: 'diabetes',
    coFacilitatorName: 'Priya Shah',
    coFacilitatorRole: 'Diabetes specialist nurse',
    location: 'Diabetes centre, Watford General',
    startsOn: day(-7, now),
    plannedSessions: 6,
  });
  for (const referralId of memberIds) await h['groups.addMember']({ groupId: group.group.id, referralId, joinedOn: day(-7, now) });
  await h['groups.recordSession']({ groupId: group.group.id, date: day(-7, now), startTime: '14:00', durationMinutes: 90, mechanism: '01', attendance: memberIds.map((referralId) => ({ referralId, attendance: 5 })) });
}

/** One synthetic episode per patient, cycling through the stages; patients beyond the list stay unreferred. */
export async function seedDemoEpisodes(h: Handlers, patientIds: readonly string[], now = new Date()): Promise<void> {
  const diary = new Map<string, number>();
  const groupMembers: string[] = [];
  for (const [i, id] of patientIds.entries()) {
    const e = SYNTHETIC_EPISODES[i % (SYNTHETIC_EPISODES.length + 2)];
    if (!e) continue;
    const referralId = await seedEpisode(h, id, e, now, diary);
    if (e.groupMember) groupMembers.push(referralId);
  }
  await seedDemoGroup(h, groupMembers, now);
}
