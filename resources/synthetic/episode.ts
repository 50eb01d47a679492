import { DEFAULT_SOURCE_CODES, DID_NOT_ATTEND } from '../../shared/domain/episodeCodes';
import { defaultOutcomes, type ContactType } from '../../shared/outcomes';
import type {
  ActionsTable,
  ClinicalColumns,
  ContactAttemptsTable,
  ContactsTable,
  MeasuresTable,
  NotesTable,
  NoteVersionsTable,
  ReferralsTable,
  RiskAssessmentsTable,
} from '../../electron/services/store/schema';
import { toEpisode } from '../../electron/services/caseload/episodeAdapter';
import { hhmm, instantMs, isoOf, weekday } from './calendar';
import { uuidV7At } from './ids';
import { LTC_COMPLETION, ltcCourse } from './ltcMeasures';
import {
  ATTENDANCE_MIX,
  DESCRIPTOR_MIX,
  END_CODES_FINISHED,
  END_CODES_NOT_TAKEN_ON,
  END_CODES_TREATED_ONCE,
  ITEM9_RATE,
  MECHANISM_MIX,
  NOTE_LINES,
  PATH_MIX,
  RESPONSE_MIX,
  SESSIONS,
  WAITS,
  clinicFor,
  referrerMix,
  type Path,
} from './mix';
import type { Rng } from './prng';

/** The LTC pathway's measures get their own stream (Rng.fork), so adding them left every other draw as it was. */
const LTC_STREAM = 0x17c;

/** A member of the team the data belongs to. Ids come from the caller, so a sync bench can use its server's users. */
export interface TeamMember {
  id: string;
  displayName: string;
  role: 'pwp' | 'hit' | 'supervisor';
  supervisorId: string | null;
}

/** Every row one referral (episode of care) produced, shaped exactly as the store's tables. */
export interface EpisodeRows {
  referral: ReferralsTable;
  contacts: ContactsTable[];
  measures: MeasuresTable[];
  riskAssessments: RiskAssessmentsTable[];
  notes: NotesTable[];
  noteVersions: NoteVersionsTable[];
  contactAttempts: ContactAttemptsTable[];
  actions: ActionsTable[];
}

export interface EpisodeSetting {
  rng: Rng;
  patientId: string;
  /** Received date (UTC day number); the episode runs until it ends or `asOf`, whichever is first. */
  received: number;
  /** The day the data is as of: nothing happens on or after it except appointments booked ahead. */
  asOf: number;
  ltcCodes: readonly string[];
  practice: string;
  team: readonly TeamMember[];
  /** A repeat referral's step, when it follows an earlier course (stepped up). */
  step?: 2 | 3;
}

