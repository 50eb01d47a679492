import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomicWrite';
import { DESTINATION_PURPOSES } from '../../../shared/contract/files';
import { CIPHERS } from '../store/cipher';

/**
 * Settings of this device that must be readable while the store is locked (restore is offered from the unlock
 * screen): the folders the person chose through the shell, and the cipher calibration. Paths, not patient data.
 */
const DeviceSettings = z.strictObject({
  destinations: z.partialRecord(z.enum(DESTINATION_PURPOSES), z.string()).default({}),
  /** The cipher this machine calibrated to; a store made on a slower cipher migrates when this says aegis. */
  calibratedCipher: z.enum(CIPHERS).optional(),
  /** Hours without a completed sync round before the badge warns (issue #9 §3); 24 when unset. */
  syncStaleAfterHours: z.number().int().min(1).max(24 * 14).optional(),
});
export type DeviceSettings = z.infer<typeof DeviceSettings>;

export function readDeviceSettings(file: string): DeviceSettings {
  try {
    return DeviceSettings.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return DeviceSettings.parse({});
  }
}

export function writeDeviceSettings(file: string, settings: DeviceSettings): void {
  writeFileAtomic(file, JSON.stringify(settings, null, 2) + '\n');
}
