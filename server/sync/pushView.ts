import { sql, type Transaction } from 'kysely';
import { type RowPayload, type SyncCommand, Uuid } from '../../shared/sync/protocol';
import { type SyncedTable, TABLE_POLICY } from '../../shared/sync/tables';
import type { ServerDatabase } from '../db/schema';
import type { Actor } from './scope';

type Trx = Transaction<ServerDatabase>;

export interface CurrentRow {
  patient_id: string | null;
  version: number;
  payload: unknown;
  deleted: boolean;
}

const key = (table: string, rowId: string) => `${table}/${rowId}`;
const uuidOrUndefined = (raw: unknown) => (typeof raw === 'string' && Uuid.safeParse(raw).success ? raw : undefined);

/**
 * The team's rows as one push sees them while it holds the team's counter (push.ts): read set-wise once for the
 * whole batch instead of several queries a command, with the batch's own appends laid over them (push.ts writes
 * those to the database in one go at the end). A push holds the lock for the time it takes, and every device of
 * the team waits behind it, so this is what the team's write throughput is made of. Each answer is the one the
 * database would give at that point in the batch: the row's current version, its patient, whether it or its
 * patient is another team's, whether the writer reaches the patient.
 */
export class PushView {
  private readonly rows = new Map<string, CurrentRow | undefined>();
  /** `${table}/${id}` of rows held by another team, among the ids checked so far. */
  private readonly foreign = new Set<string>();
  private readonly checked = new Set<string>();
  private readonly reached = new Map<string, boolean>();
  /** Keys of the rows this batch has appended, in `rows` with their newest state. */
  private readonly appendedKeys = new Set<string>();
  /** Per patient read so far: each live referral's caseholder as stored, and whether the writer holds a grant. */
  private readonly storedReferrals = new Map<string, Map<string, string | null>>();
  private readonly grants = new Map<string, boolean>();

  private constructor(
    private readonly trx: Trx,
    private readonly actor: Actor,
    private readonly reach: readonly string[],
  ) {}

  static async load(trx: Trx, actor: Actor, reach: readonly string[], commands: readonly SyncCommand[]): Promise<PushView> {
    const view = new PushView(trx, actor, reach);
    const rowIds = [...new Set(commands.map((c) => c.row_id))];
    if (rowIds.length > 0) {
      const found = await trx
        .selectFrom('current_rows')
        .select(['table_name', 'row_id', 'patient_id', 'version', 'payload', 'deleted'])
        .where('team_id', '=', actor.teamId)
        .where('row_id', 'in', rowIds)
        .execute();
      for (const c of commands) view.rows.set(key(c.table, c.row_id), undefined);
      for (const r of found) view.rows.set(key(r.table_name, r.row_id), { patient_id: r.patient_id, version: r.version, payload: r.payload, deleted: r.deleted });
    }
    const patientIds = commands.flatMap((c) => {
      const scope = TABLE_POLICY[c.table].scope;
      const id = scope.kind === 'column' ? uuidOrUndefined(c.payload?.[scope.column]) : undefined;
      return id ? [id] : [];
    });
    await view.checkForeign([...rowIds, ...patientIds]);
    // The patients the batch is about, read set-wise for the reach test: a clinic's worth of edits touches a
    // different patient with nearly every command.
    const patients = new Set(patientIds);
    for (const c of commands) if (c.table === 'patients') patients.add(c.row_id);
    for (const row of view.rows.values()) if (row?.patient_id) patients.add(row.patient_id);
    await view.readPatients([...patients]);
    return view;
  }

  /** Reads what the reach test needs about these patients; a clerk's or admin's reach needs none unless `always`. */
  private async readPatients(patientIds: readonly string[], always = false): Promise<void> {
    const fresh = patientIds.filter((p) => !this.storedReferrals.has(p));
    if (fresh.length === 0 || (!always && (this.actor.role === 'booking-clerk' || this.actor.role === 'admin'))) return;
    const [referrals, grants] = await Promise.all([
      this.trx
        .selectFrom('current_rows')
        .select(['row_id', 'patient_id', sql<string | null>`payload->>'caseholder_id'`.as('caseholder_id')])
        .where('team_id', '=', this.actor.teamId)
        .where('table_name', '=', 'referrals')
        .where('deleted', '=', false)
        .where('patient_id', 'in', fresh)
        .execute(),
      this.trx
        .selectFrom('grants')
        .select('patient_id')
        .where('user_id', '=', this.actor.userId)
        .where('team_id', '=', this.actor.teamId)
        .where('patient_id', 'in', fresh)
        .where('revoked_at', 'is', null)
        .execute(),
    ]);
    for (const p of fresh) {
      this.storedReferrals.set(p, new Map());
      this.grants.set(p, false);
    }
    for (const r of referrals) this.storedReferrals.get(r.patient_id!)?.set(r.row_id, r.caseholder_id);
    for (const g of grants) this.grants.set(g.patient_id, true);
  }

