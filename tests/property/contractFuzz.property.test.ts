import { sql } from 'kysely';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES, type MethodName } from '../../shared/contract/contract';
import { AppErrorShape } from '../../shared/contract/errors';
import { createEngineDispatcher } from '../../electron/services/dispatch';
import type { CaseloadEngine } from '../../electron/services/engine';
import { PASSPHRASE, removeDir, setUpEngine, tempDir, validNhsNumber } from '../helpers/tempStore';

/**
 * Every contract method gets ≥ 1,000 random payloads through the real dispatcher and a real encrypted store.
 * Only typed errors or contract-valid results come back; a rejected payload writes nothing (SQLite's
 * total_changes() does not move); an accepted one writes exactly its effect plus its audit rows.
 */
const RUNS = 1000;

/** Audit rows an accepted call appends (reads are audited too: a list is one event naming its rows). */
const AUDIT_ROWS: Record<MethodName, number> = {
  'session.status': 0,
  'session.setup': 1,
  'session.unlock': 0,
  'session.lock': 1,
  'session.activity': 0,
  'session.changePassphrase': 1,
  'users.list': 1,
  'users.create': 1,
  'patients.list': 1,
  'patients.get': 1,
  'patients.create': 1,
  'patients.update': 1,
  'audit.verify': 0,
  'backup.create': 1,
  'backup.list': 0,
  'backup.restore': 2,
  'files.chooseFolder': 0,
};

/**
 * Setup is refused on a set-up store, there is no backup with a fuzzed name to restore, and choosing a folder
 * is the shell's (the engine's registry never answers it).
 */
const NEVER_ACCEPTED: MethodName[] = ['session.setup', 'backup.restore', 'files.chooseFolder'];

const junk = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.string(),
  fc.integer(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 3 }),
);
/** Mostly a valid value, sometimes a plausible-but-wrong one, sometimes junk: so both outcomes are common. */
const field = <T,>(valid: fc.Arbitrary<T>, wrong: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: wrong }, { weight: 1, arbitrary: junk });
const nhs = field(fc.integer({ min: 0, max: 200_000 }).map(validNhsNumber), fc.oneof(fc.stringMatching(/^\d{10}$/), fc.string()));
const isoDate = field(
  fc.date({ min: new Date('1900-01-02T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.oneof(fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/), fc.string()),
);
const name = field(
  fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0),
  fc.oneof(fc.string({ minLength: 101, maxLength: 130 }), fc.constant('   '), fc.constant('')),
);
const patientFields = { nhsNumber: nhs, givenName: name, familyName: name, dateOfBirth: isoDate, gpPractice: name };
/** 'CURRENT' is replaced by the harness with the store's real passphrase or record version at call time. */
const CURRENT = 'CURRENT';
const passphrase = fc.oneof(fc.constant(CURRENT), fc.string({ minLength: 10, maxLength: 40 }), fc.string({ maxLength: 12 }));

function payloads(method: MethodName, ids: () => string[]): fc.Arbitrary<unknown> {
  const id = fc.oneof(fc.constantFrom(...ids(), '00000000-0000-7000-8000-000000000000'), fc.uuid(), fc.string());
  const shaped: Partial<Record<MethodName, fc.Arbitrary<unknown>>> = {
    'session.setup': fc.record({ passphrase, displayName: name, role: field(fc.constantFrom('pwp', 'hit'), fc.constant('nurse')) }, { requiredKeys: [] }),
    'session.unlock': fc.record({ passphrase }, { requiredKeys: [] }),
    'session.changePassphrase': fc.record({ current: passphrase, next: passphrase }, { requiredKeys: ['current', 'next'] }),
    'users.create': fc.record({ displayName: name, role: field(fc.constantFrom('pwp', 'hit', 'supervisor', 'admin', 'booking-clerk'), fc.constant('doctor')), supervisorId: field(fc.constant(null), id) }, { requiredKeys: ['displayName', 'role'] }),
    'patients.list': fc.record({ query: field(fc.string({ maxLength: 20 }), fc.string({ minLength: 101, maxLength: 120 })) }, { requiredKeys: [] }),
    'patients.get': fc.record({ id }, { requiredKeys: [] }),
    'patients.create': fc.record(patientFields, { requiredKeys: ['nhsNumber', 'givenName', 'familyName', 'dateOfBirth', 'gpPractice'] }),
    'patients.update': fc.record(
      { id: field(fc.constantFrom(...ids()), id), version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })), changes: field(fc.record(patientFields, { requiredKeys: [] }), junk) },
      { requiredKeys: ['id', 'version', 'changes'] },
    ),
    'backup.restore': fc.record(
      { file: fc.oneof(fc.constant('caseload-x.ccbak'), fc.constant('../caseload.key'), fc.string()), passphrase, currentPassphrase: passphrase, replaceOtherCaseload: field(fc.boolean(), fc.string()) },
      { requiredKeys: [] },
    ),
    'files.chooseFolder': fc.record({ purpose: field(fc.constant('backups'), fc.string()) }, { requiredKeys: [] }),
  };
  const base = shaped[method] ?? fc.constant({});
  return fc.oneof({ weight: 4, arbitrary: base }, { weight: 1, arbitrary: junk }, { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), junk, { maxKeys: 3 }) });
}

