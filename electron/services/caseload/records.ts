import type { Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/contract/errors';
import { OutcomeError } from '../../../shared/outcomes';
import type { CaseloadDb, ClinicalColumns, ReferralsTable } from '../store/schema';
import type { CaseloadContext } from './context';

/** Shared pieces of every clinical service: refusals that name their field, record columns, live-row lookups. */
export type Trx = Transaction<CaseloadDb>;

/** A refusal that names the field at fault; thrown inside the transaction, so nothing it began is kept. */
export function refuse(path: string, message: string): AppError {
  return new AppError('VALIDATION', `Please check: ${path} ${message}.`, { fields: [{ path, message }] });
}

export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `No ${what} with that id is on this caseload.`);
}

export function stale(): AppError {
  return new AppError('STALE_VERSION', 'This record changed since you opened it. Reload it and make your change again.');
}

/** The outcomes engine rejects bad answers or overrides with field names; they reach the screen the same way. */
export function fromOutcomeError(err: unknown, prefix = ''): unknown {
  if (!(err instanceof OutcomeError)) return err;
  const fields = err.fields.map((f) => ({ path: prefix + f.path, message: f.message }));
  return new AppError('VALIDATION', `Please check: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}.`, { fields });
}

export function newColumns(ctx: CaseloadContext): ClinicalColumns {
  const at = ctx.now().toISOString();
  return { id: uuidv7(), version: 1, created_by: ctx.actorId, updated_by: ctx.actorId, created_at: at, updated_at: at, deleted_at: null };
}

export function nextColumns<R extends ClinicalColumns>(row: R, ctx: CaseloadContext): Pick<ClinicalColumns, 'version' | 'updated_by' | 'updated_at'> {
  return { version: row.version + 1, updated_by: ctx.actorId, updated_at: ctx.now().toISOString() };
}

export function meta(row: ClinicalColumns) {
  return { version: row.version, createdBy: row.created_by, updatedBy: row.updated_by, createdAt: row.created_at, updatedAt: row.updated_at };
}

export async function liveReferral(trx: Trx, id: string): Promise<ReferralsTable> {
  const row = await trx.selectFrom('referrals').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('referral');
  return row;
}

export async function assertUser(trx: Trx, id: string, path: string): Promise<void> {
  const user = await trx.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst();
  if (!user) throw refuse(path, 'is not in the team directory');
}
