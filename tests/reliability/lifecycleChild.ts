import { CaseloadEngine, type EngineOptions } from '../../electron/services/engine';
import type { Cipher } from '../../electron/services/store/cipher';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { mulberry32 } from '../helpers/prng';

/**
 * Child for the lifecycle kill -9 test: a seeded random walk over every store-level operation — patient writes,
 * lock/unlock, passphrase change (key rotation), backup then restore, cipher migration — printing `STEP op` before
 * each and `ACK op …` only once it has returned. The parent kills it at a random moment and records which step
 * the kill landed in.
 */
async function main(): Promise<void> {
  const [dataDir, startPassphrase, startArg, seedArg] = process.argv.slice(2);
  const rng = mulberry32(Number(seedArg));
  const options = (cipher: Cipher): EngineOptions => ({ dataDir: dataDir!, kdf: { kind: 'insecure-test-only', N: 1024 }, cipher, unlockBackoffBaseMs: 0 });
  let cipher: Cipher = 'aegis-256';
  let engine = new CaseloadEngine(options(cipher));
  let passphrase = startPassphrase!;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  await engine.unlock(passphrase);
  for (let i = Number(startArg); ; i++) {
    const r = rng();
    if (r < 0.45) {
      const nhsNumber = validNhsNumber(i);
      say(`STEP create`);
      await engine.handlers()['patients.create']({ nhsNumber, givenName: 'Cycle', familyName: `Test ${i}`, dateOfBirth: '1980-05-05', gpPractice: 'Lifecycle Surgery' });
      say(`ACK create ${nhsNumber}`);
    } else if (r < 0.6) {
      say('STEP lock');
      await engine.lock();
      say('ACK lock');
      say('STEP unlock');
      await engine.unlock(passphrase);
      say('ACK unlock');
    } else if (r < 0.75) {
      const next = `passphrase number ${i}`;
      say(`STEP change ${next}`);
      await engine.changePassphrase(passphrase, next);
      passphrase = next;
      say(`ACK change ${next}`);
    } else if (r < 0.9) {
      say('STEP backup');
      const backup = await engine.createBackup();
      say('ACK backup');
      say('STEP restore');
      await engine.restoreBackup({ file: backup.file, passphrase, replaceOtherCaseload: false });
      say('ACK restore');
    } else {
      cipher = cipher === 'aegis-256' ? 'sqlcipher-v4' : 'aegis-256';
      say(`STEP migrate ${cipher}`);
      await engine.lock();
      engine = new CaseloadEngine(options(cipher));
      await engine.unlock(passphrase); // migrates the store to the newly calibrated cipher
      say(`ACK migrate ${cipher}`);
    }
  }
}
void main();
