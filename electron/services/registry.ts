import { auditHandlers } from './audit/auditChain';
import { appointmentHandlers } from './caseload/appointments';
import { caseloadHandlers } from './caseload/caseloadList';
import { clinicDayHandlers } from './caseload/clinicDay';
import { clinicHandlers } from './caseload/clinics';
import { contactHandlers } from './caseload/contacts';
import { followUpHandlers } from './caseload/followUp';
import { measureHandlers } from './caseload/measures';
import { noteHandlers } from './caseload/notes';
import { patientHandlers } from './caseload/patients';
import { referralHandlers } from './caseload/referrals';
import { riskHandlers } from './caseload/risk';
import { screeningHandlers } from './caseload/screenings';
import { serviceSettingsHandlers } from './caseload/serviceSettings';
import { userHandlers } from './caseload/users';
import type { CaseloadEngine } from './engine';
import type { Handlers } from './handlers';

/**
 * The service registry behind both transports: the engine's session and store lifecycle, plus each clinical
 * domain's handlers, merged into one map keyed by contract method. The type makes a missing method a
 * compile error.
 */
export function serviceRegistry(engine: CaseloadEngine): Handlers {
  const context = () => engine.context();
  return {
    ...engine.lifecycleHandlers(),
    ...userHandlers(context),
    ...patientHandlers(context),
    ...caseloadHandlers(context),
    ...referralHandlers(context),
    ...contactHandlers(context),
    ...clinicHandlers(context),
    ...appointmentHandlers(context),
    ...clinicDayHandlers(context),
    ...measureHandlers(context),
    ...riskHandlers(context),
    ...noteHandlers(context),
    ...followUpHandlers(context),
    ...screeningHandlers(context),
    ...serviceSettingsHandlers(context),
    ...auditHandlers(context),
  };
}
