import type { z } from 'zod';
import type { EmploymentDatesInput, EmploymentReferralInput, EmploymentSupport, EmploymentView, employmentMethods } from '../../../shared/contract/employment';
import { daysBetween, formatUkDate, todayIso } from '../../../shared/domain/dates';
import { defaultOutcomes } from '../../../shared/outcomes';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import type { EmploymentSupportTable, MeasuresTable, ReferralsTable } from '../store/schema';
import type { CaseloadContext } from './context';
import { meta, newColumns, nextColumns, notFound, refuse, stale, type Trx } from './records';
import { referralInScope } from './scope';

/**
 * Employment (issue #10 §6; ref §1 and §5.1 IDS004): the status the 'employment' measure recorded at the first and
 * latest contact, and referrals to employment support with the dates support started and ended.
 */

const EMPLOYMENT = defaultOutcomes.instrument('employment');
const STATUS_ITEM = EMPLOYMENT.items.findIndex((i) => i.id === 'status');
const ABSENCE_ITEM = EMPLOYMENT.items.findIndex((i) => i.id === 'sickness-absence');

function toSupport(row: EmploymentSupportTable): EmploymentSupport {
  return { id: row.id, referralId: row.referral_id, referredOn: row.referred_on, provider: row.provider, startedOn: row.started_on, endedOn: row.ended_on, ...meta(row) };
}

function statusOf(row: MeasuresTable) {
  const answers = JSON.parse(row.answers) as (number | null | 'na')[];
  const status = answers[STATUS_ITEM];
  const absence = answers[ABSENCE_ITEM];
  const label = EMPLOYMENT.items[STATUS_ITEM]!.options?.find((o) => o.value === status)?.label ?? null;
  return { measureId: row.id, date: row.date, status: label, sicknessAbsence: typeof absence === 'number' ? absence === 1 : null };
}

async function viewOf(trx: Trx, referral: ReferralsTable): Promise<EmploymentView> {
  const [statuses, support] = await Promise.all([
    trx.selectFrom('measures').selectAll().where('referral_id', '=', referral.id).where('instrument_id', '=', 'employment').where('deleted_at', 'is', null).orderBy('date').orderBy('created_at').execute(),
    trx.selectFrom('employment_support').selectAll().where('referral_id', '=', referral.id).where('deleted_at', 'is', null).orderBy('referred_on').orderBy('created_at').execute(),
  ]);
  const first = statuses[0];
  const last = statuses[statuses.length - 1];
  return { referralId: referral.id, atStart: first ? statusOf(first) : null, latest: last ? statusOf(last) : null, support: support.map(toSupport) };
}

/** Dates of what happened: not before the referral to support, not in the future. */
function assertPast(ctx: CaseloadContext, date: string, path: string): void {
  if (daysBetween(todayIso(ctx.now()), date) > 0) throw refuse(path, 'cannot be in the future: record it on the day it happens');
}

export async function getEmployment(ctx: CaseloadContext, referralId: string): Promise<EmploymentView> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, referralId);
    const view = await viewOf(trx, referral);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'view', entity: 'employment', entityIds: [referral.id, ...view.support.map((s) => s.id)] }, ctx.now());
    return view;
  });
}

export async function referToEmploymentSupport(ctx: CaseloadContext, input: z.output<typeof EmploymentReferralInput>): Promise<EmploymentView> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, input.referralId);
    if (referral.status === 'discharged') throw refuse('referralId', `names a referral ended on ${formatUkDate(referral.discharge_date!)}`);
    if (input.referredOn < referral.received_date) throw refuse('referredOn', `is before the referral was received (${formatUkDate(referral.received_date)})`);
    assertPast(ctx, input.referredOn, 'referredOn');
    const row: EmploymentSupportTable = { ...newColumns(ctx), referral_id: referral.id, referred_on: input.referredOn, provider: input.provider, started_on: null, ended_on: null };
    await trx.insertInto('employment_support').values(row).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'employment-support', entityIds: [row.id] }, ctx.now());
    return viewOf(trx, referral);
  });
}

export async function setEmploymentSupportDates(ctx: CaseloadContext, input: z.output<typeof EmploymentDatesInput>): Promise<EmploymentView> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('employment_support').selectAll().where('id', '=', input.id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw notFound('employment support referral');
    const referral = await referralInScope(trx, ctx, row.referral_id, 'employment support referral');
    if (row.version !== input.version) throw stale();
    if (input.startedOn !== null) {
      if (input.startedOn < row.referred_on) throw refuse('startedOn', `is before the referral to support (${formatUkDate(row.referred_on)})`);
      assertPast(ctx, input.startedOn, 'startedOn');
    }
    if (input.endedOn !== null) assertPast(ctx, input.endedOn, 'endedOn');
    await trx.updateTable('employment_support').set({ started_on: input.startedOn, ended_on: input.endedOn, ...nextColumns(row, ctx) }).where('id', '=', row.id).where('version', '=', row.version).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'update', entity: 'employment-support', entityIds: [row.id] }, ctx.now());
    return viewOf(trx, referral);
  });
}

export function employmentHandlers(context: ContextSource): HandlerMap<typeof employmentMethods> {
  return {
    'employment.get': (i) => getEmployment(context(), i.referralId),
    'employment.refer': (i) => referToEmploymentSupport(context(), i),
    'employment.setDates': (i) => setEmploymentSupportDates(context(), i),
  };
}
