import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { ROLES } from '../shared/domain/people';
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
    ])
    .orderBy('teams.name')
    .orderBy('devices.created_at');
  if (teamId) query = query.where('devices.team_id', '=', teamId);
  return query.execute();
}
