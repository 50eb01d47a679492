import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { createTeam, createUser } from '../../../server/directory';
import type { ServerDatabase } from '../../../server/db/schema';
import { pageChecksum } from '../../../server/sync/pull';
import type { Role } from '../../../shared/domain/people';
import type { LoggedChange, PullResponse, PushAck, PushResponse, RowPayload, SyncCommand } from '../../../shared/sync/protocol';
import { type SyncedTable, TABLE_POLICY } from '../../../shared/sync/tables';
import { type Device, enrolledDevice, newRowId, pull, push, row } from './fixtures';

/** A clinic team with named people (roles, supervision) and devices that push and pull like the app does. */

let teams = 0;

export interface Person {
  role: Role;
  supervisor?: string;
}

export async function clinic<N extends string>(db: Kysely<ServerDatabase>, people: Record<N, Person>): Promise<Record<N, Device>> {
  const teamId = await createTeam(db, `clinic ${process.pid}-${++teams}-${Math.random()}`);
  const devices = {} as Record<N, Device>;
  const userIds: Record<string, string> = {};
  // Supervisors first, so a supervisee can name theirs.
  const names = (Object.keys(people) as N[]).sort((a, b) => Number(Boolean(people[a].supervisor)) - Number(Boolean(people[b].supervisor)));
  for (const name of names) {
    const person = people[name];
    const supervisorId = person.supervisor ? userIds[person.supervisor] : undefined;
    const userId = await createUser(db, { teamId, displayName: name, role: person.role, supervisorId: supervisorId ?? null });
    userIds[name] = userId;
    devices[name] = await enrolledDevice(db, teamId, userId, person.role, `${name}'s laptop`);
  }
  return devices;
}

type Fields = Record<string, string | number | boolean | null>;

/**
 * One device: its own mutation counter, the rows it holds (as the client keeps them: a row is replaced only by a
 * newer server_seq), and its cursor. Every page's checksum is checked before it is applied.
 */
export class ClinicDevice {
  private mutation = 0;
  cursor = 0;
  readonly rows = new Map<string, LoggedChange>();
  readonly acks: PushAck[] = [];

  constructor(
    readonly url: string,
    readonly device: Device,
  ) {}

  get userId(): string {
    return this.device.userId;
  }

  command(table: SyncedTable, rowId: string, fields: Fields, version = 1, base = version - 1): SyncCommand {
    const stamp = { created_by: this.userId, updated_by: this.userId, updated_at: new Date().toISOString(), deleted_at: null };
    return row(table, ++this.mutation, rowId, { ...stamp, ...fields }, version, base);
  }

  async send(...commands: SyncCommand[]): Promise<PushAck[]> {
    const reply = await push(this.url, this.device.token, commands);
    expect(reply.status).toBe(200);
    const acks = (reply.body as PushResponse).acks;
    this.acks.push(...acks);
    return acks;
  }

  /** Creates a row at version 1 and returns its id with the ack. */
  async create(table: SyncedTable, fields: Fields, id = newRowId()): Promise<{ id: string; ack: PushAck }> {
    const [ack] = await this.send(this.command(table, id, fields));
    return { id, ack: ack! };
  }

  /** Pulls to the end of the log in pages of `limit`, applying purges as the client does; returns every page. */
  async sync(limit = 500): Promise<PullResponse[]> {
    const pages: PullResponse[] = [];
    for (let guard = 0; guard < 1000; guard++) {
      const reply = await pull(this.url, this.device.token, this.cursor, limit);
      expect(reply.status).toBe(200);
      const page = reply.body as PullResponse;
      expect(pageChecksum(page.changes, page.purge)).toBe(page.checksum);
      pages.push(page);
      for (const change of page.changes) {
        const held = this.rows.get(change.row_id);
        if (!held || held.server_seq < change.server_seq) this.rows.set(change.row_id, change);
      }
      for (const patientId of page.purge) this.purge(patientId);
      this.cursor = page.next_cursor;
      if (!page.has_more) return pages;
    }
    throw new Error('pull did not finish');
  }

  private purge(patientId: string): void {
    // Resolve every row's patient before deleting any: a note finds its patient through its referral.
    const leaving = [...this.rows.keys()].filter((id) => this.patientOf(id) === patientId);
    for (const id of leaving) this.rows.delete(id);
  }

  /** The patient of a held row, by the same ScopeKey the server uses, from the rows this device holds. */
  patientOf(rowId: string): string | null | undefined {
    const held = this.rows.get(rowId);
    if (!held) return undefined;
    const key = TABLE_POLICY[held.table as SyncedTable].scope;
    if (key.kind === 'team') return null;
    if (key.kind === 'self') return held.row_id;
    const value = held.payload?.[key.column];
    if (typeof value !== 'string') return undefined;
    return key.kind === 'column' ? value : this.patientOf(value);
  }

  /** Held rows of one table, as payloads keyed by id. */
  table(table: SyncedTable): Map<string, RowPayload | null> {
    return new Map([...this.rows.values()].filter((c) => c.table === table).map((c) => [c.row_id, c.payload]));
  }

  holds(rowId: string): boolean {
    return this.rows.has(rowId);
  }
}

/** A patient with a referral held by `caseholder`, a draft note and a measure, all written by `writer`. */
export async function caseFor(writer: ClinicDevice, caseholderId: string): Promise<{ patient: string; referral: string; note: string; measure: string }> {
  const patient = newRowId();
  const referral = newRowId();
  const note = newRowId();
  const measure = newRowId();
  const acks = await writer.send(
    writer.command('patients', patient, { given_name: 'Synthetic', family_name: 'Person' }),
    writer.command('referrals', referral, { patient_id: patient, caseholder_id: caseholderId, status: 'active', risk_known: 0, referrer_name: 'GP' }),
    writer.command('notes', note, { referral_id: referral, status: 'draft', body: 'First session.' }),
    writer.command('measures', measure, { referral_id: referral, instrument: 'PHQ-9', score: 12 }),
  );
  expect(acks.map((a) => a.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
  return { patient, referral, note, measure };
}
