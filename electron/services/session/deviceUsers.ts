import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DeviceUser, DeviceUserKey } from '../../../shared/contract/session';
import { writeFileAtomic } from '../store/atomicWrite';
import { storePaths } from './storePaths';

/**
 * The people with a store on this device (issue #10 §9): one encrypted store per user, each with its own data
 * key, passphrase, wrong-passphrase throttle and backups. The first store keeps the data folder itself (so a
 * device set up before stores were per user is simply its first user); each later one lives in
 * `users/<key>/`. This index, readable while locked, holds only staff names and roles for the unlock screen's
 * "Who is using this laptop?" — never patient data. It is a convenience: what a store really is, and whose,
 * comes from inside its encrypted database at unlock.
 */
const Index = z.strictObject({
  last: DeviceUserKey.default('primary'),
  users: z.record(z.string(), z.strictObject({ displayName: z.string().max(200), role: DeviceUser.shape.role })).default({}),
});
type Index = z.infer<typeof Index>;

export const PRIMARY = 'primary';

export function deviceIndexFile(root: string): string {
  return join(root, 'device-users.json');
}

/** The folder of one person's store: the data folder itself for the first, `users/<key>` for the others. */
export function storeDirFor(root: string, key: string): string {
  return key === PRIMARY ? root : join(root, 'users', key);
}

function readIndex(root: string): Index {
  try {
    return Index.parse(JSON.parse(readFileSync(deviceIndexFile(root), 'utf8')));
  } catch {
    return Index.parse({});
  }
}

/** Whose store the device opened last; the session starts there. A key whose store has gone falls back to the first. */
export function lastDeviceUser(root: string): string {
  const { last } = readIndex(root);
  return storeKeys(root).includes(last) ? last : PRIMARY;
}

/** Every key with a store set up on this device (a key file in its folder), the first store first. */
export function storeKeys(root: string): string[] {
  const keys = existsSync(storePaths(root).keyFile) ? [PRIMARY] : [];
  const usersDir = join(root, 'users');
  if (existsSync(usersDir)) {
    for (const name of readdirSync(usersDir).sort()) {
      if (DeviceUserKey.safeParse(name).success && name !== PRIMARY && existsSync(storePaths(join(usersDir, name)).keyFile)) keys.push(name);
    }
  }
  return keys;
}

export function listDeviceUsers(root: string): DeviceUser[] {
  const index = readIndex(root);
  return storeKeys(root).map((key) => ({ key: key as DeviceUser['key'], displayName: index.users[key]?.displayName ?? null, role: index.users[key]?.role ?? null }));
}

/** Records who owns a store (after its setup or unlock) and that the device is on it now. */
export function rememberDeviceUser(root: string, key: string, owner: { displayName: string; role: DeviceUser['role'] } | null): void {
  const index = readIndex(root);
  const users = owner ? { ...index.users, [key]: { displayName: owner.displayName, role: owner.role } } : index.users;
  try {
    writeFileAtomic(deviceIndexFile(root), JSON.stringify({ last: key, users }, null, 2) + '\n');
  } catch {
    // The index only saves a click on the unlock screen; a full disk must not fail an unlock.
  }
}
