import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../store/atomicWrite';

/** The part of Electron's safeStorage this needs: passed in, so services never import 'electron'. */
export interface OsKeychain {
  isEncryptionAvailable(): boolean;
  /** Linux only: which secret store backs it. */
  getSelectedStorageBackend?: () => string;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

/**
 * A random 256-bit secret kept only by this computer's OS keychain (DESIGN §6: the data key is "optionally"
 * wrapped by the keychain as well as the passphrase). With it, the key file's passphrase wrap is sealed to this
 * machine, so a copied key file cannot even be tried against a passphrase list elsewhere. Never the Linux
 * `basic_text` backend: that "encryption" is a fixed key in Chromium's source.
 * Returns null where no real keychain is available, or it cannot open the secret it sealed: the store then
 * works with the passphrase alone, or says its key file is sealed to a keychain it cannot reach.
 */
export function loadDeviceSecret(keychain: OsKeychain, file: string, platform = process.platform): Buffer | null {
  try {
    if (!keychain.isEncryptionAvailable()) return null;
    if (platform === 'linux' && (keychain.getSelectedStorageBackend?.() ?? 'basic_text') === 'basic_text') return null;
    if (existsSync(file)) {
      const secret = Buffer.from(keychain.decryptString(readFileSync(file)), 'base64');
      return secret.length === 32 ? secret : null;
    }
    const secret = randomBytes(32);
    writeFileAtomic(file, keychain.encryptString(secret.toString('base64')));
    return secret;
  } catch {
    return null;
  }
}
