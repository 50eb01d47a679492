import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineDispatcher } from '../../electron/services/dispatch';
import type { CaseloadEngine } from '../../electron/services/engine';
import { AppErrorShape } from '../../shared/contract/errors';
import { PASSPHRASE, newEngine, removeDir, setUpEngine, tempDir, validNhsNumber } from '../helpers/tempStore';

/**
 * Issue #6: unlock fuzzed while locked, and restore fed hostile backup files. Whatever arrives, the answer is a
 * typed error or a valid result, no file outside the store's folder changes, and the store still opens.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

/** Every file under `root` except the store's own folder: name → size and hash. */
function outsideStore(root: string, storeDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (path === storeDir) continue;
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(root);
  return out;
}

describe('hostile input to unlock and restore', () => {
  let root: string;
  let storeDir: string;
  let engine: CaseloadEngine;
  let call: ReturnType<typeof createEngineDispatcher>;
  let valid: Buffer;
  let before: Record<string, string>;

  beforeAll(async () => {
    root = tempDir('caseload-hostile-');
    storeDir = join(root, 'store');
    // Neighbours a path trick might reach: a sibling folder, and files next to the store folder.
    mkdirSync(join(root, 'neighbour'));
    writeFileSync(join(root, 'neighbour', 'letter.txt'), 'not to be touched');
    writeFileSync(join(root, 'caseload.key'), 'a decoy key file beside the store folder');
    engine = await setUpEngine(storeDir);
    await engine.handlers()['patients.create']({ nhsNumber: validNhsNumber(3), givenName: 'Kept', familyName: 'Patient', dateOfBirth: '1970-01-01', gpPractice: 'Surgery' });
    valid = readFileSync((await engine.createBackup()).path);
    call = createEngineDispatcher(engine);
    before = outsideStore(root, storeDir);
  });
  afterAll(async () => {
    await engine.close();
    removeDir(root);
  });

  const typedOrValid = (result: Awaited<ReturnType<typeof call>>) => {
    if (!result.ok) {
      expect(AppErrorShape.safeParse(result.error).success).toBe(true);
      expect(result.error.code).not.toBe('INTERNAL');
    }
  };

  it(`session.unlock while locked: ${RUNS} passphrases, typed answers only, and the right one still opens`, async () => {
    await engine.lock();
    let opened = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 1, arbitrary: fc.constant({ passphrase: PASSPHRASE }) }, { weight: 8, arbitrary: fc.record({ passphrase: fc.string({ maxLength: 60 }) }) }, { weight: 1, arbitrary: fc.anything() }),
        async (input) => {
          const result = await call('session.unlock', input);
          typedOrValid(result);
          if (result.ok) {
            opened++;
            expect(engine.status().state).toBe('unlocked');
            await engine.lock();
          } else expect(engine.status().state).toBe('locked');
        },
      ),
      { numRuns: RUNS },
    );
    expect(opened).toBeGreaterThan(0);
    expect(outsideStore(root, storeDir)).toEqual(before);
    expect((await engine.unlock(PASSPHRASE)).state).toBe('unlocked');
  });

  /** A valid backup, mutated: header fields, lengths, bytes, truncation, or plain noise. */
  const hostileBackup = fc.oneof(
    fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b)),
    fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, x]) => {
      const b = Buffer.from(valid);
      b[at % b.length] = b[at % b.length]! ^ x;
      return b;
    }),
    fc.nat().map((n) => valid.subarray(0, n % valid.length)),
    fc.nat({ max: 0xffffffff }).map((n) => {
      const b = Buffer.from(valid);
      b.writeUInt32BE(n, 8);
      return b;
    }),
    fc
      .record({
        path: fc.constantFrom('createdAt', 'dbBytes', 'dbSha256', 'anchor', 'keyFile', 'keyFile.kdf.N', 'keyFile.kdf.r', 'keyFile.cipher', 'keyFile.storeId', 'keyFile.wrapped.ciphertext', 'version', 'format'),
        value: fc.oneof(fc.anything({ maxDepth: 2 }), fc.constant('../../neighbour/letter.txt'), fc.integer(), fc.constant(2 ** 40)),
      })
      .map(({ path, value }) => {
        const length = valid.readUInt32BE(8);
        const header = JSON.parse(valid.subarray(12, 12 + length).toString('utf8'));
        const keys = path.split('.');
        let target = header;
        for (const k of keys.slice(0, -1)) target = target[k];
        target[keys[keys.length - 1]!] = value;
        const json = Buffer.from(JSON.stringify(header) ?? 'null');
        const len = Buffer.alloc(4);
        len.writeUInt32BE(json.length);
        return Buffer.concat([valid.subarray(0, 8), len, json, valid.subarray(12 + length)]);
      }),
  );

  it(`backup.restore with ${RUNS} hostile backup files: typed errors or a real restore, nothing outside the store touched, the store always opens`, async () => {
    const folder = engine.backupFolder();
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(hostileBackup, fc.constantFrom('hostile.ccbak', 'caseload-hostile.ccbak'), async (bytes, file) => {
        writeFileSync(join(folder, file), bytes);
        if (engine.status().state !== 'unlocked') await engine.unlock(PASSPHRASE);
        const result = await call('backup.restore', { file, passphrase: PASSPHRASE });
        typedOrValid(result);
        if (!result.ok) refused++;
        if (engine.status().state !== 'unlocked') expect((await engine.unlock(PASSPHRASE)).state).toBe('unlocked');
        const patients = await engine.handlers()['patients.list']({});
        expect(patients.patients.map((p) => p.familyName)).toEqual(['Patient']);
        expect((await engine.handlers()['audit.verify']({})).ok).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(refused).toBeGreaterThan(RUNS / 2);
    expect(outsideStore(root, storeDir)).toEqual(before);
    // And a fresh engine opens it from disk, as after a restart.
    await engine.lock();
    const fresh = newEngine(storeDir);
    expect((await fresh.unlock(PASSPHRASE)).state).toBe('unlocked');
    await fresh.close();
  }, 240_000);
});
