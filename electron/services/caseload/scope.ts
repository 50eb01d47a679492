import type { ExpressionBuilder } from 'kysely';
import { caseholdersInScope } from '../../../shared/roles/scope';
import type { CaseloadDb } from '../store/schema';
import type { CaseloadContext } from './context';
import type { Trx } from './records';

/** The caseholders whose patients this person sees (shared/roles/scope.ts), or null for the whole team. */
export async function caseholderScope(trx: Trx, ctx: CaseloadContext): Promise<string[] | null> {
  if (ctx.role === 'booking-clerk') return null;
  const directory = await trx.selectFrom('users').select(['id', 'supervisor_id']).execute();
  return caseholdersInScope(ctx.role, ctx.actorId, directory.map((u) => ({ id: u.id, supervisorId: u.supervisor_id })));
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
