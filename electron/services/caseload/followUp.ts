import type { z } from 'zod';
import { formatUkDate } from '../../../shared/domain/dates';
import type { Action, ContactAttempt, ContactAttemptInput, followUpMethods } from '../../../shared/contract/followUp';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import type { ActionsTable, ContactAttemptsTable } from '../store/schema';
import type { CaseloadContext } from './context';
import { meta, newColumns, nextColumns, notFound, refuse, stale } from './records';
import { referralInScope } from './scope';

export function toAction(row: ActionsTable): Action {
  return {
    id: row.id,
    referralId: row.referral_id,
    contactId: row.contact_id,
    kind: row.kind,
    description: row.description,
    dueDate: row.due_date,
    doneAt: row.done_at,
    ownerId: row.owner_id,
    ...meta(row),
  };
}

export function toContactAttempt(row: ContactAttemptsTable): ContactAttempt {
  return {
    id: row.id,
    referralId: row.referral_id,
    date: row.date,
    method: row.method as ContactAttempt['method'],
    outcome: row.outcome as ContactAttempt['outcome'],
    note: row.note,
    ...meta(row),
  };
}

export async function completeAction(ctx: CaseloadContext, id: string, version: number): Promise<Action> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('actions').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw notFound('action');
    await referralInScope(trx, ctx, row.referral_id, 'action');
    if (row.done_at !== null) throw refuse('id', `names an action already done on ${formatUkDate(row.done_at.slice(0, 10))}`);
    if (row.version !== version) throw stale();
    const updated: ActionsTable = { ...row, done_at: ctx.now().toISOString(), ...nextColumns(row, ctx) };
    await trx.updateTable('actions').set(updated).where('id', '=', id).where('version', '=', version).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'update', entity: 'action', entityIds: [id] }, ctx.now());
    return toAction(updated);
  });
}

export async function recordContactAttempt(ctx: CaseloadContext, input: z.output<typeof ContactAttemptInput>): Promise<ContactAttempt> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, input.referralId);
    if (input.date < referral.received_date) throw refuse('date', `is before the referral was received (${formatUkDate(referral.received_date)})`);
    const row: ContactAttemptsTable = {
      ...newColumns(ctx),
      referral_id: referral.id,
      date: input.date,
      method: input.method,
      outcome: input.outcome,
      note: input.note || null,
    };
    await trx.insertInto('contact_attempts').values(row).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'contact-attempt', entityIds: [row.id] }, ctx.now());
    return toContactAttempt(row);
  });
}

export function followUpHandlers(context: ContextSource): HandlerMap<typeof followUpMethods> {
  return {
    'actions.complete': (i) => completeAction(context(), i.id, i.version),
    'contactAttempts.record': (i) => recordContactAttempt(context(), i),
  };
}
