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
  if (code === 'F40.0') return 'mi-alone';
  if (code === 'F40.1') return 'spin';
  if (code === 'F41.0') return 'pdss';
  if (code === 'F42' || code.startsWith('F42.')) return choice.ocdMeasure; // ref §2.2: OCI by default
  if (code === 'F43.1') return choice.ptsdMeasure; // ref §2.2: PCL-5 by default
  if (code === 'F45.2') return 'hai-short';
  return null;
}

/**
 * True when the descriptor is one of the service's MUS descriptors (config `musDescriptors`, ref §2.2 notes):
 * an ICD-10 entry covers its subcodes (F45 covers F45.0), a SNOMED entry matches exactly. F45.2 is never MUS here:
 * health anxiety has its own ADSM (ref §2.1).
 */
export function isMusDescriptor(descriptor: string | null | undefined, musDescriptors: readonly string[]): boolean {
  if (descriptor === null || descriptor === undefined || descriptor === '') return false;
  const trimmed = descriptor.trim();
  if (SNOMED.test(trimmed)) return musDescriptors.includes(trimmed);
  const code = normaliseDescriptor(trimmed);
  if (!code || code === 'F45.2') return false;
  return musDescriptors.some((m) => !SNOMED.test(m) && (code === m || code.startsWith(`${m}.`) || (m.length === 5 && code.startsWith(m))));
}