  private async checkForeign(ids: readonly string[]): Promise<void> {
    const fresh = [...new Set(ids)].filter((id) => !this.checked.has(id));
    if (fresh.length === 0) return;
    const rows = await this.trx.selectFrom('current_rows').select(['table_name', 'row_id']).where('team_id', '!=', this.actor.teamId).where('row_id', 'in', fresh).execute();
    for (const id of fresh) this.checked.add(id);
    for (const r of rows) this.foreign.add(key(r.table_name, r.row_id));
  }

  async current(table: string, rowId: string): Promise<CurrentRow | undefined> {
    const k = key(table, rowId);
    if (this.rows.has(k)) return this.rows.get(k);
    const row = await this.trx
      .selectFrom('current_rows')
      .select(['patient_id', 'version', 'payload', 'deleted'])
      .where('team_id', '=', this.actor.teamId)
      .where('table_name', '=', table)
      .where('row_id', '=', rowId)
      .executeTakeFirst();
    this.rows.set(k, row);
    return row;
  }

  /**
   * The patient a row belongs to by its table's scope key (shared/sync/tables.ts): null for team-wide rows,
   * undefined when the key names no patient the team has.
   */
  async patientOf(table: SyncedTable, rowId: string, payload: RowPayload | null): Promise<string | null | undefined> {
    const scope = TABLE_POLICY[table].scope;
    if (scope.kind === 'team') return null;
    if (scope.kind === 'self') return rowId;
    // A malformed id names no patient: it must not reach a uuid comparison (that would be a server error).
    const value = uuidOrUndefined(payload?.[scope.column]);
    if (scope.kind === 'column' || value === undefined) return value;
    return (await this.current(scope.table, value))?.patient_id ?? undefined;
  }

  /** Whether the row, or the patient it belongs to, is held by another team. */
  async belongsToAnotherTeam(table: string, rowId: string, patientId: string | null | undefined): Promise<boolean> {
    await this.checkForeign(patientId ? [rowId, patientId] : [rowId]);
    return this.foreign.has(key(table, rowId)) || (patientId ? this.foreign.has(key('patients', patientId)) : false);
  }

  /**
   * Whether the writer reaches `patientId` now, by the routes of scope.ts scopeOf for one patient: a referral held
   * by them or a supervisee, a grant, or (`viaUnreferred`) a patient they registered who has no referral yet.
   * A clerk reaches every patient of the team, an admin none. Asked once per patient and kept for the batch until
   * the batch changes that patient's referrals or registration.
   */
  async reaches(patientId: string, viaUnreferred = true): Promise<boolean> {
    if (this.actor.role === 'booking-clerk') return true;
    if (this.actor.role === 'admin') return false;
    const k = `${patientId}/${viaUnreferred}`;
    const known = this.reached.get(k);
    if (known !== undefined) return known;
    const answer = await this.reachesNow(patientId, viaUnreferred);
    this.reached.set(k, answer);
    return answer;
  }

  private async reachesNow(patientId: string, viaUnreferred: boolean): Promise<boolean> {
    await this.readPatients([patientId]);
    const caseholders = this.referralCaseholders(patientId);
    if ([...caseholders.values()].some((c) => c !== null && this.reach.includes(c))) return true;
    if (this.grants.get(patientId)) return true;
    if (caseholders.size > 0 || !viaUnreferred) return false;
    const patient = await this.current('patients', patientId);
    return patient !== undefined && !patient.deleted && (patient.payload as RowPayload | null)?.created_by === this.actor.userId;
  }

  /** Whether the patient has any live referral, the batch's own appends included. */
  async hasLiveReferral(patientId: string): Promise<boolean> {
    await this.readPatients([patientId], true);
    return this.referralCaseholders(patientId).size > 0;
  }

  /** The caseholder of each live referral of the patient, the batch's own appends included. */
  private referralCaseholders(patientId: string): Map<string, string | null> {
    const caseholders = new Map(this.storedReferrals.get(patientId));
    for (const k of this.appendedKeys) {
      if (!k.startsWith('referrals/')) continue;
      const id = k.slice('referrals/'.length);
      const row = this.rows.get(k)!;
      const caseholder = (row.payload as RowPayload | null)?.caseholder_id;
      if (row.patient_id === patientId && !row.deleted) caseholders.set(id, typeof caseholder === 'string' ? caseholder : null);
      else caseholders.delete(id);
    }
    return caseholders;
  }

  /** The batch appended a version of a row: later commands see it, and its patient's reach is asked again. */
  appended(table: string, rowId: string, row: CurrentRow): void {
    const k = key(table, rowId);
    const before = this.rows.get(k);
    this.rows.set(k, row);
    this.appendedKeys.add(k);
    if (table !== 'referrals' && table !== 'patients') return;
    for (const patientId of [row.patient_id, before?.patient_id]) {
      if (!patientId) continue;
      this.reached.delete(`${patientId}/true`);
      this.reached.delete(`${patientId}/false`);
    }
  }

  /** The newest state of each row the batch appended, to write to current_rows. */
  appendedRows(): { table: string; rowId: string; row: CurrentRow }[] {
    return [...this.appendedKeys].map((k) => {
      const slash = k.indexOf('/');
      return { table: k.slice(0, slash), rowId: k.slice(slash + 1), row: this.rows.get(k)! };
    });
  }
}
