import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { ROLES, type Role } from '../shared/domain/people';
import type { DirectoryUser } from '../shared/sync/protocol';
import { enrolmentCodeHash, newDeviceToken, newEnrolmentCode } from './auth/secrets';
import type { ServerDatabase } from './db/schema';

/** The team directory the admin CLI edits: teams, users, devices. */

export const DEFAULT_ENROL_TTL_HOURS = 72;

export async function createTeam(db: Kysely<ServerDatabase>, name: string): Promise<string> {
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('teams').values({ id, name }).execute();
    await trx.insertInto('team_counters').values({ team_id: id, last_seq: 0 }).execute();
  });
  return id;
}

export const NewUser = z.strictObject({
  teamId: z.uuid(),
  displayName: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
  supervisorId: z.uuid().nullable().default(null),
});

export async function createUser(db: Kysely<ServerDatabase>, input: z.input<typeof NewUser>): Promise<string> {
  const user = NewUser.parse(input);
  if (user.supervisorId) {
    const supervisor = await db.selectFrom('users').select('team_id').where('id', '=', user.supervisorId).executeTakeFirst();
    if (supervisor?.team_id !== user.teamId) throw new Error('the supervisor must be a user of the same team');
  }
  const id = randomUUID();
  await db
    .insertInto('users')
    .values({ id, team_id: user.teamId, display_name: user.displayName, role: user.role, supervisor_id: user.supervisorId })
    .execute();
  return id;
}

/** Registers a device for a user and returns the one-time code the clinician types into the app. */
export async function enrolDevice(
  db: Kysely<ServerDatabase>,
  userId: string,
  label: string,
  ttlHours = DEFAULT_ENROL_TTL_HOURS,
): Promise<{ deviceId: string; code: string; expiresAt: Date }> {
  const user = await db.selectFrom('users').select('team_id').where('id', '=', userId).executeTakeFirst();
  if (!user) throw new Error('no such user');
  const deviceId = randomUUID();
  const { code, hash } = newEnrolmentCode();
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  await db
    .insertInto('devices')
    .values({ id: deviceId, team_id: user.team_id, user_id: userId, label, enrol_code_hash: hash, enrol_expires_at: expiresAt })
    .execute();
  return { deviceId, code, expiresAt };
}

/**
 * Exchanges a code for a device token, once: the single UPDATE both checks and consumes the code, so two
 * racing exchanges cannot both win.
 */
