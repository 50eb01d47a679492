import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../../server/db/open';
import { postgresAvailable, startPostgres, type TempPostgres } from './postgres';

/**
 * The backends every server suite runs against: embedded PGlite always, real PostgreSQL when its binaries
 * are installed (CI installs them). Each suite gets its own database; each test makes its own team, so tests
 * never see each other's rows.
 */
export const BACKENDS = postgresAvailable ? (['pglite', 'postgres'] as const) : (['pglite'] as const);
export type Backend = (typeof BACKENDS)[number];

let cluster: TempPostgres | undefined;
let databases = 0;

export function useDatabase(backend: Backend): () => OpenedDatabase {
  let opened: OpenedDatabase | undefined;
  beforeAll(async () => {
    if (backend === 'postgres') {
      cluster ??= await startPostgres();
      const url = await cluster.newDatabase(`sync_${process.pid}_${++databases}`);
      opened = await openDatabase({ databaseUrl: url });
    } else {
      opened = await openDatabase({});
    }
  });
  afterAll(async () => {
    await opened?.close();
  });
  return () => {
    if (!opened) throw new Error('database not open yet');
    return opened;
  };
}

afterAll(() => {
  cluster?.stop();
  cluster = undefined;
});
