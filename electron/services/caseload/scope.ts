import type { ExpressionBuilder } from 'kysely';
import { caseholdersInScope } from '../../../shared/roles/scope';
import type { CaseloadDb, PatientsTable, ReferralsTable } from '../store/schema';
import { statementsFor } from '../store/database';
import type { CaseloadContext } from './context';
import { liveReferral, notFound, type Trx } from './records';

/** The caseholders whose patients this person sees (shared/roles/scope.ts), or null for the whole team. */
export async function caseholderScope(_trx: Trx, ctx: CaseloadContext): Promise<string[] | null> {
  if (ctx.role === 'booking-clerk') return null;
  // A plain statement on the transaction's connection (database.ts statementsFor): every list asks this first.
  const directory = statementsFor(ctx.db).prepare('select id, supervisor_id from users').raw().all() as [string, string | null][];
  return caseholdersInScope(ctx.role, ctx.actorId, directory.map(([id, supervisorId]) => ({ id, supervisorId })));
}

/**
 * A filter on `patients`: those with a live referral held by someone in scope, or registered by someone in
 * scope and not yet referred to anyone else. Null scope (the whole team) filters nothing.
 */
export function patientInScope(scope: string[] | null) {
  return (eb: ExpressionBuilder<CaseloadDb, 'patients'>) => {
    if (scope === null) return eb.lit(true);
    if (scope.length === 0) return eb.lit(false);
    const held = eb.selectFrom('referrals').select('referrals.patient_id').where('referrals.caseholder_id', 'in', scope).where('referrals.deleted_at', 'is', null);
    const referred = eb.selectFrom('referrals').select('referrals.patient_id').where('referrals.deleted_at', 'is', null);
    return eb.or([eb('patients.id', 'in', held), eb.and([eb('patients.created_by', 'in', scope), eb('patients.id', 'not in', referred)])]);
  };
}

/**
 * A live patient this person may see, or NOT_FOUND — the same answer as for a patient who does not exist, so a
 * read by id never discloses someone else's patient (DESIGN §5.6: scope follows the patient of every row).
 */
export async function patientInScopeById(trx: Trx, ctx: CaseloadContext, patientId: string, what = 'patient'): Promise<PatientsTable> {
  const row = await trx.selectFrom('patients').selectAll().where('id', '=', patientId).where('deleted_at', 'is', null).where(patientInScope(await caseholderScope(trx, ctx))).executeTakeFirst();
  if (!row) throw notFound(what);
  return row;
}

/**
 * A live referral whose patient this person may see, or NOT_FOUND (a referral out of scope is not disclosed).
 * `what` names the record asked for when it is one of the referral's own (a note, a contact), so the answer is
 * the same as for an id that does not exist.
 */
export async function referralInScope(trx: Trx, ctx: CaseloadContext, id: string, what = 'referral'): Promise<ReferralsTable> {
  const referral = await liveReferral(trx, id);
  await patientInScopeById(trx, ctx, referral.patient_id, what);
  return referral;
}
