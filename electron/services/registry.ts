import { auditHandlers } from './audit/auditChain';
import { patientHandlers } from './caseload/patients';
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
    ...auditHandlers(context),
  };
}
