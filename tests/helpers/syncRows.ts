import { v7 as uuidv7 } from 'uuid';
import type { LoggedChange, PullResponse, RowPayload } from '../../shared/sync/protocol';
import { canonicalJson } from '../../shared/sync/protocol';
import { createHash } from 'node:crypto';

/** Whole rows of the store's synced tables, as a device would write them and the server log would carry them. */
const AT = '2026-06-30T10:00:00.000Z';

function clinical(id: string, by: string, version = 1): RowPayload {
  return { id, version, created_by: by, updated_by: by, created_at: AT, updated_at: AT, deleted_at: null };
}

export function patientRow(id: string, by: string, nhs: string, fields: RowPayload = {}): RowPayload {
  return { ...clinical(id, by), nhs_number: nhs, given_name: 'Rosa', family_name: 'Parks', date_of_birth: '1961-04-12', gp_practice: 'Riverside', ...fields };
}

export function referralRow(id: string, patientId: string, by: string, fields: RowPayload = {}): RowPayload {
  return {
    ...clinical(id, by),
    patient_id: patientId,
    received_date: '2026-06-01',
    referrer_role: 'dsn',
    referrer_name: null,
    source_code: 'B1',
    ltc_codes: '[]',
    reason: 'low mood',
    risk_known: 0,
    risk_details: null,
    consent: 1,
    urgency: 'routine',
    pathway: 'integrated-ltc',
    caseholder_id: by,
    team: 'North',
    status: 'waiting',
    problem_descriptor: null,
    step: null,
    end_code: null,
    discharge_date: null,
    discuss_in_supervision: 0,
    opted_in: null,
    ltc_impact: null,
    signposting: null,
    ...fields,
  };
}

export function contactRow(id: string, referralId: string, by: string, fields: RowPayload = {}): RowPayload {
  return { ...clinical(id, by), referral_id: referralId, date: '2026-06-10', start_time: '10:00', duration_minutes: 50, type: 'treatment', mechanism: '01', location: 'clinic', attendance: null, clinician_id: by, ...fields };
}

export function noteRow(id: string, referralId: string, by: string, fields: RowPayload = {}): RowPayload {
  return { ...clinical(id, by), referral_id: referralId, contact_id: null, parent_note_id: null, status: 'draft', body: '', signed_by: null, signed_at: null, ...fields };
}

export function noteVersionRow(id: string, noteId: string, by: string, fields: RowPayload = {}): RowPayload {
  return { ...clinical(id, by), note_id: noteId, note_version: 1, status: 'draft', body: '', ...fields };
}

let clientId = uuidv7();
export function logged(serverSeq: number, table: string, payload: RowPayload | null, rowId = String(payload?.id)): LoggedChange {
  return {
    server_seq: serverSeq,
    op_id: uuidv7(),
    client_id: clientId,
    table,
    row_id: rowId,
    row_version: Number(payload?.version ?? 1),
    tombstone: payload === null,
    payload,
    received_at: AT,
  };
}
export function otherClient(): void {
  clientId = uuidv7();
}

export function page(changes: LoggedChange[], options: { purge?: string[]; next?: number; hasMore?: boolean; serverTime?: string } = {}): PullResponse {
  const purge = options.purge ?? [];
  return {
    changes,
    purge,
    next_cursor: options.next ?? changes.at(-1)?.server_seq ?? 0,
    has_more: options.hasMore ?? false,
    checksum: createHash('sha256').update(canonicalJson({ changes, purge })).digest('hex'),
    server_time: options.serverTime ?? AT,
  };
}
