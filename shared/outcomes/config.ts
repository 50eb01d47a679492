import { z } from 'zod';
import { Band, InstrumentDefinition, ResponseOption } from './instrumentSchema';

/**
 * What a service may set. Any instrument's cut-off and reliable-change value can be overridden here (the
 * instrument's operator stays, ref §2.2); the defaults are the reference's values. `shared/` does no I/O: the services load a service's settings and pass them to
 * `createOutcomes(overrides)`. An overridden value is the service's decision and carries no "unverified" warning.
 */
export const OutcomeOverrides = z.strictObject({
  instruments: z
    .record(
      z.string(),
      z.strictObject({
        caseness: z.number().optional(),
        reliableChange: z.number().positive().optional(),
        severityBands: z.array(Band).min(1).optional(),
        /** Cut-off for a screen: required before the COPD and cardiac local screens give any result (ref §7). */
        screenThreshold: z.number().optional(),
        /** Response scale for the local screens (ref §7: set by the service). */
        responseOptions: z.array(ResponseOption).min(2).optional(),
      }),
    )
    .default({}),
  /** DDS2 rule (ref §7): Fisher 2008 mean ≥ 3 (default) or the newer DDS guidance mean ≥ 2.0. */
  dds2Rule: z.enum(['fisher-2008-mean-3', 'dds-guidance-mean-2']).default('fisher-2008-mean-3'),
  /** PTSD ADSM (ref §2.1, §2.2: PCL-5 is the guide's; IES-R only as a configured legacy option). */
  ptsdMeasure: z.enum(['pcl5', 'ies-r']).default('pcl5'),
  /** OCD ADSM (ref §2.1, §2.2: the guide names the OCI, 0–168; the OCI-R is a configured alternative). */
  ocdMeasure: z.enum(['oci', 'oci-r']).default('oci'),
  /**
   * Problem descriptors that mean an unspecified medically unexplained symptom, for PHQ-15 caseness (ref §2.2
   * notes: PHQ-15 "when an unspecified MUS is recorded"). The reference names no codes, so the default is a local
   * choice: the ICD-10 somatoform disorders F45 except F45.2 (health anxiety has its own ADSM). IBS (K58, SNOMED
   * 10743008) and CFS (G93.3, 52702003) are not in the default: the guide measures IBS with the IBS-SSS, and both
   * are named MUS descriptors, not unspecified ones; a service that wants PHQ-15 caseness for them adds them here.
   * An ICD-10 entry also covers its subcodes.
   */
  musDescriptors: z
    .array(z.string().regex(/^([A-Z]\d{2}(\.\d{1,2})?|\d{6,18})$/, 'must be an ICD-10 (e.g. F45.1) or SNOMED CT code'))
    .min(1)
    .default(['F45']),
  /** CSRI-style service-use recall period in months (issue #3: service-set, default 3). */
  serviceUseRecallMonths: z.number().int().min(1).max(24).default(3),
  /** SNOMED CT codes that mean "diabetes" for the LTC measures schedule (defaults: diabetes mellitus, type 1, type 2). */
  diabetesCodes: z.array(z.string().regex(/^\d{6,18}$/)).min(1).default(['73211009', '46635009', '44054006']),
  /** Licensed measures a service adds (HADS, CAT, EQ-5D …): score-entry shells, validated like the catalogue. */
  extraInstruments: z.array(InstrumentDefinition).default([]),
});
export type OutcomeOverrides = z.input<typeof OutcomeOverrides>;
export type OutcomeConfig = z.output<typeof OutcomeOverrides>;
