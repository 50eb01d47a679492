import { sql, type Kysely } from 'kysely';
import type { CreateTableBuilder } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The columns every clinical table carries so the sync issue can replicate any table without reshaping it
 * (DESIGN §5): a UUIDv7 id, the version optimistic concurrency compares, who and when, and a tombstone.
 */
function clinical<T extends string>(table: CreateTableBuilder<T, never>) {
  return table
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text');
}

/**
 * Ordered migrations, in code. Names sort in order; a database that has applied a name this list does not
 * know was written by a newer app and is refused (see database.ts).
 */
/**
 * Every write to a synced table records what the device owes, whatever code path made it. Skipped while the inbox
 * applies a pulled page; coalesced per row while pending, keeping the first base_version (what the user saw).
 * Plain SQL only: trusted_schema is off on our connections.
 */
async function recordWritesInOutbox(db: Kysely<unknown>, table: string): Promise<void> {
  const pendingFor = `not exists (select 1 from sync_outbox where table_name = '${table}' and row_id = new.id and state = 'pending')`;
  const notApplying = `(select applying from sync_state where id = 1) = 0`;
  await sql
    .raw(
      `create trigger ${table}_sync_insert after insert on ${table} when ${notApplying} begin
         insert into sync_outbox (table_name, row_id, base_version, state, created_at)
         select '${table}', new.id, 0, 'pending', new.updated_at where ${pendingFor};
       end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger ${table}_sync_update after update on ${table} when ${notApplying} begin
         insert into sync_outbox (table_name, row_id, base_version, state, created_at)
         select '${table}', new.id, old.version, 'pending', new.updated_at where ${pendingFor};
       end`,
    )
    .execute(db);
}