export async function redeemEnrolmentCode(
  db: Kysely<ServerDatabase>,
  typedCode: string,
): Promise<{ deviceId: string; userId: string; teamId: string; token: string } | null> {
  const codeHash = enrolmentCodeHash(typedCode);
  const found = await db.selectFrom('devices').select('id').where('enrol_code_hash', '=', codeHash).executeTakeFirst();
  if (!found) return null;
  const { token, hash } = newDeviceToken(found.id);
  const now = new Date();
  const redeemed = await db
    .updateTable('devices')
    .set({ token_hash: hash, enrol_code_hash: null, enrolled_at: now, last_seen_at: now })
    .where('id', '=', found.id)
    .where('enrol_code_hash', '=', codeHash)
    .where('enrolled_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('enrol_expires_at', '>', now)
    .returning(['id', 'user_id', 'team_id'])
    .executeTakeFirst();
  return redeemed ? { deviceId: redeemed.id, userId: redeemed.user_id, teamId: redeemed.team_id, token } : null;
}

export async function revokeDevice(db: Kysely<ServerDatabase>, deviceId: string): Promise<boolean> {
  const result = await db
    .updateTable('devices')
    .set({ revoked_at: new Date(), token_hash: null, enrol_code_hash: null })
    .where('id', '=', deviceId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function listDevices(db: Kysely<ServerDatabase>, teamId?: string) {
  let query = db
    .selectFrom('devices')
    .innerJoin('users', 'users.id', 'devices.user_id')
    .innerJoin('teams', 'teams.id', 'devices.team_id')
    .select([
      'devices.id',
      'devices.label',
      'teams.name as team',
      'users.display_name as user',
      'devices.enrolled_at',
      'devices.revoked_at',
      'devices.last_seen_at',
      'devices.history_rewritten_at',
      'users.active as user_active',
    ])
    .orderBy('teams.name')
    .orderBy('devices.created_at');
  if (teamId) query = query.where('devices.team_id', '=', teamId);
  return query.execute();
}

/** The team's directory as devices receive it (GET /v1/directory). */
export async function listDirectory(db: Kysely<ServerDatabase>, teamId: string): Promise<DirectoryUser[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'role', 'supervisor_id', 'active', 'version'])
    .where('team_id', '=', teamId)
    .orderBy('display_name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, role: r.role as Role }));
}

export type DirectoryWriteResult = { user: DirectoryUser } | { refused: 'stale' | 'exists' | 'missing' | 'supervisor' | 'self'; field: string; message: string };

/**
 * An admin adds or changes one user, optimistically: `baseVersion` must be the version the admin saw (null for
 * a new user). A role or supervisor change moves scope; every affected device is back-filled or purged at its
 * next pull, because scope is recomputed from the directory on every request. Deactivating a user refuses their
 * devices from then on.
 */
export async function writeDirectoryUser(
  db: Kysely<ServerDatabase>,
  admin: { teamId: string; userId: string },
  user: DirectoryUser,
  baseVersion: number | null,
): Promise<DirectoryWriteResult> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('users').select(['team_id', 'version']).where('id', '=', user.id).forNoKeyUpdate().executeTakeFirst();
    if (user.supervisor_id !== null) {
      if (user.supervisor_id === user.id) return { refused: 'supervisor', field: 'user.supervisor_id', message: 'a user cannot supervise themselves' };
      const supervisor = await trx.selectFrom('users').select('team_id').where('id', '=', user.supervisor_id).executeTakeFirst();
      if (supervisor?.team_id !== admin.teamId) return { refused: 'supervisor', field: 'user.supervisor_id', message: 'the supervisor must be a user of this team' };
    }
    if (user.id === admin.userId && (!user.active || user.role !== 'admin')) {
      return { refused: 'self', field: 'user', message: 'an admin cannot deactivate or demote themselves; ask another admin' };
    }
    if (baseVersion === null) {
      if (existing) return { refused: 'exists', field: 'user.id', message: 'this user already exists; send base_version to change it' };
      await trx
        .insertInto('users')
        .values({ id: user.id, team_id: admin.teamId, display_name: user.display_name, role: user.role, supervisor_id: user.supervisor_id, active: user.active, version: 1 })
        .execute();
      return { user: { ...user, version: 1 } };
    }
    if (existing?.team_id !== admin.teamId) return { refused: 'missing', field: 'user.id', message: 'no such user in this team' };
    if (existing.version !== baseVersion) {
      return { refused: 'stale', field: 'base_version', message: 'this user was changed since you read the directory; reload it and try again' };
    }
    const version = existing.version + 1;
    await trx
      .updateTable('users')
      .set({ display_name: user.display_name, role: user.role, supervisor_id: user.supervisor_id, active: user.active, version })
      .where('id', '=', user.id)
      .execute();
    return { user: { ...user, version } };
  });
}

/** An explicit grant: `userId` may see and write `patientId`'s rows (cover, a second opinion). */
export async function grantPatient(db: Kysely<ServerDatabase>, userId: string, patientId: string, grantedBy: string): Promise<void> {
  const [user, granter] = await Promise.all([
    db.selectFrom('users').select('team_id').where('id', '=', userId).executeTakeFirst(),
    db.selectFrom('users').select(['team_id', 'role']).where('id', '=', grantedBy).executeTakeFirst(),
  ]);
  if (!user) throw new Error('no such user');
  if (granter?.team_id !== user.team_id) throw new Error('the granting user must belong to the same team');
  if (!z.uuid().safeParse(patientId).success) throw new Error('the patient id must be a UUID');
  await db
    .insertInto('grants')
    .values({ team_id: user.team_id, user_id: userId, patient_id: patientId, granted_by: grantedBy, granted_at: new Date(), revoked_at: null })
    .onConflict((oc) => oc.columns(['user_id', 'patient_id']).doUpdateSet({ granted_by: grantedBy, granted_at: new Date(), revoked_at: null }))
    .execute();
}

/** Ends a grant; the user's devices purge the patient at their next pull unless another route keeps them in scope. */
export async function revokeGrant(db: Kysely<ServerDatabase>, userId: string, patientId: string): Promise<boolean> {
  const result = await db
    .updateTable('grants')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('patient_id', '=', patientId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
