import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CaseloadEngine } from '../services/engine';
import { syntheticPatients } from '../../resources/demo/syntheticPatients';
import { seedDemoEpisodes } from './demoEpisodes';
import { runMain, startHost, stopOnSignals } from './server';

/**
 * `npm run demo`: the app's real page and services in Chromium, for machines without the Electron binary.
 * A fresh store of synthetic patients each time, marked DEMO, on 127.0.0.1 only.
 */
async function main(): Promise<void> {
  const DEMO_PASSPHRASE = 'demo passphrase';
  const dataDir = join(__dirname, '../..', '.demo-data');

  rmSync(dataDir, { recursive: true, force: true });
  const engine = new CaseloadEngine({ dataDir, demo: true });
  await engine.setup({ passphrase: DEMO_PASSPHRASE, displayName: 'Demo Clinician', role: 'hit' });
  const handlers = engine.handlers();
  await handlers['users.create']({ displayName: 'Sam Supervisor', role: 'supervisor' });
  const ids: string[] = [];
  for (const p of syntheticPatients(24)) ids.push((await handlers['patients.create'](p)).id);
  await seedDemoEpisodes(handlers, ids);
  await engine.close();

  const host = await startHost({ worker: { dataDir, demo: true } });
  process.stdout.write(
    [
      '',
      '  Clinic Caseload — DEMO (synthetic patients only)',
      `  Address:    ${host.url}`,
      `  Passphrase: ${DEMO_PASSPHRASE}`,
      '  Press Ctrl+C to stop. The demo store is deleted on the next run.',
      '',
    ].join('\n'),
  );
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync);
  if (chromium && process.env.DISPLAY) {
    spawn(chromium, [`--app=${host.url}`, '--no-first-run', '--disable-background-networking', `--user-data-dir=${join(dataDir, 'chromium')}`], {
      stdio: 'ignore',
      detached: true,
    }).unref();
  }
  stopOnSignals(host);
}

runMain(main);
