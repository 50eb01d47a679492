import { z } from 'zod';
import { Patient, PatientInput, recordId } from '../domain/people';
import { baseVersion } from './schemas';

export const PatientSummary = Patient.pick({
  id: true,
  nhsNumber: true,
  givenName: true,
  familyName: true,
  dateOfBirth: true,
  gpPractice: true,
  updatedAt: true,
});
export type PatientSummary = z.infer<typeof PatientSummary>;

export const patientMethods = {
  'patients.list': {
    input: z.strictObject({ query: z.string().trim().max(100, 'must be 100 characters or fewer').optional() }),
    output: z.strictObject({ patients: z.array(PatientSummary) }),
  },
  'patients.get': { input: z.strictObject({ id: recordId }), output: Patient },
  'patients.create': { input: PatientInput, output: Patient },
  'patients.update': {
    input: z.strictObject({
      id: recordId,
      version: baseVersion,
      changes: PatientInput.partial().refine((c) => Object.keys(c).length > 0, 'must change at least one field'),
    }),
    output: Patient,
  },
} as const;
