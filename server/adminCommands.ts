import type { Kysely } from 'kysely';
import { parseArgs } from 'node:util';
import type { ServerDatabase } from './db/schema';
import { createTeam, createUser, DEFAULT_ENROL_TTL_HOURS, enrolDevice, grantPatient, listDevices, revokeDevice, revokeGrant } from './directory';

const USAGE = `usage: npm run server:admin -- <command> [options]
  create-team   --name NAME
  create-user   --team TEAM_ID --name NAME --role pwp|hit|supervisor|admin|booking-clerk|service-lead [--supervisor USER_ID]
  enrol-device  --user USER_ID --label LABEL [--hours ${DEFAULT_ENROL_TTL_HOURS}]   prints a one-time code
  revoke-device --device DEVICE_ID
  grant         --user USER_ID --patient PATIENT_ID --by USER_ID   lets a user see and write one patient's records
  revoke-grant  --user USER_ID --patient PATIENT_ID
  list-devices  [--team TEAM_ID]   flags devices whose audit history was rewritten and users deactivated
Uses the same DATABASE_URL / PGLITE_DATA_DIR as the server. PGlite holds one process at a time: stop the
server before using the admin CLI on an embedded data folder.`;

/**
 * Runs one admin command against an open database, writing what it prints through `out` and `err`. The
 * `server:admin` script (server/admin.ts) wraps it with the database from the environment; tests call it directly.
 */
export async function runAdminCommand(
  db: Kysely<ServerDatabase>,
  argv: string[],
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      team: { type: 'string' },
      role: { type: 'string' },
      supervisor: { type: 'string' },
      user: { type: 'string' },
      label: { type: 'string' },
      hours: { type: 'string' },
      device: { type: 'string' },
      patient: { type: 'string' },
      by: { type: 'string' },
    },
  });
  const need = (key: keyof typeof values): string => {
    const value = values[key];
    if (!value) throw new Error(`--${key} is required\n${USAGE}`);
    return value;
  };
  switch (command) {
    case 'create-team':
      out(await createTeam(db, need('name')));
      return 0;
    case 'create-user':
      out(
        await createUser(db, {
          teamId: need('team'),
          displayName: need('name'),
          role: need('role') as 'pwp',
          supervisorId: values.supervisor ?? null,
        }),
      );
      return 0;
    case 'enrol-device': {
      const hours = values.hours ? Number(values.hours) : DEFAULT_ENROL_TTL_HOURS;
      if (!(hours > 0 && hours <= 24 * 14)) throw new Error('--hours must be between 0 and 336');
      const { deviceId, code, expiresAt } = await enrolDevice(db, need('user'), need('label'), hours);
      out(`device ${deviceId}\ncode   ${code}   (single use, expires ${expiresAt.toISOString()})`);
      return 0;
    }
    case 'revoke-device':
      if (await revokeDevice(db, need('device'))) {
        out('revoked');
        return 0;
      }
      err('no such device, or already revoked');
      return 1;
    case 'grant':
      await grantPatient(db, need('user'), need('patient'), need('by'));
      out('granted');
      return 0;
    case 'revoke-grant':
      if (await revokeGrant(db, need('user'), need('patient'))) {
        out('grant revoked');
        return 0;
      }
      err('no such grant, or already revoked');
      return 1;
    case 'list-devices': {
      const rows = await listDevices(db, values.team);
      const stamp = (d: Date | null) => (d ? new Date(d).toISOString() : '-');
      for (const d of rows) {
        const state = d.revoked_at ? `revoked ${stamp(d.revoked_at)}` : d.enrolled_at ? 'enrolled' : 'awaiting code';
        const flags = [
          d.history_rewritten_at ? `AUDIT HISTORY REWRITTEN ${stamp(d.history_rewritten_at)}` : '',
          d.user_active ? '' : 'USER DEACTIVATED',
        ].filter(Boolean);
        out([d.id, d.team, d.user, d.label, state, `last seen ${stamp(d.last_seen_at)}`, ...flags].join('\t'));
      }
      return 0;
    }
    default:
      err(USAGE);
      return 2;
  }
}
