import { type Kysely, sql, type Transaction } from 'kysely';
import type { Role } from '../../shared/domain/people';
import { type RowPayload, Uuid } from '../../shared/sync/protocol';
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
  if (actor.role === 'booking-clerk') {
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
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('current_rows as r')
            .select('r.row_id')
            .whereRef('r.team_id', '=', 'p.team_id')
            .where('r.table_name', '=', 'referrals')
            .where('r.deleted', '=', false)
            .whereRef('r.patient_id', '=', 'p.row_id'),
        ),
      ),
    )
    .execute();
  const patients = new Set<string>();
  for (const r of referred) if (r.patient_id) patients.add(r.patient_id);
  for (const g of granted) patients.add(g.patient_id);
  for (const p of unreferred) patients.add(p.row_id);
  return { all: false, patients };
}

/**
 * The patient a row belongs to, by its table's ScopeKey: `null` for team-wide rows, `undefined` when it cannot
 * be known (a child row whose parent the team's log does not hold), which no one may write.
 */
export async function patientOfRow(db: Db, teamId: string, table: SyncedTable, rowId: string, payload: RowPayload | null): Promise<string | null | undefined> {
  const key = TABLE_POLICY[table].scope;
  if (key.kind === 'team') return null;
  if (key.kind === 'self') return rowId;
  const raw = payload?.[key.column];
  // A malformed id names no patient: it must not reach a uuid comparison (that would be a server error).
  const value = typeof raw === 'string' && Uuid.safeParse(raw).success ? raw : undefined;
  if (key.kind === 'column' || value === undefined) return value;
  const parent = await db
    .selectFrom('current_rows')
    .select('patient_id')
    .where('team_id', '=', teamId)
    .where('table_name', '=', key.table)
    .where(sql<string>`row_id::text`, '=', value)
    .executeTakeFirst();
  return parent?.patient_id ?? undefined;
}

/** Whether the row's id, or the patient it names, belongs to another team: such a write is refused outright. */
export async function belongsToAnotherTeam(db: Db, teamId: string, table: SyncedTable, rowId: string, patientId: string | null | undefined): Promise<boolean> {
  const clash = await db
    .selectFrom('current_rows')
    .select('team_id')
    .where('team_id', '!=', teamId)
    .where(({ or, and, eb }) =>
      or([
        and([eb('table_name', '=', table), eb('row_id', '=', rowId)]),
        ...(patientId ? [and([eb('table_name', '=', 'patients'), eb(sql<string>`row_id::text`, '=', patientId)])] : []),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return clash !== undefined;
}

/**
 * Whether a clinician reaches `patientId` now, by the same three routes as scopeOf but for one patient (the
 * write path asks for a handful of patients, not the whole caseload).
 */
export async function reachesPatient(db: Db, actor: Actor, reach: readonly string[], patientId: string): Promise<boolean> {
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
  if (referral.length > 0) return false;
  const patient = await db
    .selectFrom('current_rows')
    .select(sql<string | null>`payload->>'created_by'`.as('created_by'))
    .where('team_id', '=', actor.teamId)
    .where('table_name', '=', 'patients')
    .where('deleted', '=', false)
    .where(sql<string>`row_id::text`, '=', patientId)
    .executeTakeFirst();
  return patient?.created_by === actor.userId;
}
