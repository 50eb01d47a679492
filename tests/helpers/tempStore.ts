import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseloadEngine, type EngineOptions } from '../../electron/services/engine';
import type { KdfCost } from '../../electron/services/store/keyFile';

/** Real scrypt, small cost: tests only. */
export const TEST_KDF: KdfCost = { kind: 'insecure-test-only', N: 1024 };
export const PASSPHRASE = 'correct horse battery';

export function tempDir(prefix = 'caseload-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Tests pin AEGIS-256 (this machine's calibrated choice) unless they test the cipher choice itself. */
export function newEngine(dataDir = tempDir(), extra: Partial<EngineOptions> = {}): CaseloadEngine {
  return new CaseloadEngine({ dataDir, kdf: TEST_KDF, cipher: 'aegis-256', unlockBackoffBaseMs: 0, ...extra });
}

export async function setUpEngine(dataDir = tempDir(), extra: Partial<EngineOptions> = {}): Promise<CaseloadEngine> {
  const engine = newEngine(dataDir, extra);
  await engine.setup({ passphrase: PASSPHRASE, displayName: 'Dr Ada Lovelace', role: 'hit' });
  return engine;
}

/** Bytes of every file the store keeps, for byte-identical comparisons. */
export function snapshotFiles(dataDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['caseload.db', 'caseload.db-wal', 'caseload.db-shm', 'caseload.key', 'caseload.db.next', 'caseload.swap.json']) {
    const p = join(dataDir, name);
    out[name] = existsSync(p) ? readFileSync(p).toString('base64') : '(absent)';
  }
  return out;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** NHS test-range numbers (999…) with a valid Modulus-11 check digit. */
export { validNhsNumber } from '../../resources/demo/syntheticPatients';
