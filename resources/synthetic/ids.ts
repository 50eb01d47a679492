import type { Rng } from './prng';

const hex = (n: number, width: number) => Math.floor(n).toString(16).padStart(width, '0');

/**
 * A UUIDv7 (RFC 9562) for a row created at `ms`, its random bits drawn from the generator's stream: the same
 * seed gives the same ids, and ids still sort by creation time as the app's own do (uuid's v7).
 */
export function uuidV7At(ms: number, rng: Rng): string {
  const time = hex(ms, 12);
  const randA = hex(rng.float() * 0x1000, 3);
  const variant = hex(0x8000 | (rng.float() * 0x4000), 4);
  const randB = hex(rng.float() * 0x1_0000_0000, 8) + hex(rng.float() * 0x1_0000, 4);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randA}-${variant}-${randB}`;
}
