import { type Kysely, sql, type Transaction } from 'kysely';
import type { Role } from '../../shared/domain/people';
import { roleReadsTable, SYNCED_TABLES, type SyncedTable, TABLE_POLICY } from '../../shared/sync/tables';
import type { ServerDatabase } from '../db/schema';

/**
 * Who may see and write which rows (DESIGN §5.6, shared/sync/tables.ts TABLE_POLICY). A clinician's scope is the
 * patients of every live referral held by them or a direct supervisee, plus explicit grants, plus patients they
 * created that have no referral yet. A booking clerk reaches every patient of the team but no clinical table; an
 * admin reaches team-wide tables only. Everything is recomputed from the current rows on every request, so a
 * handover, a new supervisee or a revoked grant takes effect at the next pull or push.
 */

type Db = Kysely<ServerDatabase> | Transaction<ServerDatabase>;

/** The authenticated device and the user behind it, as every sync decision needs them. */
export interface Actor {
  deviceId: string;
  teamId: string;
  userId: string;
  role: Role;
}

/** `all`: every patient of the team (booking clerk). Otherwise exactly `patients`. */
export interface Scope {
  all: boolean;
  patients: ReadonlySet<string>;
}

/** Tables this role may read and write, in a stable order. */
export function tablesForRole(role: Role): SyncedTable[] {
  return SYNCED_TABLES.filter((t) => roleReadsTable(role, t));
}

export const TEAM_TABLES: readonly SyncedTable[] = SYNCED_TABLES.filter((t) => TABLE_POLICY[t].scope.kind === 'team');

/** The user and their direct supervisees: whose referrals bring a patient into this user's scope. */
export async function caseholdersReachedBy(db: Db, actor: Actor): Promise<string[]> {
  const supervisees = await db.selectFrom('users').select('id').where('team_id', '=', actor.teamId).where('supervisor_id', '=', actor.userId).execute();
  return [actor.userId, ...supervisees.map((u) => u.id)];
}

export async function scopeOf(db: Db, actor: Actor): Promise<Scope> {
  if (actor.role === 'admin') return { all: false, patients: new Set() };
  // The clerk books for, and the service lead reports on, the whole team.
  if (actor.role === 'booking-clerk' || actor.role === 'service-lead') {
    const rows = await db
      .selectFrom('current_rows')
      .select('row_id')
      .where('team_id', '=', actor.teamId)
      .where('table_name', '=', 'patients')
      .execute();
    return { all: true, patients: new Set(rows.map((r) => r.row_id)) };
  }
  const reach = await caseholdersReachedBy(db, actor);
  const referred = await db
    .selectFrom('current_rows')
    .select('patient_id')
    .distinct()
    .where('team_id', '=', actor.teamId)
    .where('table_name', '=', 'referrals')
    .where('deleted', '=', false)
    .where(sql<string>`payload->>'caseholder_id'`, 'in', reach)
    .execute();
  const granted = await db
    .selectFrom('grants')
    .select('patient_id')
    .where('team_id', '=', actor.teamId)
    .where('user_id', '=', actor.userId)
    .where('revoked_at', 'is', null)
    .execute();
  const unreferred = await db
    .selectFrom('current_rows as p')
    .select('p.row_id')
    .where('p.team_id', '=', actor.teamId)
    .where('p.table_name', '=', 'patients')
    .where('p.deleted', '=', false)
    .where(sql<string>`p.payload->>'created_by'`, '=', actor.userId)
    // One pass over the team's referrals (a hashed NOT IN), not a search of them for each patient the user
    // registered, which a clinician with a few hundred patients felt on every pull.
    .where(
      'p.row_id',
      'not in',
      db
        .selectFrom('current_rows as r')
        .select(sql<string>`r.patient_id`.as('patient_id'))
        .where('r.team_id', '=', actor.teamId)
        .where('r.table_name', '=', 'referrals')
        .where('r.deleted', '=', false)
        .where('r.patient_id', 'is not', null),
    )
    .execute();
  const patients = new Set<string>();
  for (const r of referred) if (r.patient_id) patients.add(r.patient_id);
  for (const g of granted) patients.add(g.patient_id);
  for (const p of unreferred) patients.add(p.row_id);
  return { all: false, patients };
}

/**
 * Whether a clinician reaches `patientId` now, by the same three routes as scopeOf but for one patient (the
 * write path asks for a handful of patients, not the whole caseload).
 */
export async function reachesPatient(
  db: Db,
  actor: Actor,
  reach: readonly string[],
  patientId: string,
  /** False when judging a new referral: once the patient has one, "created by me, not yet referred" no longer holds. */
  viaUnreferred = true,
): Promise<boolean> {
  if (actor.role === 'booking-clerk') return true;
  if (actor.role === 'admin') return false;
  const referral = await db
    .selectFrom('current_rows')
    .select(['row_id', sql<string | null>`payload->>'caseholder_id'`.as('caseholder_id')])
    .where('team_id', '=', actor.teamId)
    .where('table_name', '=', 'referrals')
    .where('deleted', '=', false)
    .where('patient_id', '=', patientId)
    .execute();
  if (referral.some((r) => r.caseholder_id !== null && reach.includes(r.caseholder_id))) return true;
  const grant = await db
    .selectFrom('grants')
    .select('patient_id')
    .where('user_id', '=', actor.userId)
    .where('team_id', '=', actor.teamId)
    .where('patient_id', '=', patientId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (grant) return true;
  if (referral.length > 0 || !viaUnreferred) return false;
  const patient = await db
    .selectFrom('current_rows')
    .select(sql<string | null>`payload->>'created_by'`.as('created_by'))
    .where('team_id', '=', actor.teamId)
    .where('table_name', '=', 'patients')
    .where('deleted', '=', false)
    .where('row_id', '=', patientId)
    .executeTakeFirst();
  return patient?.created_by === actor.userId;
}
