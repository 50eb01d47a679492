import type { z } from 'zod';
import type { Screening, ScreeningInput, screeningMethods } from '../../../shared/contract/screenings';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import type { ScreeningsTable } from '../store/schema';
import type { CaseloadContext } from './context';
import { fromOutcomeError, meta, newColumns, refuse } from './records';
import { patientInScopeById } from './scope';
import { serviceOutcomes } from './serviceSettings';

function toScreening(row: ScreeningsTable): Screening {
  return {
    id: row.id,
    patientId: row.patient_id,
    instrumentId: row.instrument_id as Screening['instrumentId'],
    instrumentVersion: row.instrument_version,
    answers: JSON.parse(row.answers) as Screening['answers'],
    total: row.total,
    positive: row.positive === null ? null : row.positive === 1,
    resultLabel: row.result_label,
    date: row.date,
    referralOffered: row.referral_offered === 1,
    ...meta(row),
  };
}

/** A screen in clinic (issue #8 item 2): the result is the engine's "positive screen", never caseness. */
export async function recordScreening(ctx: CaseloadContext, input: z.output<typeof ScreeningInput>): Promise<Screening> {
  return ctx.db.transaction().execute(async (trx) => {
    const patient = await trx.selectFrom('patients').select(['id', 'date_of_birth']).where('id', '=', input.patientId).where('deleted_at', 'is', null).executeTakeFirst();
    if (!patient) throw refuse('patientId', 'is not a patient on this caseload');
    if (input.date < patient.date_of_birth) throw refuse('date', 'is before the patient was born');
    const outcomes = await serviceOutcomes(trx);
    let score;
    try {
      score = outcomes.scoreMeasure(input.instrumentId, input.answers);
    } catch (err) {
      throw fromOutcomeError(err);
    }
    const row: ScreeningsTable = {
      ...newColumns(ctx),
      patient_id: patient.id,
      instrument_id: score.instrumentId,
      instrument_version: score.version,
      answers: JSON.stringify(input.answers),
      total: score.total,
      positive: score.screen === null ? null : score.screen.positive ? 1 : 0,
      result_label: score.screen?.label ?? null,
      date: input.date,
      referral_offered: input.referralOffered ? 1 : 0,
    };
    await trx.insertInto('screenings').values(row).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'screening', entityIds: [row.id] }, ctx.now());
    return toScreening(row);
  });
}

export async function listScreenings(ctx: CaseloadContext, patientId: string): Promise<Screening[]> {
  return ctx.db.transaction().execute(async (trx) => {
    await patientInScopeById(trx, ctx, patientId);
    const rows = await trx.selectFrom('screenings').selectAll().where('patient_id', '=', patientId).where('deleted_at', 'is', null).orderBy('date', 'desc').orderBy('created_at', 'desc').execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'list', entity: 'screening', entityIds: rows.map((r) => r.id) }, ctx.now());
    return rows.map(toScreening);
  });
}

export function screeningHandlers(context: ContextSource): HandlerMap<typeof screeningMethods> {
  return {
    'screenings.record': (i) => recordScreening(context(), i),
    'screenings.list': async (i) => ({ screenings: await listScreenings(context(), i.patientId) }),
  };
}
