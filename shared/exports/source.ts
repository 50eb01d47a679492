/**
 * What every export is made from: the stored rows of one period, already read through the services' scope. Pure
 * data, so each mapping here is a function of it alone and is tested without a store.
 */
export type AnswerValue = number | null | 'na';

export interface ExportPatient {
  id: string;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  gpPractice: string;
}

export interface ExportReferral {
  id: string;
  patientId: string;
  receivedDate: string;
  sourceCode: string;
  ltcCodes: string[];
  problemDescriptor: string | null;
  pathway: string;
  step: number | null;
  endCode: string | null;
  dischargeDate: string | null;
}

export interface ExportContact {
  id: string;
  referralId: string;
  date: string;
  startTime: string;
  durationMinutes: number;
  type: string;
  mechanism: string;
  attendance: number | null;
  therapyType: string | null;
}

export interface ExportMeasure {
  id: string;
  referralId: string;
  contactId: string | null;
  instrumentId: string;
  answers: AnswerValue[];
  total: number | null;
  date: string;
  completedBy: string;
}

/** A patient-initiated waiting-time pause (ref §5.1 IDS108); an open one has no end date yet. */
export interface ExportPause {
  id: string;
  referralId: string;
  startDate: string;
  endDate: string | null;
}

export interface ExportSource {
  period: { from: string; to: string };
  patients: ExportPatient[];
  referrals: ExportReferral[];
  contacts: ExportContact[];
  measures: ExportMeasure[];
  pauses: ExportPause[];
}

/** A referral belongs to a period when it was open for any part of it: received by its end, not discharged before its start. */
export function referralInPeriod(r: Pick<ExportReferral, 'receivedDate' | 'dischargeDate'>, period: { from: string; to: string }): boolean {
  return r.receivedDate <= period.to && (r.dischargeDate === null || r.dischargeDate >= period.from);
}

/** A dated row belongs to a period when its date falls in it, both ends inclusive. */
export function dateInPeriod(date: string, period: { from: string; to: string }): boolean {
  return date >= period.from && date <= period.to;
}
