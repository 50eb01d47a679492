import type { Kysely } from 'kysely';
import type { Role } from '../../../shared/domain/people';
import type { CaseloadDb } from '../store/schema';

/** What a caseload service needs: the open database and the clinician who owns this device store. */
export interface CaseloadContext {
  db: Kysely<CaseloadDb>;
  actorId: string;
  /** The store owner's role: which patients they see (scope.ts); what they may call is checked at dispatch. */
  role: Role;
  now: () => Date;
}
