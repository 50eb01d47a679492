import { randomInt } from 'node:crypto';

/** Lower-case letters and digits without the easily confused ones (i, l, o, 0, 1). */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * A fresh passphrase for each demo run, e.g. `k7qm-x3tf-9wza-hn4e`: 16 random characters (about 79 bits), in
 * groups so it can be read off the terminal and typed. A fixed demo passphrase would open every demo store.
 */
export function demoPassphrase(): string {
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''));
  return groups.join('-');
}