export const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) =>
          c.notNull().check(sql`role in ('pwp','hit','supervisor','admin','booking-clerk')`),
        )
        .addColumn('supervisor_id', 'text', (c) => c.references('users.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('patients')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('nhs_number', 'text', (c) => c.notNull().unique())
        .addColumn('given_name', 'text', (c) => c.notNull())
        .addColumn('family_name', 'text', (c) => c.notNull())
        .addColumn('date_of_birth', 'text', (c) => c.notNull())
        .addColumn('gp_practice', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('patients_family_name').on('patients').columns(['family_name', 'given_name']).execute();
      await db.schema
        .createTable('audit_event')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('entity_ids', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      // Append-only: the app never updates or deletes audit rows; tampering needs the key and a raw connection.
      await sql`create trigger audit_event_no_update before update on audit_event
                begin select raise(abort, 'audit_event is append-only'); end`.execute(db);
      await sql`create trigger audit_event_no_delete before delete on audit_event
                begin select raise(abort, 'audit_event is append-only'); end`.execute(db);
      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('last_hash', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0002_clinical_episode': {
    async up(db: Kysely<unknown>) {
      // patients gains the rest of the clinical columns; existing rows were last updated by their creator.
      await sql`alter table patients add column updated_by text not null default ''`.execute(db);
      await sql`alter table patients add column deleted_at text`.execute(db);
      await sql`update patients set updated_by = created_by`.execute(db);

      await clinical(db.schema.createTable('referrals'))
        .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
        .addColumn('received_date', 'text', (c) => c.notNull())
        .addColumn('referrer_role', 'text', (c) => c.notNull())
        .addColumn('referrer_name', 'text')
        .addColumn('source_code', 'text', (c) => c.notNull())
        .addColumn('ltc_codes', 'text', (c) => c.notNull()) // JSON array of SNOMED CT codes
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('risk_known', 'integer', (c) => c.notNull())
        .addColumn('risk_details', 'text')
        .addColumn('consent', 'integer', (c) => c.notNull())
        .addColumn('urgency', 'text', (c) => c.notNull())
        .addColumn('pathway', 'text', (c) => c.notNull().check(sql`pathway in ('integrated-ltc','core')`))
        .addColumn('caseholder_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('team', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('problem_descriptor', 'text')
        .addColumn('step', 'integer')
        .addColumn('end_code', 'text')
        .addColumn('discharge_date', 'text')
        .addColumn('discuss_in_supervision', 'integer', (c) => c.notNull())
        .addColumn('opted_in', 'integer')
        .addColumn('ltc_impact', 'text') // assessment: how the long-term condition and the mood problem affect each other
        .addColumn('signposting', 'text') // where a referral ended "not suitable" was signposted
        .execute();
      await db.schema.createIndex('referrals_patient').on('referrals').columns(['patient_id', 'received_date']).execute();
      await db.schema.createIndex('referrals_caseholder_status').on('referrals').columns(['caseholder_id', 'status']).execute();

      await clinical(db.schema.createTable('contacts'))
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('start_time', 'text', (c) => c.notNull())
        .addColumn('duration_minutes', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('mechanism', 'text', (c) => c.notNull()) // ConsMechanism: 01, 02, 11
        .addColumn('location', 'text', (c) => c.notNull())
        .addColumn('attendance', 'integer', (c) => c.check(sql`attendance between 2 and 7`)) // null: booked ahead
        .addColumn('clinician_id', 'text', (c) => c.notNull().references('users.id'))
        .execute();
      await db.schema.createIndex('contacts_referral').on('contacts').columns(['referral_id', 'date']).execute();

      await clinical(db.schema.createTable('measures'))
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('contact_id', 'text', (c) => c.references('contacts.id'))
        .addColumn('instrument_id', 'text', (c) => c.notNull())
        .addColumn('instrument_version', 'text', (c) => c.notNull())
        .addColumn('answers', 'text', (c) => c.notNull()) // JSON: numbers, null (skipped) or "na"
        .addColumn('total', 'real') // null when an item was skipped: no prorating (ref §1)
        .addColumn('risk_flags', 'text', (c) => c.notNull()) // JSON array of flag names
        .addColumn('risk_review_id', 'text') // the risk review that answered those flags
        .addColumn('completed_by', 'text', (c) => c.notNull().check(sql`completed_by in ('patient','clinician')`))
        .addColumn('date', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('measures_referral').on('measures').columns(['referral_id', 'date']).execute();

      await clinical(db.schema.createTable('screenings'))
        .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
        .addColumn('instrument_id', 'text', (c) => c.notNull())
        .addColumn('instrument_version', 'text', (c) => c.notNull())
        .addColumn('answers', 'text', (c) => c.notNull())
        .addColumn('total', 'real')
        .addColumn('positive', 'integer') // null: no result (e.g. no service cut-off yet)
        .addColumn('result_label', 'text')
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('referral_offered', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('screenings_patient').on('screenings').columns(['patient_id', 'date']).execute();

      await clinical(db.schema.createTable('risk_assessments'))
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('contact_id', 'text', (c) => c.references('contacts.id'))
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('thoughts', 'integer', (c) => c.notNull())
        .addColumn('plans', 'integer', (c) => c.notNull())
        .addColumn('intent', 'integer', (c) => c.notNull())
        .addColumn('protective_factors', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('low','moderate','high')`))
        .addColumn('plan', 'text', (c) => c.notNull())
        .addColumn('next_review_date', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('risk_assessments_referral').on('risk_assessments').columns(['referral_id', 'date']).execute();

      // A note is a versioned document: the row holds its current state, note_versions every version ever saved.
      await clinical(db.schema.createTable('notes'))
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('contact_id', 'text', (c) => c.references('contacts.id'))
        .addColumn('parent_note_id', 'text', (c) => c.references('notes.id')) // set on an addendum
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','signed')`))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('signed_by', 'text')
        .addColumn('signed_at', 'text')
        .execute();
      await db.schema.createIndex('notes_referral').on('notes').columns(['referral_id']).execute();
      await clinical(db.schema.createTable('note_versions'))
        .addColumn('note_id', 'text', (c) => c.notNull().references('notes.id'))
        .addColumn('note_version', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('note_versions_note').on('note_versions').columns(['note_id', 'note_version']).unique().execute();
      // A signed version is final: the app never rewrites one, and neither may anything else.
      await sql`create trigger note_versions_no_update before update on note_versions
                begin select raise(abort, 'note_versions is append-only'); end`.execute(db);

      await clinical(db.schema.createTable('contact_attempts'))
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .execute();
      await db.schema.createIndex('contact_attempts_referral').on('contact_attempts').columns(['referral_id', 'date']).execute();

      await clinical(db.schema.createTable('actions'))
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('contact_id', 'text', (c) => c.references('contacts.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('due_date', 'text', (c) => c.notNull())
        .addColumn('done_at', 'text')
        .execute();
      await db.schema.createIndex('actions_referral').on('actions').columns(['referral_id']).execute();

      // One live row: the service's createOutcomes overrides and its referrer → source-code table (JSON).
      await clinical(db.schema.createTable('service_settings'))
        .addColumn('outcome_overrides', 'text', (c) => c.notNull())
        .addColumn('source_codes', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0003_service_ltc_codes': {
    async up(db: Kysely<unknown>) {
      // The service's SNOMED CT codes for the unverified long-term conditions (JSON, condition key → code).
      await db.schema.alterTable('service_settings').addColumn('ltc_codes', 'text', (c) => c.notNull().defaultTo('{}')).execute();
    },
  },
  '0004_sync': {
    async up(db: Kysely<unknown>) {
      // What this device owes the team server (electron/services/sync/outbox.ts). One pending entry per row at a
      // time; sealing freezes the row as a command (op_id, mutation_seq, payload) that is resent unchanged until
      // the server acknowledges it. Refused entries stay for the user to act on.
      await db.schema
        .createTable('sync_outbox')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('table_name', 'text', (c) => c.notNull())
        .addColumn('row_id', 'text', (c) => c.notNull())
        .addColumn('base_version', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending','sealed','refused')`))
        .addColumn('op_id', 'text', (c) => c.unique())
        .addColumn('mutation_seq', 'integer', (c) => c.unique())
        .addColumn('payload', 'text') // JSON of the whole row at sealing; null for a tombstone or while pending
        .addColumn('tombstone', 'integer')
        .addColumn('row_version', 'integer')
        .addColumn('refused_reason', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await sql`create unique index sync_outbox_one_pending on sync_outbox (table_name, row_id) where state = 'pending'`.execute(db);
      await db.schema.createIndex('sync_outbox_row').on('sync_outbox').columns(['table_name', 'row_id']).execute();

      // The device's enrolment and pull position: one row, present from the start so triggers can read `applying`.
      await db.schema
        .createTable('sync_state')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('server_url', 'text')
        .addColumn('device_id', 'text')
        .addColumn('user_id', 'text')
        .addColumn('team_id', 'text')
        .addColumn('token', 'text')
        .addColumn('local_owner_id', 'text')
        .addColumn('cursor', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_mutation_seq', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('last_synced_at', 'text') // the server's clock, never this device's
        .addColumn('applying', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('audit_acked_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('audit_acked_hash', 'text')
        // JSON array of patients the server said left scope while this device still had changes of theirs to
        // push; purged at a later pull, since the server names each departure only once.
        .addColumn('deferred_purge', 'text', (c) => c.notNull().defaultTo('[]'))
        // Set while a pulled page is awaited, cleared when one is applied: still set means a page was lost
        // (reply lost, crash before commit) and with it possibly a back-fill the server will not send again.
        .addColumn('pull_open', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`insert into sync_state (id) values (1)`.execute(db);

      // Per row: the server_seq applied here, and the newest change the server sent for it (applied, or held back
      // while this device's own write to the row is unanswered). When the server does not take that write as
      // it stands (merged, conflict, refused, tombstoned), the row returns to the team's version from here.
      await db.schema
        .createTable('sync_rows')
        .addColumn('table_name', 'text', (c) => c.notNull())
        .addColumn('row_id', 'text', (c) => c.notNull())
        .addColumn('server_seq', 'integer', (c) => c.notNull())
        .addColumn('latest_seq', 'integer', (c) => c.notNull())
        .addColumn('latest_change', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sync_rows_pk', ['table_name', 'row_id'])
        .execute();

      // Conflicts the server found (DESIGN §5.3–5.4); a synced table, so a resolution reaches every device.
      await clinical(db.schema.createTable('sync_conflicts'))
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('table_name', 'text', (c) => c.notNull())
        .addColumn('row_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('base_version', 'integer', (c) => c.notNull())
        .addColumn('theirs', 'text', (c) => c.notNull())
        .addColumn('mine', 'text', (c) => c.notNull())
        .addColumn('mine_by', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('resolved_by', 'text')
        .addColumn('resolved_at', 'text')
        .addColumn('resolution_note', 'text')
        .execute();
      await db.schema.createIndex('sync_conflicts_status').on('sync_conflicts').columns(['status', 'created_at']).execute();

      // Every write to a synced table records what the device owes, whatever code path made it. Skipped while
      // the inbox applies a pulled page; coalesced per row while pending, keeping the first base_version (what
      // the user saw). Plain SQL only: trusted_schema is off on our connections.
      // The synced tables as they stood at this migration: a table added later makes its own triggers in its own
      // migration (tests/unit/syncTables.test.ts checks every synced table has them).
      for (const table of ['patients', 'referrals', 'contacts', 'measures', 'screenings', 'risk_assessments', 'notes', 'note_versions', 'contact_attempts', 'actions', 'service_settings', 'sync_conflicts']) {
        await recordWritesInOutbox(db, table);
      }

      // Two laptops editing one draft offline each keep "version 2" of it: both are history and both arrive
      // by sync, so a note's version numbers are no longer unique (the note itself resolves as a conflict).
      await sql`drop index note_versions_note`.execute(db);
      await db.schema.createIndex('note_versions_note').on('note_versions').columns(['note_id', 'note_version']).execute();
    },
  },
  '0005_user_directory': {
    async up(db: Kysely<unknown>) {
      // People leave the team but stay named in the records and the audit trail they wrote: a user is
      // deactivated (when, by whom), never deleted (issue #10 §9).
      await db.schema.alterTable('users').addColumn('deactivated_at', 'text').execute();
      await db.schema.alterTable('users').addColumn('updated_by', 'text').execute();
    },
  },
  '0006_appointments': {
    async up(db: Kysely<unknown>) {
      // A clinic the team runs on a fixed weekday ("Tuesday diabetes clinic, Lister Hospital"); team-wide, not clinical.
      await clinical(db.schema.createTable('clinics'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('site', 'text', (c) => c.notNull())
        .addColumn('weekday', 'integer', (c) => c.notNull().check(sql`weekday between 1 and 7`)) // ISO: 1 = Monday
        .addColumn('start_time', 'text', (c) => c.notNull())
        .addColumn('end_time', 'text', (c) => c.notNull())
        .addColumn('pathway', 'text', (c) => c.notNull().check(sql`pathway in ('integrated-ltc','core')`))
        .addColumn('ltc_code', 'text') // SNOMED CT, when the clinic serves one condition
        .execute();
      // An appointment is a contact booked ahead (attendance null until recorded): it becomes the session's
      // contact when attended, and a cancellation is its attendance code 2 or 4 (ref §5.4).
      await db.schema.alterTable('contacts').addColumn('clinic_id', 'text', (c) => c.references('clinics.id')).execute();
      await db.schema.alterTable('contacts').addColumn('rescheduled_from_id', 'text', (c) => c.references('contacts.id')).execute();
      await db.schema.alterTable('contacts').addColumn('cancellation_reason', 'text').execute();
      await db.schema.createIndex('contacts_clinician_date').on('contacts').columns(['clinician_id', 'date']).execute();
      await db.schema.createIndex('contacts_clinic_date').on('contacts').columns(['clinic_id', 'date']).execute();
      // A booking is rescheduled at most once: the replacement is the one to move next.
      await sql`create unique index contacts_rescheduled_from on contacts (rescheduled_from_id)
                where rescheduled_from_id is not null and deleted_at is null`.execute(db);
      await recordWritesInOutbox(db, 'clinics');
    },
  },
  '0007_care_plan': {
    async up(db: Kysely<unknown>) {
      // A step change ends one referral and opens the next (ref §5.7); the new one names the one it came from.
      await db.schema.alterTable('referrals').addColumn('previous_referral_id', 'text', (c) => c.references('referrals.id')).execute();
      await db.schema.createIndex('referrals_previous').on('referrals').columns(['previous_referral_id']).execute();
      // IDS202 care activity: the therapy type of the care plan when the contact was made (ref §5.5).
      await db.schema.alterTable('contacts').addColumn('therapy_type', 'text').execute();

      // One live care plan per referral: the intervention (ref §5.5 therapy type). Its step is the referral's own.
      await clinical(db.schema.createTable('care_plans'))
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('therapy_type', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('care_plans_referral').on('care_plans').columns(['referral_id']).execute();

      await clinical(db.schema.createTable('care_plan_goals'))
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('description', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('care_plan_goals_referral').on('care_plan_goals').columns(['referral_id']).execute();

      await clinical(db.schema.createTable('goal_ratings'))
        .addColumn('goal_id', 'text', (c) => c.notNull().references('care_plan_goals.id'))
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('contact_id', 'text', (c) => c.references('contacts.id'))
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('rating', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('goal_ratings_goal').on('goal_ratings').columns(['goal_id', 'date']).execute();
      for (const table of ['care_plans', 'care_plan_goals', 'goal_ratings']) await recordWritesInOutbox(db, table);
    },
  },
  '0008_letters': {
    async up(db: Kysely<unknown>) {
      // A letter to the GP or the referrer (issue #10 §4): a draft the clinician edits, then final and never
      // rewritten; a correction is a new letter that supersedes it (letter_version counts along the chain).
      await clinical(db.schema.createTable('letters'))
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('opt-in-failure','assessment','dna','discharge')`))
        .addColumn('recipient', 'text', (c) => c.notNull().check(sql`recipient in ('gp','referrer')`))
        .addColumn('recipient_name', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','final')`))
        .addColumn('letter_version', 'integer', (c) => c.notNull())
        .addColumn('supersedes_id', 'text', (c) => c.references('letters.id'))
        .addColumn('finalised_by', 'text')
        .addColumn('finalised_at', 'text')
        .addColumn('sent_on', 'text')
        .addColumn('sent_to', 'text')
        .addColumn('sent_by', 'text')
        .execute();
      await db.schema.createIndex('letters_referral').on('letters').columns(['referral_id', 'created_at']).execute();
      // A final letter's words are what was sent: only its "sent" record may be added afterwards.
      await sql`create trigger letters_final_is_final before update on letters
                when old.status = 'final' and (new.body is not old.body or new.recipient_name is not old.recipient_name
                  or new.status is not old.status or new.kind is not old.kind or new.recipient is not old.recipient
                  or new.referral_id is not old.referral_id or new.letter_version is not old.letter_version)
                begin select raise(abort, 'a final letter cannot be changed'); end`.execute(db);
      await recordWritesInOutbox(db, 'letters');
    },
  },
  '0009_supervision': {
    async up(db: Kysely<unknown>) {
      // A supervision meeting (issue #11 §1): who supervised whom, when, one to one or as a group. It names staff
      // only, never a patient, so it travels to the whole team; what was said about a case is in supervision_cases.
      await clinical(db.schema.createTable('supervision_sessions'))
        .addColumn('supervisor_id', 'text', (c) => c.notNull())
        .addColumn('held_on', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('individual','group')`))
        .addColumn('supervisee_ids', 'text', (c) => c.notNull()) // JSON array of user ids
        .execute();
      // A case discussed: the flags as they stood (what the supervisor saw), the discussion and the decision.
      await clinical(db.schema.createTable('supervision_cases'))
        .addColumn('session_id', 'text', (c) => c.notNull().references('supervision_sessions.id'))
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('flags', 'text', (c) => c.notNull()) // JSON: [{ kind, reason }]
        .addColumn('discussion', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('supervision_cases_referral').on('supervision_cases').columns(['referral_id']).execute();
      await db.schema.createIndex('supervision_cases_session').on('supervision_cases').columns(['session_id']).execute();
      // The review reads a supervisee's open referrals only: a partial index skips their years of discharged ones.
      await db.schema.createIndex('referrals_open_caseholder').on('referrals').columns(['caseholder_id']).where(sql.ref('discharge_date'), 'is', null).where(sql.ref('deleted_at'), 'is', null).execute();
      // Supervision actions are follow-up actions like a DNA's (one way to do each thing): they gain an owner and
      // the case discussion that set them, and reach the clinician's episode screen through the same table.
      await db.schema.alterTable('actions').addColumn('owner_id', 'text').execute();
      await db.schema.alterTable('actions').addColumn('supervision_case_id', 'text', (c) => c.references('supervision_cases.id')).execute();
      await db.schema.createIndex('actions_owner').on('actions').columns(['owner_id', 'done_at']).execute();
      for (const table of ['supervision_sessions', 'supervision_cases']) await recordWritesInOutbox(db, table);
    },
  },
  '0010_formulation': {
    async up(db: Kysely<unknown>) {
      // An LTC-adapted CBT formulation (issue #10 stage 6). Each row is one saved version of a referral's diagram
      // (boxes and arrows as JSON), kept as written: a save is a new row, never an update of an old one.
      await clinical(db.schema.createTable('formulations'))
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('formulation_version', 'integer', (c) => c.notNull())
        .addColumn('diagram', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status = 'saved'`))
        .execute();
      await db.schema.createIndex('formulations_referral').on('formulations').columns(['referral_id', 'formulation_version']).execute();
      await sql`create trigger formulations_saved_is_kept before update on formulations
                when new.diagram is not old.diagram or new.referral_id is not old.referral_id
                  or new.formulation_version is not old.formulation_version
                begin select raise(abort, 'a saved formulation version cannot be changed'); end`.execute(db);
      await recordWritesInOutbox(db, 'formulations');
    },
  },
  '0011_sync_parked_rows': {
    async up(db: Kysely<unknown>) {
      // Each pulled page retries the rows parked for a missing parent (and those held behind a local write): both
      // have a newer server version than the one applied. Without this index that lookup reads all of sync_rows,
      // one row per synced row, on every page of a first sync.
      await sql`create index sync_rows_waiting on sync_rows (table_name, row_id) where latest_seq > server_seq`.execute(db);
    },
  },
  '0012_groups_pauses_employment': {
    async up(db: Kysely<unknown>) {
      // A condition-specific course (issue #10 §7), co-facilitated with a named physical-health colleague. It names
      // staff and a place, never a patient, so it travels to the whole team; who is in it is in group_members.
      await clinical(db.schema.createTable('groups'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('condition', 'text', (c) => c.notNull())
        .addColumn('facilitator_id', 'text', (c) => c.notNull())
        .addColumn('co_facilitator_name', 'text', (c) => c.notNull())
        .addColumn('co_facilitator_role', 'text', (c) => c.notNull())
        .addColumn('location', 'text', (c) => c.notNull())
        .addColumn('starts_on', 'text', (c) => c.notNull())
        .addColumn('planned_sessions', 'integer', (c) => c.notNull())
        .execute();
      await clinical(db.schema.createTable('group_members'))
        .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('joined_on', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('group_members_group').on('group_members').columns(['group_id']).execute();
      await db.schema.createIndex('group_members_referral').on('group_members').columns(['referral_id']).execute();
      // A meeting of the course. Each member's attendance is a contact of their own referral naming this session,
      // so it counts in their episode and in classifyEpisode like any other contact (one way to record a session).
      // Its number is its place by date, worked out when read: two devices recording sessions offline cannot
      // give two meetings the same number.
      await clinical(db.schema.createTable('group_sessions'))
        .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('start_time', 'text', (c) => c.notNull())
        .addColumn('duration_minutes', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('group_sessions_group').on('group_sessions').columns(['group_id', 'date']).execute();
      await db.schema.alterTable('contacts').addColumn('group_session_id', 'text', (c) => c.references('group_sessions.id')).execute();
      await db.schema.createIndex('contacts_group_session').on('contacts').columns(['group_session_id']).execute();

      // Patient-initiated waiting-time pauses (ref §5.1 IDS108): dated and reasoned, shown beside the wait and
      // reported separately; never subtracted from it.
      await clinical(db.schema.createTable('waiting_pauses'))
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('start_date', 'text', (c) => c.notNull())
        .addColumn('end_date', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('waiting_pauses_referral').on('waiting_pauses').columns(['referral_id', 'start_date']).execute();

      // A referral to employment support with its dates (ref §1, §5.1 IDS004: employment-support referral and discharge dates).
      await clinical(db.schema.createTable('employment_support'))
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('referred_on', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('started_on', 'text')
        .addColumn('ended_on', 'text')
        .execute();
      await db.schema.createIndex('employment_support_referral').on('employment_support').columns(['referral_id']).execute();
      for (const table of ['groups', 'group_members', 'group_sessions', 'waiting_pauses', 'employment_support']) await recordWritesInOutbox(db, table);

      // The service's CodedAssToolType codes for the measures the reference does not code (issue #11 §3): kept with
      // the other settings, so every export starts from them. JSON: instrument id → SNOMED CT code.
      await db.schema.alterTable('service_settings').addColumn('tool_codes', 'text', (c) => c.notNull().defaultTo('{}')).execute();
    },
  },
  '0013_report_indexes': {
    async up(db: Kysely<unknown>) {
      // A year's report reads every contact and score of tens of thousands of referrals. From the tables that is
      // a row lookup each, in pages full of notes-sized columns; these covering indexes hold just what the outcome
      // engine reads (episodeAdapter.ts), in referral order, and skip deleted rows; a score's created_at orders two
      // on one date for the caseload and supervision views, which read the same columns for a clinician's referrals.
      await sql`create index contacts_episode on contacts (referral_id, date, start_time, id, type, attendance) where deleted_at is null`.execute(db);
      await sql`create index measures_episode on measures (referral_id, date, instrument_id, total, contact_id, created_at) where deleted_at is null`.execute(db);
      // Healthcare use reads service-use records only: a handful beside the scores, found without reading those.
      await sql`create index measures_service_use on measures (referral_id, date) where instrument_id = 'service-use' and deleted_at is null`.execute(db);
      // A follow-up after discharge counts for the period's DNA rate: found by date, not by reading every contact.
      await sql`create index contacts_follow_up on contacts (date, referral_id) where type = 'follow-up' and deleted_at is null`.execute(db);
      // A clinician's caseload: their patients by the referrals they hold, and those they registered and have not
      // referred yet, each found from the clinician rather than by reading every patient of the service.
      // Not partial: the planner would take a partial one to scan every live referral (then reading each row).
      await sql`create index referrals_caseholder_patient on referrals (caseholder_id, deleted_at, patient_id)`.execute(db);
      await sql`create index patients_created_by on patients (created_by) where deleted_at is null`.execute(db);
      // Item-9 alerts still without a risk review: few at any time, looked up for every referral a list shows.
      await sql`create index measures_open_risk on measures (referral_id) where deleted_at is null and risk_review_id is null and risk_flags <> '[]'`.execute(db);
    },
  },
  '0014_caseload_and_report_indexes': {
    async up(db: Kysely<unknown>) {
      // "Registered by me and not referred yet" asks, of each patient a clinician ever registered, whether any live
      // referral names them: with this index that is one probe of a small index rather than a row read per referral.
      await sql`create index referrals_patient_live on referrals (patient_id) where deleted_at is null`.execute(db);
      // …and the patients a clinician registered are read from this index alone (their ids), not row by row.
      await sql`drop index patients_created_by`.execute(db);
      await sql`create index patients_created_by on patients (created_by, id) where deleted_at is null`.execute(db);
      // A report's referrals are those open at the period's end or discharged since its start (reportQuery.ts):
      // two ranges of this index, which holds all the report reads of them without filters, rather than every
      // referral of the service's years.
      await sql`create index referrals_period on referrals (discharge_date, received_date, deleted_at, caseholder_id, patient_id, id)`.execute(db);
    },
  },
  '0015_report_entries': {
    async up(db: Kysely<unknown>) {
      // Each referral's classification as reports read it (the outcomes engine's reportEntry), kept so that a
      // year's report classifies only what changed since the last one (reports/reportEntries.ts). `rules` names the
      // engine configuration an entry was made under; an entry made under other rules is never read.
      // `stamp` is drawn at random for every entry made, so a process that has read an entry can tell it still
      // holds the same one from the stamp alone (a number from a counter could come round again after a rollback).
      // Beside the entry, the referral's service-use records (healthcare use, ref §3), kept and dropped with it.
      await sql`create table report_entries (referral_id text primary key, stamp text not null, rules text not null, entry text not null, service_use text not null)`.execute(db);
      // A report looks up every referral's stamp: from this index alone, never the entries' pages.
      await sql`create index report_entries_stamp on report_entries (referral_id, rules, stamp)`.execute(db);
      // Any write to a referral, its contacts or its scores — by a screen, by sync, by anything — drops the
      // referral's entry in the same transaction, so a kept entry is never older than the rows it was made from.
      for (const [table, key] of [['referrals', 'id'], ['contacts', 'referral_id'], ['measures', 'referral_id']] as const) {
        await sql.raw(`create trigger ${table}_report_entry_insert after insert on ${table} begin delete from report_entries where referral_id = new.${key}; end`).execute(db);
        await sql.raw(`create trigger ${table}_report_entry_update after update on ${table} begin delete from report_entries where referral_id in (old.${key}, new.${key}); end`).execute(db);
        await sql.raw(`create trigger ${table}_report_entry_delete after delete on ${table} begin delete from report_entries where referral_id = old.${key}; end`).execute(db);
      }
    },
  },
  '0016_service_lead_role': {
    async up(db: Kysely<unknown>) {
      // SQLite cannot widen a CHECK in place, so `users` is made again with the service lead allowed, every row
      // kept. Its rows leave and come back in this transaction: with foreign keys deferred, the references to
      // them from every other table are checked once they are back (at commit), and would fail it were one lost.
      // A savepoint makes this one transaction even where the migrator did not open one (the deferral lasts until
      // its end), and undoes all of it on any error.
      await sql`savepoint users_rebuild`.execute(db);
      try {
        await rebuildUsers(db);
        await sql`release users_rebuild`.execute(db);
      } catch (err) {
        await sql`rollback to users_rebuild`.execute(db);
        await sql`release users_rebuild`.execute(db);
        throw err;
      }
    },
  },
};

/** Migration 0016: `users` again, with the service lead among the roles. */
async function rebuildUsers(db: Kysely<unknown>): Promise<void> {
  await sql`pragma defer_foreign_keys = on`.execute(db);
  const columns = sql.raw('id, display_name, role, supervisor_id, version, created_at, updated_at, deactivated_at, updated_by');
  await sql`create temp table users_before as select ${columns} from users`.execute(db);
  await sql`drop table users`.execute(db);
  await sql`create table users (
    id text primary key,
    display_name text not null,
    role text not null check (role in ('pwp','hit','supervisor','admin','booking-clerk','service-lead')),
    supervisor_id text references users (id),
    version integer not null,
    created_at text not null,
    updated_at text not null,
    deactivated_at text,
    updated_by text)`.execute(db);
  await sql`insert into users (${columns}) select ${columns} from temp.users_before`.execute(db);
  await sql`drop table temp.users_before`.execute(db);
}

export const MIGRATION_NAMES = Object.keys(MIGRATIONS).sort();
