import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { PatientSummary } from '../../../shared/contract/patients';
import { AppError } from '../../../shared/contract/errors';
import type { Patient } from '../../../shared/domain/people';
import { appendAudit } from '../audit/auditChain';
import type { PatientsTable } from '../store/schema';
import type { ContextSource, HandlerMap } from '../handlers';
import type { patientMethods } from '../../../shared/contract/patients';
import type { CaseloadContext } from './context';
import { caseholderScope, patientInScope } from './scope';

/** Parsed (validated, normalised) patient fields as the contract hands them over. */
export interface PatientFields {
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  gpPractice: string;
}

const LIST_LIMIT = 500;

function toPatient(row: PatientsTable): Patient {
  return {
    id: row.id,
    nhsNumber: row.nhs_number,
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    gpPractice: row.gp_practice,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The duplicate names the patient already holding the number, so the clinician can find them. */
function duplicateNhsNumber(holder: { given_name: string; family_name: string }): AppError {
  const who = `${holder.family_name.toUpperCase()}, ${holder.given_name}`;
  return new AppError('DUPLICATE', `A patient with this NHS number is already on the caseload: ${who}.`, {
    fields: [{ path: 'nhsNumber', message: `is already on the caseload: ${who}` }],
  });
}

/** Caseload list; one audit event names every row shown (a list view is one "view" of those records). */
export async function listPatients(ctx: CaseloadContext, query: string | undefined): Promise<PatientSummary[]> {
  return ctx.db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('patients')
      .select(['id', 'nhs_number', 'given_name', 'family_name', 'date_of_birth', 'gp_practice', 'updated_at'])
      .where('deleted_at', 'is', null)
      .where(patientInScope(await caseholderScope(trx, ctx)))
      .orderBy('family_name')
      .orderBy('given_name')
      .limit(LIST_LIMIT);
    const text = query?.trim();
    if (text) {
      const digits = text.replace(/[\s-]/g, '');
      const like = `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      q = q.where((eb) =>
        eb.or([
          eb(sql`given_name || ' ' || family_name`, 'like', sql`${like} escape '\\'`),
          eb(sql`family_name || ', ' || given_name`, 'like', sql`${like} escape '\\'`),
          ...(/^\d+$/.test(digits) ? [eb('nhs_number', 'like', `${digits}%`)] : []),
        ]),
      );
    }
    const rows = await q.execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'list', entity: 'patient', entityIds: rows.map((r) => r.id) }, ctx.now());
    return rows.map((r) => ({
      id: r.id,
      nhsNumber: r.nhs_number,
      givenName: r.given_name,
      familyName: r.family_name,
      dateOfBirth: r.date_of_birth,
      gpPractice: r.gp_practice,
      updatedAt: r.updated_at,
    }));
  });
}

export async function getPatient(ctx: CaseloadContext, id: string): Promise<Patient> {
  return ctx.db.transaction().execute(async (trx) => {
    // A patient outside this person's scope is answered as not found: their existence is not disclosed either.
    const row = await trx.selectFrom('patients').selectAll().where('id', '=', id).where('deleted_at', 'is', null).where(patientInScope(await caseholderScope(trx, ctx))).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'No patient with that id is on this caseload.');
    await appendAudit(trx, { actorId: ctx.actorId, action: 'view', entity: 'patient', entityIds: [id] }, ctx.now());
    return toPatient(row);
  });
}

export async function createPatient(ctx: CaseloadContext, input: PatientFields): Promise<Patient> {
  return ctx.db.transaction().execute(async (trx) => {
    const clash = await trx.selectFrom('patients').select(['given_name', 'family_name']).where('nhs_number', '=', input.nhsNumber).executeTakeFirst();
    if (clash) throw duplicateNhsNumber(clash);
    const at = ctx.now().toISOString();
    const row: PatientsTable = {
      id: uuidv7(),
      nhs_number: input.nhsNumber,
      given_name: input.givenName,
      family_name: input.familyName,
      date_of_birth: input.dateOfBirth,
      gp_practice: input.gpPractice,
      version: 1,
      created_by: ctx.actorId,
      updated_by: ctx.actorId,
      created_at: at,
      updated_at: at,
      deleted_at: null,
    };
    await trx.insertInto('patients').values(row).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'patient', entityIds: [row.id] }, ctx.now());
    return toPatient(row);
  });
}

/** Optimistic concurrency: the caller sends the version it saw; a newer one on disk means someone else edited. */
export async function updatePatient(ctx: CaseloadContext, id: string, version: number, changes: Partial<PatientFields>): Promise<Patient> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('patients').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'No patient with that id is on this caseload.');
    if (row.version !== version) {
      throw new AppError('STALE_VERSION', 'This record changed since you opened it. Reload it and make your change again.');
    }
    if (changes.nhsNumber !== undefined && changes.nhsNumber !== row.nhs_number) {
      const clash = await trx.selectFrom('patients').select(['given_name', 'family_name']).where('nhs_number', '=', changes.nhsNumber).executeTakeFirst();
      if (clash) throw duplicateNhsNumber(clash);
    }
    const updated: PatientsTable = {
      ...row,
      ...(changes.nhsNumber !== undefined ? { nhs_number: changes.nhsNumber } : {}),
      ...(changes.givenName !== undefined ? { given_name: changes.givenName } : {}),
      ...(changes.familyName !== undefined ? { family_name: changes.familyName } : {}),
      ...(changes.dateOfBirth !== undefined ? { date_of_birth: changes.dateOfBirth } : {}),
      ...(changes.gpPractice !== undefined ? { gp_practice: changes.gpPractice } : {}),
      version: row.version + 1,
      updated_by: ctx.actorId,
      updated_at: ctx.now().toISOString(),
    };
    await trx.updateTable('patients').set(updated).where('id', '=', id).where('version', '=', version).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'update', entity: 'patient', entityIds: [id] }, ctx.now());
    return toPatient(updated);
  });
}

export function patientHandlers(context: ContextSource): HandlerMap<typeof patientMethods> {
  return {
    'patients.list': async (i) => ({ patients: await listPatients(context(), i.query) }),
    'patients.get': (i) => getPatient(context(), i.id),
    'patients.create': (i) => createPatient(context(), i),
    'patients.update': (i) => updatePatient(context(), i.id, i.version, i.changes),
  };
}
