import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CaseloadEngine } from '../services/engine';
import { syntheticPatients } from '../../resources/demo/syntheticPatients';
import { demoPassphrase } from './demoPassphrase';
import { seedDemoEpisodes } from './demoEpisodes';
import { runMain, startHost, stopOnSignals } from './server';

/**
 * `npm run demo`: the app's real page and services in Chromium, for machines without the Electron binary.
 * A fresh store of synthetic patients each time, marked DEMO, on 127.0.0.1 only, with a passphrase picked for
 * this run. Chromium is given its own one-time sign-in address, so no secret sits on its command line.
 * `--data-dir DIR` (tests) uses a new or empty folder instead of `.demo-data`, and never deletes it.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } } });
  let dataDir = join(__dirname, '../..', '.demo-data');
  if (values['data-dir']) {
    dataDir = resolve(values['data-dir']);
    if (existsSync(dataDir) && readdirSync(dataDir).length > 0) throw new Error(`${dataDir} is not empty; the demo needs a new or empty folder.`);
  } else {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const passphrase = demoPassphrase();

  const engine = new CaseloadEngine({ dataDir, demo: true });
  await engine.setup({ passphrase, displayName: 'Demo Clinician', role: 'hit' });
  const handlers = engine.handlers();
  await handlers['users.create']({ displayName: 'Sam Supervisor', role: 'supervisor' });
  const ids: string[] = [];
  for (const p of syntheticPatients(24)) ids.push((await handlers['patients.create'](p)).id);
  await seedDemoEpisodes(handlers, ids);
  await engine.close();

  const host = await startHost({ worker: { dataDir, demo: true } });
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync);
  const opening = chromium && process.env.DISPLAY ? chromium : null;
  process.stdout.write(
    [
      '',
      '  Clinic Caseload — DEMO (synthetic patients only)',
      `  Address:    ${host.url}`,
      '              (works once, in one browser; it signs that browser in)',
      `  Passphrase: ${passphrase}`,
      ...(opening ? ['  Opening it in Chromium now (with an address of its own).'] : []),
      '  Press Ctrl+C to stop. The demo store is deleted on the next run.',
      '',
    ].join('\n'),
  );
  if (opening) {
    spawn(opening, [`--app=${host.signInUrl()}`, '--no-first-run', '--disable-background-networking', `--user-data-dir=${join(dataDir, 'chromium')}`], {
      stdio: 'ignore',
      detached: true,
    }).unref();
  }
  stopOnSignals(host);
}

runMain(main);
