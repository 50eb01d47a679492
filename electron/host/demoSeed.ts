import { todayIso } from '../../shared/domain/dates';
import { DEMO_EPISODES, spreadTotal, type DemoEpisode, type DemoSession } from '../../resources/demo/syntheticEpisodes';
import type { Handlers } from '../services/handlers';

const TEAM = 'Lister Talking Therapies (integrated LTC)';

function daysAgo(today: Date, days: number): string {
  const d = new Date(today);
  d.setDate(d.getDate() - days);
  return todayIso(d);
}

/** PHQ-9 answers: the total over items 1–8, item 9 as the episode says (it drives the risk alert). */
function phq9Answers(total: number, item9 = 0): number[] {
  return [...spreadTotal(total - item9, 8, 3), item9];
}

async function recordSession(h: Handlers, referralId: string, episode: DemoEpisode, session: DemoSession, today: Date): Promise<void> {
  const contact = await h['contacts.create']({
    referralId,
    date: daysAgo(today, session.daysAgo),
    startTime: session.type === 'assessment' ? '09:30' : '14:00',
    durationMinutes: episode.step === 2 ? 30 : 50,
    type: session.type,
    mechanism: episode.location === 'Telephone' ? '02' : '01',
    location: episode.location,
    attendance: session.attendance ?? null,
  });
  if (session.attendance !== 5) return;
  const at = { referralId, contactId: contact.id, date: contact.date, completedBy: 'patient' as const };
  if (session.phq9 !== undefined) await h['measures.record']({ ...at, instrumentId: 'phq9', answers: phq9Answers(session.phq9, session.item9) });
  if (session.anxiety !== undefined) {
    const pdss = episode.anxietyMeasure === 'pdss';
    if (pdss) await h['measures.record']({ ...at, instrumentId: 'pdss', answers: [session.anxiety] });
    // GAD-7 is taken beside an ADSM too, so the fallback works (ref §2.1).
    await h['measures.record']({ ...at, instrumentId: 'gad7', answers: spreadTotal(pdss ? Math.min(21, Math.round(session.anxiety * 0.7)) : session.anxiety, 7, 3) });
  }
}

/**
 * Puts the demo episodes (resources/demo/syntheticEpisodes.ts) into an open store through the same handlers the
 * page calls, so every record is validated and audited like a clinician's.
 */
export async function seedDemoEpisodes(h: Handlers, patientIds: readonly string[], today = new Date()): Promise<void> {
  for (const episode of DEMO_EPISODES) {
    const status = episode.status === 'discharged' ? 'in-treatment' : episode.status;
    let referral = await h['referrals.create']({
      patientId: patientIds[episode.patient]!,
      receivedDate: daysAgo(today, episode.receivedDaysAgo),
      referrerRole: episode.referrerRole,
      ltcCodes: episode.ltcCodes,
      reason: episode.reason,
      riskKnown: false,
      consent: true,
      urgency: 'routine',
      pathway: episode.pathway,
      team: TEAM,
      status,
    });
    if (status !== 'awaiting-spa' && status !== 'awaiting-triage') {
      // Triaged and opted in; assessed where the episode has a problem descriptor and step.
      referral = await h['referrals.update']({
        id: referral.id,
        version: referral.version,
        changes: { optedIn: true, ...(episode.problemDescriptor ? { problemDescriptor: episode.problemDescriptor } : {}), ...(episode.step ? { step: episode.step } : {}) },
      });
    }
    for (const session of episode.sessions) await recordSession(h, referral.id, episode, session, today);
    if (episode.discharge) {
      const current = (await h['referrals.get']({ id: referral.id })).referral;
      await h['referrals.discharge']({ id: referral.id, version: current.version, endCode: episode.discharge.endCode, dischargeDate: daysAgo(today, episode.discharge.daysAgo) });
    }
  }
}
