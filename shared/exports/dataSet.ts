import { ATTENDED_CODES, type ContactType } from '../outcomes/episodeSchema';
import { toCsv, type CsvValue } from './csv';
import { dateInPeriod, referralInPeriod, type ExportSource } from './source';

/**
 * Data-set-shaped CSV files (issue #11 §3): one file per table of the NHS Talking Therapies data set that the app
 * records (ref §5.1: IDS101, IDS108, IDS201, IDS202, IDS602, IDS603, IDS606, IDS607), with the reference's code lists.
 * They follow the data set's shape; they are NOT a certified submission (no IDS000 header, no MPI, no validation
 * against the Technical Output Specification). Column names are the reference's field names where it gives one
 * (ref §5.1–§5.6); the others are descriptive local names, marked so in DATA_SET_NOTICE.
 *
 * A field nobody recorded is exported empty, never guessed, and counted in the completeness summary.
 */
export const DATA_SET_NOTICE =
  'Data-set shaped, not a certified submission: these files follow the tables of the NHS Talking Therapies data set (reference §5.1) ' +
  'with its code lists, but carry no IDS000 header or master patient index and have not been validated against the Technical Output Specification. ' +
  'Column names are the data set’s where the reference gives them; LocalPatientId, ServiceRequestId, CareContactId, CareActId are local identifiers, and the Local* columns local names. ' +
  'An empty field was not recorded.';

/**
 * CodedAssToolType (ref §5.6): the reference verifies PHQ-9 720433000 and GAD-7 445455005 only. The codes it marks
 * "not found" (WSAS, SPIN, PDSS, OCI-R, PCL-5/IES-R, HAI, MI, phobia scales …) are the service's data
 * (`toolCodes`), taken from the TOS "coded assessment tool type" list; without one the field is exported empty.
 */
export const VERIFIED_TOOL_CODES: Readonly<Record<string, string>> = { phq9: '720433000', gad7: '445455005' };

/**
 * Measures that are not coded scored assessments: HbA1c is a lab value (ref §3), healthcare use is the service's
 * CSRI-style count (ref §3), employment is IDS004 (ref §1), and the PEQ is coded per question (ref §5.6, order
 * inferred [U]), not as a total.
 */
const NOT_SCORED_ASSESSMENTS: ReadonlySet<string> = new Set(['hba1c', 'service-use', 'employment', 'peq-assessment', 'peq-treatment']);

/**
 * The measures whose CodedAssToolType the service supplies: scored instruments (questionnaires and score entries)
 * the reference does not code (ref §5.6 "not found"), in catalogue order.
 */
export function configurableToolInstruments<T extends { id: string; kind: string }>(instruments: readonly T[]): T[] {
  return instruments.filter((i) => (i.kind === 'questionnaire' || i.kind === 'score-entry') && !(i.id in VERIFIED_TOOL_CODES) && !NOT_SCORED_ASSESSMENTS.has(i.id));
}

/** AppType (ref §5.4): 02, 03, 05 treatment-based, 06 follow-up, 10 employment support verified; 01 assessment [U]. "Other" has no code. */
export const APP_TYPE: Readonly<Record<ContactType, string | null>> = {
  assessment: '01',
  treatment: '02',
  'assessment-and-treatment': '03',
  'review-and-treatment': '05',
  'follow-up': '06',
  'employment-support': '10',
  other: null,
};

export interface DataSetOptions {
  /** The service's CodedAssToolType codes by instrument id, for the codes the reference does not verify. */
  toolCodes?: Readonly<Record<string, string>>;
}

export interface DataSetFile {
  /** The data-set table, e.g. IDS101. */
  table: string;
  file: string;
  columns: string[];
  rows: CsvValue[][];
  /**
   * Per row, the columns that cannot apply to it (a referral still open has no discharge date or end code): empty
   * there is right, so the completeness summary does not count it as not recorded.
   */
  notApplicable?: (row: CsvValue[]) => readonly string[];
}

