import type { z } from 'zod';
import type { CaseloadQuery, CaseloadRow, caseloadMethods } from '../../../shared/contract/caseload';
import { daysBetween, todayIso } from '../../../shared/domain/dates';
import { matchesPatient } from '../../../shared/domain/patientSearch';
import { ATTENDED_CODES, TREATMENT_TYPES, type ContactType } from '../../../shared/outcomes';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import type { ContactsTable, MeasuresTable, ReferralsTable, RiskAssessmentsTable } from '../store/schema';
import type { CaseloadContext } from './context';
import { openRiskAlerts } from './measures';
import { serviceOutcomes } from './serviceSettings';
import { caseholderScope, patientInScope } from './scope';

const LIMIT = 5000;

function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
}

/** Last score of an instrument, with the one before it for the trend. */
function lastScore(measures: MeasuresTable[], instrumentId: string) {
  const scored = measures.filter((m) => m.instrument_id === instrumentId && m.total !== null).sort((a, b) => a.date.localeCompare(b.date) || a.created_at.localeCompare(b.created_at));
  const last = scored[scored.length - 1];
  if (!last) return null;
  return { instrumentId, total: last.total!, date: last.date, previous: scored[scored.length - 2]?.total ?? null };
}

/** One row per patient; a list view is one audit event naming every patient and referral shown. */
export async function listCaseload(ctx: CaseloadContext, input: z.output<typeof CaseloadQuery>): Promise<CaseloadRow[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const today = todayIso(ctx.now());
    const scope = await caseholderScope(trx, ctx);
    const patients = (await trx.selectFrom('patients').selectAll().where('deleted_at', 'is', null).where(patientInScope(scope)).orderBy('family_name').orderBy('given_name').execute())
      .filter((p) => matchesPatient(input.query ?? '', { nhsNumber: p.nhs_number, givenName: p.given_name, familyName: p.family_name, dateOfBirth: p.date_of_birth }));
    const ids = patients.map((p) => p.id);
    const referrals: ReferralsTable[] = ids.length ? await trx.selectFrom('referrals').selectAll().where('patient_id', 'in', ids).where('deleted_at', 'is', null).execute() : [];
    // The current episode: the latest open referral, else the latest of any.
    const current = new Map<string, ReferralsTable>();
    for (const r of [...referrals].sort((a, b) => a.received_date.localeCompare(b.received_date) || a.created_at.localeCompare(b.created_at))) {
      const held = current.get(r.patient_id);
      if (!held || r.status !== 'discharged' || held.status === 'discharged') current.set(r.patient_id, r);
    }
    const refIds = [...current.values()].map((r) => r.id);
    const [contacts, measures, risks] = refIds.length
      ? await Promise.all([
          trx.selectFrom('contacts').selectAll().where('referral_id', 'in', refIds).where('deleted_at', 'is', null).execute(),
          trx.selectFrom('measures').selectAll().where('referral_id', 'in', refIds).where('deleted_at', 'is', null).execute(),
          trx.selectFrom('risk_assessments').selectAll().where('referral_id', 'in', refIds).where('deleted_at', 'is', null).execute(),
        ])
      : [[] as ContactsTable[], [] as MeasuresTable[], [] as RiskAssessmentsTable[]];
    const contactsOf = groupBy(contacts, (c) => c.referral_id);
    const measuresOf = groupBy(measures, (m) => m.referral_id);
    const risksOf = groupBy(risks, (r) => r.referral_id);
    const outcomes = await serviceOutcomes(trx);

    const rows: CaseloadRow[] = patients.map((p) => {
      const r = current.get(p.id);
      let episode: CaseloadRow['episode'] = null;
      if (r) {
        const cs = contactsOf.get(r.id) ?? [];
        const ms = measuresOf.get(r.id) ?? [];
        const treated = cs.filter((c) => c.attendance !== null && ATTENDED_CODES.has(c.attendance) && TREATMENT_TYPES.has(c.type as ContactType));
        const next = cs.filter((c) => c.attendance === null && c.date >= today).map((c) => c.date).sort()[0] ?? null;
        const latestRisk = [...(risksOf.get(r.id) ?? [])].sort((a, b) => a.date.localeCompare(b.date) || a.created_at.localeCompare(b.created_at)).pop();
        let anxiety = 'gad7';
        try {
          anxiety = outcomes.adsmFor(r.problem_descriptor) ?? 'gad7';
        } catch {
          // an unreadable descriptor leaves GAD-7, as the engine's fallback does
        }
        episode = {
          referralId: r.id,
          status: r.status as NonNullable<CaseloadRow['episode']>['status'],
          pathway: r.pathway as NonNullable<CaseloadRow['episode']>['pathway'],
          receivedDate: r.received_date,
          daysWaiting: r.status !== 'discharged' && treated.length === 0 ? Math.max(0, daysBetween(r.received_date, today)) : null,
          sessions: treated.length,
          nextAppointment: next,
          lastPhq9: lastScore(ms, 'phq9'),
          lastAnxiety: lastScore(ms, anxiety) ?? lastScore(ms, 'gad7'),
          riskFlag: openRiskAlerts(ms).length > 0 || latestRisk?.level === 'high',
        };
      }
      return { patientId: p.id, nhsNumber: p.nhs_number, givenName: p.given_name, familyName: p.family_name, dateOfBirth: p.date_of_birth, gpPractice: p.gp_practice, episode };
    });
    const shown = rows
      .filter((row) => (input.status ? row.episode?.status === input.status : true))
      .filter((row) => (input.pathway ? row.episode?.pathway === input.pathway : true))
      .filter((row) => (input.riskOnly ? row.episode?.riskFlag === true : true))
      .slice(0, LIMIT);
    await appendAudit(
      trx,
      { actorId: ctx.actorId, action: 'list', entity: 'caseload', entityIds: shown.flatMap((row) => [row.patientId, ...(row.episode ? [row.episode.referralId] : [])]) },
      ctx.now(),
    );
    return shown;
  });
}

export function caseloadHandlers(context: ContextSource): HandlerMap<typeof caseloadMethods> {
  return { 'caseload.list': async (i) => ({ rows: await listCaseload(context(), i) }) };
}
