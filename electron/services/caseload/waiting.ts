import type { z } from 'zod';
import type { EndPauseInput, PauseInput, WaitingPause, WaitingView, waitingMethods } from '../../../shared/contract/waiting';
import { formatUkDate, todayIso } from '../../../shared/domain/dates';
import { pausesOverlap, waitingClock, type PauseSpan } from '../../../shared/domain/waitingClock';
import { ATTENDED_CODES, TREATMENT_TYPES, type ContactType } from '../../../shared/outcomes';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import type { ReferralsTable, WaitingPausesTable } from '../store/schema';
import type { CaseloadContext } from './context';
import { meta, newColumns, nextColumns, notFound, refuse, stale, type Trx } from './records';
import { referralInScope } from './scope';

/**
 * The waiting clock and patient-initiated pauses (issue #10 §8, ref §5.1 IDS108). The clock is the national one
 * (referral to first attended treatment, ref §4); pauses sit beside it with their own days, never taken off it.
 */

function toPause(row: WaitingPausesTable): WaitingPause {
  return { id: row.id, referralId: row.referral_id, startDate: row.start_date, endDate: row.end_date, reason: row.reason, ...meta(row) };
}

const pauseSpan = (p: { start_date: string; end_date: string | null }): PauseSpan => ({ startDate: p.start_date, endDate: p.end_date });

async function livePauses(trx: Trx, referralId: string): Promise<WaitingPausesTable[]> {
  return trx.selectFrom('waiting_pauses').selectAll().where('referral_id', '=', referralId).where('deleted_at', 'is', null).orderBy('start_date').execute();
}

/** The first attended treatment contact ends the wait (ref §4 "Wait measurement"). */
async function firstTreatmentDate(trx: Trx, referralId: string): Promise<string | null> {
  const contacts = await trx.selectFrom('contacts').select(['date', 'type', 'attendance']).where('referral_id', '=', referralId).where('deleted_at', 'is', null).orderBy('date').execute();
  return contacts.find((c) => TREATMENT_TYPES.has(c.type as ContactType) && c.attendance !== null && ATTENDED_CODES.has(c.attendance))?.date ?? null;
}

async function viewOf(trx: Trx, ctx: CaseloadContext, referral: ReferralsTable): Promise<WaitingView> {
  const [pauses, first] = await Promise.all([livePauses(trx, referral.id), firstTreatmentDate(trx, referral.id)]);
  const clock = waitingClock(referral.received_date, first, todayIso(ctx.now()), pauses.map(pauseSpan));
  return {
    referralId: referral.id,
    receivedDate: referral.received_date,
    firstTreatmentDate: first,
    waitedDays: clock.waitedDays,
    waiting: clock.waiting,
    sixWeeksOn: clock.sixWeeksOn,
    eighteenWeeksOn: clock.eighteenWeeksOn,
    pausedDays: clock.pausedDays,
    pauses: pauses.map(toPause),
  };
}

/** A pause must lie in this referral's wait and clear of its other pauses. */
async function checkPause(trx: Trx, referral: ReferralsTable, span: PauseSpan, exceptId: string | null): Promise<void> {
  if (referral.status === 'discharged') throw refuse('referralId', `names a referral ended on ${formatUkDate(referral.discharge_date!)}; its wait is over`);
  if (span.startDate < referral.received_date) throw refuse('startDate', `is before the referral was received (${formatUkDate(referral.received_date)})`);
  const first = await firstTreatmentDate(trx, referral.id);
  if (first !== null && span.startDate >= first) throw refuse('startDate', `is after the wait ended: first treatment was on ${formatUkDate(first)}`);
  const clash = (await livePauses(trx, referral.id)).find((p) => p.id !== exceptId && pausesOverlap(pauseSpan(p), span));
  if (clash) {
    throw refuse(exceptId === null ? 'startDate' : 'endDate', `overlaps the pause from ${formatUkDate(clash.start_date)}${clash.end_date ? ` to ${formatUkDate(clash.end_date)}` : ' (still open)'}`);
  }
}

export async function getWaiting(ctx: CaseloadContext, referralId: string): Promise<WaitingView> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, referralId);
    const view = await viewOf(trx, ctx, referral);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'view', entity: 'waiting-pause', entityIds: [referral.id, ...view.pauses.map((p) => p.id)] }, ctx.now());
    return view;
  });
}

export async function addPause(ctx: CaseloadContext, input: z.output<typeof PauseInput>): Promise<WaitingView> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, input.referralId);
    const span = { startDate: input.startDate, endDate: input.endDate ?? null };
    await checkPause(trx, referral, span, null);
    const row: WaitingPausesTable = { ...newColumns(ctx), referral_id: referral.id, start_date: span.startDate, end_date: span.endDate, reason: input.reason };
    await trx.insertInto('waiting_pauses').values(row).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'waiting-pause', entityIds: [row.id] }, ctx.now());
    return viewOf(trx, ctx, referral);
  });
}

export async function endPause(ctx: CaseloadContext, input: z.output<typeof EndPauseInput>): Promise<WaitingView> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('waiting_pauses').selectAll().where('id', '=', input.id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw notFound('waiting-time pause');
    const referral = await referralInScope(trx, ctx, row.referral_id, 'waiting-time pause');
    if (row.version !== input.version) throw stale();
    if (row.end_date !== null) throw refuse('id', `names a pause already ended on ${formatUkDate(row.end_date)}`);
    if (input.endDate <= row.start_date) throw refuse('endDate', `must be after the pause started (${formatUkDate(row.start_date)})`);
    await checkPause(trx, referral, { startDate: row.start_date, endDate: input.endDate }, row.id);
    await trx.updateTable('waiting_pauses').set({ end_date: input.endDate, ...nextColumns(row, ctx) }).where('id', '=', row.id).where('version', '=', row.version).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'update', entity: 'waiting-pause', entityIds: [row.id] }, ctx.now());
    return viewOf(trx, ctx, referral);
  });
}

export function waitingHandlers(context: ContextSource): HandlerMap<typeof waitingMethods> {
  return {
    'waiting.get': (i) => getWaiting(context(), i.referralId),
    'waiting.addPause': (i) => addPause(context(), i),
    'waiting.endPause': (i) => endPause(context(), i),
  };
}