export interface ColumnCompleteness {
  column: string;
  /** Rows where the field is empty because nothing was recorded. */
  empty: number;
}
export interface FileCompleteness {
  table: string;
  file: string;
  rows: number;
  columns: ColumnCompleteness[];
}

const IDS101 = ['ServiceRequestId', 'LocalPatientId', 'ReferralRequestReceivedDate', 'SourceOfReferralIAPT', 'ServDischDate', 'EndCode', 'LocalPathway', 'LocalStep'];
// ref §5.1 names IDS108 (waiting-time pauses) without its fields: the columns are local names, the reason stays in the record.
const IDS108 = ['LocalPauseId', 'ServiceRequestId', 'LocalPauseStartDate', 'LocalPauseEndDate'];
const IDS201 = ['CareContactId', 'ServiceRequestId', 'CareContDate', 'CareContTime', 'ClinContDurOfCareCont', 'AppType', 'ConsMechanism', 'AttendOrDNACode', 'IAPTLTCServiceInd'];
const IDS202 = ['CareActId', 'CareContactId', 'ServiceRequestId', 'CodeProcAndProcStatus', 'ClinContactDurOfCareAct'];
const IDS602 = ['LocalPatientId', 'ServiceRequestId', 'LongTermConditionCode'];
const IDS603 = ['ServiceRequestId', 'PresentingComplaint', 'PresentingComplaintCodeScheme', 'PresentingComplaintType'];
const IDS606 = ['LocalAssessmentId', 'ServiceRequestId', 'LocalInstrument', 'CodedAssToolType', 'PersScore', 'AssToolCompDate', 'AgeAssessToolCompleted'];
const IDS607 = ['LocalAssessmentId', 'CareContactId', 'ServiceRequestId', 'LocalInstrument', 'CodedAssToolType', 'PersScore', 'AssToolCompDate', 'AgeAssessToolCompleted'];

