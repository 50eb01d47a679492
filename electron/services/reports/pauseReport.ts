import { pauseSummary, type PauseSummary } from '../../../shared/domain/waitingClock';
import type { Trx } from '../caseload/records';

interface Classified {
  episode: { id?: string | undefined; referralReceived: string };
  result: { firstTreatmentDate: string | null };
}

/**
 * The waiting-time pauses (IDS108) of the report's referrals that entered treatment in the period — the cohort of
 * the entered-treatment waits — summarised beside those waits, never taken off them.
 */
export async function waitingPausesOf(trx: Trx, items: readonly Classified[], period: { start: string; end: string }): Promise<PauseSummary> {
  const entered = items.filter((i) => i.episode.id !== undefined && i.result.firstTreatmentDate !== null && i.result.firstTreatmentDate >= period.start && i.result.firstTreatmentDate <= period.end);
  const wanted = new Set(entered.map((i) => i.episode.id!));
  // Pauses are few beside referrals: one pass over them beats a year's referral ids bound in chunks.
  const rows = wanted.size === 0 ? [] : await trx.selectFrom('waiting_pauses').select(['referral_id', 'start_date', 'end_date']).where('deleted_at', 'is', null).execute();
  const pausesOf = new Map<string, { startDate: string; endDate: string | null }[]>();
  for (const r of rows) if (wanted.has(r.referral_id)) pausesOf.set(r.referral_id, [...(pausesOf.get(r.referral_id) ?? []), { startDate: r.start_date, endDate: r.end_date }]);
  return pauseSummary(entered.map((i) => ({ receivedDate: i.episode.referralReceived, firstTreatmentDate: i.result.firstTreatmentDate!, pauses: pausesOf.get(i.episode.id!) ?? [] })));
}
