import type { Kysely } from 'kysely';
import type { CaseloadDb } from '../store/schema';

/** What a caseload service needs: the open database and the clinician who owns this device store. */
export interface CaseloadContext {
  db: Kysely<CaseloadDb>;
  actorId: string;
  now: () => Date;
}