/** Whole years between a date of birth and a date, as the data set's age at assessment. */
export function ageOn(dateOfBirth: string, date: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** ref §5.3: ICD-10 descriptors (F41.1) are written without the dot (F411), as the data set holds them; SNOMED codes are digits. */
function presentingComplaint(code: string): { code: string; scheme: string } {
  return /^\d+$/.test(code) ? { code, scheme: 'SNOMED CT' } : { code: code.replace('.', ''), scheme: 'ICD-10' };
}

/**
 * The data-set files for a period: the referrals open during it (ref §5.1 IDS101), their LTCs (IDS602) and
 * presenting complaints (IDS603), and the contacts (IDS201), care activities (IDS202) and scored assessments
 * (IDS606 referral level, IDS607 care-activity level) dated within it.
 */
export function dataSetFiles(source: ExportSource, options: DataSetOptions = {}): DataSetFile[] {
  const toolCodes = { ...options.toolCodes, ...VERIFIED_TOOL_CODES };
  const referrals = source.referrals.filter((r) => referralInPeriod(r, source.period));
  const inScope = new Set(referrals.map((r) => r.id));
  const byReferral = new Map(referrals.map((r) => [r.id, r]));
  const dob = new Map(source.patients.map((p) => [p.id, p.dateOfBirth]));
  const contacts = source.contacts.filter((c) => inScope.has(c.referralId) && dateInPeriod(c.date, source.period));
  const measures = source.measures.filter((m) => inScope.has(m.referralId) && dateInPeriod(m.date, source.period) && !NOT_SCORED_ASSESSMENTS.has(m.instrumentId));
  const age = (referralId: string, date: string) => {
    const born = dob.get(byReferral.get(referralId)!.patientId);
    return born ? ageOn(born, date) : null;
  };

  return [
    {
      table: 'IDS101',
      file: 'IDS101_referral.csv',
      columns: IDS101,
      rows: referrals.map((r) => [r.id, r.patientId, r.receivedDate, r.sourceCode || null, r.dischargeDate, r.endCode, r.pathway, r.step]),
      // ref §5.6: an end code is given at discharge; an open referral has neither.
      notApplicable: (row) => (row[4] === null ? ['ServDischDate', 'EndCode'] : []),
    },
    {
      table: 'IDS108',
      file: 'IDS108_waiting_time_pause.csv',
      columns: IDS108,
      // Pauses overlapping the period; an open pause has no end date yet, which is not a gap in the record.
      rows: source.pauses
        .filter((p) => inScope.has(p.referralId) && p.startDate <= source.period.to && (p.endDate === null || p.endDate >= source.period.from))
        .map((p) => [p.id, p.referralId, p.startDate, p.endDate]),
      notApplicable: (row) => (row[3] === null ? ['LocalPauseEndDate'] : []),
    },
    {
      table: 'IDS201',
      file: 'IDS201_care_contact.csv',
      columns: IDS201,
      // ref §5.4: IAPTLTCServiceInd 'Y' marks a contact of an integrated LTC pathway.
      rows: contacts.map((c) => [
        c.id,
        c.referralId,
        c.date,
        c.startTime || null,
        c.durationMinutes,
        APP_TYPE[c.type as ContactType] ?? null,
        c.mechanism || null,
        c.attendance,
        byReferral.get(c.referralId)!.pathway === 'integrated-ltc' ? 'Y' : 'N',
      ]),
    },
    {
      table: 'IDS202',
      file: 'IDS202_care_activity.csv',
      columns: IDS202,
      // One care activity per attended contact (ref §5.4: attended = 5 or 6), its therapy type as SNOMED (ref §5.5).
      rows: contacts.filter((c) => c.attendance !== null && ATTENDED_CODES.has(c.attendance)).map((c) => [`${c.id}-1`, c.id, c.referralId, c.therapyType, c.durationMinutes]),
    },
    {
      table: 'IDS602',
      file: 'IDS602_long_term_condition.csv',
      columns: IDS602,
      rows: referrals.flatMap((r) => r.ltcCodes.map((code) => [r.patientId, r.id, code])),
    },
    {
      table: 'IDS603',
      file: 'IDS603_presenting_complaint.csv',
      columns: IDS603,
      rows: referrals.map((r) => {
        const pc = r.problemDescriptor ? presentingComplaint(r.problemDescriptor) : null;
        return [r.id, pc?.code ?? null, pc?.scheme ?? null, pc ? 'Primary' : null];
      }),
    },
    {
      table: 'IDS606',
      file: 'IDS606_coded_scored_assessment_referral.csv',
      columns: IDS606,
      rows: measures.filter((m) => m.contactId === null).map((m) => [m.id, m.referralId, m.instrumentId, toolCodes[m.instrumentId] ?? null, m.total, m.date, age(m.referralId, m.date)]),
    },
    {
      table: 'IDS607',
      file: 'IDS607_coded_scored_assessment_care_activity.csv',
      columns: IDS607,
      rows: measures.filter((m) => m.contactId !== null).map((m) => [m.id, m.contactId, m.referralId, m.instrumentId, toolCodes[m.instrumentId] ?? null, m.total, m.date, age(m.referralId, m.date)]),
    },
  ];
}

export function csvOf(file: DataSetFile): string {
  return toCsv(file.columns, file.rows);
}

/** How many rows of each file leave each column empty: what was not recorded, so the service can see its gaps. */
export function completeness(files: readonly DataSetFile[]): FileCompleteness[] {
  return files.map((f) => ({
    table: f.table,
    file: f.file,
    rows: f.rows.length,
    columns: f.columns.map((column, i) => ({
      column,
      empty: f.rows.filter((row) => (row[i] === null || row[i] === '') && !f.notApplicable?.(row).includes(column)).length,
    })),
  }));
}
