import { invalid } from './errors';

/**
 * ADSM choice by problem descriptor (ref §2.1, from NHSE's pairing SQL and Clark 2018 Table 2).
 * Everything else — depression, GAD, mixed, specific phobia, BDD, other F40–F43 — uses GAD-7 (null here).
 */
const ICD10 = /^([A-Z])(\d{2})\.?(\d{0,2})$/;
const SNOMED = /^\d{6,18}$/;

export function normaliseDescriptor(descriptor: string): string | null {
  const m = ICD10.exec(descriptor.trim().toUpperCase());
  if (!m) return null;
  return `${m[1]}${m[2]}${m[3] ? `.${m[3]}` : ''}`;
}

/**
 * True when an ICD-10 code is `entry` or one of its subcodes: F40.0 covers WHO ICD-10's F40.00 and F40.01
 * (agoraphobia without / with panic disorder), F42 covers F42.0–F42.9. An entry without a dot covers only its dotted
 * subcodes, never a longer category (a bare string prefix would let F4 cover F40).
 */
function icdWithin(code: string, entry: string): boolean {
  return code === entry || code.startsWith(entry.includes('.') ? entry : `${entry}.`);
}

export interface AdsmChoice {
  ptsdMeasure: 'pcl5' | 'ies-r';
  ocdMeasure: 'oci' | 'oci-r';
}

export function adsmForDescriptor(descriptor: unknown, choice: AdsmChoice): string | null {
  if (descriptor === null || descriptor === undefined || descriptor === '') return null;
  if (typeof descriptor !== 'string') throw invalid('INVALID_INPUT', [{ path: 'problemDescriptor', message: 'must be an ICD-10 or SNOMED CT code' }]);
  if (SNOMED.test(descriptor.trim())) return null; // e.g. 83482000 BDD: no ADSM in the NHSE pairing (ref §2.1)
  const code = normaliseDescriptor(descriptor);
  if (!code) throw invalid('INVALID_INPUT', [{ path: 'problemDescriptor', message: `"${descriptor.slice(0, 20)}" is not an ICD-10 or SNOMED CT code` }]);
  // ref §2.1: each row names a category; its subcodes (e.g. F40.01 agoraphobia with panic disorder) are the same
  // problem and take the same ADSM, or an accepted five-character code would silently fall back to GAD-7.
  if (icdWithin(code, 'F40.0')) return 'mi-alone';
  if (icdWithin(code, 'F40.1')) return 'spin';
  if (icdWithin(code, 'F41.0')) return 'pdss';
  if (icdWithin(code, 'F42')) return choice.ocdMeasure; // ref §2.2: OCI by default
  if (icdWithin(code, 'F43.1')) return choice.ptsdMeasure; // ref §2.2: PCL-5 by default
  if (icdWithin(code, 'F45.2')) return 'hai-short';
  return null;
}

/**
 * True when the descriptor is one of the service's MUS descriptors (config `musDescriptors`, ref §2.2 notes):
 * an ICD-10 entry covers its subcodes (F45 covers F45.0), a SNOMED entry matches exactly. F45.2 and its subcodes
 * are never MUS here: health anxiety has its own ADSM (ref §2.1).
 */
export function isMusDescriptor(descriptor: string | null | undefined, musDescriptors: readonly string[]): boolean {
  if (descriptor === null || descriptor === undefined || descriptor === '') return false;
  const trimmed = descriptor.trim();
  if (SNOMED.test(trimmed)) return musDescriptors.includes(trimmed);
  const code = normaliseDescriptor(trimmed);
  if (!code || icdWithin(code, 'F45.2')) return false;
  return musDescriptors.some((m) => !SNOMED.test(m) && icdWithin(code, m));
}
