import { SERVICE_USE_ITEMS } from '../../shared/contract/reports';
import type { Rng } from './prng';

/**
 * The integrated LTC pathway's own measures (ref §3), at the points the outcomes engine's schedule asks for them
 * (measuresDue: service use at assessment and at the final contact; with diabetes also DDS-17 and HbA1c). Seed
 * 000 collects HbA1c and the CSRI at intake and at follow-up "where possible"; the completion rates here are
 * illustrative, not national. Seed 001's early implementer reported 49 % fewer GP appointments and 52 % fewer A&E
 * attendances, with more specialist nurse use; the changes below scale with how well the course went so that a
 * service's figures land near those, not on them.
 */

/** Chance each is recorded when due (illustrative): a GP-held HbA1c is missed more often than a questionnaire. */
export const LTC_COMPLETION = { 'service-use': 0.85, dds17: 0.85, hba1c: 0.75 } as const;

/** Counts over a 3-month recall before treatment (illustrative means for people with an LTC and depression). */
const SERVICE_USE_MEANS: Record<(typeof SERVICE_USE_ITEMS)[number], number> = {
  'gp-appointments': 3.6,
  'ae-attendances': 0.4,
  'emergency-admissions': 0.15,
  'outpatient-appointments': 1.5,
  'ambulance-conveyances': 0.12,
  'specialist-nurse-contacts': 1.1,
};

/**
 * How one patient's LTC measures go: drawn once per referral from its own stream, so the rest of the episode's
 * data is the same with or without them. `improvement` is 0 (no change) to 1 (the whole of the course's response).
 */
export function ltcCourse(rng: Rng) {
  const frequency = rng.uniform(0.5, 1.6); // some people use services far more than others
  const hba1cFirst = Math.round(Math.min(120, Math.max(42, rng.normal(64, 13)))); // mmol/mol, most above the 48 target
  const hba1cDrop = rng.normal(5, 4);
  const ddsFirst = Math.min(5.5, Math.max(1.2, rng.normal(2.8, 0.8)));
  return {
    /** Service-use item counts in item order (SERVICE_USE_ITEMS), before (0) or after (1) a course. */
    serviceUse(improvement: number): number[] {
      return SERVICE_USE_ITEMS.map((item) => {
        const change = item === 'specialist-nurse-contacts' ? 1 + 0.6 * improvement : 1 - 0.7 * improvement;
        return Math.min(60, rng.poisson(SERVICE_USE_MEANS[item] * frequency * change));
      });
    },
    hba1c(improvement: number): number[] {
      return [Math.round(Math.min(150, Math.max(30, hba1cFirst - improvement * hba1cDrop + (improvement > 0 ? rng.normal(0, 3) : 0))))];
    },
    /** DDS-17: 17 items of 1–6 around the patient's mean distress, which eases with the course. */
    dds17(improvement: number): number[] {
      const mean = ddsFirst * (1 - 0.3 * improvement);
      return Array.from({ length: 17 }, () => Math.min(6, Math.max(1, Math.round(mean + rng.normal(0, 0.9)))));
    },
  };
}
