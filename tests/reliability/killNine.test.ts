import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { PASSPHRASE, newEngine, removeDir, setUpEngine, tempDir } from '../helpers/tempStore';

const ROOT = resolve(__dirname, '../..');
const ROUNDS = 50;

/** Small seeded PRNG so a failing run can be replayed with its seed. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs the writer until it has reported `commits` commits, waits a random moment more, then SIGKILLs it. */
function runAndKill(dataDir: string, start: number, commits: number, extraMs: number): Promise<string[]> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/reliability/writerChild.ts', dataDir, PASSPHRASE, String(start)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const committed: string[] = [];
    let buffer = '';
    let killing = false;
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) if (line.startsWith('COMMITTED ')) committed.push(line.slice(10));
      if (!killing && committed.length >= commits) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') ok(committed);
      else fail(new Error(`writer exited without being killed: ${stderr.slice(0, 500)}`));
    });
  });
}

describe('crash safety (kill -9 mid-write)', () => {
  const dir = tempDir('caseload-kill-');
  afterAll(() => removeDir(dir));

  it(`${ROUNDS} random kills: every reopen passes the integrity check and holds every reported commit`, async () => {
    const seed = Number(process.env.KILL_SEED ?? Date.now() % 1_000_000);
    const rng = mulberry32(seed);
    await (await setUpEngine(dir)).close();
    const everCommitted = new Set<string>();
    let start = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const commits = 1 + Math.floor(rng() * 25);
      const extraMs = Math.floor(rng() * 15);
      const committed = await runAndKill(dir, start, commits, extraMs);
      start += 1000;
      for (const n of committed) everCommitted.add(n);

      const engine = newEngine(dir);
      await engine.unlock(PASSPHRASE); // runs quick_check and refuses a damaged file
      const db = engine.context().db;
      const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
      expect(integrity.rows.map((r) => r.integrity_check), `seed ${seed}, round ${round}`).toEqual(['ok']);
      const stored = new Set((await db.selectFrom('patients').select('nhs_number').execute()).map((r) => r.nhs_number));
      const lost = [...everCommitted].filter((n) => !stored.has(n));
      expect(lost, `seed ${seed}, round ${round}: committed rows lost`).toEqual([]);
      expect((await engine.handlers()['audit.verify']({})).problems, `seed ${seed}, round ${round}`).toEqual([]);
      await engine.close();
    }
    expect(everCommitted.size).toBeGreaterThanOrEqual(ROUNDS);
  }, 240_000);
});
