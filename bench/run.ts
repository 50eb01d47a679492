import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { kyselyFor, migrate, openEncrypted, type Sqlite } from '../electron/services/store/database';
import { validNhsNumber } from '../resources/demo/syntheticPatients';
import { uxBench } from './ux';

/**
 * `npm run bench`: performance targets live here, never in timed tests. Writes bench/results.json as
 * [{ name, value, unit, note }] and prints a table.
 */
interface Result {
  name: string;
  value: number;
  unit: string;
  note: string;
}

const RUNS = 5;
const OPS = 10_000;
const TX_SIZE = 10;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function openStore(file: string, key: Buffer | null): Promise<Sqlite> {
  const db = openEncrypted(file, key, { create: true, plaintext: key === null });
  await migrate(db, kyselyFor(db), file);
  db.exec(`create table if not exists bench_referral (id text primary key, patient_id text not null references patients(id),
           received text not null, source text not null, status text not null, ltc text not null)`);
  return db;
}

/** The session-record workload: patient, referral-like and audit inserts in transactions of 10, then point reads. */
async function workload(key: Buffer | null): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'caseload-bench-'));
  try {
    const db = await openStore(join(dir, 'bench.db'), key);
    const owner = uuidv7();
    db.prepare(`insert into users values (?, 'Bench', 'hit', null, 1, 'x', 'x')`).run(owner);
    const insPatient = db.prepare(`insert into patients (id, nhs_number, given_name, family_name, date_of_birth, gp_practice, version, created_by, created_at, updated_at) values (?, ?, 'Given', 'Family', '1970-01-01', 'Surgery', 1, ?, 'x', 'x')`);
    const insReferral = db.prepare(`insert into bench_referral values (?, ?, '2026-01-01', 'A1', 'open', '["44054006"]')`);
    const insAudit = db.prepare(`insert into audit_event (seq, id, at, actor_id, action, entity, entity_ids, prev_hash, hash) values (?, ?, 'x', ?, 'create', 'patient', '[]', 'p', 'h')`);
    const getPatient = db.prepare('select * from patients where id = ?');
    const ids: string[] = [];
    let seq = 0;
    const started = performance.now();
    const tx = db.transaction((base: number) => {
      for (let i = base; i < base + TX_SIZE; i++) {
        const kind = i % 3;
        if (kind === 0 || ids.length === 0) {
          const id = uuidv7();
          insPatient.run(id, validNhsNumber(i), owner);
          ids.push(id);
        } else if (kind === 1) insReferral.run(uuidv7(), ids[ids.length - 1]);
        else insAudit.run(++seq, uuidv7(), owner);
      }
    });
    for (let base = 0; base < OPS; base += TX_SIZE) tx(base);
    for (let i = 0; i < OPS; i++) getPatient.get(ids[(i * 7919) % ids.length]);
    const elapsed = performance.now() - started;
    db.close();
    return elapsed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function openMs(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'caseload-bench-open-'));
  try {
    const key = randomBytes(32);
    const file = join(dir, 'open.db');
    const seed = await openStore(file, key);
    const owner = uuidv7();
    seed.prepare(`insert into users values (?, 'Bench', 'hit', null, 1, 'x', 'x')`).run(owner);
    const ins = seed.prepare(`insert into patients (id, nhs_number, given_name, family_name, date_of_birth, gp_practice, version, created_by, created_at, updated_at) values (?, ?, 'Given', 'Family', '1970-01-01', 'Surgery', 1, ?, 'x', 'x')`);
    seed.transaction(() => {
      for (let i = 0; i < 1000; i++) ins.run(uuidv7(), validNhsNumber(i), owner);
    })();
    seed.close();
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      const db = openEncrypted(file, key, { create: false });
      const k = kyselyFor(db);
      await migrate(db, k, file);
      await k.selectFrom('patients').select(['id', 'family_name', 'given_name']).orderBy('family_name').limit(500).execute();
      times.push(performance.now() - t);
      db.close();
    }
    return median(times);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const enc: number[] = [];
  const plain: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    // Alternate so drift in machine load affects both sides alike.
    enc.push(await workload(randomBytes(32)));
    plain.push(await workload(null));
  }
  const ratio = median(enc) / median(plain);
  const results: Result[] = [
    {
      name: 'store.encrypted_vs_plain_ratio',
      value: Number(ratio.toFixed(3)),
      unit: 'ratio',
      note: `goal ≤ 1.15; ${OPS} ops in transactions of ${TX_SIZE} + ${OPS} point reads; median of ${RUNS}: encrypted ${median(enc).toFixed(0)} ms, plain ${median(plain).toFixed(0)} ms (WAL, synchronous=FULL) — ${ratio <= 1.15 ? 'met' : 'NOT met'}`,
    },
    { name: 'store.open_ms', value: Number((await openMs()).toFixed(1)), unit: 'ms', note: `open with raw key + quick_check + migrate + first caseload query (1,000 patients); median of ${RUNS}` },
  ];
  results.push(...(await uxBench()));
  writeFileSync(join(__dirname, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.table(results);
}

void main();
