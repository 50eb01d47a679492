import type { Result } from '../../../shared/contract/errors';
import type { Cipher } from '../store/cipher';
import type { KdfCost } from '../store/keyFile';

/** What the database worker is started with (structured-clonable: no functions). */
export interface WorkerConfig {
  dataDir: string;
  kdf?: KdfCost;
  cipher?: Cipher | 'calibrate';
  /** This computer's keychain secret, base64 (structured-clonable); see shell/deviceSecret.ts. */
  deviceSecret?: string;
  nativeBinding?: string | undefined;
  demo?: boolean;
  idleLockMinutes?: number;
  unlockBackoffBaseMs?: number;
  /** How often the worker checks the idle lock. */
  idleCheckMs?: number;
}

import type { DestinationPurpose } from '../../../shared/contract/files';

/** Contract calls from the page, and the shell's own requests, which no page can send. */
export type WorkerRequest =
  | { id: number; method: string; input: unknown }
  | { id: number; control: 'close' }
  | { id: number; control: 'setDestination'; purpose: DestinationPurpose; folder: string };
export type WorkerResponse = { id: number; result: Result<unknown> };
