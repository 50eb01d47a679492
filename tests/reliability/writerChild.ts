import { CaseloadEngine } from '../../electron/services/engine';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';

/**
 * Child for the kill -9 test: unlocks the store and creates patients in a loop, printing each NHS number
 * only after its transaction has committed. The parent kills it at a random moment.
 */
async function main(): Promise<void> {
  const [dataDir, passphrase, startArg] = process.argv.slice(2);
  const engine = new CaseloadEngine({ dataDir: dataDir!, kdf: { kind: 'insecure-test-only', N: 1024 }, unlockBackoffBaseMs: 0 });
  await engine.unlock(passphrase!);
  const create = engine.handlers()['patients.create'];
  for (let i = Number(startArg); ; i++) {
    const nhsNumber = validNhsNumber(i);
    await create({ nhsNumber, givenName: 'Crash', familyName: `Test ${i}`, dateOfBirth: '1980-05-05', gpPractice: 'Kill Nine Surgery' });
    process.stdout.write(`COMMITTED ${nhsNumber}\n`);
  }
}
void main();
