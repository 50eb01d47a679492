import { afterAll, describe, expect, it } from 'vitest';
import { SOURCE_WORKER } from '../../electron/host/server';
import { createShellCall } from '../../electron/services/shell/shellCall';
import { CaseloadWorkerClient } from '../../electron/services/worker/workerClient';
import { PASSPHRASE, TEST_KDF, removeDir, tempDir } from '../helpers/tempStore';
import { contactInput, patientInput, referralInput } from './episode/episodeHarness';

/**
 * Locked patient mode through the real database worker and the shell's call path: the shell's own method
 * (choosing a folder, which opens a native dialog in the app) is refused before any dialog opens, and the
 * worker's private destination channel refuses it too.
 */
describe('locked patient mode at the shell', () => {
  const dir = tempDir();
  const folder = tempDir('caseload-export-');
  const worker = new CaseloadWorkerClient(SOURCE_WORKER, { dataDir: dir, kdf: TEST_KDF });
  const dialogs: string[] = [];
  const call = createShellCall(worker, { chooseFolder: async (purpose) => (dialogs.push(purpose), folder) });
  afterAll(async () => {
    await worker.close();
    removeDir(dir);
    removeDir(folder);
  });

  const value = async (method: string, input: unknown) => {
    const r = await call(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as { id: string };
  };

  it('refuses choosing a folder while the mode is on, without opening the dialog, and allows it after', async () => {
    await value('session.setup', { passphrase: PASSPHRASE, displayName: 'Tess', role: 'pwp' });
    const patient = await value('patients.create', patientInput());
    const referral = await value('referrals.create', { ...referralInput(patient.id), status: 'in-treatment' });
    const contact = await value('contacts.create', contactInput(referral.id, '2026-06-30'));
    await value('patientMode.start', { contactId: contact.id, instrumentIds: ['gad7'] });

    expect(await call('files.chooseFolder', { purpose: 'backups' })).toMatchObject({ ok: false, error: { code: 'PATIENT_MODE' } });
    expect(dialogs).toEqual([]);
    expect(await worker.setDestination('backups', folder)).toMatchObject({ ok: false, error: { code: 'PATIENT_MODE' } });
    expect(await call('session.status', {})).toMatchObject({ ok: true, value: { patientMode: true } });

    await value('patientMode.exit', { passphrase: PASSPHRASE });
    expect(await call('files.chooseFolder', { purpose: 'backups' })).toMatchObject({ ok: true, value: { folder } });
    expect(dialogs).toEqual(['backups']);
  });
});
