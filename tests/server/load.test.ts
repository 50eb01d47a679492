import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushAck } from '../../shared/sync/protocol';
import { BACKENDS, useDatabase } from './support/backends';
import { clinic, ClinicDevice, type Person } from './support/clinic';
import { listening, newRowId } from './support/fixtures';

/**
 * The short load run of issue #9: ten clinicians' devices push and pull at once for five seconds over real
 * HTTP. Nothing is timed (performance lives in `npm run bench`); what must hold is zero errors, zero refusals and
 * zero lost changes, with each device receiving exactly its own scope.
 */
describe.each(BACKENDS)('ten devices for five seconds on %s', (backend) => {
  const database = useDatabase(backend);
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await listening({ db: database().db }));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('accepts every change exactly once and delivers each device its scope', async () => {
    const people: Record<string, Person> = { sup: { role: 'supervisor' } };
    for (let i = 0; i < 9; i++) people[`pwp${i}`] = { role: 'pwp', supervisor: 'sup' };
    const devices = Object.fromEntries(Object.entries(await clinic(database().db, people)).map(([name, d]) => [name, new ClinicDevice(url, d)]));
    const supervisor = devices.sup!;
    const clinicians = Object.entries(devices).filter(([name]) => name !== 'sup').map(([, d]) => d);
    const deadline = Date.now() + 5_000;
    const errors: string[] = [];
    const rowsOf = new Map<ClinicDevice, Set<string>>();

    await Promise.all(
      [...clinicians, supervisor].map(async (device) => {
        const rows = new Set<string>();
        rowsOf.set(device, rows);
        for (let round = 0; round < 1_000 && Date.now() < deadline; round++) {
          try {
            if (device !== supervisor) {
              const [patient, referral, note] = [newRowId(), newRowId(), newRowId()];
              const commands = [
                device.command('patients', patient, { given_name: `Load ${round}` }),
                device.command('referrals', referral, { patient_id: patient, caseholder_id: device.userId, status: 'active' }),
                device.command('notes', note, { referral_id: referral, status: 'draft', body: `round ${round}` }),
                device.command('notes', note, { referral_id: referral, status: 'draft', body: `round ${round}, edited` }, 2),
              ];
              [patient, referral, note].forEach((id) => rows.add(id));
              const acks: PushAck[] = await device.send(...commands);
              if (acks.some((a) => a.status !== 'applied')) errors.push(`acks ${acks.map((a) => a.status).join(',')}`);
            }
            await device.sync(50);
          } catch (error) {
            errors.push(error instanceof Error ? error.message : String(error));
          }
        }
      }),
    );
    expect(errors).toEqual([]);

    const everyRow = new Set(clinicians.flatMap((d) => [...rowsOf.get(d)!]));
    expect(everyRow.size).toBeGreaterThanOrEqual(9 * 3);
    for (const device of [...clinicians, supervisor]) await device.sync(500);
    // The supervisor holds every supervisee's rows; each clinician exactly their own.
    expect(new Set(supervisor.rows.keys())).toEqual(everyRow);
    for (const device of clinicians) expect(new Set(device.rows.keys())).toEqual(rowsOf.get(device));
    // Nothing lost: the latest note text of every case is the edit.
    for (const change of supervisor.rows.values()) if (change.table === 'notes') expect(change.payload!.body).toMatch(/edited$/);
  });
});
