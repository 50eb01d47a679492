import { auditHandlers } from './audit/auditChain';
import { carePlanHandlers } from './caseload/carePlan';
import { appointmentHandlers } from './caseload/appointments';
import { caseloadHandlers } from './caseload/caseloadList';
import { clinicDayHandlers } from './caseload/clinicDay';
import { clinicHandlers } from './caseload/clinics';
import { contactHandlers } from './caseload/contacts';
import { employmentHandlers } from './caseload/employment';
import { followUpHandlers } from './caseload/followUp';
import { formulationHandlers } from './caseload/formulation';
import { groupHandlers } from './caseload/groups';
import { letterHandlers } from './caseload/letters';
import { measureHandlers } from './caseload/measures';
import { noteHandlers } from './caseload/notes';
import { patientHandlers } from './caseload/patients';
import { referralHandlers } from './caseload/referrals';
import { riskHandlers } from './caseload/risk';
import { screeningHandlers } from './caseload/screenings';
import { serviceSettingsHandlers } from './caseload/serviceSettings';
import { supervisionHandlers } from './caseload/supervision';
import { userHandlers } from './caseload/users';
import { waitingHandlers } from './caseload/waiting';
import type { CaseloadEngine } from './engine';
import { exportHandlers } from './exports/exports';
import type { Handlers } from './handlers';
import { patientModeHandlers } from './patientMode/patientModeHandlers';
import { reportHandlers } from './reports/serviceReport';
import { sqliteSyncStore } from './sync/clientStore';
import { syncHandlers } from './sync/handlers';
import { SyncRuntime } from './sync/runtime';

/**
 * The service registry behind both transports: the engine's session and store lifecycle, plus each clinical
 * domain's handlers, merged into one map keyed by contract method. The type makes a missing method a
 * compile error.
 */
export function serviceRegistry(engine: CaseloadEngine): Handlers {
  const context = () => engine.context();
  const sync = new SyncRuntime(engine, { localStore: sqliteSyncStore, ...engine.syncOptions() });
  engine.watchSession(sync);
  const clinical = nudgingAfterWrites(sync, {
    ...userHandlers(context),
    ...patientHandlers(context),
    ...caseloadHandlers(context),
    ...referralHandlers(context),
    ...carePlanHandlers(context),
    ...contactHandlers(context),
    ...clinicHandlers(context),
    ...appointmentHandlers(context),
    ...clinicDayHandlers(context),
    ...measureHandlers(context),
    ...riskHandlers(context),
    ...noteHandlers(context, { before: () => sync.barrier(), after: () => sync.sendNow() }),
    ...letterHandlers(context, (purpose) => engine.chosenFolder(purpose)),
    ...formulationHandlers(context, (purpose) => engine.chosenFolder(purpose)),
    ...exportHandlers(context, (purpose) => engine.chosenFolder(purpose)),
    ...waitingHandlers(context),
    ...employmentHandlers(context),
    ...groupHandlers(context),
    ...followUpHandlers(context),
    ...supervisionHandlers(context, { before: () => sync.barrier(), after: () => sync.sendNow() }),
    ...screeningHandlers(context),
    ...serviceSettingsHandlers(context),
    ...reportHandlers(context, (purpose) => engine.chosenFolder(purpose)),
  });
  return {
    ...engine.lifecycleHandlers(),
    ...clinical,
    ...auditHandlers(context),
    ...patientModeHandlers(engine),
    ...syncHandlers(sync),
  };
}

/** Every clinical call may have written: the sync runtime then sends it soon (it checks the outbox first). */
function nudgingAfterWrites<H extends Record<string, (input: never) => Promise<unknown>>>(sync: SyncRuntime, handlers: H): H {
  const wrapped: Record<string, (input: never) => Promise<unknown>> = {};
  for (const [method, handler] of Object.entries(handlers)) {
    wrapped[method] = async (input) => {
      const out = await handler(input);
      void sync.afterCall().catch(() => undefined);
      return out;
    };
  }
  return wrapped as H;
}
