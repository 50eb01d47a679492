import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../helpers/prng';
import { PASSPHRASE, newEngine, removeDir, setUpEngine, tempDir } from '../helpers/tempStore';

const ROOT = resolve(__dirname, '../..');
const ROUNDS = 50;
const LIFECYCLE_ROUNDS = 30;

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

interface LifecycleRun {
  acked: string[];
  /** The step in progress when the kill landed, or the last one acknowledged. */
  landedIn: string;
}

/** Runs the lifecycle child for a random time after its first acknowledgement, then SIGKILLs it. */
function runLifecycleAndKill(dataDir: string, passphrase: string, start: number, seed: number, afterMs: number): Promise<LifecycleRun> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/reliability/lifecycleChild.ts', dataDir, passphrase, String(start), String(seed)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let landedIn = '(before the first step)';
    let buffer = '';
    let stderr = '';
    let armed = false;
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('STEP ')) landedIn = `during ${line.slice(5)}`;
        if (line.startsWith('ACK ')) {
          acked.push(line.slice(4));
          landedIn = `after ${line.slice(4)}`;
        }
      }
      if (!armed && acked.length > 0) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), afterMs);
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') ok({ acked, landedIn });
      else fail(new Error(`lifecycle child exited without being killed: ${stderr.slice(0, 800)}`));
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

describe('crash safety (kill -9 during unlock, lock, passphrase change, backup, restore, cipher migration)', () => {
  const dir = tempDir('caseload-kill-lifecycle-');
  afterAll(() => removeDir(dir));

  it(`${LIFECYCLE_ROUNDS} random kills: every reopen opens, passes the integrity check and the audit chain, and holds every acknowledged write`, async () => {
    const seed = Number(process.env.KILL_SEED ?? Date.now() % 1_000_000);
    const rng = mulberry32(seed);
    await (await setUpEngine(dir)).close();
    let passphrase = PASSPHRASE;
    const everCommitted = new Set<string>();
    const landings: string[] = [];
    for (let round = 0; round < LIFECYCLE_ROUNDS; round++) {
      const run = await runLifecycleAndKill(dir, passphrase, 10_000 + round * 1000, seed + round, Math.floor(rng() * 400));
      const where = `seed ${seed}, round ${round}, kill landed ${run.landedIn}`;
      landings.push(run.landedIn);
      for (const a of run.acked) {
        if (a.startsWith('create ')) everCommitted.add(a.slice(7));
        if (a.startsWith('change ')) passphrase = a.slice(7);
      }
      // A kill inside a passphrase change leaves either passphrase valid, never neither.
      const candidates = run.landedIn.startsWith('during change ') ? [passphrase, run.landedIn.slice('during change '.length)] : [passphrase];
      let engine: ReturnType<typeof newEngine> | null = null;
      for (const p of candidates) {
        const e = newEngine(dir);
        const opened = await e.unlock(p).then(
          () => true,
          (err: { code?: string }) => {
            if (err.code !== 'WRONG_PASSPHRASE') throw new Error(`${where}: ${err.code}: ${String((err as Error).message)}`);
            return false;
          },
        );
        if (opened) {
          engine = e;
          passphrase = p;
          break;
        }
      }
      expect(engine, `${where}: no passphrase opens the store`).not.toBeNull();
      const db = engine!.context().db;
      const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
      expect(integrity.rows.map((r) => r.integrity_check), where).toEqual(['ok']);
      const stored = new Set((await db.selectFrom('patients').select('nhs_number').execute()).map((r) => r.nhs_number));
      expect([...everCommitted].filter((n) => !stored.has(n)), `${where}: acknowledged writes lost`).toEqual([]);
      expect((await engine!.handlers()['audit.verify']({})).problems, where).toEqual([]);
      expect(readdirSync(dir).filter((f) => f.endsWith('.next') || f.endsWith('.swap.json')), `${where}: a half-done swap was left`).toEqual([]);
      await engine!.close();
    }
    // The record of where kills landed: they must have hit more than one kind of operation to mean anything.
    const kinds = new Set(landings.map((l) => l.replace(/^(during|after) /, '').split(' ')[0]));
    expect(kinds.size, `kills landed: ${landings.join('; ')}`).toBeGreaterThanOrEqual(3);
  }, 300_000);
});
