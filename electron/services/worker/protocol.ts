import type { Result } from '../../../shared/contract/errors';
import type { KdfCost } from '../store/keyFile';

/** What the database worker is started with (structured-clonable: no functions). */
export interface WorkerConfig {
  dataDir: string;
  kdf?: KdfCost;
  nativeBinding?: string | undefined;
  demo?: boolean;
  idleLockMinutes?: number;
  unlockBackoffBaseMs?: number;
  /** How often the worker checks the idle lock. */
  idleCheckMs?: number;
}

export type WorkerRequest = { id: number; method: string; input: unknown } | { id: number; control: 'close' };
export type WorkerResponse = { id: number; result: Result<unknown> };
