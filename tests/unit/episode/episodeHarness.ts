import { sql } from 'kysely';
import { expect } from 'vitest';
import { createEngineDispatcher } from '../../../electron/services/dispatch';
import type { CaseloadEngine } from '../../../electron/services/engine';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract/contract';
import type { AppErrorShape } from '../../../shared/contract/errors';
import { setUpEngine, tempDir, validNhsNumber } from '../../helpers/tempStore';

/**
 * Drives the real dispatcher (contract parsing, services, encrypted SQLite) the way the renderer does, with a
 * clock the test controls so "today" is fixed.
 */
export interface Harness {
  engine: CaseloadEngine;
  dir: string;
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  refusal<M extends MethodName>(method: M, input: MethodInput<M>): Promise<AppErrorShape>;
  changes(): Promise<number>;
  auditCount(): Promise<number>;
  tableCounts(): Promise<Record<string, number>>;
}

export const TODAY = '2026-06-30';
const CLINICAL_TABLES = ['patients', 'referrals', 'contacts', 'measures', 'screenings', 'risk_assessments', 'notes', 'note_versions', 'contact_attempts', 'actions', 'service_settings'] as const;

export async function harness(): Promise<Harness> {
  const dir = tempDir();
  const engine = await setUpEngine(dir, { now: () => new Date(`${TODAY}T10:00:00Z`) });
  const dispatch = createEngineDispatcher(engine);
  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const r = await dispatch(method, input);
    if (!r.ok) throw new Error(`${method} refused: ${r.error.code} ${r.error.message}`);
    return r.value as MethodOutput<M>;
  };
  const refusal = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<AppErrorShape> => {
    const r = await dispatch(method, input);
    expect(r.ok, `${method} should have been refused`).toBe(false);
    return (r as { ok: false; error: AppErrorShape }).error;
  };
  const changes = async () => (await sql<{ n: number }>`select total_changes() as n`.execute(engine.context().db)).rows[0]!.n;
  const auditCount = async () => (await engine.context().db.selectFrom('audit_head').select('count').executeTakeFirst())?.count ?? 0;
  const tableCounts = async () => {
    const out: Record<string, number> = {};
    for (const t of CLINICAL_TABLES) out[t] = (await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(engine.context().db)).rows[0]!.n;
    return out;
  };
  return { engine, dir, call, refusal, changes, auditCount, tableCounts };
}

let nhs = 100;
export function patientInput(overrides: Partial<MethodInput<'patients.create'>> = {}): MethodInput<'patients.create'> {
  return { nhsNumber: validNhsNumber(nhs++), givenName: 'Eleanor', familyName: 'Patel', dateOfBirth: '1961-04-12', gpPractice: 'Riverside Medical Centre', ...overrides };
}

export function referralInput(patientId: string, overrides: Partial<MethodInput<'referrals.create'>> = {}): MethodInput<'referrals.create'> {
  return {
    patientId,
    receivedDate: '2026-01-05',
    referrerRole: 'diabetes-specialist-nurse',
    ltcCodes: ['44054006'],
    reason: 'Low mood and worry about managing diabetes',
    riskKnown: false,
    consent: true,
    urgency: 'routine',
    pathway: 'integrated-ltc',
    team: 'Diabetes clinic, West Herts',
    ...overrides,
  };
}

export function contactInput(referralId: string, date: string, overrides: Partial<MethodInput<'contacts.create'>> = {}): MethodInput<'contacts.create'> {
  return { referralId, date, startTime: '10:00', durationMinutes: 50, type: 'treatment', mechanism: '01', location: 'Diabetes outpatient clinic', attendance: 5, ...overrides };
}

/** PHQ-9 answers that sum to `total` with item 9 as given (the rest spread from item 1). */
export function phq9Answers(total: number, item9 = 0): number[] {
  const answers = Array<number>(9).fill(0);
  answers[8] = item9;
  let left = total - item9;
  for (let i = 0; i < 8 && left > 0; i++) {
    answers[i] = Math.min(3, left);
    left -= answers[i]!;
  }
  return answers;
}

export function gad7Answers(total: number): number[] {
  const answers = Array<number>(7).fill(0);
  let left = total;
  for (let i = 0; i < 7 && left > 0; i++) {
    answers[i] = Math.min(3, left);
    left -= answers[i]!;
  }
  return answers;
}
