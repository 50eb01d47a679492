import type { z } from 'zod';
import { formatUkDate } from '../../../shared/domain/dates';
import type { DueMeasure, Measure, MeasureInput, measureMethods } from '../../../shared/contract/measures';
import type { ContactType } from '../../../shared/outcomes';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import type { MeasuresTable } from '../store/schema';
import type { CaseloadContext } from './context';
import { toEpisode } from './episodeAdapter';
import { fromOutcomeError, meta, newColumns, refuse } from './records';
import { referralInScope } from './scope';
import { serviceOutcomes } from './serviceSettings';

type ParsedMeasure = z.output<typeof MeasureInput>;

/** Measures kinds that belong to screening, not to the session record. */
const SCREENING_KINDS = new Set(['screen', 'local-screen']);

export function toMeasure(row: MeasuresTable): Measure {
  return {
    id: row.id,
    referralId: row.referral_id,
    contactId: row.contact_id,
    instrumentId: row.instrument_id,
    instrumentVersion: row.instrument_version,
    answers: JSON.parse(row.answers) as Measure['answers'],
    total: row.total,
    riskFlags: JSON.parse(row.risk_flags) as string[],
    riskReviewId: row.risk_review_id,
    completedBy: row.completed_by as Measure['completedBy'],
    date: row.date,
    ...meta(row),
  };
}

/** Risk flags (PHQ-9 item 9 > 0) without a risk review: an alert that blocks signing (DESIGN §4). */
export function openRiskAlerts(rows: readonly MeasuresTable[]) {
  return rows
    .filter((m) => m.deleted_at === null && m.risk_review_id === null && m.risk_flags !== '[]')
    .map((m) => ({ measureId: m.id, date: m.date, flags: JSON.parse(m.risk_flags) as string[] }));
}

/** Scores with the service's configured engine and stores the total it gives; a skipped item stores no total. */
export async function recordMeasure(ctx: CaseloadContext, input: ParsedMeasure): Promise<Measure> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, input.referralId);
    const outcomes = await serviceOutcomes(trx);
    let date = input.date;
    let contactType: string | null = null;
    if (input.contactId) {
      const contact = await trx.selectFrom('contacts').selectAll().where('id', '=', input.contactId).where('deleted_at', 'is', null).executeTakeFirst();
      if (!contact || contact.referral_id !== referral.id) throw refuse('contactId', 'is not a contact of this referral');
      if (contact.attendance !== 5 && contact.attendance !== 6) throw refuse('contactId', 'names a contact not recorded as attended');
      if (input.date !== contact.date) throw refuse('date', `must be the date of its contact (${formatUkDate(contact.date)})`);
      date = contact.date;
      contactType = contact.type;
    }
    if (date < referral.received_date) throw refuse('date', `is before the referral was received (${formatUkDate(referral.received_date)})`);
    if (referral.discharge_date !== null && date > referral.discharge_date && contactType !== 'follow-up') {
      throw refuse('date', `is after discharge (${formatUkDate(referral.discharge_date!)}); record it at a follow-up contact`);
    }
    let score;
    try {
      const def = outcomes.instrument(input.instrumentId);
      if (SCREENING_KINDS.has(def.kind)) throw refuse('instrumentId', `${def.title} is a screen; record it under screening`);
      score = outcomes.scoreMeasure(input.instrumentId, input.answers, { problemDescriptor: referral.problem_descriptor });
    } catch (err) {
      throw fromOutcomeError(err);
    }
    const row: MeasuresTable = {
      ...newColumns(ctx),
      referral_id: referral.id,
      contact_id: input.contactId ?? null,
      instrument_id: score.instrumentId,
      instrument_version: score.version,
      answers: JSON.stringify(input.answers),
      total: score.total,
      risk_flags: JSON.stringify(score.riskFlags.map((f) => f.flag)),
      risk_review_id: null,
      completed_by: input.completedBy,
      date,
    };
    await trx.insertInto('measures').values(row).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'measure', entityIds: [row.id] }, ctx.now());
    return toMeasure(row);
  });
}

/** `measuresDue` on the stored episode, with each measure's title and the engine's reason. */
export async function measuresDueAt(ctx: CaseloadContext, input: { referralId: string; date: string; type: ContactType; final: boolean }): Promise<DueMeasure[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, input.referralId);
    if (input.date < referral.received_date) throw refuse('date', `is before the referral was received (${formatUkDate(referral.received_date)})`);
    const contacts = await trx.selectFrom('contacts').selectAll().where('referral_id', '=', referral.id).execute();
    const measures = await trx.selectFrom('measures').selectAll().where('referral_id', '=', referral.id).execute();
    const outcomes = await serviceOutcomes(trx);
    let due;
    try {
      due = outcomes.measuresDue(toEpisode(referral, contacts, measures), { date: input.date, type: input.type, final: input.final });
    } catch (err) {
      throw fromOutcomeError(err);
    }
    await appendAudit(trx, { actorId: ctx.actorId, action: 'view', entity: 'referral', entityIds: [referral.id] }, ctx.now());
    return due.map((d) => ({ ...d, title: outcomes.instrument(d.instrumentId).title }));
  });
}

export function measureHandlers(context: ContextSource): HandlerMap<typeof measureMethods> {
  return {
    'measures.record': (i) => recordMeasure(context(), i),
    'measures.due': async (i) => ({ due: await measuresDueAt(context(), i) }),
  };
}
