import { createInterface } from 'node:readline';
import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../../../server/db/open';
import { createTeam, createUser, enrolDevice } from '../../../server/directory';
import { buildApp } from '../../../server/http/app';

/**
 * A real team server for the sync e2e tests, in its own process (PGlite is one process): it makes a team with a
 * supervisor, a supervisee, a booking clerk and a service lead, prints their enrolment codes, and serves HTTP on loopback. Lines on stdin take it
 * offline (`stop`) and back (`start`, same port) while its data stays, as a clinic's Wi-Fi would.
 * Run: node --import tsx tests/e2e/support/teamServer.ts <pglite data dir>
 */
async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: teamServer.ts <data dir>');
  const { db } = await openDatabase({ dataDir });
  const teamId = await createTeam(db, 'Hertfordshire Talking Therapies (e2e)');
  const supervisorId = await createUser(db, { teamId, displayName: 'Sam Okoye', role: 'supervisor' });
  const clinicianId = await createUser(db, { teamId, displayName: 'Ada Mensah', role: 'hit', supervisorId });
  const clerkId = await createUser(db, { teamId, displayName: 'Bea Booking', role: 'booking-clerk' });
  const leadId = await createUser(db, { teamId, displayName: 'Lee Morgan', role: 'service-lead' });
  const codes = {
    clinician: (await enrolDevice(db, clinicianId, 'Ada laptop')).code,
    supervisor: (await enrolDevice(db, supervisorId, 'Sam laptop')).code,
    clerk: (await enrolDevice(db, clerkId, 'Front desk laptop')).code,
    lead: (await enrolDevice(db, leadId, 'Service lead laptop')).code,
  };

  const server: { app: FastifyInstance | null; port: number } = { app: null, port: 0 };
  const start = async () => {
    const app = buildApp({ db });
    server.port = Number(new URL(await app.listen({ host: '127.0.0.1', port: server.port })).port);
    server.app = app;
  };
  await start();
  process.stdout.write(`TEAM_SERVER ${JSON.stringify({ url: `http://127.0.0.1:${server.port}`, codes, clinicianId, supervisorId })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'stop') {
      await server.app?.close();
      server.app = null;
      process.stdout.write('STOPPED\n');
    } else if (line === 'start') {
      await start();
      process.stdout.write('STARTED\n');
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