export interface EpisodeResult {
  rows: EpisodeRows;
  /** The discharge day, or null while the referral is still open at `asOf`. */
  dischargedOn: number | null;
  step: 2 | 3;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Item answers (0–3 each) that add up to `total`, item 9 as given: what a patient might have ticked. */
function spread(rng: Rng, total: number, items: number, fixedLast: number | null): number[] {
  const answers = Array<number>(items).fill(0);
  const free = fixedLast === null ? items : items - 1;
  if (fixedLast !== null) answers[items - 1] = fixedLast;
  let left = clamp(total - (fixedLast ?? 0), 0, free * 3);
  while (left > 0) {
    const i = rng.int(0, free - 1);
    if (answers[i]! < 3) {
      answers[i]! += 1;
      left -= 1;
    }
  }
  return answers;
}

/** A course's score at treatment point k of n: most of the change comes early, as in published IAPT trajectories. */
function trajectory(first: number, response: number, k: number, n: number): number {
  if (k === 0 || n === 0) return first;
  const shape = (1 - Math.exp((-2.5 * k) / n)) / (1 - Math.exp(-2.5));
  return first * (1 - response * shape);
}

/**
 * One referral from receipt to discharge (or to `asOf`), through the flow of seed 001: single point of access,
 * triage by telephone, assessment, treatment sessions with measures at every attended session (PHQ-9, GAD-7 and
 * the ADSM where the problem descriptor calls for one: ref §2.1), DNAs with their follow-up actions, risk reviews,
 * session notes and a discharge with its end code.
 */
export function simulateEpisode(s: EpisodeSetting): EpisodeResult {
  const { rng, asOf } = s;
  const path: Path = rng.weighted(PATH_MIX);
  const descriptor = rng.weighted(DESCRIPTOR_MIX);
  const adsm = defaultOutcomes.adsmFor(descriptor);
  // PTSD and OCD are high-intensity work (NICE); the rest split between the steps.
  const step: 2 | 3 = s.step ?? (descriptor === 'F43.1' || descriptor === 'F42' ? 3 : rng.chance(0.55) ? 2 : 3);
  const clinicians = s.team.filter((m) => m.role === (step === 2 ? 'pwp' : 'hit'));
  const caseholder = rng.pick(clinicians.length > 0 ? clinicians : s.team.filter((m) => m.role !== 'supervisor')).id;
  const referrerRole = rng.weighted(referrerMix(s.ltcCodes));
  const clinic = clinicFor(s.ltcCodes, s.practice);
  const pathway = s.ltcCodes.length > 0 && rng.chance(0.9) ? 'integrated-ltc' : 'core';

  const columns = (ms: number, ids: Rng = rng): ClinicalColumns => {
    const at = new Date(ms).toISOString();
    return { id: uuidV7At(ms, ids), version: 1, created_by: caseholder, updated_by: caseholder, created_at: at, updated_at: at, deleted_at: null };
  };
  const touch = <R extends ClinicalColumns>(row: R, ms: number, changes: Partial<R>): void => {
    Object.assign(row, changes, { version: row.version + 1, updated_at: new Date(ms).toISOString() });
  };

  const receivedMs = instantMs(s.received, rng.int(8 * 60, 16 * 60));
  const referral: ReferralsTable = {
    ...columns(receivedMs),
    patient_id: s.patientId,
    received_date: isoOf(s.received),
    referrer_role: referrerRole,
    referrer_name: null,
    previous_referral_id: null,
    source_code: DEFAULT_SOURCE_CODES[referrerRole],
    ltc_codes: JSON.stringify(s.ltcCodes),
    reason: pathway === 'integrated-ltc' ? 'Low mood and worry about living with a long-term condition.' : 'Low mood and anxiety.',
    risk_known: rng.chance(0.06) ? 1 : 0,
    risk_details: null,
    consent: 1,
    urgency: rng.chance(0.05) ? 'urgent' : 'routine',
    pathway,
    caseholder_id: caseholder,
    team: clinic,
    status: 'awaiting-spa',
    problem_descriptor: null,
    step: null,
    end_code: null,
    discharge_date: null,
    discuss_in_supervision: 0,
    opted_in: null,
    ltc_impact: null,
    signposting: null,
  };
  if (referral.risk_known) referral.risk_details = 'Previous overdose; safety plan with GP.';
  const rows: EpisodeRows = { referral, contacts: [], measures: [], riskAssessments: [], notes: [], noteVersions: [], contactAttempts: [], actions: [] };
  const result = (dischargedOn: number | null): EpisodeResult => {
    if (dischargedOn === null && rng.chance(0.1)) referral.discuss_in_supervision = 1;
    return { rows, dischargedOn, step };
  };

  // Scores: first PHQ-9 and GAD-7 correlated, most at caseness (IAPT intake), and how this course will go.
  const phqFirst = clamp(Math.round(rng.normal(15.5, 5)), 0, 27);
  const gadFirst = clamp(Math.round(0.55 * phqFirst + rng.normal(4.5, 3)), 0, 21);
  const [lo, hi] = rng.weighted(RESPONSE_MIX);
  const response = rng.uniform(lo, hi);
  const item9Sessions = rng.chance(ITEM9_RATE) ? rng.int(1, 2) : 0;
  const ltcRng = rng.fork(LTC_STREAM);
  const ltc = ltcCourse(ltcRng);

  const discharge = (day: number, endCode: string): EpisodeResult => {
    if (day >= asOf) return result(null);
    touch(referral, instantMs(day, 17 * 60), { status: 'discharged', end_code: endCode, discharge_date: isoOf(day), ...(endCode === '11' ? { signposting: 'Signposted to the community wellbeing service.' } : {}) });
    return result(day);
  };

  // Single point of access, then triage by telephone: attempts until the patient is reached (or never).
  let day = weekday(s.received + rng.int(1, 3));
  const neverReached = path === 'not-assessed' && rng.chance(0.5);
  const failures = neverReached ? rng.int(2, 3) : rng.weighted([[0, 55], [1, 30], [2, 15]] as const);
  for (let i = 0; i <= failures; i++) {
    if (day >= asOf) return result(null);
    const reached = !neverReached && i === failures;
    const outcome = reached ? 'reached' : rng.weighted([['no-answer', 60], ['voicemail', 40]] as const);
    const ms = instantMs(day, rng.int(9 * 60, 16 * 60));
    if (i === 0) touch(referral, ms, { status: 'awaiting-triage' });
    rows.contactAttempts.push({ ...columns(ms), referral_id: referral.id, date: isoOf(day), method: 'telephone', outcome, note: null });
    if (reached) touch(referral, ms + 600_000, { status: 'waiting-assessment', opted_in: 1 });
    day = weekday(day + rng.int(2, 4));
  }
  if (neverReached) return discharge(day + 14, '50');

  let clinicRow = 0;
  const appointment = (on: number, type: 'assessment' | 'treatment', missed = false): { contact: ContactsTable; attended: boolean } | null => {
    const start = 9 * 60 + 30 * ((clinicRow++ * 7 + rng.int(0, 14)) % 16);
    const duration = type === 'assessment' ? 60 : step === 2 ? 30 : 50;
    const mechanism = rng.weighted(MECHANISM_MIX);
    const booked = on >= asOf;
    const attendance = booked ? null : missed ? rng.weighted([[DID_NOT_ATTEND, 75], [2, 25]] as const) : rng.weighted(ATTENDANCE_MIX);
    // Booked at the last visit (or at triage): created by then; a past one was written when its attendance was.
    const ms = booked ? Math.max(instantMs(asOf - 1, 12 * 60), receivedMs + 60_000) : instantMs(on, start + duration);
    const contact: ContactsTable = {
      ...columns(ms),
      referral_id: referral.id,
      therapy_type: null,
      date: isoOf(on),
      start_time: hhmm(start),
      duration_minutes: duration,
      type,
      mechanism,
      location: mechanism === '01' ? clinic : mechanism === '02' ? 'Telephone' : 'Video call',
      attendance,
      clinician_id: caseholder,
    };
    rows.contacts.push(contact);
    if (attendance === DID_NOT_ATTEND) {
      const due = weekday(on + 2);
      rows.actions.push({
        ...columns(ms + 60_000),
        referral_id: referral.id,
        contact_id: contact.id,
        kind: 'dna-follow-up',
        description: `Did not attend on ${isoOf(on).split('-').reverse().join('/')}: contact the patient, review risk and offer another appointment.`,
        due_date: isoOf(due),
        done_at: due < asOf ? new Date(instantMs(due, 11 * 60)).toISOString() : null,
        owner_id: null,
        supervision_case_id: null,
      });
    }
    if (booked) return null;
    return { contact, attended: attendance === 5 || attendance === 6 };
  };

  const measuresAt = (contact: ContactsTable, k: number, n: number, withItem9: boolean) => {
    const endMs = Date.parse(contact.updated_at);
    // Item 9 is answered 0 unless this is one of the sessions with a risk alert, so the other eight items carry the rest.
    const phq = clamp(Math.round(trajectory(phqFirst, response, k, n) + rng.normal(0, 1.3)), withItem9 ? 1 : 0, withItem9 ? 25 : 24);
    const gad = clamp(Math.round(trajectory(gadFirst, response, k, n) + rng.normal(0, 1.2)), 0, 21);
    const record = (instrumentId: string, answers: number[], completedBy: 'patient' | 'clinician', offset: number, ids: Rng = rng): MeasuresTable => {
      const score = defaultOutcomes.scoreMeasure(instrumentId, answers, { problemDescriptor: descriptor });
      const row: MeasuresTable = {
        ...columns(endMs + offset * 1000, ids),
        referral_id: referral.id,
        contact_id: contact.id,
        instrument_id: instrumentId,
        instrument_version: score.version,
        answers: JSON.stringify(answers),
        total: score.total,
        risk_flags: JSON.stringify(score.riskFlags.map((f) => f.flag)),
        risk_review_id: null,
        completed_by: completedBy,
        date: contact.date,
      };
      rows.measures.push(row);
      return row;
    };
    const phqRow = record('phq9', spread(rng, phq, 9, withItem9 ? 1 : 0), 'patient', 1);
    record('gad7', spread(rng, gad, 7, null), 'patient', 2);
    if (adsm && rng.chance(0.9)) {
      // The ADSM moves with the anxiety score, scaled so its caseness line sits where GAD-7's does (ref §2.2).
      const def = defaultOutcomes.instrument(adsm);
      const decimals = def.scoring.method === 'value' ? (def.scoring.decimals ?? 0) : 0;
      const range = def.totalRange;
      if (!range) throw new Error(`${adsm} has no total range in the catalogue`);
      const threshold = def.caseness?.threshold ?? range.max / 2;
      const raw = range.min + ((threshold - range.min) * gad) / 8 + rng.normal(0, (range.max - range.min) / 60);
      const value = Number(clamp(raw, range.min, range.max).toFixed(decimals));
      record(adsm, [value], 'clinician', 3);
    }
    // The LTC pathway's measures where the engine's schedule has them due (assessment, final contact), each
    // recorded or missed as services manage (ltcMeasures.ts); the final ones moved by how the course went.
    const final = k > 0 && k === n && path === 'finished';
    const due = defaultOutcomes.measuresDue(toEpisode(referral, rows.contacts, []), { date: contact.date, type: contact.type as ContactType, final });
    const improvement = final ? clamp(response, -0.3, 1) : 0;
    for (const { instrumentId } of due) {
      if (instrumentId !== 'service-use' && instrumentId !== 'dds17' && instrumentId !== 'hba1c') continue;
      if (!ltcRng.chance(LTC_COMPLETION[instrumentId])) continue;
      record(instrumentId, ltc[instrumentId === 'service-use' ? 'serviceUse' : instrumentId](improvement), instrumentId === 'dds17' ? 'patient' : 'clinician', 4, ltcRng);
    }
    return { phqRow, endMs };
  };

  const sessionRecord = (contact: ContactsTable, k: number, n: number) => {
    const { phqRow, endMs } = measuresAt(contact, k, n, k < item9Sessions);
    const withItem9 = phqRow.risk_flags !== '[]';
    const atAssessment = contact.type === 'assessment';
    if (withItem9 || (atAssessment && rng.chance(0.35))) {
      const level = withItem9 ? rng.weighted([['low', 60], ['moderate', 35], ['high', 5]] as const) : rng.weighted([['low', 90], ['moderate', 10]] as const);
      const risk: RiskAssessmentsTable = {
        ...columns(endMs + 300_000),
        referral_id: referral.id,
        contact_id: contact.id,
        date: contact.date,
        thoughts: withItem9 ? 1 : 0,
        plans: level === 'high' ? 1 : 0,
        intent: 0,
        protective_factors: 'Family support; engaged with treatment.',
        level,
        plan: level === 'low' ? 'Routine monitoring at each session.' : 'Safety plan agreed; crisis numbers given; GP informed.',
        next_review_date: contact.date,
      };
      rows.riskAssessments.push(risk);
      // The review answers the PHQ-9 item 9 alert, as risk.record does.
      if (withItem9) touch(phqRow, endMs + 300_000, { risk_review_id: risk.id });
    }
    if (atAssessment || rng.chance(0.35)) {
      const noteMs = endMs + 600_000;
      const body = atAssessment ? 'Assessment: history, goals and risk reviewed; treatment options discussed.' : rng.pick(NOTE_LINES);
      const note: NotesTable = { ...columns(noteMs), referral_id: referral.id, contact_id: contact.id, parent_note_id: null, status: 'draft', body, signed_by: null, signed_at: null };
      rows.notes.push(note);
      rows.noteVersions.push({ ...columns(noteMs), note_id: note.id, note_version: 1, status: 'draft', body });
      const signMs = noteMs + rng.int(5, 240) * 60_000;
      if (signMs < instantMs(asOf, 0)) {
        const at = new Date(signMs).toISOString();
        touch(note, signMs, { status: 'signed', signed_by: caseholder, signed_at: at });
        rows.noteVersions.push({ ...columns(signMs), note_id: note.id, note_version: 2, status: 'signed', body });
      }
    }
  };

  // Assessment: booked a couple of weeks out; a missed one is rebooked, twice at most.
  day = weekday(Math.max(day, s.received + Math.round(clamp(rng.logNormal(WAITS.toAssessment.median, WAITS.toAssessment.sigma), 3, 120))));
  let assessed: ContactsTable | null = null;
  for (let tries = 0; tries < 3 && !assessed; tries++) {
    const visit = appointment(day, 'assessment');
    if (!visit) return result(null);
    if (visit.attended) assessed = visit.contact;
    else day = weekday(day + rng.int(7, 12));
  }
  if (!assessed) return discharge(day, path === 'not-assessed' ? '50' : '16');
  const treatments = path === 'finished' ? rng.int(SESSIONS[step].min, SESSIONS[step].max) : path === 'treated-once' ? 1 : 0;
  sessionRecord(assessed, 0, treatments);
  const assessedMs = Date.parse(assessed.updated_at) + 900_000;
  touch(referral, assessedMs, {
    problem_descriptor: descriptor,
    step,
    status: path === 'not-taken-on' ? 'waiting-assessment' : 'waiting-treatment',
    ltc_impact: pathway === 'integrated-ltc' ? 'Breathlessness and fatigue feed avoidance; worry about the condition keeps low mood going.' : null,
  });
  const assessedDay = day;
  if (path === 'not-taken-on') return discharge(weekday(assessedDay + rng.int(0, 14)), rng.weighted(END_CODES_NOT_TAKEN_ON));

  // Treatment: weekly (step 2 sometimes fortnightly); measures at every attended session.
  day = weekday(assessedDay + Math.round(clamp(rng.logNormal(WAITS.toTreatment.median, WAITS.toTreatment.sigma), 1, 200)));
  const interval = step === 2 && rng.chance(0.3) ? 14 : 7;
  let attended = 0;
  let lastAttended = assessedDay;
  let misses = 0;
  while (attended < treatments) {
    const visit = appointment(day, 'treatment');
    if (!visit) return result(null);
    if (visit.attended) {
      if (attended === 0) touch(referral, Date.parse(visit.contact.updated_at), { status: 'in-treatment' });
      attended += 1;
      lastAttended = day;
      sessionRecord(visit.contact, attended, treatments);
    } else if (++misses > 4) break; // disengaged: ends below as dropped out
    day = weekday(day + interval + rng.int(0, 2));
  }
  if (path === 'treated-once' || attended < treatments) {
    // Dropped out after starting: one or two more missed appointments, then discharged (ref §5.6 47/48).
    for (let i = rng.int(1, 2); i > 0; i--) {
      if (!appointment(day, 'treatment', true)) return result(null);
      day = weekday(day + interval);
    }
    return discharge(day, rng.weighted(END_CODES_TREATED_ONCE));
  }
  return discharge(weekday(lastAttended + rng.int(0, 10)), rng.weighted(END_CODES_FINISHED));
}
