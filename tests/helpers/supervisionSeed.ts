import type { Kysely } from 'kysely';
import type { Handlers } from '../../electron/services/handlers';
import type { CaseloadDb } from '../../electron/services/store/schema';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';

/**
 * A supervisee's caseload on the supervisor's own store, as sync would have brought it: the directory entry and
 * the caseholder come from the team server, so they are written as rows; the clinical records go through the
 * services (recorded by the supervisor's store owner, then handed to the supervisee as caseholder).
 */
export const SUPERVISEE_ID = '01900000-0000-7000-8000-00000000ada1';

const daysAgo = (today: Date, n: number) => new Date(today.getTime() - n * 86_400_000).toISOString().slice(0, 10);

export async function seedSupervisee(h: Handlers, db: Kysely<CaseloadDb>, supervisorId: string, today = new Date()) {
  const at = today.toISOString();
  await db.insertInto('users').values({ id: SUPERVISEE_ID, display_name: 'Ada Mensah', role: 'hit', supervisor_id: supervisorId, version: 1, created_at: at, updated_at: at, deactivated_at: null, updated_by: null }).execute();
  const patient = (n: number, given: string, family: string) => h['patients.create']({ nhsNumber: validNhsNumber(500 + n), givenName: given, familyName: family, dateOfBirth: '1970-01-01', gpPractice: 'Seed Surgery' });
  const referral = (patientId: string, received: string, discuss = false) =>
    h['referrals.create']({ patientId, receivedDate: received, referrerRole: 'gp', ltcCodes: ['44054006'], reason: 'Low mood', riskKnown: false, consent: true, urgency: 'routine', pathway: 'integrated-ltc', team: 'Diabetes', status: 'in-treatment', ...(discuss ? {} : {}) });
  const contact = (referralId: string, date: string, attendance: number) =>
    h['contacts.create']({ referralId, date, startTime: '10:00', durationMinutes: 50, type: 'treatment', mechanism: '01', location: 'Clinic', attendance });

  // At risk: PHQ-9 item 9 answered 2 at the last session.
  const risky = await patient(1, 'Rhys', 'Risk');
  const r1 = await referral(risky.id, daysAgo(today, 60));
  const c1 = await contact(r1.id, daysAgo(today, 30), 5);
  await h['measures.record']({ referralId: r1.id, contactId: c1.id, date: c1.date, instrumentId: 'phq9', answers: [2, 2, 2, 2, 2, 2, 2, 2, 0], completedBy: 'patient' });
  const c2 = await contact(r1.id, daysAgo(today, 3), 5);
  await h['measures.record']({ referralId: r1.id, contactId: c2.id, date: c2.date, instrumentId: 'phq9', answers: [2, 2, 2, 2, 2, 2, 2, 2, 2], completedBy: 'patient' });
  await h['measures.record']({ referralId: r1.id, contactId: c2.id, date: c2.date, instrumentId: 'gad7', answers: [2, 2, 2, 2, 2, 2, 2], completedBy: 'patient' });
  await h['measures.record']({ referralId: r1.id, contactId: c1.id, date: c1.date, instrumentId: 'gad7', answers: [3, 3, 2, 2, 2, 2, 2], completedBy: 'patient' });

  // Two DNAs, seen recently.
  const dna = await patient(2, 'Dana', 'Absent');
  const r2 = await referral(dna.id, daysAgo(today, 40));
  await contact(r2.id, daysAgo(today, 20), 3);
  await contact(r2.id, daysAgo(today, 10), 3);
  await contact(r2.id, daysAgo(today, 2), 5);

  // Going well: seen this week with every due measure; nothing to flag.
  const well = await patient(3, 'Wendy', 'Well');
  const r3 = await referral(well.id, daysAgo(today, 20));
  const c3 = await contact(r3.id, daysAgo(today, 5), 5);
  await h['measures.record']({ referralId: r3.id, contactId: c3.id, date: c3.date, instrumentId: 'phq9', answers: [1, 1, 1, 1, 1, 1, 1, 1, 0], completedBy: 'patient' });
  await h['measures.record']({ referralId: r3.id, contactId: c3.id, date: c3.date, instrumentId: 'gad7', answers: [1, 1, 1, 1, 1, 1, 1], completedBy: 'patient' });

  const ids = [r1.id, r2.id, r3.id];
  await db.updateTable('referrals').set({ caseholder_id: SUPERVISEE_ID }).where('id', 'in', ids).execute();
  return { riskReferralId: r1.id, dnaReferralId: r2.id, wellReferralId: r3.id, patientNames: { risk: 'Rhys Risk', dna: 'Dana Absent', well: 'Wendy Well' } };
}