describe('contract fuzzing', () => {
  let dir: string;
  let engine: CaseloadEngine;
  let call: ReturnType<typeof createEngineDispatcher>;
  let currentPassphrase = PASSPHRASE;
  const knownIds: string[] = [];

  beforeAll(async () => {
    dir = tempDir();
    engine = await setUpEngine(dir);
    call = createEngineDispatcher(engine);
    const p = await engine.handlers()['patients.create']({ nhsNumber: validNhsNumber(1), givenName: 'Seed', familyName: 'Patient', dateOfBirth: '1970-01-01', gpPractice: 'Seed Surgery' });
    knownIds.push(p.id);
  });
  afterAll(async () => {
    await engine.close();
    removeDir(dir);
  });

  async function changes(): Promise<number> {
    const r = await sql<{ n: number }>`select total_changes() as n`.execute(engine.context().db);
    return r.rows[0]!.n;
  }
  async function auditCount(): Promise<number> {
    const r = await engine.context().db.selectFrom('audit_head').select('count').executeTakeFirst();
    return r?.count ?? 0;
  }

  async function resolveCurrent(payload: unknown): Promise<unknown> {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
    const p = { ...(payload as Record<string, unknown>) };
    for (const key of ['passphrase', 'current', 'next', 'currentPassphrase']) if (p[key] === CURRENT) p[key] = currentPassphrase;
    if (p.version === CURRENT) {
      const row = typeof p.id === 'string' ? await engine.context().db.selectFrom('patients').select('version').where('id', '=', p.id).executeTakeFirst() : undefined;
      p.version = row?.version ?? 1;
    }
    return p;
  }

  it.each(METHOD_NAMES)('%s: 1,000 random payloads give typed errors or valid results, and rejected ones write nothing', async (method) => {
    let accepted = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(payloads(method, () => knownIds), async (generated) => {
        let payload = generated;
        if (engine.status().state !== 'unlocked') await engine.unlock(currentPassphrase);
        payload = await resolveCurrent(payload);
        const changesBefore = await changes();
        const auditBefore = await auditCount();
        const result = await call(method, payload);
        if (!result.ok) {
          rejected++;
          expect(AppErrorShape.safeParse(result.error).success).toBe(true);
          expect(result.error.code).not.toBe('INTERNAL');
          if (result.error.code === 'VALIDATION') expect(result.error.fields?.length).toBeGreaterThan(0);
          expect(engine.status().state).toBe('unlocked'); // a rejected call changes no state either
          expect(await changes()).toBe(changesBefore);
          return;
        }
        accepted++;
        expect(contract[method].output.safeParse(result.value).success).toBe(true);
        if (method === 'session.lock') {
          expect(engine.status().state).toBe('locked');
          await engine.unlock(currentPassphrase);
          return;
        }
        if (method === 'session.changePassphrase') currentPassphrase = (contract[method].input.parse(payload) as { next: string }).next;
        expect(await auditCount()).toBe(auditBefore + AUDIT_ROWS[method]);
        if (method === 'patients.create' || method === 'patients.update') {
          const saved = result.value as { id: string; nhsNumber: string };
          const stored = await engine.context().db.selectFrom('patients').select(['nhs_number']).where('id', '=', saved.id).executeTakeFirstOrThrow();
          expect(stored.nhs_number).toBe(saved.nhsNumber);
          if (method === 'patients.create') knownIds.push(saved.id);
        }
      }),
      { numRuns: RUNS },
    );
    expect(accepted + rejected).toBe(RUNS);
    // Both branches must really be exercised, or the property says nothing.
    expect(rejected).toBeGreaterThan(0);
    if (!NEVER_ACCEPTED.includes(method)) expect(accepted).toBeGreaterThan(RUNS / 20);
  });

  it('the audit chain still verifies after all that', async () => {
    const v = await engine.handlers()['audit.verify']({});
    expect(v.problems).toEqual([]);
    expect(v.count).toBeGreaterThan(1000);
  });
});
