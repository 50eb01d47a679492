import type { PatientsTable } from '../../electron/services/store/schema';
import { validNhsNumber } from '../demo/syntheticPatients';
import { dayOf, instantMs, isoOf } from './calendar';
import { simulateEpisode, type EpisodeResult, type TeamMember } from './episode';
import { uuidV7At } from './ids';
import { FAMILY_NAMES, GIVEN_NAMES, LTC_MIX, PRACTICES } from './mix';
import { Rng } from './prng';

/**
 * A synthetic IAPT-LTC service, streamed one patient at a time so that five years of a large service (W2)
 * never has to sit in memory. Deterministic: the same spec gives the same rows, ids included.
 */
export interface ServiceSpec {
  seed: number;
  team: readonly TeamMember[];
  /** First day referrals arrive, and the day the data is as of (ISO dates); nothing is dated after `asOf` but bookings. */
  from: string;
  asOf: string;
  /** Stop after this many patients (a team slice, W1) ... */
  patients?: number;
  /** ... or after exactly this many referrals, spread evenly over the period (a service, W2). */
  referrals?: number;
  /** First index into the NHS test-number range (0 ≤ index < 500,000), so two generated sets never share a number. */
  nhsIndexBase?: number;
}

export interface SyntheticPatientRecord {
  index: number;
  patient: PatientsTable;
  /** The patient's referrals in the order received; a repeat referral follows an earlier discharge. */
  episodes: EpisodeResult[];
}

/** W1: a team's slice of 2,000 patients over two years (about 60,000 rows): the sync bootstrap workload. */
export function w1Spec(team: readonly TeamMember[], options: { seed?: number; asOf: string }): ServiceSpec {
  return { seed: options.seed ?? 1, team, from: isoOf(dayOf(options.asOf) - 730), asOf: options.asOf, patients: 2_000 };
}

/** W2: a service taking 25,000 referrals a year for five years (125,000 referrals): the reporting workload. */
export function w2Spec(team: readonly TeamMember[], options: { seed?: number; asOf: string }): ServiceSpec {
  return { seed: options.seed ?? 2, team, from: isoOf(dayOf(options.asOf) - 5 * 365), asOf: options.asOf, referrals: 125_000 };
}

/**
 * A team of PWPs (step 2), HITs (step 3) and supervisors, each clinician supervised by one of them. Ids are
 * UUIDv7 from the seed; a caller with its own users (a sync server's) builds TeamMember[] from those instead.
 */
export function syntheticTeam(seed: number, counts: { pwps: number; hits: number; supervisors: number }): TeamMember[] {
  const rng = new Rng(seed).fork(0x7ea);
  const at = Date.UTC(2020, 0, 1);
  const supervisors: TeamMember[] = Array.from({ length: counts.supervisors }, (_, i) => ({
    id: uuidV7At(at + i, rng),
    displayName: `${GIVEN_NAMES[(i * 5 + 3) % GIVEN_NAMES.length]} ${FAMILY_NAMES[(i * 7 + 1) % FAMILY_NAMES.length]} (supervisor)`,
    role: 'supervisor',
    supervisorId: null,
  }));
  const clinicians: TeamMember[] = [];
  for (const [role, count] of [['pwp', counts.pwps], ['hit', counts.hits]] as const) {
    for (let i = 0; i < count; i++) {
      const n = clinicians.length;
      clinicians.push({
        id: uuidV7At(at + 1000 + n, rng),
        displayName: `${GIVEN_NAMES[(n * 3 + 11) % GIVEN_NAMES.length]} ${FAMILY_NAMES[(n * 11 + 5) % FAMILY_NAMES.length]} (${role.toUpperCase()})`,
        role,
        supervisorId: supervisors.length > 0 ? supervisors[n % supervisors.length]!.id : null,
      });
    }
  }
  return [...supervisors, ...clinicians];
}

/** The chance that a discharged patient is referred again within the period (ref §4 "repeat referral"): illustrative. */
const REPEAT_RATE = 0.1;

export function* syntheticService(spec: ServiceSpec): Generator<SyntheticPatientRecord> {
  if ((spec.patients === undefined) === (spec.referrals === undefined)) throw new RangeError('give either patients or referrals');
  if (!spec.team.some((m) => m.role !== 'supervisor')) throw new RangeError('the team needs at least one clinician');
  const from = dayOf(spec.from);
  const asOf = dayOf(spec.asOf);
  const span = asOf - from;
  if (span < 1) throw new RangeError('from must be before asOf');
  const root = new Rng(spec.seed);
  const base = spec.nhsIndexBase ?? 0;
  let referralsLeft = spec.referrals ?? Number.POSITIVE_INFINITY;
  let slot = 0;
  for (let index = 0; spec.patients === undefined ? referralsLeft > 0 : index < spec.patients; index++) {
    // One stream per patient: patient n's rows do not depend on how many draws the others took.
    const rng = root.fork(index);
    const ltcCodes = rng.weighted(LTC_MIX);
    const practice = rng.pick(PRACTICES);
    const first =
      spec.referrals === undefined ? from + Math.floor(rng.float() * span) : from + Math.floor(((slot + rng.float()) / spec.referrals) * span);
    const createdMs = instantMs(first, 7 * 60 + rng.int(0, 50));
    const patientId = uuidV7At(createdMs, rng);
    const episodes: EpisodeResult[] = [];
    let received: number | null = first;
    let step: 2 | 3 | undefined;
    while (received !== null && received < asOf && referralsLeft > 0) {
      const episode = simulateEpisode({ rng, patientId, received, asOf, ltcCodes, practice, team: spec.team, ...(step ? { step } : {}) });
      episodes.push(episode);
      referralsLeft -= 1;
      slot += 1;
      received = episode.dischargedOn !== null && rng.chance(REPEAT_RATE) ? episode.dischargedOn + rng.int(30, 365) : null;
      // A repeat after low-intensity work is often a step up (ref §5.7).
      step = episode.step === 2 && rng.chance(0.4) ? 3 : undefined;
    }
    const age = Math.round(Math.min(92, Math.max(18, rng.normal(ltcCodes.length > 0 ? 58 : 40, 15))));
    const at = new Date(createdMs).toISOString();
    const creator = episodes[0]!.rows.referral.caseholder_id;
    const patient: PatientsTable = {
      id: patientId,
      nhs_number: validNhsNumber(base + index),
      given_name: rng.pick(GIVEN_NAMES),
      family_name: rng.pick(FAMILY_NAMES),
      date_of_birth: isoOf(first - age * 365 - rng.int(0, 364)),
      gp_practice: practice,
      version: 1,
      created_by: creator,
      updated_by: creator,
      created_at: at,
      updated_at: at,
      deleted_at: null,
    };
    yield { index, patient, episodes };
  }
}
