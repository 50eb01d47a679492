import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { configFromEnv } from './config';
import { openDatabase } from './db/open';
import { createTeam, createUser, DEFAULT_ENROL_TTL_HOURS, enrolDevice, grantPatient, listDevices, revokeDevice, revokeGrant } from './directory';

const USAGE = `usage: npm run server:admin -- <command> [options]
  create-team   --name NAME
  create-user   --team TEAM_ID --name NAME --role pwp|hit|supervisor|admin|booking-clerk [--supervisor USER_ID]
  enrol-device  --user USER_ID --label LABEL [--hours ${DEFAULT_ENROL_TTL_HOURS}]   prints a one-time code
  revoke-device --device DEVICE_ID
  grant         --user USER_ID --patient PATIENT_ID --by USER_ID   lets a user see and write one patient's records
  revoke-grant  --user USER_ID --patient PATIENT_ID
  list-devices  [--team TEAM_ID]   flags devices whose audit history was rewritten and users deactivated
Uses the same DATABASE_URL / PGLITE_DATA_DIR as the server. PGlite holds one process at a time: stop the
server before using the admin CLI on an embedded data folder.`;

async function main(argv: string[]): Promise<number> {
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
  const config = configFromEnv();
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  const opened = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    switch (command) {
      case 'create-team':
        console.log(await createTeam(opened.db, need('name')));
        return 0;
      case 'create-user':
        console.log(
          await createUser(opened.db, {
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
        const { deviceId, code, expiresAt } = await enrolDevice(opened.db, need('user'), need('label'), hours);
        console.log(`device ${deviceId}\ncode   ${code}   (single use, expires ${expiresAt.toISOString()})`);
        return 0;
      }
      case 'revoke-device':
        if (await revokeDevice(opened.db, need('device'))) {
          console.log('revoked');
          return 0;
        }
        console.error('no such device, or already revoked');
        return 1;
      case 'grant':
        await grantPatient(opened.db, need('user'), need('patient'), need('by'));
        console.log('granted');
        return 0;
      case 'revoke-grant':
        if (await revokeGrant(opened.db, need('user'), need('patient'))) {
          console.log('grant revoked');
          return 0;
        }
        console.error('no such grant, or already revoked');
        return 1;
      case 'list-devices': {
        const rows = await listDevices(opened.db, values.team);
        const stamp = (d: Date | null) => (d ? new Date(d).toISOString() : '-');
        for (const d of rows) {
          const state = d.revoked_at ? `revoked ${stamp(d.revoked_at)}` : d.enrolled_at ? 'enrolled' : 'awaiting code';
          const flags = [
            d.history_rewritten_at ? `AUDIT HISTORY REWRITTEN ${stamp(d.history_rewritten_at)}` : '',
            d.user_active ? '' : 'USER DEACTIVATED',
          ].filter(Boolean);
          console.log([d.id, d.team, d.user, d.label, state, `last seen ${stamp(d.last_seen_at)}`, ...flags].join('\t'));
        }
        return 0;
      }
      default:
        console.error(USAGE);
        return 2;
    }
  } finally {
    await opened.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
