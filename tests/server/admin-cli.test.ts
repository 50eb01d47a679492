import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../server/adminCommands';
import { appendAuditEvents } from '../../server/sync/audit';
import { scopeOf } from '../../server/sync/scope';
import { BACKENDS, useDatabase } from './support/backends';
import { actorOf, enrolledDevice } from './support/fixtures';

/** The admin commands `npm run server:admin` runs, in-process against the same database a server would use. */
describe.each(BACKENDS)('admin commands on %s', (backend) => {
  const database = useDatabase(backend);

  async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAdminCommand(database().db, argv, (l) => out.push(l), (l) => err.push(l));
    return { code, out, err };
  }

  it('grants and revokes a patient, and flags rewritten audit history and deactivated users in list-devices', async () => {
    const teamId = (await run('create-team', '--name', `cli ${uuidv7()}`)).out[0]!;
    const supervisorId = (await run('create-user', '--team', teamId, '--name', 'Sam', '--role', 'supervisor')).out[0]!;
    const clinicianId = (await run('create-user', '--team', teamId, '--name', 'Alex', '--role', 'pwp', '--supervisor', supervisorId)).out[0]!;
    const device = await enrolledDevice(database().db, teamId, clinicianId, 'pwp');
    const patientId = uuidv7();

    expect(await run('grant', '--user', clinicianId, '--patient', patientId, '--by', supervisorId)).toEqual({ code: 0, out: ['granted'], err: [] });
    expect((await scopeOf(database().db, actorOf(device))).patients.has(patientId)).toBe(true);
    expect((await run('revoke-grant', '--user', clinicianId, '--patient', patientId)).code).toBe(0);
    expect((await scopeOf(database().db, actorOf(device))).patients.has(patientId)).toBe(false);
    expect(await run('revoke-grant', '--user', clinicianId, '--patient', patientId)).toEqual({ code: 1, out: [], err: ['no such grant, or already revoked'] });
    await expect(run('grant', '--user', clinicianId, '--by', supervisorId)).rejects.toThrow(/--patient is required/);
    await expect(run('grant', '--user', clinicianId, '--patient', 'not-a-uuid', '--by', supervisorId)).rejects.toThrow(/UUID/);

    const [clean] = (await run('list-devices', '--team', teamId)).out;
    expect(clean).not.toMatch(/REWRITTEN|DEACTIVATED/);
    const forged = { seq: 1, id: uuidv7(), at: 'now', actor_id: clinicianId, action: 'x', entity: 'y', entity_ids: '[]', prev_hash: '0'.repeat(64), hash: 'a'.repeat(64) };
    expect(await appendAuditEvents(database().db, device.deviceId, [forged])).toEqual({ rewritten: 'events.0.hash' });
    await database().db.updateTable('users').set({ active: false }).where('id', '=', clinicianId).execute();
    const [flagged] = (await run('list-devices', '--team', teamId)).out;
    expect(flagged).toMatch(/AUDIT HISTORY REWRITTEN \d{4}-/);
    expect(flagged).toMatch(/USER DEACTIVATED/);
    expect((await run('no-such-command')).code).toBe(2);
  });
});
