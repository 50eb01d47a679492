import type { z } from 'zod';
import { appointmentMethods } from './appointments';
import { auditMethods } from './audit';
import { backupMethods } from './backup';
import { carePlanMethods } from './carePlan';
import { caseloadMethods } from './caseload';
import { clinicMethods } from './clinics';
import { contactMethods } from './contacts';
import { exportMethods } from './exports';
import { fileMethods } from './files';
import { followUpMethods } from './followUp';
import { employmentMethods } from './employment';
import { formulationMethods } from './formulation';
import { groupMethods } from './groups';
import { letterMethods } from './letters';
import { measureMethods } from './measures';
import { noteMethods } from './notes';
import { patientModeMethods } from './patientMode';
import { patientMethods } from './patients';
import { referralMethods } from './referrals';
import { riskMethods } from './risk';
import { reportMethods } from './reports';
import { screeningMethods } from './screenings';
import { serviceSettingsMethods } from './serviceSettings';
import { sessionMethods } from './session';
import { supervisionMethods } from './supervision';
import { syncMethods } from './sync';
import { userMethods } from './users';
import { waitingMethods } from './waiting';

/**
 * The one contract between the renderer and the main process (DESIGN.md §2, "one contract, two transports").
 * Each domain declares its methods in its own file; they merge here into the one map from which Electron's IPC
 * handler, the preload's `window.api`, the test host's HTTP routes and its bridge script are all derived, so
 * they cannot drift apart.
 */
export const contract = {
  ...sessionMethods,
  ...userMethods,
  ...patientMethods,
  ...caseloadMethods,
  ...referralMethods,
  ...carePlanMethods,
  ...contactMethods,
  ...clinicMethods,
  ...appointmentMethods,
  ...measureMethods,
  ...riskMethods,
  ...noteMethods,
  ...letterMethods,
  ...formulationMethods,
  ...waitingMethods,
  ...employmentMethods,
  ...groupMethods,
  ...exportMethods,
  ...followUpMethods,
  ...supervisionMethods,
  ...screeningMethods,
  ...reportMethods,
  ...serviceSettingsMethods,
  ...auditMethods,
  ...backupMethods,
  ...fileMethods,
  ...syncMethods,
  ...patientModeMethods,
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

